"""Speed, side by side in one run on the same pages, one stage per fresh subprocess (one core each, run one
after the other) so that each stage's peak memory is its own:

- ours:          `Scorer(QualityConfig()).score_html(html, url)`, the full pipeline per page;
- extract:       `scoring.extract.extract(html)` alone (our HTML-to-blocks step);
- trafilatura:   `trafilatura.extract(html)` with its defaults (what a user would add instead);
- kenlm_score:   raw `kenlm.Model.score(sentence)` over the same tokens our scorer sees (the LM floor);
- kenlm_full:    raw `kenlm.Model.full_scores(sentence)` consumed per token (what per-token signals need);
- datatrove:     GopherQuality + GopherRepetition + C4Quality + FineWebQuality at their defaults, on
                 trafilatura's text of the page (their pipeline's input), plus each filter alone.

Each stage warms up on a few pages, then times the whole page list `repeat` times and one pass page by
page (p50/p95 latency); stages run in two interleaved rounds and the fastest pass counts. Peak RSS is the subprocess's high-water mark (VmHWM: interpreter,
imports, the page list and the model included; "after setup" is the same before the timed passes);
"per-page heap" is tracemalloc's peak over single pages in a separate short pass.

Per stage, on the real pages (`stage_breakdown`, its own subprocess too): the 181 pages of bench/realpages
(both halves: timing is not tuning), as str (what the middleware scores: `response.text`) and, in two
more rows, as the HTML bytes. Each pass takes every page in turn (the order rotated from pass to pass)
through `trafilatura.extract`, our full `Scorer.score_html`, both again on the bytes, trafilatura once more and
our call again with a clock around each stage (each of our calls follows one of trafilatura's, and the other
way round, as in a crawl where other work runs between two pages) the scorer runs: the functions `scoring.scorer` calls (extract, segment,
detect_language, score_sentences, run_signals, each signal's `score`) are wrapped in place, so the breakdown
follows the scorer's own code, whatever it becomes; the LM's shared pass is score_sentences plus run_signals
minus the signals, and
"report building and the rest" is the call's total minus every timed stage. Each page keeps its fastest
time per column over the passes (noise only adds time; the stages from the instrumented call's fastest
pass). The instrumented reports must equal the plain ones (checked per page). Two crawl-side costs outside
score_html are timed too: the audit log record (`crawler.audit.page_record` + JSON) and, in worker modes,
the report's pickle round trip.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

STAGES = ("ours", "extract", "trafilatura", "kenlm_score", "kenlm_full", "datatrove")


def peak_rss_kb() -> int:
    """This process's peak RSS in KB. VmHWM, not ru_maxrss: Linux carries a parent's ru_maxrss across
    fork+exec, so a fresh subprocess of a big parent would report the parent's peak."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# -- inside a stage subprocess --------------------------------------------------------------------------------
def _stage_fn(stage: str, pages: list[dict]):
    """(setup-free per-page callable, per-item inputs)."""
    if stage == "ours":
        from scoring.config import QualityConfig
        from scoring.scorer import Scorer

        scorer = Scorer(QualityConfig())
        return lambda p: scorer.score_html(p["html"], p["url"]), pages
    if stage == "extract":
        from scoring.extract import extract

        return lambda p: extract(p["html"], p["url"]), pages
    if stage == "trafilatura":
        import trafilatura

        return lambda p: trafilatura.extract(p["html"]), pages
    if stage in ("kenlm_score", "kenlm_full"):
        import kenlm

        from scoring.lm import DEFAULT_MODEL

        config = kenlm.Config()
        config.show_progress = False
        model = kenlm.Model(str(DEFAULT_MODEL), config)
        if stage == "kenlm_score":
            def run(p):
                for line in p["lines"]:
                    model.score(line, bos=True, eos=True)
        else:
            def run(p):
                for line in p["lines"]:
                    for _ in model.full_scores(line, bos=True, eos=True):
                        pass
        return run, pages
    if stage.startswith("datatrove"):
        from datatrove.data import Document

        from .peers import default_filters

        filters = default_filters()
        only = stage.split(":", 1)[1] if ":" in stage else None
        chosen = [f for n, f in filters.items() if only in (None, n)]

        def run(p):
            for f in chosen:
                f.filter(Document(text=p["traf"], id=p["url"]))
        return run, pages
    raise ValueError(f"unknown stage {stage!r}")


def run_stage(stage: str, input_path: Path, repeat: int, heap: bool = True) -> dict:
    pages = json.loads(Path(input_path).read_text(encoding="utf-8"))
    rss_start = peak_rss_kb()
    t0 = time.perf_counter()
    fn, items = _stage_fn(stage, pages)
    setup = time.perf_counter() - t0
    for p in items[:10]:  # warm-up (caches, lazy imports, spaCy's pipeline)
        fn(p)
    rss_ready = peak_rss_kb()
    passes = []
    for _ in range(repeat):
        t = time.perf_counter()
        for p in items:
            fn(p)
        passes.append(time.perf_counter() - t)
    per_page = []
    for p in items:
        t = time.perf_counter()
        fn(p)
        per_page.append(time.perf_counter() - t)
    rss_peak = peak_rss_kb()
    heap_peak = float("nan")
    if heap:
        tracemalloc.start()
        heap_peak = 0
        for p in items[:30]:
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            fn(p)
            heap_peak = max(heap_peak, tracemalloc.get_traced_memory()[1] - base)
        tracemalloc.stop()
    per_page.sort()
    return {
        "stage": stage, "pages": len(items), "setup_s": setup, "passes_s": passes,
        "median_pass_s": statistics.median(passes),
        "p50_ms": 1000 * per_page[len(per_page) // 2], "p95_ms": 1000 * per_page[int(0.95 * (len(per_page) - 1))],
        "max_ms": 1000 * per_page[-1],
        "rss_start_mb": rss_start / 1024, "rss_ready_mb": rss_ready / 1024, "rss_peak_mb": rss_peak / 1024,
        "heap_per_page_mb": heap_peak / 2**20,
    }


# -- per-stage breakdown on the real pages (inside a subprocess) ----------------------------------------------
# (name in scoring.scorer, label): the module-level functions the scorer calls, timed where it calls them
TIMED_FUNCTIONS = (("extract", "extraction"), ("segment", "segmentation"), ("detect_language", "language"),
                   ("score_sentences", None), ("run_signals", None))
LM_SHARED = "LM token scores (shared pass)"
REST = "report building and the rest of score_html"
AUDIT = "audit record (page_record + JSON; crawl side)"
PICKLE = "report pickle round trip (worker modes; crawl side)"


class StageClock:
    """Wraps the functions `scoring.scorer` calls (and each signal's `score`) with a clock; `on` switches the
    clocks in and out, so the same Scorer also runs uninstrumented."""

    def __init__(self, scorer):
        import scoring.scorer as module

        self.module, self.scorer = module, scorer
        self.times: dict[str, float] = {}
        self.missing = [name for name, _ in TIMED_FUNCTIONS if not callable(getattr(module, name, None))]
        self._originals = {name: getattr(module, name) for name, _ in TIMED_FUNCTIONS if name not in self.missing}

    def _wrap(self, fn, label: str):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.times[label] = self.times.get(label, 0.0) + time.perf_counter() - t
        return timed

    def on(self) -> None:
        for name, label in TIMED_FUNCTIONS:
            if name in self._originals:
                setattr(self.module, name, self._wrap(self._originals[name], label or name))
        for signal in self.scorer.signals:
            signal.score = self._wrap(type(signal).score.__get__(signal), f"signal: {signal.name}")

    def off(self) -> None:
        for name, fn in self._originals.items():
            setattr(self.module, name, fn)
        for signal in self.scorer.signals:
            signal.__dict__.pop("score", None)

    def split(self, total: float) -> dict[str, float]:
        """The last call's seconds per stage (exclusive), given its total; resets the clocks."""
        times, self.times = self.times, {}
        lm_pass = times.pop("score_sentences", None)  # the scorer's call, before the unknown-word guard
        signals = times.pop("run_signals", None)
        signal_time = sum(v for k, v in times.items() if k.startswith("signal: "))
        if lm_pass is not None:  # (and run_signals' own work besides the signals: the page context)
            times[LM_SHARED] = lm_pass + max(0.0, (signals or 0.0) - signal_time)
        times[REST] = max(0.0, total - sum(times.values()))
        return times


def _report_key(report) -> tuple:
    return (report.status, report.language, report.words, tuple(report.flags), report.action,
            tuple(sorted((n, round(s.score, 9)) for n, s in report.signals.items())))


def run_breakdown(passes: int = 3, limit: int | None = None) -> dict:
    """Every real page through trafilatura, our scorer and our instrumented scorer, `passes` times."""
    import trafilatura

    from crawler.audit import page_record
    from scoring.config import QualityConfig
    from scoring.scorer import Scorer

    from .realpages import load_pages

    pages = load_pages()[:limit] if limit else load_pages()
    texts = {p.id: p.text for p in pages}  # what the middleware gets: response.text (all 181 pages are UTF-8)
    scorer = Scorer(QualityConfig())
    clock = StageClock(scorer)
    for page in pages[:5]:  # warm-up (lazy imports, caches)
        trafilatura.extract(texts[page.id])
        scorer.score_html(texts[page.id], page.url)
    # columns timed around one call each, page by page; "ours" and "traf" get str, as in a crawl. Each of our calls
    # follows one of trafilatura's on the same page and the other way round: a call right after the same library's
    # call on the same page finds its caches warm (our LM lookups above all) and ran ~15% faster, which a crawl,
    # with Scrapy's own work between two pages, does not see.
    columns = {
        "traf": lambda p: trafilatura.extract(texts[p.id]),
        "ours": lambda p: scorer.score_html(texts[p.id], p.url),
        "traf_bytes": lambda p: trafilatura.extract(p.html),
        "ours_bytes": lambda p: scorer.score_html(p.html, p.url),
    }
    best: dict[str, dict] = {p.id: {**dict.fromkeys(columns, float("inf")), "instrumented": float("inf"),
                                    "audit": float("inf"), "pickle": float("inf"), "stages": {}} for p in pages}
    mismatched: set[str] = set()
    statuses: dict[str, str] = {}
    for n in range(passes):
        shift = (n * len(pages)) // max(passes, 1)
        for page in pages[shift:] + pages[:shift]:
            row = best[page.id]
            out = {}
            for key, call in columns.items():
                t = time.perf_counter()
                out[key] = call(page)
                row[key] = min(row[key], time.perf_counter() - t)
            plain = out["ours"]
            t = time.perf_counter()  # (so that the instrumented call is not warm either; a sample of "traf" too)
            trafilatura.extract(texts[page.id])
            row["traf"] = min(row["traf"], time.perf_counter() - t)
            clock.on()
            try:
                t = time.perf_counter()
                report = scorer.score_html(texts[page.id], page.url)
                total = time.perf_counter() - t
            finally:
                clock.off()
            stages = clock.split(total)
            if total < row["instrumented"]:
                row["instrumented"], row["stages"] = total, stages
            if _report_key(report) != _report_key(plain):
                mismatched.add(page.id)
            statuses[page.id] = plain.status
            t = time.perf_counter()
            json.dumps(page_record(plain, url=page.url, stage=None, http_status=200), ensure_ascii=False, default=str)
            row["audit"] = min(row["audit"], time.perf_counter() - t)
            t = time.perf_counter()
            pickle.loads(pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL))
            row["pickle"] = min(row["pickle"], time.perf_counter() - t)
    from importlib.metadata import version

    return {"pages": len(pages), "passes": passes, "rows": best, "mismatched": sorted(mismatched),
            "statuses": statuses, "missing": clock.missing, "trafilatura": version("trafilatura"),
            "bytes_median": statistics.median(len(p.html) for p in pages),
            "signals": [s.name for s in scorer.signals]}


def breakdown_table(result: dict) -> tuple[str, dict]:
    """The Markdown of a run_breakdown result and its summary figures."""
    rows = list(result["rows"].values())
    n = len(rows)
    ours = [r["ours"] for r in rows]
    traf = [r["traf"] for r in rows]
    instrumented = sum(r["instrumented"] for r in rows)
    labels = ["extraction", "segmentation", "language", LM_SHARED] + \
        [f"signal: {s}" for s in result["signals"]] + [REST]
    labels += sorted({k for r in rows for k in r["stages"]} - set(labels))
    body = []
    for label in labels:
        values = [r["stages"][label] for r in rows if label in r["stages"]]
        if not values:
            body.append(f"| {label} | 0 of {n} | - | - | - |")
            continue
        body.append(f"| {label} | {len(values)} of {n} | {1000 * sum(values) / n:.2f} | "
                    f"{1000 * statistics.median(values):.2f} | {100 * sum(values) / instrumented:.1f}% |")
    body.append(f"| **full score_html, instrumented** | {n} of {n} | {1000 * instrumented / n:.2f} | "
                f"{1000 * statistics.median(r['instrumented'] for r in rows):.2f} | 100% |")
    body.append(f"| full score_html, plain | {n} of {n} | {1000 * sum(ours) / n:.2f} | "
                f"{1000 * statistics.median(ours):.2f} | |")
    body.append(f"| `trafilatura.extract` ({result['trafilatura']}, defaults) | {n} of {n} | "
                f"{1000 * sum(traf) / n:.2f} | {1000 * statistics.median(traf):.2f} | |")
    for key, label in (("ours_bytes", "full score_html, plain, on the HTML bytes"),
                       ("traf_bytes", "`trafilatura.extract` on the HTML bytes")):
        values = [r[key] for r in rows]
        body.append(f"| {label} | {n} of {n} | {1000 * sum(values) / n:.2f} | "
                    f"{1000 * statistics.median(values):.2f} | |")
    for key, label in (("audit", AUDIT), ("pickle", PICKLE)):
        values = [r[key] for r in rows]
        body.append(f"| {label} | {n} of {n} | {1000 * sum(values) / n:.2f} | "
                    f"{1000 * statistics.median(values):.2f} | |")
    per_page = sorted(r["ours"] / r["traf"] for r in rows if r["traf"] > 0)
    summary = {
        "pages": n, "ours_median_ms": 1000 * statistics.median(ours), "traf_median_ms": 1000 * statistics.median(traf),
        "ours_mean_ms": 1000 * sum(ours) / n, "traf_mean_ms": 1000 * sum(traf) / n,
        "ratio_of_medians": statistics.median(ours) / statistics.median(traf),
        "median_ratio": statistics.median(per_page), "mismatched": len(result["mismatched"]),
        "ratio_of_medians_bytes": statistics.median(r["ours_bytes"] for r in rows) /
        statistics.median(r["traf_bytes"] for r in rows),
        "stages_ms": {label: 1000 * sum(r["stages"].get(label, 0.0) for r in rows) / n for label in labels},
    }
    counts: dict[str, int] = {}
    for status in result["statuses"].values():
        counts[status] = counts.get(status, 0) + 1
    table = ("| stage | pages that ran it | mean ms/page (over all pages) | median ms (pages that ran it) | "
             "share of scoring time |\n|---|---|---|---|---|\n" + "\n".join(body))
    notes = [f"{n} real pages (bench/realpages, both halves; median {result['bytes_median'] / 1024:.0f} KB of "
             f"HTML; statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) +
             f"), {result['passes']} passes in one process, each page's fastest time per column. Both get the "
             "page as a str (the middleware scores `response.text`) unless the row says bytes; each of our calls "
             "follows one of trafilatura's on the same page and the other way round. "
             f"Full scoring: median {summary['ours_median_ms']:.1f} ms/page, `trafilatura.extract` "
             f"{summary['traf_median_ms']:.1f} ms: **{summary['ratio_of_medians']:.2f}x** its time (ratio of the "
             f"medians; median of the per-page ratios {summary['median_ratio']:.2f}x; means "
             f"{summary['ours_mean_ms']:.1f} / {summary['traf_mean_ms']:.1f} ms; on the bytes, "
             f"{summary['ratio_of_medians_bytes']:.2f}x). Load average {os.getloadavg()[0]:.1f} after the run."]
    if result["mismatched"]:
        notes.append(f"Instrumented and plain reports differ on {len(result['mismatched'])} pages "
                     f"({', '.join(result['mismatched'][:5])}): the breakdown is suspect.")
    else:
        notes.append("Instrumented and plain reports are identical on every page.")
    if result["missing"]:
        notes.append("Not found in scoring.scorer (their time is in the last stage): "
                     + ", ".join(result["missing"]) + ".")
    return table + "\n\n" + " ".join(notes) + "\n", summary


def stage_breakdown(passes: int = 3, limit: int | None = None) -> dict:
    """run_breakdown in a fresh subprocess (one thread per BLAS/OMP pool)."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "breakdown.json"
        proc = subprocess.run([sys.executable, "-m", "bench.speed", "--breakdown", "--passes", str(passes),
                               "--output", str(out)] + (["--pages", str(limit)] if limit else []),
                              capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parent.parent)
        if proc.returncode != 0 or not out.is_file():
            tail = proc.stderr.strip().splitlines()
            return {"error": tail[-1] if tail else f"exit {proc.returncode}"}
        return json.loads(out.read_text(encoding="utf-8"))


# -- the section (in the bench process) -----------------------------------------------------------------------
def speed_pages(articles, headlines, n: int) -> list[dict]:
    """n pages: clean and middle-strength corrupted versions of articles in a fixed hash order."""
    from scoring.extract import extract
    from scoring.normalize import lm_line
    from scoring.segment import segment

    from datatrove.pipeline.extractors import Trafilatura

    from .corrupt import KINDS, clean, corrupt
    from .pages import render_html

    import hashlib

    traf = Trafilatura(deduplicate=False)
    out = []
    for a in sorted(articles, key=lambda a: hashlib.sha1(a.id.encode()).digest()):  # a fixed mix of sources
        for page in [clean(a)] + [corrupt(a, k, 1, headlines) for k in KINDS]:
            html = render_html(page)
            doc = segment(extract(html))
            lines = [lm_line(s.text) for s in doc.sentences]
            out.append({"url": f"bench/{page.id}.html", "html": html, "lines": [l for l in lines if l],
                        "traf": traf.extract(html) or "", "words": doc.words, "bytes": len(html.encode())})
            if len(out) >= n:
                return out
    return out


def _spawn(stage: str, path: Path, repeat: int, heap: bool) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-m", "bench.speed", "--stage", stage, "--input", str(path),
                           "--repeat", str(repeat)] + ([] if heap else ["--no-heap"]), capture_output=True, text=True, env=env,
                          cwd=Path(__file__).resolve().parent.parent)
    if proc.returncode != 0:
        return {"stage": stage, "error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _best(runs: list[dict]) -> dict:
    """The run with the fastest pass (timing noise only ever adds time), with every run's memory figures."""
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return runs[0]
    best = dict(min(ok, key=lambda r: min(r["passes_s"])))
    best["best_pass_s"] = min(min(r["passes_s"]) for r in ok)
    best["rss_ready_mb"] = max(r["rss_ready_mb"] for r in ok)
    best["rss_peak_mb"] = max(r["rss_peak_mb"] for r in ok)
    best["heap_per_page_mb"] = max((r["heap_per_page_mb"] for r in ok if r["heap_per_page_mb"] == r["heap_per_page_mb"]),
                                   default=float("nan"))
    return best


def speed_section(articles, headlines, opts, state: dict | None = None) -> str:
    import numpy as np

    pages = speed_pages(articles, headlines, opts.speed_pages)
    repeat, rounds = 2, 2
    stages = list(STAGES) + [f"datatrove:{n}" for n in ("gopher_quality", "gopher_repetition", "c4_quality",
                                                        "fineweb_quality")]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pages.json"
        path.write_text(json.dumps(pages), encoding="utf-8")
        runs: dict[str, list[dict]] = {stage: [] for stage in stages}
        for round_ in range(rounds):  # interleaved rounds: a burst of load elsewhere hits every stage alike
            for stage in stages:
                print(f"  speed: {stage} (round {round_ + 1}/{rounds})", flush=True)
                runs[stage].append(_spawn(stage, path, repeat, heap=round_ == 0))
    results = {stage: _best(rs) for stage, rs in runs.items()}
    if state is not None:
        state["speed"] = results
    n = len(pages)
    words = int(np.median([p["words"] for p in pages]))
    kb = np.median([p["bytes"] for p in pages]) / 1024
    base = results.get("trafilatura", {}).get("best_pass_s")
    ours = results.get("ours", {}).get("best_pass_s")
    rows = []
    for stage in stages:
        r = results[stage]
        if "error" in r:
            rows.append(f"| {stage} | failed: {r['error']} | | | | | | |")
            continue
        t = r["best_pass_s"]
        rows.append(f"| {stage} | {n / t:.0f} | {1000 * t / n:.2f} | {r['p50_ms']:.2f} / {r['p95_ms']:.2f} | "
                    f"{(t / base) if base else float('nan'):.2f} | {(ours / t) if ours else float('nan'):.2f} | "
                    f"{r['rss_ready_mb']:.0f} / {r['rss_peak_mb']:.0f} | {r['heap_per_page_mb']:.2f} |")
    table = ("| stage | pages/s (1 core) | ms/page (mean) | p50 / p95 ms | time vs trafilatura | our time / this time |"
             " peak RSS MB after setup / at end | per-page heap MB |\n|---|---|---|---|---|---|---|---|\n" + "\n".join(rows))
    notes = [f"{n} pages (clean + middle-strength corrupted versions of test articles; median "
             f"{words} words, {kb:.1f} KB of HTML), each stage in its own subprocess on one core, in "
             f"{rounds} interleaved rounds of {repeat} timed passes after a warm-up; the fastest pass is shown "
             f"(p50/p95 from its round). Load average of the machine: {load_before:.1f} before, "
             f"{os.getloadavg()[0]:.1f} after (2 cores; other work on the machine slows every stage)."]
    if ours and base:
        verdict = "meets" if ours <= base else "misses"
        notes.append(f"Full scoring takes {ours / base:.2f}x the time of `trafilatura.extract` on the same pages "
                     f"({verdict} the target of <= 1x); {n / ours:.0f} pages/s on one core (target >= 300).")
    floor = results.get("kenlm_full", {}).get("best_pass_s")
    if ours and floor:
        notes.append(f"The raw KenLM per-token floor (`full_scores`) is {100 * floor / ours:.1f}% of our time; "
                     f"the rest is extraction, segmentation, language detection and the signals.")
    print("  speed: per-stage breakdown on the real pages", flush=True)
    breakdown = stage_breakdown(passes=1 if getattr(opts, "small", False) else 3)
    if "error" in breakdown:
        real = f"The per-stage breakdown failed: {breakdown['error']}\n"
    else:
        real, summary = breakdown_table(breakdown)
        if state is not None:
            state["speed_real"] = summary
    return (table + "\n\n" + " ".join(notes) + "\n\n### Per stage, on the real pages (bench/realpages), side by side "
            "with trafilatura\n\n" + real)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m bench.speed",
                                description="one stage of the speed section (--stage), or the per-stage breakdown "
                                            "on the real pages (--breakdown: prints its Markdown table)")
    p.add_argument("--stage")
    p.add_argument("--input", type=Path)
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--no-heap", action="store_true")
    p.add_argument("--breakdown", action="store_true")
    p.add_argument("--passes", type=int, default=3, help="--breakdown: passes over the pages (default 3)")
    p.add_argument("--pages", type=int, default=None, help="--breakdown: only the first N real pages")
    p.add_argument("--output", type=Path, default=None, help="--breakdown: write the raw result here as JSON")
    args = p.parse_args(argv)
    if args.breakdown:
        result = run_breakdown(args.passes, args.pages)
        if args.output:
            args.output.write_text(json.dumps(result), encoding="utf-8")
        else:
            print(breakdown_table(result)[0])
        return 0
    if not args.stage or not args.input:
        p.error("--stage and --input are required (or --breakdown)")
    print(json.dumps(run_stage(args.stage, args.input, args.repeat, heap=not args.no_heap)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
