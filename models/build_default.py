"""Build the default English model from public text the package registries serve.

    python3 -m models.build_default            # what `make model` runs; idempotent

Sources (see models/en/README.md for the choice): the Debian documentation packages that the release's
`linux-doc` and `python3-doc` metapackages depend on (reStructuredText prose: linux-doc-6.1 and python3.11-doc
on Debian 12, linux-doc-6.12 and python3.13-doc on Debian 13; the card records the names used) and the
Wikipedia sample shipped in gensim's test data (PyPI). One document in twenty (by a hash of its
name) is held out from training. Calibration reference = those held-out documents plus the ABC news sample in
gensim's test data (`lee_background.cor`, never trained on): a model of technical prose must be calibrated on
news too, or clean news looks anomalous (measured: 46% of clean news pages past the technical text's 99th
percentile for spin). The benchmark's clean test pages are the Brown press sections and `lee.cor`, never this.
Steps, each skipped when its output exists (the model is retrained when today's segmentation and normalisation
cut the training text into other sentences than its card records): fetch packages -> extract prose -> train our 5-gram (scoring.train)
-> convert CMU Sphinx's news-aware trigram (models.sphinx_lm) -> fit the mixture weight by EM on held-out text
(documentation, ABC news, the real pages' development half) and merge the two into one model (models.mix_lm)
-> synonym table (WordNet, over the mixture's vocabulary) -> calibration.
"""
from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "corpus"
OUT = ROOT / "models" / "en"
MODEL = OUT / "en.bin"
MIX_CACHE = ROOT / ".cache" / "model"  # the two component models (ARPA) and the mixed ARPA while it is built
VOCABULARY = MIX_CACHE / "vocabulary.txt"  # the mixture's words, for the synonym table
# KenLM's probing structure, unquantised: 111 MB instead of the 8-bit trie's 33 MB, and the full scoring of a real
# page 4-6% faster (models/en/README.md, "KenLM structure"). A crawl scores every page; the file is built at set-up
# and mapped once per process, its pages shared between processes.
STRUCTURE = "probing"
# Debian documentation metapackage -> (name of the versioned package it depends on, that package's prose directory).
# The versioned names differ per release (linux-doc-6.1 / python3.11-doc on Debian 12), so they are resolved.
DEBIAN_PACKAGES = {
    "linux-doc": (re.compile(r"linux-doc-(\d+\.\d+)"), "usr/share/doc/linux-doc-{0}/Documentation"),
    "python3-doc": (re.compile(r"python(3\.\d+)-doc"), "usr/share/doc/python{0}/html/_sources"),
}
GENSIM = "gensim==4.4.0"
WIKI_MEMBER = "gensim/test/test_data/enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
NEWS_MEMBER = "gensim/test/test_data/lee_background.cor"  # 300 ABC news stories: calibration only
PAGE_WORDS = 600  # reference documents are cut into pages of about this size for calibration
HOLDOUT_ONE_IN = 20
ORDER = 5
PRUNE = (0, 0, 1)  # drop singleton 3/4/5-grams: measured in models/en/README.md


def log(msg: str) -> None:
    print(f"[model] {msg}", flush=True)


# -- fetching ------------------------------------------------------------------------------------
def debian_doc_packages() -> dict[str, str]:
    """{versioned package: its documentation directory} for this release's linux-doc and python3-doc, found
    through what the metapackages depend on (`apt-cache depends`), e.g. linux-doc-6.1 and python3.11-doc on
    Debian 12, linux-doc-6.12 and python3.13-doc on Debian 13."""
    out = {}
    for meta, (pattern, directory) in DEBIAN_PACKAGES.items():
        proc = subprocess.run(["apt-cache", "depends", meta], capture_output=True, text=True)
        deps = [line.split(":", 1)[1].strip().strip("<>") for line in proc.stdout.splitlines()
                if line.strip().startswith("Depends:")]
        found = [(dep, m) for dep in deps if (m := pattern.fullmatch(dep))]
        if proc.returncode != 0 or not found:
            raise SystemExit(f"cannot tell which package Debian's {meta} stands for (`apt-cache depends {meta}`: "
                             f"{(proc.stderr or proc.stdout).strip()[-300:] or 'no matching dependency'}); "
                             f"refresh the package lists (`sudo apt-get update`, which `make system-deps` runs)")
        package, match = found[0]
        out[package] = directory.format(match.group(1))
    return out


def fetch_debian(package: str, cache: Path = CACHE) -> Path:
    """The package's files, unpacked into cache/<package> (`apt-get download` + `dpkg-deb -x`, once)."""
    target = cache / package
    if target.is_dir():
        return target
    debs = cache / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    if not list(debs.glob(f"{package}_*.deb")):
        log(f"downloading Debian package {package}")
        proc = subprocess.run(["apt-get", "download", package], cwd=debs, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"`apt-get download {package}` failed: {proc.stderr.strip()[-500:]}\n"
                             f"(stale package lists name versions the mirror no longer has: "
                             f"`sudo apt-get update`, which `make system-deps` runs, then try again)")
    deb = sorted(debs.glob(f"{package}_*.deb"))[-1]
    tmp = cache / f".{package}.tmp"  # unpacked aside, then renamed: an interrupted run leaves no half package
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp)], check=True)
    tmp.rename(target)
    return target


def fetch_gensim_member(member: str) -> bytes:
    wheels = CACHE / "wheels"
    if not list(wheels.glob("gensim-*.whl")):
        log(f"downloading {GENSIM} from PyPI (for its Wikipedia sample)")
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", GENSIM, "-d", str(wheels)],
                       check=True)
    wheel = sorted(wheels.glob("gensim-*.whl"))[-1]
    with zipfile.ZipFile(wheel) as z:
        return z.read(member)


# -- prose extraction ------------------------------------------------------------------------------
_RST_INLINE = [
    (re.compile(r":[\w:-]+:`([^`<]*?)(?:\s*<[^>]*>)?`"), r"\1"),  # :role:`text <target>`
    (re.compile(r"`([^`<]+?)\s*<[^>]+>`_+"), r"\1"),              # `text <url>`_
    (re.compile(r"``([^`]+)``"), r"\1"),
    (re.compile(r"`([^`]+)`_*"), r"\1"),
    (re.compile(r"\*\*?([^*]+)\*\*?"), r"\1"),
    (re.compile(r"\|([^|]+)\|"), r"\1"),
]
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


def is_prose(paragraph: str) -> bool:
    """8+ words, mostly alphabetic, ending like a sentence (as in shared corpus notes)."""
    words = paragraph.split()
    if len(words) < 8 or paragraph[-1] not in ".?!\"')":
        return False
    alpha = sum(1 for w in words if _WORD.fullmatch(w.strip(".,;:!?\"'()")))
    return alpha >= 0.8 * len(words)


def rst_paragraphs(text: str) -> Iterator[str]:
    for block in re.split(r"\n\s*\n", text):
        lines = block.splitlines()
        if not lines or lines[0].startswith((" ", "\t", "..", "::", "+", "=", "-", "*", "#", "|", ">")):
            continue
        para = " ".join(line.strip() for line in lines)
        for pattern, repl in _RST_INLINE:
            para = pattern.sub(repl, para)
        para = re.sub(r"\s+", " ", para).strip()
        if para and is_prose(para):
            yield para


def debian_documents(package: str, directory: str) -> Iterator[tuple[str, list[str]]]:
    root = fetch_debian(package) / directory
    if not root.is_dir():
        raise SystemExit(f"Debian package {package} has no {directory}/: its layout changed, update "
                         f"DEBIAN_PACKAGES in models/build_default.py")
    for path in sorted(root.rglob("*")):
        if "translations" in path.parts or not path.is_file():
            continue
        if path.name.endswith(".rst.gz"):
            text = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        elif path.name.endswith((".rst", ".rst.txt")):
            text = path.read_text("utf-8", "replace")
        else:
            continue
        paras = list(rst_paragraphs(text))
        if paras:
            yield f"{package}:{path.relative_to(root)}", paras


def wiki_documents() -> Iterator[tuple[str, list[str]]]:
    import mwparserfromhell

    xml = bz2.decompress(fetch_gensim_member(WIKI_MEMBER))
    for _, elem in ET.iterparse(io.BytesIO(xml)):
        if not elem.tag.endswith("}page"):
            continue
        title = elem.findtext("{*}title") or ""
        wikitext = elem.findtext("{*}revision/{*}text") or ""
        elem.clear()
        plain = mwparserfromhell.parse(wikitext).strip_code(normalize=True, collapse=True)
        paras = [re.sub(r"\s+", " ", p).strip() for p in plain.split("\n")]
        paras = [p for p in paras if p and is_prose(p)]
        if paras:
            yield f"wikipedia:{title}", paras


def calibration_pages() -> Iterator[tuple[str, bytes]]:
    """The development half of the real article pages vendored in bench/realpages (never the test half): clean
    web pages as a crawler fetches them, the reference of the signals that judge a page's blocks."""
    from bench.realpages import load_pages

    for page in load_pages("dev"):
        yield page.id, page.html


def news_pages() -> Iterator[list[str]]:
    """ABC news stories (one per line) as pages of three-sentence paragraphs."""
    from scoring.segment import split_sentences

    for story in fetch_gensim_member(NEWS_MEMBER).decode("utf-8", "replace").splitlines():
        sentences = [story[a:b] for a, b in split_sentences(story.strip())]
        if len(sentences) >= 3:
            yield [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]


def as_pages(paras: list[str]) -> Iterator[list[str]]:
    """Cut a long document into pages of about PAGE_WORDS words (whole paragraphs)."""
    page: list[str] = []
    words = 0
    for p in paras:
        page.append(p)
        words += len(p.split())
        if words >= PAGE_WORDS:
            yield page
            page, words = [], 0
    if page:
        yield page


def held_out(doc_id: str) -> bool:
    return int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % HOLDOUT_ONE_IN == 0


def write_corpus() -> tuple[Path, Path, dict]:
    train, reference, stats_path = CACHE / "train.txt", CACHE / "reference.txt", CACHE / "stats.json"
    if train.is_file() and reference.is_file() and stats_path.is_file():
        return train, reference, json.loads(stats_path.read_text())
    log("extracting prose")
    stats: dict = {}
    sources = [(p, debian_documents(p, d)) for p, d in debian_doc_packages().items()] + \
        [("wikipedia-sample (gensim 4.4.0)", wiki_documents())]
    with train.open("w") as ft, reference.open("w") as fr:
        for name, docs in sources:
            s = stats.setdefault(name, {"documents": 0, "words": 0, "reference_documents": 0, "reference_words": 0})
            for doc_id, paras in docs:
                words = sum(len(p.split()) for p in paras)
                if held_out(doc_id):
                    for page in as_pages(paras):
                        fr.write("\n".join(page) + "\n\n")
                    s["reference_documents"] += 1
                    s["reference_words"] += words
                else:
                    ft.write("\n".join(paras) + "\n")
                    s["documents"] += 1
                    s["words"] += words
            log(f"  {name}: {s['words']:,} training words in {s['documents']} documents, "
                f"{s['reference_words']:,} reference words held out")
        s = stats.setdefault("abc-news-sample (gensim 4.4.0, calibration only)", {"reference_documents": 0, "reference_words": 0})
        for page in news_pages():
            fr.write("\n".join(page) + "\n\n")
            s["reference_documents"] += 1
            s["reference_words"] += sum(len(p.split()) for p in page)
        log(f"  ABC news sample: {s['reference_words']:,} reference words for calibration (not trained on)")
    stats_path.write_text(json.dumps(stats, indent=1))
    return train, reference, stats


def build_synonyms(vocabulary: set[str]) -> Path:
    """WordNet synonyms among the words the model knows (the spin signal tries only words it can score)."""
    from scoring.wordnet import synonym_table

    path = OUT / "synonyms.json"
    table = synonym_table(vocabulary=vocabulary)
    path.write_text(json.dumps(table, separators=(",", ":")))
    log(f"synonym table: {len(table):,} words with in-vocabulary WordNet synonyms")
    return path


def heldout_sets(reference: Path) -> dict[str, list[str]]:
    """Held-out text of the three kinds the mixture must know, for fitting its weight (never trained on; the
    real pages' development half only): {name: paragraphs}."""
    from bench.realpages import is_english, load_pages

    news = {line for page in news_pages() for line in page}
    docs = [line for line in reference.read_text(encoding="utf-8").splitlines() if line.strip() and line not in news]
    return {
        "docs+wikipedia (held-out reference)": docs,
        "news (ABC sample)": sorted(news),
        "web articles (real pages, dev half)": [line for p in load_pages("dev") if is_english(p)
                                                for line in p.article.splitlines() if line.strip()],
    }


def build_mixture(train_txt: Path, reference_txt: Path, stats: dict) -> dict:
    """Our 5-gram (trained here) mixed with CMU Sphinx's news-aware trigram: the default model, and its card."""
    from models import mix_lm
    from models.sphinx_lm import convert
    from scoring.lm import write_card
    from scoring.train import run_build_binary, sentence_lines, train_model

    MIX_CACHE.mkdir(parents=True, exist_ok=True)
    own, sphinx = MIX_CACHE / "own.arpa", MIX_CACHE / "sphinx.arpa"
    log(f"training our {ORDER}-gram model on the documentation and Wikipedia text")
    own_card = train_model([train_txt], own, order=ORDER, prune=PRUNE, memory="2G", progress=lambda m: log("  " + m))
    log("converting CMU Sphinx's US-English trigram (models/sphinx_lm.py)")
    sphinx_card = convert(None, sphinx)
    started = time.perf_counter()
    a, b = mix_lm.read_arpa(own), mix_lm.read_arpa(sphinx)
    sentences = {name: [line.split() for line in sentence_lines(paras)]
                 for name, paras in heldout_sets(reference_txt).items()}
    sets = {name: mix_lm.token_probabilities(a, b, sents) for name, sents in sentences.items()}
    weight, path = mix_lm.fit_weight(sets)
    log(f"EM weight of our model: {weight:.4f} ({len(path) - 1} iterations)")
    heldout = {name: {"tokens": len(pa),
                      "perplexity": {"own": round(a.perplexity(sentences[name])),
                                     "sphinx": round(b.perplexity(sentences[name])),
                                     "mixture": round(mix_lm.perplexity(pa, pb, weight))}}
               for name, (pa, pb) in sets.items()}
    mixed = mix_lm.mix(a, b, weight, progress=lambda m: log("  " + m))
    VOCABULARY.write_text("\n".join(sorted(w for w in mixed.vocab if not w.startswith("<"))) + "\n", encoding="utf-8")
    arpa = MIX_CACHE / "mixed.arpa"
    counts = mix_lm.write_arpa(mixed, arpa)
    del mixed, a, b
    staged = MODEL.with_name(f".{MODEL.name}.partial")  # renamed over the model: a running crawl keeps its inode
    command = run_build_binary(arpa, staged, quantize=False, structure=STRUCTURE)
    os.replace(staged, MODEL)
    command[-2:] = ["mixed.arpa", str(MODEL)]
    card = {
        "format": 1, "language": "en", "model": MODEL.name, "order": ORDER,
        "normalisation": own_card["normalisation"], "structure": STRUCTURE, "quantized": False,
        "size_bytes": MODEL.stat().st_size,
        "kind": "mixture: linear interpolation of two back-off models, merged into one ARPA (models/mix_lm.py)",
        "mixture": {
            "weights": {"own": round(weight, 4), "sphinx": round(1 - weight, 4)},
            "fitted_by": "EM on per-token probabilities of held-out text, each set weighted equally",
            "heldout": heldout,
            "ngrams": counts,
            "seconds": round(time.perf_counter() - started, 1),
        },
        "components": {"own": own_card, "sphinx": sphinx_card},
        "build_command": [*own_card["build_command"], *sphinx_card["build_command"],
                          "python -m models.build_default (mix)", " ".join(command)],
        "sources": stats,
        "holdout": f"one document in {HOLDOUT_ONE_IN} by sha1(document id), kept as reference.txt",
        "recipe": "python3 -m models.build_default (models/build_default.py)",
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_card(MODEL, card)
    arpa.unlink()
    return card


def stale(card: dict, train_txt: Path) -> bool:
    """True when the model must be rebuilt: built before the mixture or in another KenLM structure, or from
    training text that today's segmentation and normalisation (scoring/segment.py, normalize.py) would cut into
    other sentences."""
    from scoring.train import normalised_sha256

    if "mixture" not in card:
        return True
    if card.get("structure", "trie") != STRUCTURE:
        log(f"the model is a {card.get('structure', 'trie')}, the default is {STRUCTURE}: rebuilding it")
        return True
    trained_on = card.get("components", {}).get("own", {}).get("corpus", {}).get("sha256")
    if trained_on == normalised_sha256([train_txt]):
        return False
    log("the model was trained on other sentences than today's code makes of the text: retraining it")
    return True


def main() -> int:
    started = time.perf_counter()
    CACHE.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    train_txt, reference_txt, stats = write_corpus()
    from scoring.lm import read_card, write_card

    if not MODEL.is_file() or not VOCABULARY.is_file() or stale(read_card(MODEL), train_txt):
        build_mixture(train_txt, reference_txt, stats)
        (OUT / "synonyms.json").unlink(missing_ok=True)
    if not (OUT / "synonyms.json").is_file():
        build_synonyms(set(VOCABULARY.read_text(encoding="utf-8").split()))
    card = read_card(MODEL)
    if card.get("synonyms") != "synonyms.json":
        card["synonyms"] = "synonyms.json"
        write_card(MODEL, card)
    (OUT / "reference.txt").write_bytes(reference_txt.read_bytes())
    calibrate = "--calibrate" in sys.argv or "calibration" not in read_card(MODEL)
    if calibrate:
        from scoring.scorer import calibrate_model

        log("calibrating signals on the held-out reference text and the real pages' development half")
        calibrate_model(MODEL, OUT / "reference.txt", progress=lambda m: log("  " + m), pages=calibration_pages())
    log(f"default model ready: {MODEL} ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
