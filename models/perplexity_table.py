"""The default model's perplexity table (models/en/README.md): `python -m models.perplexity_table`.

Three models, each on the same token streams (scoring.normalize, one sentence per line, <s> ... </s>):
- ours alone: the documentation + Wikipedia 5-gram (the default model before the mixture; `make model` leaves
  its ARPA in .cache/model/own.arpa, binarised here with the default model's flags);
- CMU Sphinx's trigram alone (.cache/model/sphinx.arpa, the same);
- the mixture (models/en/en.bin, the default model).
Texts: the held-out documentation reference, the ABC news sample, the Brown press sections (bench/data.py), the
real article pages of bench/realpages (both halves: this is a measurement, nothing is chosen from it; English
pages, the extracted main content), and each one's word-shuffled control (the words of every sentence in a
seeded random order). Perplexity per token including </s>; an unknown word costs the model's own <unk>.
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "model"


def binary(arpa: Path) -> Path:
    from scoring.train import run_build_binary

    out = arpa.with_suffix(".bin")
    if not out.is_file() or out.stat().st_mtime < arpa.stat().st_mtime:
        if not arpa.is_file():
            sys.exit(f"{arpa} is missing: run `make model` first")
        run_build_binary(arpa, out, quantize=True)
    return out


def texts() -> dict[str, list[list[str]]]:
    from bench.data import load_articles
    from bench.realpages import is_english, load_pages
    from models.build_default import heldout_sets
    from scoring.extract import extract
    from scoring.perplexity import sentences_of_text

    held = heldout_sets(ROOT / "models" / "en" / "reference.txt")
    pages = load_pages()
    english = [p for p in pages if is_english(p)]
    out = {
        "documentation + Wikipedia (held-out reference)": held["docs+wikipedia (held-out reference)"],
        "ABC news sample": held["news (ABC sample)"],
        "Brown press sections (A-C)": [p for a in load_articles() if a.source == "brown" for p in a.paragraphs],
        f"real article pages, {len(english)} English of {len(pages)} (extracted text)":
            [extract(p.html, p.id).text for p in english],
    }
    return {name: sentences_of_text("\n".join(paras)) for name, paras in out.items()}


def shuffled(sentences: list[list[str]], seed: int = 0) -> list[list[str]]:
    rng = random.Random(seed)
    out = []
    for s in sentences:
        s = list(s)
        rng.shuffle(s)
        out.append(s)
    return out


def main() -> int:
    from scoring.lm import DEFAULT_MODEL, load_model
    from scoring.perplexity import measure

    started = time.perf_counter()
    models = {"ours alone (old default)": load_model(binary(CACHE / "own.arpa")),
              "Sphinx trigram alone": load_model(binary(CACHE / "sphinx.arpa")),
              "mixture (default)": load_model(DEFAULT_MODEL)}
    rows = []
    for name, sentences in texts().items():
        for label, sents in ((name, sentences), (f"{name}, words shuffled", shuffled(sentences))):
            results = [measure(m, sents) for m in models.values()]
            rows.append(f"| {label} | {results[0].tokens:,} | "
                        + " | ".join(f"{r.perplexity:,.0f} ({r.oov:.1%})" for r in results) + " |")
    print("| text | tokens | " + " | ".join(models) + " |")
    print("|---|---|" + "---|" * len(models))
    print("\n".join(rows))
    print(f"\n(perplexity per token incl. </s>, OOV rate in brackets; {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
