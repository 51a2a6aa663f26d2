"""Soak: a long loopback crawl with the plugin on, sampling the crawl's RSS as it goes.

    python3 -m bench.soak                      # 20,000 pages, RSS every 1,000 pages, inline scoring
    python3 -m bench.soak --pages 50000 --workers 2

A twisted.web server in its own process serves generated pages from memory on 127.0.0.1: ordinary
article pages (clean, with promo blocks, broken splits, page chrome) and 10% hostile pages from
bench/hostile.py, each with a unique reference code and class name, so that a cache keyed by words or
hints would grow with the crawl. The crawl runs in a child process (one reactor per process) with the
add-on, the default settings and a spider that requests /p/0 ... /p/N-1 and yields one item per page.
An extension samples, every `--every` responses, the VmRSS (from /proc) and Python's allocated blocks
(after gc) of the crawl process, and the RSS of its scoring workers when QUALITY_WORKERS > 0. The same crawl
runs first with the plugin off, as the baseline. The summary says whether RSS stays flat: RSS after the
warm-up (2,000 pages) against RSS at the end, the growth per 10,000 pages after warm-up, and the plugin's own
live objects and cache entries (`plugin_heap`, `verdict`); Python's allocated blocks are shown too.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = 20_000
DEFAULT_EVERY = 1_000
WARM_UP = 2_000
POOL = 400


# == the pages ==================================================================================================
def page_pool(seed: int = 0) -> list[bytes]:
    """Generated pages: 90% ordinary articles (four variants), 10% small hostile pages."""
    from bench.hostile import FAMILIES, generate

    rng = random.Random(seed)
    hostile = [f for f in FAMILIES if f not in ("control", "huge")]
    pool = []
    for i in range(POOL):
        if i % 10 == 9:
            body = generate(rng.choice(hostile), seed=i).body
        else:
            body = generate("control", seed=i).body
        pool.append(body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass"))
    return pool


def page(pool: list[bytes], n: int) -> bytes:
    """Page n: a pool page plus a paragraph and a class name unique to n."""
    unique = (f'<div class="ref-{n:x} block{n}"><p>Reference code zq{n}x was filed with the archive office on '
              f"day {n % 365} of the year by clerk number {n * 7919 % 100_003}.</p></div>").encode()
    body = pool[n % len(pool)]
    cut = body.rfind(b"</body>")
    return body[:cut] + unique + body[cut:] if cut >= 0 else body + unique


def serve(port: int, seed: int) -> None:
    """Serve /p/<n> from memory with twisted.web on 127.0.0.1:port until killed."""
    from twisted.internet import reactor
    from twisted.web import resource, server

    pool = page_pool(seed)

    class Pages(resource.Resource):
        isLeaf = True

        def render_GET(self, request):
            parts = request.path.decode().strip("/").split("/")
            try:
                n = int(parts[1]) if parts[0] == "p" else -1
            except (IndexError, ValueError):
                n = -1
            if n < 0:
                request.setResponseCode(404)
                return b"not found"
            request.setHeader(b"Content-Type", b"text/html; charset=utf-8")
            return page(pool, n)

    site = server.Site(Pages())
    site.noisy = False
    reactor.listenTCP(port, site, interface="127.0.0.1")
    print("ready", flush=True)
    reactor.run()


# == the crawl (child process) ===================================================================================
def rss_kb(pid: int | str = "self") -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


class RSSSampler:
    """Scrapy extension: every SOAK_EVERY responses, the RSS of this process and of its child processes."""

    def __init__(self, crawler, every: int, out: str):
        from scrapy import signals

        self.crawler, self.every, self.out = crawler, every, out
        self.responses = 0
        self.started = time.perf_counter()
        self.samples: list[dict[str, Any]] = []
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getint("SOAK_EVERY", DEFAULT_EVERY), crawler.settings.get("SOAK_OUT"))

    def sample(self) -> None:
        kids = [c for c in children(os.getpid()) if "spawn_main" in _cmdline(c)]
        gc.collect()
        self.samples.append({"pages": self.responses, "seconds": round(time.perf_counter() - self.started, 2),
                             "rss_kb": rss_kb(), "workers_rss_kb": [rss_kb(c) for c in kids],
                             "py_blocks": sys.getallocatedblocks(), **plugin_heap()})

    def response_received(self, response, request, spider) -> None:
        self.responses += 1
        if self.responses % self.every == 0:
            self.sample()

    def spider_closed(self, spider, reason) -> None:
        from scoring import lm

        if not self.samples or self.samples[-1]["pages"] != self.responses:
            self.sample()
        stats = self.crawler.stats.get_stats()
        result = {
            "samples": self.samples, "finish_reason": reason, "responses": self.responses,
            "items": stats.get("item_scraped_count", 0), "seconds": time.perf_counter() - self.started,
            "quality": {k: v for k, v in stats.items() if k.startswith("quality/")},
            "errors": stats.get("log_count/ERROR", 0),
            "model_loads": lm._cached.cache_info().misses,  # models loaded in this process
        }
        Path(self.out).write_text(json.dumps(result, default=str), encoding="utf-8")


def plugin_heap() -> dict[str, int]:
    """What the plugin holds in this process (nothing while it is off), after a collection: its live objects (the
    gc-tracked instances of classes of the `scoring` and `crawler` packages: reports, documents, blocks, evidence,
    signals) and the entries of its bounded per-word caches (every `scoring.memo.Memo` and the spin signal's
    candidate tables, emptied at their caps or bounded by the model's vocabulary)."""
    if "scoring.memo" not in sys.modules:
        return {"plugin_objects": 0, "cache_entries": 0}
    from scoring.memo import Memo
    from scoring.signals import spin

    objects = entries = 0
    for o in gc.get_objects():
        module = type(o).__module__  # (a descriptor, not a str, for some extension types)
        if isinstance(module, str) and module.startswith(("scoring.", "crawler.")):
            objects += 1
        if isinstance(o, Memo):
            entries += len(o.results)
        elif isinstance(o, spin._Candidates):
            # its private dicts are the caches (its public `synonyms` is the model's table)
            entries += sum(len(d) for name, d in vars(o).items() if name.startswith("_") and isinstance(d, dict))
    return {"plugin_objects": objects, "cache_entries": entries}


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def crawl_child(spec_path: str) -> int:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))

    class SoakSpider(scrapy.Spider):
        name = "soak"

        async def start(self):
            for n in range(spec["pages"]):  # unique URLs: no dupefilter, whose fingerprint set grows per request
                yield scrapy.Request(f"{spec['base']}/p/{n}", callback=self.parse, dont_filter=True)

        def parse(self, response):
            yield {"url": response.url, "bytes": len(response.body)}

    settings = {
        "ADDONS": {"crawler.addon.QualityAddon": 300},
        "EXTENSIONS": {"bench.soak.RSSSampler": 0},
        "SOAK_EVERY": spec["every"], "SOAK_OUT": spec["out"],
        "QUALITY_ENABLED": spec["plugin"],
        "QUALITY_REPORT_DIR": spec["report_dir"], "QUALITY_WORKERS": spec["workers"],
        "QUALITY_HTML_REPORT": spec["html_report"],
        "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "WARNING",
        "CONCURRENT_REQUESTS": 16, "COOKIES_ENABLED": False,
    }
    process = CrawlerProcess(settings)
    process.crawl(SoakSpider)
    process.start()
    return 0


# == the driver ======================================================================================================
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _crawl(base: str, pages: int, every: int, workers: int, plugin: bool, html_report: bool, env: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        spec = {"pages": pages, "every": every, "workers": workers, "base": base, "plugin": plugin,
                "out": str(Path(tmp) / "result.json"), "report_dir": str(Path(tmp) / "reports"),
                "html_report": html_report}
        spec_path = Path(tmp) / "spec.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "bench.soak", "--crawl-child", str(spec_path)], cwd=ROOT,
                              env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
        out = Path(spec["out"])
        if proc.returncode != 0 or not out.is_file():
            raise RuntimeError(f"the soak crawl failed ({proc.returncode}): {proc.stderr[-3000:]}")
        result = json.loads(out.read_text(encoding="utf-8"))
        audit = sorted(Path(spec["report_dir"]).glob("*.audit.jsonl"))
        result["audit_mb"] = round(sum(p.stat().st_size for p in audit) / 1e6, 1)
    result.update(wall_seconds=wall, pages_requested=pages, workers=workers, plugin=plugin,
                  log_tail=proc.stderr[-2000:])
    return summarise(result)


def run(pages: int = DEFAULT_PAGES, *, every: int = DEFAULT_EVERY, workers: int = 0, seed: int = 0,
        baseline: bool = True, html_report: bool = False, progress=print) -> dict[str, Any]:
    """Serve the pages, crawl them with the plugin off (baseline) and on, each in a child process; return
    {"on": summary, "off": summary or None, "extra_growth_mb", "flat"} (see `summarise`)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "bench.soak", "--serve", str(port), "--seed", str(seed)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        if server.stdout.readline().strip() != "ready":
            raise RuntimeError("the soak server did not start")
        off = None
        if baseline:
            if progress:
                progress(f"soak: {pages:,} pages from {base}, plugin off (baseline) ...")
            off = _crawl(base, pages, every, workers, False, False, env)
        if progress:
            progress(f"soak: {pages:,} pages from {base}, plugin on (QUALITY_WORKERS={workers}) ...")
        on = _crawl(base, pages, every, workers, True, html_report, env)
    finally:
        server.terminate()
        server.wait(10)
    return verdict(on, off)


MAX_OBJECT_GROWTH = 2_000  # live plugin objects the crawl may gain after its warm-up (a leak of one a page: 18,000)


def verdict(on: dict[str, Any], off: dict[str, Any] | None) -> dict[str, Any]:
    """Flat: from the warm-up to the end, what the plugin adds to the crawl's RSS growth (plugin on minus the
    plugin-off baseline, which carries Scrapy's own) is under 5% of its RSS (a per-page leak of 1 KB would add
    18 MB over 18,000 pages), and the plugin's own live objects (`plugin_heap`) grow by fewer than
    MAX_OBJECT_GROWTH (one report, document or block kept per page would add thousands).

    Python's allocated blocks are shown, not judged: Scrapy's heap moves them by hundreds of thousands, up and
    down, differently from one run to the next (two 20,000-page baselines: +31,800 and -129,300 per 10k pages),
    so a per-page leak the size of the plugin's bounded caches' fill drowns in them, and a verdict on them flipped
    between runs. Without a baseline the whole RSS growth counts."""
    extra = on["growth_mb"] - (off["growth_mb"] if off else 0.0)
    objects = on["plugin_objects_end"] - on["plugin_objects_warm"]
    flat = extra < 0.05 * on["rss_warm_mb"] and objects < MAX_OBJECT_GROWTH
    return {"on": on, "off": off, "extra_growth_mb": round(extra, 1), "plugin_object_growth": objects,
            "flat": flat,
            "finished": on["finish_reason"] == "finished" and (off is None or off["finish_reason"] == "finished")}


def robust_slope(xs: list[float], ys: list[float]) -> float:
    """Theil-Sen: the median of the slopes between every pair of samples. Scrapy's heap grows and is released in
    steps; one step moves a least-squares slope by as much as a leak would, the median hardly."""
    pairs = [(ys[j] - ys[i]) / (xs[j] - xs[i]) for i in range(len(xs)) for j in range(i + 1, len(xs))
             if xs[j] != xs[i]]
    return float(statistics.median(pairs)) if pairs else 0.0


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """Add the RSS figures to one crawl's result: warm (first sample at or after WARM_UP pages), end, growth,
    growth per 10k pages after warm-up (`robust_slope`), the same for Python's allocated blocks, and the plugin's
    live objects and cache entries at the warm-up and the end."""
    samples = result["samples"]

    def total(s: dict) -> int:
        return s["rss_kb"] + sum(s["workers_rss_kb"])

    after = [s for s in samples if s["pages"] >= WARM_UP] or samples
    warm, last = after[0], samples[-1]

    def per_10k(values: list[float]) -> float:
        return robust_slope([s["pages"] for s in after], values) * 10_000

    result.update(
        rss_warm_mb=round(total(warm) / 1024, 1), rss_warm_pages=warm["pages"],
        rss_end_mb=round(total(last) / 1024, 1), rss_end_pages=last["pages"],
        rss_peak_mb=round(max(total(s) for s in samples) / 1024, 1),
        growth_mb=round((total(last) - total(warm)) / 1024, 1),
        growth_mb_per_10k=round(per_10k([total(s) / 1024 for s in after]), 2),
        blocks_warm=warm["py_blocks"], blocks_end=last["py_blocks"],
        blocks_per_10k=round(per_10k([float(s["py_blocks"]) for s in after])),
        plugin_objects_warm=warm.get("plugin_objects", 0), plugin_objects_end=last.get("plugin_objects", 0),
        plugin_objects_max=max(s.get("plugin_objects", 0) for s in after),
        cache_entries_warm=warm.get("cache_entries", 0), cache_entries_end=last.get("cache_entries", 0),
        cache_entries_max=max(s.get("cache_entries", 0) for s in after),
        pages_per_second=round(result["responses"] / max(result["seconds"], 1e-9), 1),
    )
    return result


def format_summary(summary: dict[str, Any]) -> str:
    on, off = summary["on"], summary["off"]
    by_pages = {s["pages"]: s for s in off["samples"]} if off else {}
    head = "| pages | RSS MB, plugin on (crawl + workers) | Python blocks, on |"
    if off:
        head += " RSS MB, plugin off | Python blocks, off |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for s in on["samples"]:
        rss = (s["rss_kb"] + sum(s["workers_rss_kb"])) / 1024
        workers = (f" ({s['rss_kb'] / 1024:.1f} + {' + '.join(f'{w / 1024:.1f}' for w in s['workers_rss_kb'])})"
                   if s["workers_rss_kb"] else "")
        row = f"| {s['pages']:,} | {rss:.1f}{workers} | {s['py_blocks']:,} |"
        if off:
            b = by_pages.get(s["pages"])
            row += (f" {b['rss_kb'] / 1024:.1f} | {b['py_blocks']:,} |" if b else " | |")
        lines.append(row)
    q = on["quality"]
    lines += [
        "",
        f"plugin on: {on['responses']:,} responses, {on['items']:,} items, {on['seconds']:.0f} s "
        f"({on['pages_per_second']} pages/s), finish reason {on['finish_reason']}, {on['errors']} errors logged, "
        f"QUALITY_WORKERS={on['workers']}, audit log {on['audit_mb']} MB; scored {q.get('quality/scored', 0):,}, "
        f"too short {q.get('quality/too_short', 0):,}, "
        f"unsupported {q.get('quality/skipped/unsupported_language', 0):,}, "
        f"skipped binary {q.get('quality/skipped/binary', 0):,}, unscored {q.get('quality/unscored', 0)}, "
        f"dropped {q.get('quality/pages/drop', 0):,}, tagged {q.get('quality/pages/tag', 0):,}; "
        f"models loaded in the crawl process: {on['model_loads']}",
    ]
    for name, s in (("plugin on", on), ("plugin off", off)):
        if s is None:
            continue
        lines.append(f"{name}: RSS {s['rss_warm_mb']} MB at {s['rss_warm_pages']:,} pages -> {s['rss_end_mb']} MB at "
                     f"{s['rss_end_pages']:,} (growth {s['growth_mb']:+.1f} MB, median slope "
                     f"{s['growth_mb_per_10k']:+.2f} MB per 10k pages); Python blocks {s['blocks_warm']:,} -> "
                     f"{s['blocks_end']:,} ({s['blocks_per_10k']:+,} per 10k pages)"
                     + (f"; plugin objects {s['plugin_objects_warm']:,} -> {s['plugin_objects_end']:,} (at most "
                        f"{s['plugin_objects_max']:,}); word-cache entries {s['cache_entries_warm']:,} -> "
                        f"{s['cache_entries_end']:,} (at most {s['cache_entries_max']:,})"
                        if s["plugin_objects_end"] else "")
                     + f"; {s['pages_per_second']} pages/s")
    lines.append(f"plugin on, after warm-up: RSS {on['growth_mb']:+.1f} MB "
                 f"({100 * on['growth_mb'] / on['rss_warm_mb']:+.1f}%), Python blocks "
                 f"{100 * on['blocks_per_10k'] / on['blocks_warm']:+.2f}% per 10k pages (shown, not judged), plugin "
                 f"objects {summary['plugin_object_growth']:+,} over "
                 f"{on['rss_end_pages'] - on['rss_warm_pages']:,} pages"
                 + (f"; against the plugin-off crawl: RSS {summary['extra_growth_mb']:+.1f} MB" if off else "")
                 + ": " + ("FLAT" if summary["flat"] else "GROWING") + " (flat: the plugin adds under 5% RSS to the "
                 f"baseline's growth and its live objects grow by fewer than {MAX_OBJECT_GROWTH:,}; slopes are "
                 "medians of the slopes between every two samples)")
    return "\n".join(lines)


def markdown_section(summary: dict[str, Any]) -> str:
    return format_summary(summary) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bench.soak", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=DEFAULT_PAGES)
    ap.add_argument("--every", type=int, default=DEFAULT_EVERY, help="sample RSS every N responses")
    ap.add_argument("--workers", type=int, default=0, help="QUALITY_WORKERS (0: score in the crawl process)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--html-report", action="store_true", help="also write the HTML report at the end")
    ap.add_argument("--no-baseline", action="store_true", help="skip the plugin-off crawl")
    ap.add_argument("--json", help="write the summary to this file")
    ap.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    ap.add_argument("--crawl-child", metavar="SPEC", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        serve(args.serve, args.seed)
        return 0
    if args.crawl_child:
        return crawl_child(args.crawl_child)
    summary = run(args.pages, every=args.every, workers=args.workers, seed=args.seed, html_report=args.html_report,
                  baseline=not args.no_baseline, progress=lambda m: print(m, file=sys.stderr, flush=True))
    print(format_summary(summary))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1, default=str), encoding="utf-8")
    return 0 if summary["flat"] and summary["finished"] else 1


if __name__ == "__main__":
    sys.exit(main())
