"""The demo: serve the bundled Demo Gazette on 127.0.0.1, crawl it with `scrapy crawl demo`, summarise.

    python -m crawler.demo                          # crawl, print the verdicts and the HTML report's path
    python -m crawler.demo -s QUALITY_WORKERS=2     # any Scrapy setting, passed to `scrapy crawl`
    python -m crawler.demo --throughput --repeat 20 # pages/s with the plugin off, inline and in a pool
    python -m crawler.demo --redis 2                # two workers sharing a local Redis queue (scrapy-redis)

The site (crawler/demo_site) holds six articles written for the project, each with a spun, a broken-
split, an ad-injected and a boilerplate-laden copy, three pieces in German, Spanish and French, and a
plain-text note. Nothing leaves the machine: the server listens on 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from scoring.report import DROP, KEEP, TAG

from .audit import Audit, read_audit, read_audits

PACKAGE = Path(__file__).resolve().parent
SITE = PACKAGE / "demo_site"
ROOT = PACKAGE.parent


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # the crawl log says what was fetched
        pass


@contextmanager
def serve_site(directory: Path = SITE,
               handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at a free port, in a thread; yields the base URL (no trailing slash)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def serve_site_in_process(directory: Path = SITE) -> Iterator[str]:
    """Serve `directory` with Twisted's static web server in its own process, for throughput runs.

    http.server answers ~100 requests/s to Scrapy here, which would cap the plugin-off baseline;
    twisted.web (installed with Scrapy) keeps connections alive and is not the bottleneck.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "twisted", "web", "--path", str(directory),
                               "--listen", f"tcp:{port}:interface=127.0.0.1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the Twisted web server did not start on 127.0.0.1:{port}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


def scrapy_crawl(base_url: str, settings: list[str], log_path: Path, items_path: Path | None = None,
                 repeat: int = 1) -> subprocess.CompletedProcess:
    """Run `scrapy crawl demo` against the site with the project settings plus `-s` overrides."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "demo", "-a", f"start_url={base_url}/index.html",
           "-a", f"repeat={repeat}"]
    if items_path is not None:
        cmd += ["-O", str(items_path)]
    for setting in settings:
        cmd += ["-s", setting]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        return subprocess.run(cmd, cwd=ROOT, env=scrapy_env(), stdout=log, stderr=subprocess.STDOUT, check=False)


def scrapy_env() -> dict[str, str]:
    return {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def crawl_stats(log_path: Path) -> dict[str, float]:
    """A few numbers from the stats Scrapy dumps at the end of its log."""
    text = log_path.read_text(encoding="utf-8", errors="replace")
    stats = {}
    for key in ("elapsed_time_seconds", "response_received_count", "item_scraped_count"):
        match = re.search(rf"'{key}': ([0-9.]+)", text)
        if match:
            stats[key] = float(match.group(1))
    return stats


# -- the summary -----------------------------------------------------------------------------------------------
def summarise(audit: Audit, base_url: str, items_written: int | None) -> str:
    pages = audit.pages
    status_counts: dict[str, int] = {}
    for p in pages:
        status_counts[p.report.status] = status_counts.get(p.report.status, 0) + 1
    actions = {a: sum(p.report.action == a for p in pages) for a in (KEEP, TAG, DROP)}
    items = audit.item_counts()
    config = audit.config
    flagged = {name: sum(name in p.report.flags for p in pages) for name in audit.signal_names()}
    lines = [
        f"Crawled the Demo Gazette at {base_url}/ : {len(pages)} pages audited",
        "  status:   " + ", ".join(f"{n} {s}" for s, n in sorted(status_counts.items())),
        f"  verdicts: {actions[KEEP]} kept, {actions[TAG]} tagged, {actions[DROP]} dropped",
        "  flagged:  " + ", ".join(f"{name} {n} ({config.get('actions', {}).get(name, '?')} at "
                                  f"{config.get('thresholds', {}).get(name, '?')})" for name, n in flagged.items()),
        f"  items:    {sum(items.values())} yielded = {items[KEEP] + items[TAG]} kept ({items[TAG]} tagged) + "
        f"{items[DROP]} dropped" + (f"; {items_written} reached the feed" if items_written is not None else ""),
        "",
        f"  {'page':<40} {'verdict':<8} {'flags':<28} strongest evidence",
    ]
    for p in sorted(pages, key=lambda p: p.url):
        report = p.report
        name = p.url.split("/", 3)[-1]
        strongest = [(signal, e) for signal in report.flags for e in report.signals[signal].strongest(1)]
        evidence = f"{strongest[0][0]}: {strongest[0][1].describe(38)}" if strongest else ""
        if not strongest and report.signals:  # kept: how close it came
            name_, top = max(report.signals.items(), key=lambda kv: kv[1].score)
            evidence = f"highest: {name_} {top.score:.6f} (flags at {config.get('thresholds', {}).get(name_, '?')})"
        if report.status not in ("scored", "too_short"):  # kept unscored: say why instead
            evidence = f"not scored: {report.status}" + (f" ({report.language})" if report.language else "")
        lines.append(f"  {name[:40]:<40} {report.action:<8} {','.join(report.flags)[:28]:<28} {evidence[:70]}")
    return "\n".join(lines)


def run_demo(report_dir: Path, settings: list[str]) -> int:
    report_dir = report_dir.resolve()
    items_path = report_dir / "demo-items.jsonl"
    log_path = report_dir / "demo-crawl.log"
    before = set(report_dir.glob("*.audit.jsonl"))
    with serve_site() as base_url:
        print(f"Serving {SITE} at {base_url}/ ; running `scrapy crawl demo` (log: {log_path})", flush=True)
        started = time.perf_counter()
        proc = scrapy_crawl(base_url, [f"QUALITY_REPORT_DIR={report_dir}", "QUALITY_REPORT_NAME=demo-%(time)s",
                                       *settings], log_path, items_path)
        seconds = time.perf_counter() - started
    new = sorted(set(report_dir.glob("*.audit.jsonl")) - before)
    if proc.returncode != 0 or not new:
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        print(f"The crawl failed (exit code {proc.returncode}); last lines of {log_path}:", *tail, sep="\n  ",
              file=sys.stderr)
        return proc.returncode or 1
    audit_path = new[-1]
    audit = read_audit(audit_path)
    items_written = sum(1 for line in items_path.open(encoding="utf-8") if line.strip()) if items_path.is_file() else None
    print(summarise(audit, base_url, items_written))
    report_path = audit_path.with_name(audit_path.name.replace(".audit.jsonl", ".report.html"))
    print(f"\nCrawl took {seconds:.1f} s (including Scrapy start-up).")
    print(f"Audit log:   {audit_path}")
    print(f"Items:       {items_path}")
    print(f"HTML report: {report_path}" if report_path.is_file() else "HTML report: not written (see the log)")
    return 0


# -- distributed: workers sharing a Redis queue --------------------------------------------------------------------
def run_redis_demo(report_dir: Path, workers: int, repeat: int, settings: list[str]) -> int:
    """Start redis-server (private port, temporary directory), serve the site, run `workers` processes of
    `scrapy crawl demo-redis` on the shared queue, feed it the start URL, merge the workers' audit logs into one
    report, stop Redis."""
    from .distributed import RedisServer, RedisServerError, push_start_urls

    report_dir = report_dir.resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    before = set(report_dir.glob("*.audit.jsonl"))
    names = [f"worker-{i + 1}" for i in range(workers)]
    try:
        redis = RedisServer().start()
    except RedisServerError as exc:
        print(f"Cannot start Redis: {exc}", file=sys.stderr)
        return 1
    procs: dict[str, subprocess.Popen] = {}
    try:
        with serve_site() as base_url:
            print(f"Redis at {redis.url} (files in {redis.directory}); serving {SITE} at {base_url}/", flush=True)
            started = time.perf_counter()
            for name in names:
                cmd = [sys.executable, "-m", "scrapy", "crawl", "demo-redis", "-a", f"repeat={repeat}",
                       "-O", str(report_dir / f"demo-redis-items-{name}.jsonl"),
                       "-s", f"REDIS_URL={redis.url}", "-s", f"QUALITY_WORKER_ID={name}",
                       "-s", f"QUALITY_REPORT_DIR={report_dir}", "-s", "QUALITY_REPORT_NAME=demo-redis-%(time)s",
                       "-s", "MAX_IDLE_TIME_BEFORE_CLOSE=10"]
                for setting in settings:
                    cmd += ["-s", setting]
                log = open(report_dir / f"demo-redis-{name}.log", "w", encoding="utf-8")
                procs[name] = subprocess.Popen(cmd, cwd=ROOT, env=scrapy_env(), stdout=log, stderr=subprocess.STDOUT,
                                               stdin=subprocess.DEVNULL)
                log.close()
                print(f"  started `scrapy crawl demo-redis` as {name} (log: {report_dir / f'demo-redis-{name}.log'})",
                      flush=True)
            _wait_until_open(report_dir, before, names, procs)
            push_start_urls(redis.url, "demo-redis:start_urls", [f"{base_url}/index.html"])
            print(f"  pushed {base_url}/index.html to the Redis list demo-redis:start_urls; the workers share "
                  "the crawl and each closes after 10 s without work", flush=True)
            for proc in procs.values():
                proc.wait(600)
            seconds = time.perf_counter() - started
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
                proc.wait(30)
        redis.stop()
    failed = {name: proc.returncode for name, proc in procs.items() if proc.returncode}
    paths = sorted(set(report_dir.glob("*.audit.jsonl")) - before)
    if failed or len(paths) != workers:
        for name in failed or names:
            tail = (report_dir / f"demo-redis-{name}.log").read_text(encoding="utf-8", errors="replace")
            print(f"{name} failed (exit code {procs[name].returncode}); last lines of its log:",
                  *tail.splitlines()[-15:], sep="\n  ", file=sys.stderr)
        return 1
    merged = read_audits(paths)
    merged_report = report_dir / "demo-redis-merged.report.html"
    from .html_report import write_report

    write_report(paths, merged_report)
    print(summarise_workers(merged, base_url, repeat))
    print(f"\nCrawl took {seconds:.1f} s with {workers} workers (including start-up and the idle wait); "
          "Redis stopped.")
    print("Audit logs:  " + "\n             ".join(map(str, paths)))
    print(f"HTML report: {merged_report} (all workers)")
    print("Again from the logs: scrapy quality-report " + " ".join(str(p) for p in paths) + " --sweep")
    return 0


def _wait_until_open(report_dir: Path, before: set[Path], names: list[str], procs: dict[str, subprocess.Popen],
                     timeout: float = 120) -> None:
    """Until every worker's spider is open (its audit log is there): so that all of them share the crawl."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = [p.name for p in set(report_dir.glob("*.audit.jsonl")) - before]
        if all(any(n.endswith(f"-{name}.audit.jsonl") for n in new) for name in names):
            return
        if any(proc.poll() is not None for proc in procs.values()):
            return  # a worker ended early: the caller reports it
        time.sleep(0.2)


def summarise_workers(merged: Audit, base_url: str, repeat: int) -> str:
    pages = merged.pages
    actions = {a: sum(p.report.action == a for p in pages) for a in (KEEP, TAG, DROP)}
    urls = [p.url for p in pages]
    items = merged.item_counts()
    stats = merged.summary.get("stats", {})
    kept, dropped = stats.get("quality/items/kept", 0), stats.get("quality/items/dropped", 0)
    lines = [
        f"Crawled the Demo Gazette at {base_url}/ (each article {repeat}x) with {len(merged.parts)} workers "
        f"sharing one Redis queue: {len(pages)} pages audited, {len(set(urls))} distinct"
        + (" (each once)" if len(urls) == len(set(urls)) else " (SOME TWICE)"),
        f"  verdicts: {actions[KEEP]} kept, {actions[TAG]} tagged, {actions[DROP]} dropped",
        f"  items:    {sum(items.values())} yielded = {kept} kept + {dropped} dropped, summed over the workers' "
        f"quality/ stats" + ("" if kept + dropped == sum(items.values()) else " (MISMATCH)"),
        "",
        f"  {'worker':<10} {'pages':>6} {'kept':>6} {'tagged':>7} {'dropped':>8} {'items':>6}  finish reason",
    ]
    for part in merged.parts:
        acts = {a: sum(p.report.action == a for p in part.pages) for a in (KEEP, TAG, DROP)}
        lines.append(f"  {str(part.worker):<10} {len(part.pages):>6} {acts[KEEP]:>6} {acts[TAG]:>7} {acts[DROP]:>8} "
                     f"{len(part.items):>6}  {part.summary.get('finish_reason', '?')}")
    return "\n".join(lines)


# -- throughput ------------------------------------------------------------------------------------------------
MODES = {
    "off": ["QUALITY_ENABLED=False"],
    "inline": ["QUALITY_WORKERS=0"],
    "pool-2": ["QUALITY_WORKERS=2"],
}


def run_throughput(report_dir: Path, repeat: int, rounds: int, settings: list[str]) -> int:
    """Crawl the site `repeat` times over, in each mode, `rounds` times interleaved; print pages/s and ratios."""
    report_dir = report_dir.resolve()
    rates: dict[str, list[float]] = {mode: [] for mode in MODES}
    with serve_site_in_process() as base_url:
        for round_ in range(rounds):
            for mode, mode_settings in MODES.items():
                log_path = report_dir / f"throughput-{mode}-{round_}.log"
                proc = scrapy_crawl(base_url, [f"QUALITY_REPORT_DIR={report_dir}", "QUALITY_HTML_REPORT=False",
                                               "LOG_LEVEL=INFO", *settings, *mode_settings], log_path, repeat=repeat)
                stats = crawl_stats(log_path)
                if proc.returncode or "elapsed_time_seconds" not in stats:
                    print(f"{mode}: crawl failed, see {log_path}", file=sys.stderr)
                    return proc.returncode or 1
                rate = stats["response_received_count"] / stats["elapsed_time_seconds"]
                rates[mode].append(rate)
                print(f"round {round_ + 1} {mode:<7} {int(stats['response_received_count'])} pages in "
                      f"{stats['elapsed_time_seconds']:.2f} s = {rate:.1f} pages/s", flush=True)
    base = statistics.median(rates["off"])
    print(f"\nmedian pages/s over {rounds} rounds ({os.cpu_count()} CPUs), ratio to plugin off:")
    for mode, values in rates.items():
        print(f"  {mode:<7} {statistics.median(values):7.1f} pages/s  x{statistics.median(values) / base:.2f}")
    print(json.dumps({mode: round(statistics.median(v), 1) for mode, v in rates.items()}))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--report-dir", type=Path, default=Path("reports/demo"),
                        help="where the audit log, the HTML report and the items go (default: reports/demo)")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting for the crawl (repeatable), e.g. -s QUALITY_WORKERS=2")
    parser.add_argument("--throughput", action="store_true",
                        help="measure pages/s with the plugin off, inline and in a 2-process pool")
    parser.add_argument("--repeat", type=int, default=20, help="--throughput: crawl each article N times (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="--throughput: rounds per mode (default 3)")
    parser.add_argument("--redis", type=int, default=0, metavar="N",
                        help="run N `scrapy crawl demo-redis` workers on a shared queue in a local Redis (started "
                             "and stopped here); --repeat defaults to 8, enough pages for every worker to join in")
    args = parser.parse_args(argv)
    if args.redis:
        if args.redis < 1:
            parser.error("--redis needs a number of workers >= 1")
        report_dir = args.report_dir if args.report_dir != Path("reports/demo") else Path("reports/demo-redis")
        repeat = args.repeat if "--repeat" in (argv if argv is not None else sys.argv) else 8
        return run_redis_demo(report_dir, args.redis, repeat, args.settings)
    if args.throughput:
        return run_throughput(args.report_dir, args.repeat, args.rounds, args.settings)
    return run_demo(args.report_dir, args.settings)


if __name__ == "__main__":
    sys.exit(main())
