"""Where the in-process plugin's CPU goes in a crawl (issue 13): the crawl of bench/crawl.py, measured from inside.

bench/crawl.py's CPU ms/page counts the whole crawl process. This script runs the same loopback crawl (the same
generated pages, served by Twisted's static web server, `scrapy crawl demo`, the same settings) with the plugin off
and scoring in the crawl process, the modes interleaved over `--rounds`, and times inside the crawl process (CPU
time, `time.process_time`):

- scoring: every `Scorer.score_html` / `score_text` call the middleware makes (crawler.pool.score_with), GC pauses
  that fall inside them included;
- GC: every garbage collection (gc.callbacks), by generation, wherever it falls;
- audit: the middlewares' audit records (AuditTrail.page / item: the record, its JSON and the flushed write);
- HTML report: the report written at spider close (it reads the audit log back);
- start-up: from the launcher's first line to the engine's start (imports, settings, the model's loading).

The same pages are then scored in one standalone process (`Scorer.score_html` on the page files, one after the
other), so the crawl's scoring time can be compared with the scorer's own. The instruments only wrap functions in
place; the crawl is the real one.

    python -m bench.crawl_cost --pages 2000 --rounds 2
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .crawl import COMMON, crawl_pages, write_site
from .data import ROOT

MODES = {"off": {"QUALITY_ENABLED": "False"}, "in-process": {"QUALITY_ENABLED": "True", "QUALITY_WORKERS": "0"},
         "2 workers": {"QUALITY_ENABLED": "True", "QUALITY_WORKERS": "2"}}
_MARK = "CRAWL_COST="

# Runs in the crawl process: wraps the functions to time, then runs Scrapy's command line.
_LAUNCH = r'''
import atexit, gc, json, sys, time
started = time.process_time()
clock = {"scoring": 0.0, "audit": 0.0, "html_report": 0.0, "gc0": 0.0, "gc1": 0.0, "gc2": 0.0,
         "gc_in_scoring": 0.0}
counts = {"scored": 0, "full_collections": 0}
inside = []  # the timed call under way, if any: GC pauses inside scoring calls are also counted apart
def timed(key, fn):
    def wrapper(*args, **kwargs):
        t = time.process_time()
        inside.append(key)
        try:
            return fn(*args, **kwargs)
        finally:
            inside.pop()
            clock[key] += time.process_time() - t
    return wrapper
import crawler.pool, crawler.audit_trail
crawler.pool.score_with = timed("scoring", crawler.pool.score_with)
trail = crawler.audit_trail.AuditTrail
trail.page = timed("audit", trail.page)
trail.item = timed("audit", trail.item)
trail.write_html_report = timed("html_report", trail.write_html_report)
import scrapy.core.engine
engine = scrapy.core.engine.ExecutionEngine
start_async = engine.start_async
def started_crawl(self, *args, **kwargs):
    clock.setdefault("startup", time.process_time() - started)
    return start_async(self, *args, **kwargs)
engine.start_async = started_crawl
def on_gc(phase, info):
    if phase == "start":
        on_gc.t = time.process_time()
    else:
        pause = time.process_time() - on_gc.t
        clock[f"gc{info['generation']}"] += pause
        if inside[-1:] == ["scoring"]:
            clock["gc_in_scoring"] += pause
        counts["full_collections"] += info["generation"] == 2
gc.callbacks.append(on_gc)
score_with = crawler.pool.score_with
def counted(*args):
    counts["scored"] += 1
    return score_with(*args)
crawler.pool.score_with = counted
import os
atexit.register(lambda: print("''' + _MARK + r'''" + json.dumps(
    {**clock, **counts, "total": time.process_time() - started, "workers": sum(os.times()[2:4])}), file=sys.stderr))
from scrapy.cmdline import execute
execute(["scrapy"] + sys.argv[1:])
'''

_STANDALONE = r'''
import gc, json, sys, time
gc_time = [0.0]
def on_gc(phase, info):
    if phase == "start":
        on_gc.t = time.process_time()
    else:
        gc_time[0] += time.process_time() - on_gc.t
from pathlib import Path
from scoring.config import QualityConfig
from scoring.scorer import Scorer
t = time.process_time()
scorer = Scorer(QualityConfig())
load = time.process_time() - t
times = []
gc.callbacks.append(on_gc)
for path in sorted(Path(sys.argv[1]).glob("*.html")):
    html = path.read_text(encoding="utf-8")
    t = time.process_time()
    scorer.score_html(html, url=path.name)
    times.append(time.process_time() - t)
print(json.dumps({"load": load, "times": times, "gc": gc_time[0]}))
'''


def run_crawl(base: str, settings: dict[str, str], workdir: Path) -> dict:
    args = ["crawl", "demo", "-a", f"start_url={base}/index.html", "-o", str(workdir / "items.jsonl")]
    for key, value in {**COMMON, **settings, "QUALITY_REPORT_DIR": str(workdir / "reports")}.items():
        args += ["-s", f"{key}={value}"]
    proc = subprocess.run([sys.executable, "-c", _LAUNCH, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, env={**os.environ, "PYTHONPATH": str(ROOT)})
    line = next((x for x in proc.stderr.splitlines() if x.startswith(_MARK)), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"crawl failed ({proc.returncode}): {proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(line[len(_MARK):])


def standalone(articles: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", _STANDALONE, str(articles)], cwd=ROOT, capture_output=True,
                          text=True, timeout=900, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    return json.loads(proc.stdout)


def table(runs: dict[str, list[dict]], alone: list[dict], pages: int) -> str:
    """Per mode the round with the least total CPU (noise only adds time); ms per page, and the difference with
    the plugin off."""
    best = {mode: min(done, key=lambda r: r["total"] + r["workers"]) for mode, done in runs.items()}
    on = best["in-process"]
    rows = {
        "crawl process, total": lambda r: r["total"],
        "worker processes (scoring and their start-up)": lambda r: r["workers"],
        "start-up (to the engine start)": lambda r: r.get("startup", 0.0),
        "scoring calls in the crawl process (GC inside them included)": lambda r: r["scoring"],
        "GC, all generations": lambda r: r["gc0"] + r["gc1"] + r["gc2"],
        "GC inside scoring calls": lambda r: r["gc_in_scoring"],
        "GC, full collections": lambda r: r["gc2"],
        "audit records": lambda r: r["audit"],
        "HTML report at close": lambda r: r["html_report"],
    }
    per = 1000 / pages
    out = ["| CPU, ms per page | " + " | ".join(best) + " |", "|---|" + "---|" * len(best)]
    for name, value in rows.items():
        base = value(best["off"])
        cells = [f"{value(r) * per:.2f}" + (f" ({(value(r) - base) * per:+.2f})" if mode != "off" else "")
                 for mode, r in best.items()]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out.append("| full collections (count) | " + " | ".join(str(r["full_collections"]) for r in best.values()) + " |")
    quickest = min(alone, key=lambda a: sum(a["times"]))  # the standalone run with the least total CPU
    times = quickest["times"]
    out.append(f"\nStandalone `Scorer.score_html` on the same {len(times)} page files, one pass in a fresh process "
               f"(the quickest of {len(alone)}): mean {1000 * statistics.mean(times):.2f} ms, median "
               f"{1000 * statistics.median(times):.2f} ms, GC {1000 * quickest['gc'] / len(times):.2f} ms per page; "
               f"model load {1000 * quickest['load']:.0f} ms. In the crawl: "
               f"{1000 * on['scoring'] / max(on['scored'], 1):.2f} ms per scoring call ({on['scored']} calls).")
    return "\n".join(out) + "\n"


def measure(n_pages: int, rounds: int) -> tuple[dict[str, list[dict]], list[dict]]:
    """Every mode's crawl `rounds` times, interleaved, and after each round the standalone scoring."""
    from crawler.demo import serve_site_in_process

    runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
    alone = []
    with tempfile.TemporaryDirectory(prefix="bench-crawl-cost-") as tmp:
        site = Path(tmp) / "site"
        write_site(crawl_pages(n_pages), site)
        with serve_site_in_process(site) as base:
            for round_ in range(rounds):
                for mode, settings in MODES.items():
                    print(f"  round {round_ + 1}/{rounds}: {mode}", file=sys.stderr, flush=True)
                    runs[mode].append(run_crawl(base, settings, Path(tmp) / f"{mode}-{round_}"))
                alone.append(standalone(site / "articles"))
    return runs, alone


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.crawl_cost", description=__doc__.split("\n")[0])
    p.add_argument("--pages", type=int, default=2000)
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args(argv)
    runs, alone = measure(args.pages, args.rounds)
    print(table(runs, alone, len(alone[0]["times"]) + 1))
    print(f"{len(alone[0]['times'])} pages (+ the index), {args.rounds} rounds; load average "
          f"{os.getloadavg()[0]:.1f} at the end.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
