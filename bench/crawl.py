"""Crawl throughput with the plugin on vs off: a real `scrapy crawl` against a real local HTTP server, two ways.

The benchmark's rendered pages (clean and corrupted, ~60 KB each) are written as a static site (index.html
linking to articles/<id>.html) and served on 127.0.0.1 by Twisted's web server in its own process. The bundled
`demo` spider crawls it from the index, once per mode, one mode after the other: plugin off (QUALITY_ENABLED=
False: both middlewares raise NotConfigured), plugin on scoring in the crawl process (QUALITY_WORKERS=0), with
QUALITY_WORKERS="auto" (what it resolved to is the crawl's quality/workers stat) and with 2 worker processes.

- loopback (CPU-bound): the static server (`python3 -m twisted web`) answers at once, CONCURRENT_REQUESTS=16.
  The crawl is as fast as the CPU lets it be: the worst case for the plugin.
- latency-bound: the server (`python3 -m bench.crawl --serve`) holds every response 100-300 ms before
  answering (seeded per URL path, uniform; `reactor.callLater`, so the server keeps answering others
  meanwhile), CONCURRENT_REQUESTS=64 and the same per domain: how a real crawl spends its time, waiting on
  the network (64 requests in flight / 0.2 s mean delay = 320 pages/s at most).

Throughput is Scrapy's own stats: response_received_count / elapsed_time_seconds (model loading and worker
start-up happen before the clock starts). Peak RSS is the crawl process's own high-water mark (VmHWM; worker
processes, if any, not included).

    python -m bench.crawl --serve DIR --min-delay 0.1 --max-delay 0.3   # the delaying server alone
"""
from __future__ import annotations

import argparse
import html
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .data import ROOT

MODES = {
    "off": {"QUALITY_ENABLED": "False"},
    "on (in-process)": {"QUALITY_ENABLED": "True", "QUALITY_WORKERS": "0"},
    "on (auto)": {"QUALITY_ENABLED": "True", "QUALITY_WORKERS": "auto"},
    "on (2 workers)": {"QUALITY_ENABLED": "True", "QUALITY_WORKERS": "2"},
}
COMMON = {
    "ROBOTSTXT_OBEY": "False", "LOG_LEVEL": "INFO", "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16", "DOWNLOAD_DELAY": "0", "HTTPCACHE_ENABLED": "False",
    "TELNETCONSOLE_ENABLED": "False", "COOKIES_ENABLED": "False",
}
LATENCY = {"CONCURRENT_REQUESTS": "64", "CONCURRENT_REQUESTS_PER_DOMAIN": "64"}
# The same delays with Scrapy's default concurrency: at most ~80 pages/s, which leaves 2 cores spare (the
# issue's 64 requests in flight ask for ~320 pages/s, more than Scrapy alone reaches here).
PACED = {"CONCURRENT_REQUESTS": "16", "CONCURRENT_REQUESTS_PER_DOMAIN": "16"}
PACED_MODES = ("off", "on (in-process)", "on (auto)")
DELAY = (0.1, 0.3)           # seconds, the latency-bound server's bounds
DELAY_SEED = 0
SERVER_LIFETIME = 3600       # seconds: the delaying server stops on its own after this, whatever happens
CRAWL_TIMEOUT = 900          # seconds per crawl; the loop is bounded
ROUNDS = 2                   # every mode this many times, interleaved; the fastest crawl of each mode counts


def write_site(pages_html: list[tuple[str, str]], directory: Path) -> None:
    (directory / "articles").mkdir(parents=True, exist_ok=True)
    links = []
    for page_id, markup in pages_html:
        (directory / "articles" / f"{page_id}.html").write_text(markup, encoding="utf-8")
        links.append(f'<li><a href="/articles/{html.escape(page_id)}.html">{html.escape(page_id)}</a></li>')
    (directory / "index.html").write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Bench site</title></head><body><ul>"
        + "\n".join(links) + "</ul></body></html>", encoding="utf-8")


# == the latency-bound server ==============================================================================
def delay_for(path: str, low: float = DELAY[0], high: float = DELAY[1], seed: int = DELAY_SEED) -> float:
    """The response delay of a URL path: uniform in [low, high], seeded by (seed, path), so every run of
    the benchmark delays every page alike."""
    return random.Random(f"{seed}:{path}").uniform(low, high)


def serve_delayed(directory: Path, low: float, high: float, seed: int, lifetime: float = SERVER_LIFETIME) -> None:
    """Serve `directory` on 127.0.0.1 (a free port, printed on stdout) with every response held back by
    `delay_for(path)` seconds; deferred rendering, so the reactor serves other requests meanwhile."""
    from twisted.internet import reactor
    from twisted.web import resource, server

    if not 0 <= low <= high <= 10:
        raise SystemExit(f"delays must satisfy 0 <= min <= max <= 10 s, got {low}..{high}")
    root = Path(directory).resolve()

    class Delayed(resource.Resource):
        isLeaf = True

        def render_GET(self, request):
            path = request.path.decode("utf-8", "replace")
            file = (root / path.lstrip("/")).resolve()
            if path == "/":
                file = root / "index.html"
            if not file.is_relative_to(root) or not file.is_file():
                request.setResponseCode(404)
                return b"not found"
            body = file.read_bytes()
            request.setHeader(b"Content-Type", b"text/html; charset=utf-8")

            def answer() -> None:
                if not finished:
                    request.write(body)
                    request.finish()

            finished: list[bool] = []
            call = reactor.callLater(delay_for(path, low, high, seed), answer)

            def gone(_failure) -> None:  # the client went away: drop the pending answer
                finished.append(True)
                if call.active():
                    call.cancel()

            request.notifyFinish().addErrback(gone)
            return server.NOT_DONE_YET

    site = server.Site(Delayed())
    site.noisy = False
    port = reactor.listenTCP(0, site, interface="127.0.0.1", backlog=256)
    reactor.callLater(lifetime, reactor.stop)
    print(port.getHost().port, flush=True)
    reactor.run()


@contextmanager
def delayed_site(directory: Path, low: float = DELAY[0], high: float = DELAY[1],
                 seed: int = DELAY_SEED) -> Iterator[tuple[str, int]]:
    """Run `serve_delayed` in its own process; yields the base URL (no trailing slash) and the server's pid."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    server = subprocess.Popen([sys.executable, "-m", "bench.crawl", "--serve", str(directory), "--min-delay",
                               str(low), "--max-delay", str(high), "--seed", str(seed)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline().strip()
        if not line.isdigit():
            raise RuntimeError(f"the delaying web server did not start (exit code {server.poll()})")
        yield f"http://127.0.0.1:{line}", server.pid
    finally:
        server.terminate()
        server.wait(10)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (from /proc; 0.0 where it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


# == one crawl =============================================================================================
_STAT = re.compile(r"'([\w/.\-]+)':\s*([0-9.e+\-]+)")
_RSS = "BENCH_MAXRSS_KB="
# Runs Scrapy's command line and reports the process's peak RSS on exit (VmHWM: ru_maxrss would include the
# parent's peak, which Linux carries across fork+exec).
_LAUNCH = ("import atexit, sys\n"
           "from bench.speed import peak_rss_kb\n"
           "atexit.register(lambda: print('" + _RSS + "%d' % peak_rss_kb(), file=sys.stderr))\n"
           "from scrapy.cmdline import execute\n"
           "execute(['scrapy'] + sys.argv[1:])\n")


def run_crawl(start_url: str, settings: dict[str, str], workdir: Path, name: str, server_pid: int | None = None
              ) -> dict:
    args = ["crawl", "demo", "-a", f"start_url={start_url}", "-o", str(workdir / f"items-{name}.jsonl")]
    for k, v in {**COMMON, **settings, "QUALITY_REPORT_DIR": str(workdir / f"reports-{name}")}.items():
        args += ["-s", f"{k}={v}"]
    started = time.perf_counter()
    server_before = process_cpu_seconds(server_pid) if server_pid else 0.0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-c", _LAUNCH, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=CRAWL_TIMEOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter() - started
    # CPU time of the crawl process and of its scoring workers (reaped by it, so counted in its children's
    # usage); the web server is a sibling still running, so not counted. Contention inflates it far less
    # than it slows throughput.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    log = proc.stderr
    stats = {k: float(v) for k, v in _STAT.findall(log[log.rfind("Dumping Scrapy stats"):])} \
        if "Dumping Scrapy stats" in log else {}
    rss = re.search(_RSS + r"(\d+)", log)
    out = {"mode": name, "returncode": proc.returncode, "wall_s": wall, "stats": stats, "cpu_s": cpu,
           "maxrss_mb": int(rss.group(1)) / 1024 if rss else float("nan")}
    if server_pid:
        out["server_cpu_s"] = process_cpu_seconds(server_pid) - server_before
    if proc.returncode != 0 or not stats:
        out["error"] = log.strip().splitlines()[-1] if log.strip() else f"exit {proc.returncode}"
    else:
        elapsed = stats.get("elapsed_time_seconds") or wall
        out["rate"] = stats.get("response_received_count", 0) / elapsed if elapsed else float("nan")
    return out


def crawl_pages(n: int) -> list[tuple[str, str]]:
    from .corrupt import KINDS, STRENGTHS, clean, corrupt
    from .data import headline_pool, load_articles
    from .pages import render_html

    articles = load_articles()
    headlines = headline_pool(articles)
    test = [a for a in articles if a.split == "test"]
    out = []
    for a in test:
        versions = [clean(a)] + [corrupt(a, k, lv, headlines) for k in KINDS for lv in range(len(STRENGTHS[k]))]
        out += [(p.id, render_html(p)) for p in versions]
        if len(out) >= n:
            break
    return out[:n]


def run_modes(url: str, extra: dict[str, str], workdir: Path, label: str, rounds: int = ROUNDS,
              modes: tuple[str, ...] = tuple(MODES), server_pid: int | None = None) -> list[dict]:
    """Every mode `rounds` times, interleaved (a burst of load elsewhere hits every mode alike); per mode the
    fastest crawl, with every round's rate in "rates"."""
    runs: dict[str, list[dict]] = {name: [] for name in modes}
    for round_ in range(rounds):
        for name in modes:
            settings = MODES[name]
            print(f"  crawl ({label}, round {round_ + 1}/{rounds}): {name}", flush=True)
            slug = re.sub(r"\W+", "-", f"{label}-{round_}-{name}").strip("-")
            result = run_crawl(url, {**settings, **extra}, workdir, slug, server_pid)
            runs[name].append({**result, "mode": name, "setting": settings.get("QUALITY_WORKERS")})
    results = []
    for name, done in runs.items():
        ok = [r for r in done if r.get("rate")]
        best = dict(max(ok, key=lambda r: r["rate"]) if ok else done[0])
        best["rates"] = [r.get("rate") for r in done]
        results.append(best)
    return results


def crawl_section(opts, state: dict | None = None) -> str:
    if not (ROOT / "crawler" / "spiders" / "demo.py").is_file():
        return "TODO: crawler/spiders/demo.py does not exist yet; the loopback crawl runs once it does.\n"
    from crawler.demo import serve_site_in_process

    pages = crawl_pages(opts.crawl_pages)
    rounds = 1 if getattr(opts, "small", False) else ROUNDS
    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        site = Path(tmp) / "site"
        write_site(pages, site)
        # twisted.web in its own process: http.server answers only ~100 requests/s and would cap the baseline
        with serve_site_in_process(site) as base:
            loopback = run_modes(f"{base}/index.html", {}, Path(tmp), "loopback", rounds)
        with delayed_site(site) as (base, server_pid):
            latency = run_modes(f"{base}/index.html", LATENCY, Path(tmp), "latency", rounds, server_pid=server_pid)
            paced = run_modes(f"{base}/index.html", PACED, Path(tmp), "paced", rounds, PACED_MODES, server_pid)
    if state is not None:
        state["crawl"] = loopback
        state["crawl_latency"] = latency
        state["crawl_paced"] = paced
    n = len(pages)
    mean_delay = (DELAY[0] + DELAY[1]) / 2
    return ("### Loopback (CPU-bound)\n\n"
            f"{n} pages (+ the index) served by Twisted's static web server (`python3 -m twisted web`, its own "
            "process) on 127.0.0.1, crawled by the `demo` spider with CONCURRENT_REQUESTS=16, no delay, robots.txt "
            f"off; {_rounds_text(rounds)}.\n\n" + crawl_table(loopback) +
            "\n### Latency-bound (every response held 100-300 ms)\n\n"
            f"The same {n} pages (+ the index) served by `python3 -m bench.crawl --serve` (twisted.web, its own "
            f"process, 127.0.0.1): every response is held back {DELAY[0] * 1000:.0f}-{DELAY[1] * 1000:.0f} ms "
            f"(uniform, seeded per URL path, mean {500 * (DELAY[0] + DELAY[1]):.0f} ms) with a deferred answer, "
            "crawled with CONCURRENT_REQUESTS=64 and CONCURRENT_REQUESTS_PER_DOMAIN=64 (at most ~"
            f"{64 / mean_delay:.0f} pages/s); {_rounds_text(rounds)}.\n\n"
            + crawl_table(latency) + "\n" + cpu_budget(latency) +
            "\n### Network-paced (the same delays, CONCURRENT_REQUESTS=16)\n\n"
            f"The same server and pages, crawled with Scrapy's default CONCURRENT_REQUESTS=16 (and 16 per domain: at "
            f"most ~{16 / mean_delay:.0f} pages/s), so that the network, not the CPU, sets the pace; plugin off, "
            f"in-process and QUALITY_WORKERS=\"auto\"; {_rounds_text(rounds)}.\n\n"
            + crawl_table(paced) + "\n" + cpu_budget(paced)
            + "\n" + crawl_notes({"loopback": loopback, "latency-bound": latency, "network-paced": paced}))


def _rounds_text(rounds: int) -> str:
    if rounds == 1:
        return "one crawl per mode, one after the other"
    return (f"every mode crawled {rounds} times, the modes interleaved, the fastest crawl of each shown (every "
            "round's pages/s in brackets)")


def mode_label(r: dict) -> str:
    workers = r["stats"].get("quality/workers")
    if r.get("setting") == "auto" and workers is not None:
        return f"{r['mode']}: {int(workers)} worker{'s' if workers != 1 else ''}" if workers else \
            f"{r['mode']}: in-process"
    return r["mode"]


def crawl_table(results: list[dict]) -> str:
    rows = []
    base = next((r["rate"] for r in results if r["mode"] == "off" and r.get("rate")), None)
    off_cpu = next((r.get("cpu_s") for r in results if r["mode"] == "off" and "error" not in r), None)
    for r in results:
        s = r["stats"]
        if "error" in r:
            rows.append(f"| {r['mode']} | failed: {r['error'][:200]} | | | | | | | |")
            continue
        elapsed = s.get("elapsed_time_seconds") or r["wall_s"]
        responses = int(s.get("response_received_count", 0))
        shown = ("quality/scored", "quality/unscored", "quality/errors", "quality/pages/keep", "quality/pages/tag",
                 "quality/pages/drop", "quality/items/dropped")
        quality = {k.split("/", 1)[1]: int(s[k]) for k in shown if k in s}
        ratio = f"{r['rate'] / base:.2f}" if base else "n/a"
        rates = [x for x in r.get("rates", []) if x]
        every = f" ({', '.join(f'{x:.0f}' for x in rates)})" if len(rates) > 1 else ""
        cpu = f"{1000 * r['cpu_s'] / responses:.1f}" if responses and "cpu_s" in r else "n/a"
        if r["mode"] != "off" and off_cpu is not None and responses and "cpu_s" in r:
            cpu += f" (+{1000 * (r['cpu_s'] - off_cpu) / responses:.1f})"
        rows.append(f"| {mode_label(r)} | {responses} | {int(s.get('item_scraped_count', 0))} | {elapsed:.1f} | "
                    f"{r['rate']:.0f}{every} | {ratio} | {cpu} | {r['maxrss_mb']:.0f} | "
                    + (", ".join(f"{k} {v}" for k, v in sorted(quality.items())) or "-") + " |")
    return ("| mode | responses | items | seconds (Scrapy's elapsed_time_seconds) | pages/s | vs off | "
            "CPU ms/page: crawl process + workers, start-up included (+ over plugin off) | peak RSS MB (crawl process) | quality/ stats |"
            "\n|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n")


def ratios(results: list[dict]) -> dict[str, float]:
    """{mode: throughput / plugin-off throughput} of one benchmark's crawls (modes that ran)."""
    rates = {r["mode"]: r["rate"] for r in results if r.get("rate")}
    off = rates.get("off")
    return {mode: rate / off for mode, rate in rates.items() if mode != "off"} if off else {}


def cpu_budget(results: list[dict]) -> str:
    """What the crawls kept busy (crawl process, its workers and the web server, over each crawl's wall time),
    and how many cores the plugin-on modes would need to run at 0.95x the plugin-off rate."""
    cores = len(os.sched_getaffinity(0))
    ok = [r for r in results if "error" not in r and r.get("rate") and "server_cpu_s" in r]
    off = next((r for r in ok if r["mode"] == "off"), None)
    if off is None:
        return ""

    def busy(r: dict) -> str:
        return (f"{mode_label(r)} {(r['cpu_s'] + r['server_cpu_s']) / r['wall_s']:.2f} (crawl"
                f"{' and workers' if r['mode'] != 'off' else ''} {r['cpu_s'] / r['wall_s']:.2f}, server "
                f"{r['server_cpu_s'] / r['wall_s']:.2f})")

    def needed(r: dict) -> float:  # cores at 0.95x the plugin-off rate, at this mode's CPU per page
        responses = r["stats"].get("response_received_count") or 1
        return 0.95 * off["rate"] * (r["cpu_s"] + r["server_cpu_s"]) / responses

    on = [r for r in ok if r["mode"] != "off"]
    return ("CPU budget: cores kept busy over each crawl's wall time (start-up included): "
            + "; ".join(busy(r) for r in ok) + f". At 0.95x the plugin-off rate ({0.95 * off['rate']:.0f} pages/s), "
            "the plugin-on modes' CPU per page (crawl, workers and server) needs "
            + ", ".join(f"{needed(r):.2f} cores ({mode_label(r)})" for r in on)
            + f"; this process may use {cores}.\n")


def crawl_notes(runs: dict[str, list[dict]]) -> str:
    lines = []
    for label, results in runs.items():
        r = ratios(results)
        if r:
            lines.append(f"{label}: " + ", ".join(f"{next(mode_label(x) for x in results if x['mode'] == m)} "
                                                  f"{v:.2f}x" for m, v in r.items()))
    load = os.getloadavg()[0]
    return ("Throughput with the plugin as a multiple of plugin off: " + "; ".join(lines) +
            f". Cores usable by this process: {len(os.sched_getaffinity(0))}; load average {load:.1f} at the end "
            "(other work on the machine lowers every mode, the plugin-on modes most).\n") if lines else ""


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m bench.crawl", description=__doc__.split("\n")[0])
    p.add_argument("--serve", type=Path, required=True, help="serve this directory with delayed responses")
    p.add_argument("--min-delay", type=float, default=DELAY[0])
    p.add_argument("--max-delay", type=float, default=DELAY[1])
    p.add_argument("--seed", type=int, default=DELAY_SEED)
    args = p.parse_args(argv)
    serve_delayed(args.serve, args.min_delay, args.max_delay, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
