"""Crawl throughput with the plugin on vs off: a real `scrapy crawl` against a real local HTTP server.

The benchmark's rendered pages (clean and corrupted, ~60 KB each) are written as a static site
(index.html linking to articles/<id>.html) served by Twisted's static web server (`python3 -m twisted web`, its own process) on 127.0.0.1 in its own
process. The bundled `demo` spider crawls it from the index, once per mode, one mode after the other:
plugin off (QUALITY_ENABLED=False: both middlewares raise NotConfigured), plugin on scoring in the crawl
process (QUALITY_WORKERS=0), and plugin on with worker processes (QUALITY_WORKERS=2). Throughput is
Scrapy's own stats: response_received_count / elapsed_time_seconds. Peak RSS is the crawl process's own
high-water mark (VmHWM; worker processes, if any, not included).
"""
from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.demo import serve_site_in_process

from .data import ROOT

MODES = {
    "off": {"QUALITY_ENABLED": "False"},
    "on (in-process)": {"QUALITY_ENABLED": "True", "QUALITY_WORKERS": "0"},
    "on (2 workers)": {"QUALITY_ENABLED": "True", "QUALITY_WORKERS": "2"},
}
COMMON = {
    "ROBOTSTXT_OBEY": "False", "LOG_LEVEL": "INFO", "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16", "DOWNLOAD_DELAY": "0", "HTTPCACHE_ENABLED": "False",
    "TELNETCONSOLE_ENABLED": "False", "COOKIES_ENABLED": "False",
}
CRAWL_TIMEOUT = 900  # seconds per crawl; the loop is bounded


def write_site(pages_html: list[tuple[str, str]], directory: Path) -> None:
    (directory / "articles").mkdir(parents=True, exist_ok=True)
    links = []
    for page_id, markup in pages_html:
        (directory / "articles" / f"{page_id}.html").write_text(markup, encoding="utf-8")
        links.append(f'<li><a href="/articles/{html.escape(page_id)}.html">{html.escape(page_id)}</a></li>')
    (directory / "index.html").write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Bench site</title></head><body><ul>"
        + "\n".join(links) + "</ul></body></html>", encoding="utf-8")


_STAT = re.compile(r"'([\w/.\-]+)':\s*([0-9.e+\-]+)")
_RSS = "BENCH_MAXRSS_KB="
# Runs Scrapy's command line and reports the process's peak RSS on exit (VmHWM: ru_maxrss would include the
# parent's peak, which Linux carries across fork+exec).
_LAUNCH = ("import atexit, sys\n"
           "from bench.speed import peak_rss_kb\n"
           "atexit.register(lambda: print('" + _RSS + "%d' % peak_rss_kb(), file=sys.stderr))\n"
           "from scrapy.cmdline import execute\n"
           "execute(['scrapy'] + sys.argv[1:])\n")


def run_crawl(start_url: str, settings: dict[str, str], workdir: Path, name: str) -> dict:
    args = ["crawl", "demo", "-a", f"start_url={start_url}", "-o", str(workdir / f"items-{name}.jsonl")]
    for k, v in {**COMMON, **settings, "QUALITY_REPORT_DIR": str(workdir / f"reports-{name}")}.items():
        args += ["-s", f"{k}={v}"]
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _LAUNCH, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=CRAWL_TIMEOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - started
    log = proc.stderr
    stats = {k: float(v) for k, v in _STAT.findall(log[log.rfind("Dumping Scrapy stats"):])} \
        if "Dumping Scrapy stats" in log else {}
    rss = re.search(_RSS + r"(\d+)", log)
    out = {"mode": name, "returncode": proc.returncode, "wall_s": wall, "stats": stats,
           "maxrss_mb": int(rss.group(1)) / 1024 if rss else float("nan")}
    if proc.returncode != 0 or not stats:
        out["error"] = log.strip().splitlines()[-1] if log.strip() else f"exit {proc.returncode}"
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


def crawl_section(opts, state: dict | None = None) -> str:
    if not (ROOT / "crawler" / "spiders" / "demo.py").is_file():
        return "TODO: crawler/spiders/demo.py does not exist yet; the loopback crawl runs once it does.\n"
    pages = crawl_pages(opts.crawl_pages)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        site = Path(tmp) / "site"
        write_site(pages, site)
        # twisted.web in its own process: http.server answers only ~100 requests/s and would cap the baseline
        with serve_site_in_process(site) as base:
            url = f"{base}/index.html"
            for name, settings in MODES.items():
                print(f"  crawl: {name}", flush=True)
                result = run_crawl(url, settings, Path(tmp), re.sub(r"\W+", "-", name).strip("-"))
                results.append({**result, "mode": name})
    for r in results:
        s = r["stats"]
        elapsed = s.get("elapsed_time_seconds") or r["wall_s"]
        if "error" not in r and elapsed:
            r["rate"] = s.get("response_received_count", 0) / elapsed
    if state is not None:
        state["crawl"] = results
    return crawl_table(results, len(pages))


def crawl_table(results: list[dict], n_pages: int) -> str:
    rows = []
    base = None
    for r in results:
        s = r["stats"]
        if "error" in r:
            rows.append(f"| {r['mode']} | failed: {r['error'][:200]} | | | | | |")
            continue
        responses = s.get("response_received_count", 0)
        elapsed = s.get("elapsed_time_seconds") or r["wall_s"]
        rate = responses / elapsed if elapsed else float("nan")
        if base is None:
            base = rate
        shown = ("quality/scored", "quality/unscored", "quality/errors", "quality/pages/keep", "quality/pages/tag",
                 "quality/pages/drop", "quality/items/dropped")
        quality = {k.split("/", 1)[1]: int(s[k]) for k in shown if k in s}
        rows.append(f"| {r['mode']} | {int(responses)} | {int(s.get('item_scraped_count', 0))} | {elapsed:.1f} | "
                    f"{rate:.0f} | {rate / base:.2f} | {r['maxrss_mb']:.0f} | "
                    + (", ".join(f"{k} {v}" for k, v in sorted(quality.items())) or "-") + " |")
    return (f"{n_pages} pages (+ the index) served by Twisted's static web server (`python3 -m twisted web`, its own process) on 127.0.0.1, crawled by the `demo` spider "
            f"with CONCURRENT_REQUESTS=16, no delay, robots.txt off; one crawl per mode, one after the other.\n\n"
            "| mode | responses | items | seconds (Scrapy's elapsed_time_seconds) | pages/s | vs off | peak RSS MB (crawl process) | quality/ stats |\n"
            "|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n")
