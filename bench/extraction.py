"""Main-content extraction on real pages: quality against the hand-checked article text, and speed.

The 181 pages of bench/realpages (the Article Extraction Benchmark: real news/blog/magazine pages with their
site chrome, and the article text of each), through six extractors, bytes in -> text out:

- ours: `scoring.extract.extract(html).text` (main content: what the scorer scores);
- ours, article body: the same without its title block (`articleBody` leaves the headline out, and so does
  trafilatura's text; the scorer scores the title, so the first row is what is scored);
- ours, whole page: `extract(html, main_content=False).text` (every block of the page: the old behaviour);
- trafilatura: `trafilatura.extract(html)` (its defaults) and `trafilatura.extract(html, fast=True)`;
- resiliparse: `extract_plain_text(HTMLTree.parse_from_bytes(html), main_content=True)`.

Quality: token precision / recall / F1 (`bench.realpages.token_f1`: lowercase `\\w+` tokens as multisets, the
benchmark's own method) of each page's output against its `articleBody`, averaged over pages; an extractor
that returns nothing for a page scores 0 there. Columns: the dev half, the test half and all 181 pages.

Speed: one process, one core (OMP/BLAS pools capped at 1), `time.perf_counter()` around the call. All
extractors run interleaved page by page in the same pass (the order rotated from page to page), so a burst of
load elsewhere on the machine hits all of them alike; the whole pass is repeated (3 times by default) and each
page's fastest time is kept (noise only adds time). Mean and median ms per page over the pages, and each
extractor's mean time as a multiple of ours.

    python -m bench.extraction              # prints the Markdown table
    python -m bench.extraction --passes 1 --pages 20   # quick look
"""
from __future__ import annotations

import argparse
import gc
import importlib.metadata
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from .realpages import SPLITS, RealPage, load_pages, token_f1  # noqa: E402

OURS = "ours (main content)"
OURS_BODY = "ours, article body (title block left out)"
PASSES = 3


@dataclass
class Extractor:
    name: str
    call: Callable[[bytes], str]
    package: str                     # distribution whose version is printed


def extractors() -> list[Extractor]:
    """The extractors, each a function bytes -> text ("" when it returns nothing)."""
    import trafilatura
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    from scoring.extract import extract

    return [
        Extractor(OURS, lambda b: extract(b).text, "selectolax"),
        Extractor(OURS_BODY, lambda b: body_text(extract(b)), "selectolax"),
        Extractor("ours, whole page (main_content=False)", lambda b: extract(b, main_content=False).text, "selectolax"),
        Extractor("trafilatura.extract (defaults)", lambda b: trafilatura.extract(b) or "", "trafilatura"),
        Extractor("trafilatura.extract(fast=True)", lambda b: trafilatura.extract(b, fast=True) or "", "trafilatura"),
        Extractor("resiliparse extract_plain_text(main_content=True)",
                  lambda b: extract_plain_text(HTMLTree.parse_from_bytes(b), main_content=True) or "", "resiliparse"),
    ]


def body_text(doc) -> str:
    """The document's text without its title block (what `articleBody` holds)."""
    return "\n".join(b.text for b in doc.blocks if b.kind != "title")


@dataclass
class Result:
    name: str
    package: str
    scores: dict[str, tuple[float, float, float]] = field(default_factory=dict)   # page id -> (P, R, F1)
    seconds: dict[str, float] = field(default_factory=dict)                      # page id -> fastest time
    empty: int = 0                                                               # pages with no output
    errors: dict[str, str] = field(default_factory=dict)


def run(pages: list[RealPage] | None = None, passes: int = PASSES, progress=None) -> dict:
    """Score and time every extractor on every page. Returns {"results": [Result], "pages": [...], ...}."""
    pages = load_pages() if pages is None else pages
    exs = extractors()
    results = [Result(e.name, e.package) for e in exs]
    texts: dict[tuple[int, str], str] = {}
    # warm-up: first calls pay for lazy imports and caches (trafilatura's settings, lxml's parser)
    for e in exs:
        try:
            e.call(pages[0].html)
        except Exception:
            pass
    started = time.perf_counter()
    for n in range(passes):
        for i, page in enumerate(pages):
            data = page.html
            order = list(range(len(exs)))
            order = order[i % len(exs):] + order[: i % len(exs)]  # rotate: nobody always runs first
            for k in order:
                res = results[k]
                t0 = time.perf_counter()
                try:
                    out = exs[k].call(data)
                except Exception as exc:   # counted and shown, never hidden
                    out = ""
                    res.errors.setdefault(page.id, f"{type(exc).__name__}: {exc}")
                dt = time.perf_counter() - t0
                res.seconds[page.id] = min(dt, res.seconds.get(page.id, float("inf")))
                if n == 0:
                    texts[(k, page.id)] = out
            gc.collect()   # each page starts with no garbage left over from the previous one
        if progress:
            progress(f"  extraction pass {n + 1}/{passes}: {len(pages)} pages x {len(exs)} extractors "
                     f"({time.perf_counter() - started:.0f} s)")
    for k, res in enumerate(results):
        for page in pages:
            out = texts[(k, page.id)]
            res.empty += not out.strip()
            res.scores[page.id] = token_f1(out, page.article)
    versions = {}
    for pkg in ("selectolax", "trafilatura", "lxml", "resiliparse"):
        try:
            versions[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            versions[pkg] = "not installed"
    return {"results": results, "pages": [(p.id, p.split) for p in pages], "passes": passes,
            "versions": versions, "elapsed": time.perf_counter() - started, "load": os.getloadavg()}


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else float("nan")


def summary(data: dict) -> dict:
    """Per extractor: mean P/R/F1 per split and overall, mean/median ms, ratio to ours (for `targets`)."""
    out = {}
    splits = {s: [i for i, sp in data["pages"] if sp == s] for s in SPLITS}
    splits["all"] = [i for i, _ in data["pages"]]
    ours_mean = None
    for res in data["results"]:
        row = {"package": res.package, "empty": res.empty, "errors": len(res.errors)}
        for s, ids in splits.items():
            row[s] = tuple(_mean(res.scores[i][j] for i in ids) for j in range(3)) if ids else (float("nan"),) * 3
            row[f"n_{s}"] = len(ids)
        ms = [1000 * res.seconds[i] for i in splits["all"]]
        row["ms_mean"], row["ms_median"] = _mean(ms), statistics.median(ms)
        row["ms_mean_by_split"] = {s: _mean(1000 * res.seconds[i] for i in ids) for s, ids in splits.items() if ids}
        if res.name == OURS:
            ours_mean = row["ms_mean"]
        out[res.name] = row
    for row in out.values():
        row["x_ours"] = row["ms_mean"] / ours_mean if ours_mean else float("nan")
    return out


def markdown(data: dict) -> str:
    summ = summary(data)
    n = {s: sum(sp == s for _, sp in data["pages"]) for s in SPLITS}
    head = ["extractor", f"dev ({n['dev']} pages): P / R / F1", f"test ({n['test']}): P / R / F1",
            f"all ({len(data['pages'])}): P / R / F1", "ms/page mean", "ms/page median", "time vs ours",
            "empty output"]
    body = []
    for name, row in summ.items():
        cells = [name]
        for s in ("dev", "test", "all"):
            p, r, f = row[s]
            cells.append("n/a" if p != p else f"{p:.3f} / {r:.3f} / **{f:.3f}**")
        cells += [f"{row['ms_mean']:.2f}", f"{row['ms_median']:.2f}", f"{row['x_ours']:.2f}x",
                  str(row["empty"]) + (f" ({row['errors']} errors)" if row["errors"] else "")]
        body.append(cells)
    table = "\n".join(["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
                      + ["| " + " | ".join(r) + " |" for r in body])
    errors = [f"{res.name}: {pid[:12]} {msg}" for res in data["results"] for pid, msg in list(res.errors.items())[:3]]
    versions = ", ".join(f"{k} {v}" for k, v in data["versions"].items())
    load = data.get("load") or (float("nan"),) * 3
    return (
        f"Real pages of bench/realpages (Article Extraction Benchmark), bytes in -> text out. Quality: token "
        f"precision / recall / F1 against each page's hand-checked article text (`bench.realpages.token_f1`), "
        f"averaged over pages. Speed: one process on one core, the {len(body)} extractors interleaved page by page "
        f"in the same pass, {data['passes']} pass{'es' if data['passes'] != 1 else ''}, each page's fastest time kept; \"time vs ours\" is the mean "
        f"time as a multiple of ours (main content). Python {platform.python_version()}; {versions}; "
        f"load average {load[0]:.1f} after the run ({data['elapsed']:.0f} s).\n\n"
        + table + "\n"
        + ("\nErrors (first per extractor): " + "; ".join(errors) + "\n" if errors else ""))


def section(opts, state: dict) -> str:
    """bench.run's `extraction` section: all 181 pages (with --small: the first `small_pages` of each half,
    one pass)."""
    pages = load_pages()
    passes = opts.extra.get("extraction_passes") or PASSES
    cap = opts.extra.get("extraction_pages")
    if opts.small and cap is None:
        cap, passes = 10, opts.extra.get("extraction_passes") or 1
    if cap:
        pages = [p for s in SPLITS for p in [q for q in pages if q.split == s][:cap]]
    print(f"extraction: {len(pages)} real pages x {len(extractors())} extractors x {passes} pass{'es' if passes != 1 else ''}", flush=True)
    data = run(pages, passes, progress=lambda m: print(m, flush=True))
    state["extraction"] = summary(data)
    return markdown(data)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.extraction", description=__doc__.split("\n")[0])
    p.add_argument("--passes", type=int, default=PASSES, help="timed passes over all pages (fastest kept)")
    p.add_argument("--pages", type=int, default=None, help="only the first N pages of each half (quick look)")
    args = p.parse_args(argv)
    pages = load_pages()
    if args.pages:
        pages = [p for s in SPLITS for p in [q for q in pages if q.split == s][: args.pages]]
    data = run(pages, args.passes, progress=lambda m: print(m, file=sys.stderr, flush=True))
    print(markdown(data))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
