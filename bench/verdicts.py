"""How the default configuration treats a directory of real pages nobody labelled as spam: `python -m bench.verdicts DIR`.

Any set of legitimate pages serves as a check of false alarms beyond the real pages the project is tuned on
(bench/realpages). The set used in session 15 was trafilatura's evaluation pages (adbar/trafilatura,
`tests/eval/*.html` and `tests/cache/*.html`, 990 pages of news, blogs, recipes, docs, forums and wikis in
several languages; not vendored); session 16 added mozilla/readability's test pages (`test/test-pages/*/source.html`
saved as NAME.html, 130 pages, 75 read as English: news, blogs, Wikipedia, docs, and a few synthetic layout
tests); session 20 a third, postlight/parser's test pages (`fixtures/**/*.html`, the path's "/" saved as "__", 170
pages, 127 read as English, news, magazines, blogs, forums and Japanese tech news; MIT/Apache-2.0 repository, not
vendored), first read before any change was made for it; session 21 a fourth, goose3's content test pages
(goose3/goose3, `tests/data/content/*.html`, 51 pages, 40 read as English, mostly news of 2008-2013; Apache-2.0,
not vendored), also read first, and newspaper4k's (AndyTheFactory/newspaper4k, `tests/data/html/*.html`, 30 pages,
16 read as English; MIT). Session 22 a sixth, tiptopjaw/web-content-extraction-benchmark's `release/html` (1,000
pages of 2026's web, gzipped: gunzip each into the directory; typed by its ground truth as articles, forum
threads, service, product, documentation, collection and listing pages; Apache-2.0, not vendored), also read first. A directory of `.html` files is all this script needs. Pages are split into halves by the first hex digit
of sha1(file name) (0-7: A, else B), so that a cause can be looked up on one half and the other read as a check.

Prints, per half, for the pages read as English: how many the model could not read (not judged), how many were
dropped or tagged (shares of all pages read as English) and by which signal, and the statuses of all pages (`--list` also names the flagged pages with their flags and scores).
"""
from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

from scoring.report import DROP, TAG, UNSUPPORTED


def half(name: str) -> str:
    return "A" if hashlib.sha1(name.encode()).hexdigest()[0] in "01234567" else "B"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.verdicts", description=__doc__.split("\n\n")[0])
    ap.add_argument("directory", type=Path, help="a directory of .html pages")
    ap.add_argument("--list", action="store_true", help="name every dropped or tagged page")
    ap.add_argument("--urls", type=Path, help="a JSON object of file name -> the page's URL, passed to the scorer "
                                              "as a crawl does (default: the file name)")
    args = ap.parse_args(argv)
    from scoring.scorer import Scorer

    files = sorted(args.directory.glob("*.html"))
    if not files:
        ap.error(f"no .html files in {args.directory}")
    scorer = Scorer()
    urls = json.loads(args.urls.read_text(encoding="utf-8")) if args.urls else {}
    reports = {f.name: scorer.score_html(f.read_bytes(), urls.get(f.name, f.name)) for f in files}
    print(f"{len(files)} pages in {args.directory}")
    print("| half | pages | statuses | read as English | of them not judged (words unknown to the model) | dropped "
          "| tagged | flags |")
    print("|---|---|---|---|---|---|---|---|")
    for h in "AB":
        mine = {n: r for n, r in reports.items() if half(n) == h}
        english = [r for r in mine.values() if r.language == "en"]
        actions = Counter(r.action for r in english)
        flags = Counter(f for r in english for f in r.flags)
        statuses = ", ".join(f"{s} {n}" for s, n in Counter(r.status for r in mine.values()).most_common())
        n = max(len(english), 1)
        unread = sum(r.status == UNSUPPORTED for r in english)
        print(f"| {h} | {len(mine)} | {statuses} | {len(english)} | {unread} | {actions[DROP]} ({actions[DROP] / n:.1%}) "
              f"| {actions[TAG]} ({actions[TAG] / n:.1%}) | {', '.join(f'{k} {v}' for k, v in flags.most_common())} |")
    if args.list:
        for name, r in sorted(reports.items()):
            if r.action in (DROP, TAG):
                scores = ", ".join(f"{k} {r.signals[k].score:.6f}" for k in r.flags)
                print(f"{half(name)} {r.action:4} {name}: {scores}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
