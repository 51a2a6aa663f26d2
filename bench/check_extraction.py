"""Main-content extraction on two public check sets the project does not vendor: `python -m bench.check_extraction`.

    python -m bench.check_extraction --readability PATH/readability   # a checkout of mozilla/readability
    python -m bench.check_extraction --trafilatura PATH/trafilatura   # a checkout of adbar/trafilatura

- mozilla/readability's test pages (`test/test-pages/NAME/source.html` and the text readability is expected to
  find, `expected.html`): token F1 (`bench.realpages.token_f1`) of our main-content text against the expected
  text, per page and averaged.
- trafilatura's evaluation pages (`tests/eval/*.html`, `tests/cache/*.html`) with its own check,
  `tests/evaldata.json`: for each page, snippets that must be in the extracted text ("with") and snippets that must
  not ("without"); precision, recall and F1 over the snippets, as trafilatura's `tests/evaluate.py` counts them.
  Pages whose "with" snippets langdetect does not read as English are left out (the project scores English).

trafilatura.extract (default settings) is measured beside ours on the same pages, as a reference point (on its own
evaluation pages it is scored on the pages it was developed against).

Both sets are split into halves by sha1 of the page's file name (`bench.verdicts.half`): causes are looked up on
half A, and half B is read as the check. Neither set chooses any number in the project (the dev half of
bench/realpages does); they are where extraction failures outside news are found. Not part of `make bench`.
"""
from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from .realpages import token_f1
from .verdicts import half


def readability_pages(root: Path) -> list[tuple[str, bytes, str]]:
    """(name, source HTML, expected text) of every test page that has both files."""
    from selectolax.lexbor import LexborHTMLParser

    out = []
    for source in sorted((root / "test" / "test-pages").glob("*/source.html")):
        expected = source.with_name("expected.html")
        if expected.is_file():
            body = LexborHTMLParser(expected.read_bytes()).body
            out.append((source.parent.name + ".html", source.read_bytes(), body.text(separator=" ") if body else ""))
    return out


def extractors() -> dict:
    """name -> function from HTML bytes to the text it extracts: ours (main content) and, where the bench extra is
    installed, trafilatura's."""
    from scoring.extract import extract

    found = {"ours": lambda html: extract(html).text}
    try:
        import trafilatura
    except ImportError:  # the bench extra (pyproject.toml) is not installed: ours alone
        return found
    return found | {"trafilatura": lambda html: trafilatura.extract(html) or ""}


def readability_table(root: Path, list_worst: int = 0) -> str:
    pages = readability_pages(root)
    lines = ["| extractor | half | pages | precision | recall | F1 |", "|---|---|---|---|---|---|"]
    worst = []
    for label, run in extractors().items():
        rows = {h: [] for h in "AB"}
        for name, html, expected in pages:
            rows[half(name)].append((token_f1(run(html), expected), name))
        for h, found in rows.items():
            if not found:
                continue
            scores = [s for s, _ in found]
            lines.append(f"| {label} | {h} | {len(found)} | {statistics.mean(s[0] for s in scores):.3f} | "
                         f"{statistics.mean(s[1] for s in scores):.3f} | {statistics.mean(s[2] for s in scores):.3f} |")
            if label == "ours":
                worst += [f"{h} F1 {f1:.3f} (P {p:.3f} R {r:.3f}) {name}"
                          for (p, r, f1), name in sorted(found, key=lambda row: row[0][2])[:list_worst]]
    return "\n".join(lines + worst)


def _english(text: str) -> bool:
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0  # langdetect samples: seeded, the same pages every run
    try:
        return detect(text) == "en"
    except LangDetectException:
        return False


def trafilatura_table(root: Path, list_worst: int = 0) -> str:
    data = json.loads((root / "tests" / "evaldata.json").read_text(encoding="utf-8"))
    files = {p.name: p for d in ("eval", "cache") for p in (root / "tests" / d).glob("*.html")}
    entries = [(files[e["file"]], e) for e in data.values()
               if e["file"] in files and e["with"] and _english(" ".join(e["with"]))]
    norm = lambda s: " ".join(s.split()).lower()  # noqa: E731
    lines = ["| extractor | half | English pages | precision | recall | F1 |", "|---|---|---|---|---|---|"]
    failures = []
    for label, run in extractors().items():
        counts = {h: [0, 0, 0, 0] for h in "AB"}  # "with" found, "with" missed, "without" kept, pages
        for path, entry in entries:
            text = norm(run(path.read_bytes()))
            missed = [s for s in entry["with"] if norm(s) not in text]
            extra = [s for s in entry["without"] if norm(s) in text]
            c = counts[half(path.name)]
            c[0] += len(entry["with"]) - len(missed)
            c[1] += len(missed)
            c[2] += len(extra)
            c[3] += 1
            if label == "ours" and (missed or extra):
                failures.append(f"{half(path.name)} {path.name} missed {[s[:40] for s in missed]} "
                                f"extra {[s[:40] for s in extra]}")
        for h, (tp, fn, fp, pages) in counts.items():
            if not pages:
                continue
            p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
            lines.append(f"| {label} | {h} | {pages} | {p:.3f} | {r:.3f} | {2 * p * r / max(p + r, 1e-9):.3f} |")
    return "\n".join(lines + failures[:list_worst])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.check_extraction", description=__doc__.split("\n\n")[0])
    ap.add_argument("--readability", type=Path, help="a checkout of mozilla/readability")
    ap.add_argument("--trafilatura", type=Path, help="a checkout of adbar/trafilatura")
    ap.add_argument("--list", type=int, default=0, metavar="N", help="also name the N worst pages (per half)")
    args = ap.parse_args(argv)
    if not (args.readability or args.trafilatura):
        ap.error("give --readability and/or --trafilatura")
    if args.readability:
        print("mozilla/readability test pages: token F1 of the main-content text against expected.html")
        print(readability_table(args.readability, args.list))
    if args.trafilatura:
        print("trafilatura evaluation pages (English): evaldata.json snippets found / wrongly kept")
        print(trafilatura_table(args.trafilatura, args.list))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
