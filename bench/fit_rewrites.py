"""Clean rates of the phrase-rewrite cues: `python -m bench.fit_rewrites [--write]`.

Counts every cue of scoring/data/phrase_rewrites.tsv (matched as the spin signal matches them,
scoring.signals.rewrites.find_rewrites, on the sentences scoring.segment makes) and the content words (as the
spin signal counts them: scoring.signals.spin._is_content) in clean text only:
- models/en/reference.txt: the default model's calibration reference (documentation and Wikipedia held out from
  training, and the ABC news sample);
- .cache/corpus/train.txt: the default model's training text (models/build_default.py; Debian's linux-doc and
  python3-doc prose, gensim's Wikipedia sample).
No benchmark page (real or built, dev or test) is read. `--write` stores the counts with their provenance in
scoring/data/phrase_rewrite_rates.json, which the spin signal reads (clean rate = (count + rewrites.RATE_PRIOR) / content words).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

from scoring.segment import blocks_from_text, segment
from scoring.signals import rewrites
from scoring.signals.spin import _is_content

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {
    "reference": ROOT / "models" / "en" / "reference.txt",
    "training": ROOT / ".cache" / "corpus" / "train.txt",
}
CHUNK_LINES = 500


def chunks(path: Path):
    lines: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.strip():
                lines.append(line)
                if len(lines) >= CHUNK_LINES:
                    yield "".join(lines)
                    lines = []
    if lines:
        yield "".join(lines)


def count(path: Path, by_first) -> tuple[Counter, int]:
    hits: Counter = Counter()
    words = 0
    for text in chunks(path):
        doc = segment(blocks_from_text(text))
        words += sum(1 for s in doc.sentences for i, t in enumerate(s.tokens) if _is_content(doc, s, i, t))
        hits.update(h.cue.text for h in rewrites.find_rewrites(doc, by_first))
    return hits, words


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help=f"write {rewrites.RATES_PATH.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    cues = rewrites.load_cues()
    by_first = rewrites.index(cues)
    total: Counter = Counter()
    words = 0
    sources = {}
    for name, path in SOURCES.items():
        if not path.is_file():
            raise SystemExit(f"{path} is missing: build the default model first (`make model`)")
        hits, n = count(path, by_first)
        total.update(hits)
        words += n
        sources[name] = {"path": str(path.relative_to(ROOT)), "content_words": n, "hits": sum(hits.values()),
                         "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        print(f"{name}: {n:,} content words, {sum(hits.values()):,} cue hits", file=sys.stderr)
    per_million = {c.text: 1e6 * total[c.text] / words for c in cues}
    for c in sorted(cues, key=lambda c: -total[c.text]):
        print(f"{total[c.text]:7d} {per_million[c.text]:9.2f}/M  {c.text}")
    print(f"{len(cues)} cues, {sum(1 for c in cues if not total[c.text])} never seen in clean text; "
          f"{words:,} content words ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    if args.write:
        out = {
            "about": "hits of each phrase-rewrite cue (scoring/data/phrase_rewrites.tsv) in clean text, and its "
                     "content words; written by `python -m bench.fit_rewrites --write` (bench/fit_rewrites.py)",
            "sources": sources,
            "cues_sha256": hashlib.sha256(rewrites.CUES_PATH.read_bytes()).hexdigest(),
            "content_words": words,
            "counts": {c.text: total[c.text] for c in cues},
        }
        rewrites.RATES_PATH.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {rewrites.RATES_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
