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
"""
from __future__ import annotations

import argparse
import json
import os
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
    return table + "\n\n" + " ".join(notes) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m bench.speed")
    p.add_argument("--stage", required=True)
    p.add_argument("--input", required=True, type=Path)
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--no-heap", action="store_true")
    args = p.parse_args(argv)
    print(json.dumps(run_stage(args.stage, args.input, args.repeat, heap=not args.no_heap)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
