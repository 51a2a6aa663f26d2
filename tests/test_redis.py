"""Distributed crawls on scrapy-redis with a real Redis server (Debian's redis-server, started here).

Every test starts its own redis-server (`redis` fixture: 127.0.0.1, a free port, a temporary --dir, no RDB/AOF,
stopped at the end) and serves the bundled demo site from a local http.server that records every request
and answers slowly enough (DELAY s) that one worker cannot finish the crawl before the other joins.

- two `demo-redis` worker processes share the Redis queue: every page is fetched exactly once over both, both
  crawl, each writes its own audit log named and stamped with its worker id, `scrapy quality-report` over a glob
  of both logs covers every page, and items yielded = kept + dropped summed over both workers' stats;
- Redis stopped mid-crawl: what scrapy-redis itself does (the crawl does not end; the audit log stays intact and
  readable; SIGTERM closes it with its summary), and what our scheduler shim does (the crawl ends by itself with
  finish reason "redis_unavailable" and a complete audit log).
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Callable

import pytest

from crawl_helpers import DEMO_SITE, ROOT
from crawler.audit import read_audit, read_audits
from crawler.demo import QuietHandler, serve_site
from crawler.distributed import RedisServer, push_start_urls
from crawler.html_report import sweep
from redis_worker import start_worker

pytestmark = pytest.mark.slow

DELAY = 0.5          # seconds per response: one worker alone would need ~8 s for the site
START_KEY = "demo-redis:start_urls"
ARTICLES = len(list((DEMO_SITE / "articles").glob("*.html")))
PAGES = 1 + ARTICLES + 1  # the index, the articles, about.txt: all audited (robots.txt: per worker, not audited)


@pytest.fixture
def redis():
    with RedisServer() as server:
        yield server
    assert server.process is None  # stopped


class Site:
    """The demo site on 127.0.0.1, slow, counting requests per path; `on_request(path, n)` runs before the n-th
    request is served."""

    def __init__(self, on_request: Callable[[str, int], None] | None = None):
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                with site._lock:
                    site.requests[self.path] += 1
                    n = site.requests.total()
                if on_request is not None:
                    on_request(self.path, n)
                time.sleep(DELAY)
                super().do_GET()

        self._serve = serve_site(DEMO_SITE, Handler)

    def __enter__(self) -> str:
        return self._serve.__enter__()

    def __exit__(self, *exc) -> None:
        self._serve.__exit__(*exc)


def worker_settings(redis: RedisServer, report_dir: Path, worker: str, **extra) -> dict:
    return {"REDIS_URL": redis.url, "QUALITY_WORKER_ID": worker, "QUALITY_REPORT_DIR": str(report_dir),
            # 15 s: an idle worker outwaits its peer's heartbeat (5 s) and start-up skew before work reaches the queue
            "MAX_IDLE_TIME_BEFORE_CLOSE": 15, "CONCURRENT_REQUESTS": 2, **extra}


def wait_for(condition: Callable[[], bool], timeout: float, what: str, logs: list[Path] = ()) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {log}\n{log.read_text(errors='replace')[-3000:]}" for log in logs if log.exists())
            pytest.fail(f"timed out waiting for {what}\n{tails}")
        time.sleep(0.1)


def opened(report_dir: Path, worker: str) -> bool:
    """The worker's spider is open: its audit log holds the crawl record."""
    return any(p.stat().st_size > 0 for p in report_dir.glob(f"*-{worker}.audit.jsonl"))


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- two workers, one queue ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("two-workers")
    report_dir = tmp_path / "reports"
    site = Site()
    with RedisServer() as redis, site as base:
        workers = {name: start_worker(tmp_path / "run", name, worker_settings(redis, report_dir, name))
                   for name in ("worker-1", "worker-2")}
        logs = [log for _, _, log in workers.values()]
        wait_for(lambda: all(opened(report_dir, name) for name in workers), 60, "both workers to open", logs)
        assert push_start_urls(redis.url, START_KEY, [f"{base}/index.html"]) == 1
        for proc, _, _ in workers.values():
            try:
                proc.wait(120)
            except subprocess.TimeoutExpired:
                proc.kill()
        results = {}
        for name, (proc, out, log) in workers.items():
            assert proc.returncode == 0, log.read_text(errors="replace")[-3000:]
            results[name] = json.loads(out.read_text(encoding="utf-8"))
        keys = {k.decode() for k in redis.client().keys("*")}
    return report_dir, site, results, keys


def test_two_workers_share_the_queue_and_crawl_each_page_once(two_workers):
    report_dir, site, results, keys = two_workers
    pages = {p for p in site.requests if p != "/robots.txt"}
    assert len(pages) == PAGES
    assert all(site.requests[p] == 1 for p in pages), site.requests           # fetched once over both workers
    assert site.requests["/robots.txt"] == 2                                   # each worker's own
    # the queue and the fingerprints live in Redis (SCHEDULER_PERSIST: a worker that ends first keeps them)
    assert "demo-redis:dupefilter" in keys
    audited = Counter()
    for name, result in results.items():
        stats = result["stats"]
        assert stats["finish_reason"] == "finished"
        assert stats.get("scheduler/dequeued/redis", 0) > 0, f"{name} crawled nothing from the shared queue"
        assert stats.get("log_count/ERROR", 0) == 0
    for path in sorted(report_dir.glob("*.audit.jsonl")):
        for record in lines_of(path):
            if record["record"] == "page":
                audited[record["url"].split("/", 3)[3]] += 1
    assert all(n == 1 for n in audited.values()) and len(audited) == PAGES


def test_each_worker_writes_its_own_audit_log_with_its_id(two_workers):
    report_dir, _, results, _ = two_workers
    logs = list(report_dir.glob("*.audit.jsonl"))
    assert len(logs) == 2
    # the names start with each worker's own start time, so their order says nothing: match them by worker id
    by_worker = {w: [p for p in logs if p.name.endswith(f"-{w}.audit.jsonl")] for w in ("worker-1", "worker-2")}
    assert all(len(paths) == 1 for paths in by_worker.values()), [p.name for p in logs]
    for worker, (path,) in by_worker.items():
        assert path.name.startswith("demo-redis-")
        records = lines_of(path)
        assert {r["worker"] for r in records} == {worker}                      # in every record
        assert records[0]["record"] == "crawl" and records[-1]["record"] == "summary"
        assert records[0]["distributed"] is True
        assert sum(r["record"] == "page" for r in records) > 0                 # both crawled
        assert path.with_name(path.name.replace(".audit.jsonl", ".report.html")).is_file()


def test_accounting_holds_summed_over_the_workers(two_workers):
    report_dir, _, results, _ = two_workers
    total = Counter()
    for result in results.values():
        stats = result["stats"]
        for key in ("quality/items/kept", "quality/items/dropped", "item_scraped_count"):
            total[key] += stats.get(key, 0)
        total["pipeline"] += len(result["items"])
    yielded = ARTICLES  # one item per article page
    assert total["quality/items/kept"] + total["quality/items/dropped"] == yielded
    assert total["item_scraped_count"] == total["quality/items/kept"] == total["pipeline"]
    assert total["quality/items/dropped"] > 0  # the demo site's copies get dropped: the test proves something
    merged = read_audits(sorted(report_dir.glob("*.audit.jsonl")))
    verdicts = merged.item_counts()
    assert sum(verdicts.values()) == yielded and verdicts["drop"] == total["quality/items/dropped"]
    stats = merged.summary["stats"]  # the merged summary sums the workers' quality/ stats
    assert stats["quality/items/kept"] + stats["quality/items/dropped"] == yielded
    assert merged.summary["items_scraped"] == total["item_scraped_count"]


def test_quality_report_merges_the_workers_logs(two_workers, tmp_path):
    report_dir, _, _, _ = two_workers
    out = tmp_path / "merged.html"
    env_cmd = [sys.executable, "-m", "scrapy", "quality-report", str(report_dir / "*.audit.jsonl"), "-o", str(out),
               "--sweep", "--thresholds", "0.5,0.9,0.99"]
    proc = subprocess.run(env_cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    head = proc.stdout.splitlines()[0]
    assert head.startswith("2 audit logs (workers ") and head.endswith(f"): {PAGES} pages audited"), head
    assert {"worker-1", "worker-2"} == set(head.split("(workers ")[1].split(")")[0].split(", "))
    merged = read_audits(sorted(report_dir.glob("*.audit.jsonl")))
    assert len(merged.pages) == PAGES
    for name, row in sweep(merged, (0.5, 0.9, 0.99)).items():  # the sweep is over both logs
        line = next(line for line in proc.stdout.splitlines() if line.startswith(name))
        assert [int(c.rstrip("*")) for c in line.split()[2:5]] == [n for _, n in row]
        assert int(line.split()[1]) == len([p for p in merged.pages if name in p.report.signals])
    html = out.read_text(encoding="utf-8")
    assert "2 audit logs of workers" in html and "<h2>Workers</h2>" in html
    assert "worker-1" in html and "worker-2" in html
    assert f"<h2>Flagged pages ({len(merged.flagged())})</h2>" in html
    # the same logs named one by one, and by their directory
    by_files = subprocess.run([sys.executable, "-m", "scrapy", "quality-report",
                               *map(str, sorted(report_dir.glob("*.audit.jsonl"))), str(report_dir), "--sweep"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert by_files.returncode == 0 and f"): {PAGES} pages audited" in by_files.stdout, by_files.stderr
    nothing = subprocess.run([sys.executable, "-m", "scrapy", "quality-report", str(report_dir / "nope-*.jsonl"),
                              "--sweep"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert nothing.returncode == 2 and "no audit log matches" in nothing.stderr


# -- Redis goes away mid-crawl --------------------------------------------------------------------------------------
KILL_AT = 8  # Redis is stopped before the 8th request (robots.txt, the index, then articles) is served


def crawl_until_redis_dies(redis: RedisServer, tmp_path: Path, **settings):
    """One worker crawls the slow site; Redis is stopped mid-crawl, while an article is being fetched. Returns
    the site, the worker process and its files, and the audit log's bytes just after Redis stopped."""
    report_dir = tmp_path / "reports"
    killed = threading.Event()

    def on_request(path: str, n: int) -> None:
        if n == KILL_AT:
            redis.stop(remove=False)
            killed.set()

    site = Site(on_request)
    base = site.__enter__()
    proc, out, log = start_worker(tmp_path / "run", "worker-1",
                                  worker_settings(redis, report_dir, "worker-1", **settings))
    wait_for(lambda: opened(report_dir, "worker-1"), 60, "the worker to open", [log])
    push_start_urls(redis.url, START_KEY, [f"{base}/index.html"])
    wait_for(killed.is_set, 60, "Redis to be stopped mid-crawl", [log])
    time.sleep(DELAY * 2)  # the responses in flight are scored and audited
    audit_path = next(report_dir.glob("*-worker-1.audit.jsonl"))
    before = audit_path.read_bytes()
    return site, proc, out, log, audit_path, before


def check_intact(audit_path: Path, before: bytes) -> list[dict]:
    """The records written before Redis went away are all there, unchanged, and every line is a record."""
    after = audit_path.read_bytes()
    complete = before[: before.rfind(b"\n") + 1]
    assert after.startswith(complete)
    records = lines_of(audit_path)  # raises on a torn line
    audit = read_audit(audit_path)
    assert audit.bad_lines == 0
    early_pages = [json.loads(line) for line in complete.splitlines() if json.loads(line)["record"] == "page"]
    assert len(early_pages) >= 4, "the crawl had not got going before Redis was stopped"
    assert {p["url"] for p in early_pages} <= {p.url for p in audit.pages}
    assert all(n == 1 for n in Counter(p.url for p in audit.pages).values())
    return records


def test_scrapy_redis_alone_does_not_end_the_crawl_when_redis_goes_away(redis, tmp_path):
    """What scrapy-redis 0.9.1 itself does: its scheduler's Redis errors escape into Scrapy's engine loop, which
    logs them every heartbeat and never closes the spider. The audit log meanwhile is intact and readable, and
    SIGTERM (Scrapy's graceful shutdown) closes the crawl with its summary line."""
    site, proc, out, log, audit_path, before = crawl_until_redis_dies(
        redis, tmp_path, SCHEDULER="scrapy_redis.scheduler.Scheduler")
    try:
        time.sleep(12)  # two engine heartbeats: scrapy-redis logs the error each time and does not close
        assert proc.poll() is None, "scrapy-redis ended the crawl by itself: update crawler/redis_scheduler.py's note"
        text = log.read_text(errors="replace")
        assert "redis.exceptions.ConnectionError" in text and "Connection refused" in text
        assert "Exception in callback" in text  # the engine's loop, not the spider, got it
        running = lines_of(audit_path)
        assert running and not [r for r in running if r["record"] == "summary"]
        check_intact(audit_path, before)
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
        site.__exit__(None, None, None)
    records = check_intact(audit_path, before)
    assert records[-1]["record"] == "summary" and records[-1]["finish_reason"] == "shutdown"
    assert json.loads(out.read_text())["stats"]["finish_reason"] == "shutdown"


def test_redis_going_away_ends_the_crawl_and_keeps_the_audit_log(redis, tmp_path):
    """With crawler.redis_scheduler (the demo-redis spider's scheduler) the worker closes by itself, with finish
    reason redis_unavailable, QUALITY_REDIS_TIMEOUT seconds after Redis became unreachable."""
    site, proc, out, log, audit_path, before = crawl_until_redis_dies(redis, tmp_path, QUALITY_REDIS_TIMEOUT=2)
    try:
        proc.wait(60)  # it ends by itself (2 s + at most one 5 s heartbeat + closing)
    except subprocess.TimeoutExpired:
        pytest.fail("the worker hung after Redis went away\n" + log.read_text(errors="replace")[-3000:])
    finally:
        if proc.poll() is None:
            proc.kill()
        site.__exit__(None, None, None)
    assert proc.returncode == 0, log.read_text(errors="replace")[-3000:]
    records = check_intact(audit_path, before)
    summary = records[-1]
    assert summary["record"] == "summary" and summary["finish_reason"] == "redis_unavailable"
    stats = json.loads(out.read_text())["stats"]
    assert stats["finish_reason"] == "redis_unavailable" and stats["quality/errors/redis"] > 0
    assert summary["stats"]["quality/errors/redis"] > 0
    assert "Redis unreachable" in log.read_text(errors="replace")
    assert audit_path.with_name(audit_path.name.replace(".audit.jsonl", ".report.html")).is_file()


def test_unreachable_redis_at_start_up_says_what_to_fix(tmp_path):
    server = RedisServer()
    server.start()
    url = server.url
    server.stop()  # a port where nothing listens
    proc, out, log = start_worker(tmp_path / "run", "worker-1",
                                  {"REDIS_URL": url, "QUALITY_REPORT_DIR": str(tmp_path / "reports")})
    proc.wait(60)
    text = log.read_text(errors="replace")
    assert f"cannot reach Redis at {url}" in text and "start redis-server or point REDIS_URL at it" in text


# -- the worker id -------------------------------------------------------------------------------------------------
def trail_for(tmp_path: Path, **settings):
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from crawler.audit_trail import AuditTrail

    crawler = get_crawler(Spider, settings_dict={"QUALITY_REPORT_DIR": str(tmp_path), **settings})
    crawler.spider = Spider("site")
    crawler.stats.open_spider()
    return AuditTrail.from_crawler(crawler)  # as the extension manager builds it once the spider exists


def test_worker_id_defaults_to_host_and_pid_and_is_checked():
    import os
    import socket

    from crawler.options import resolve_worker_id
    from scoring.config import ConfigError

    assert resolve_worker_id(None) == f"{socket.gethostname().split('.')[0]}-{os.getpid()}"
    assert resolve_worker_id("worker-7") == "worker-7" and resolve_worker_id(3) == "3"
    for bad in ("../x", "a/b", ".hidden", "x" * 65, "caf\u00e9", True, ["w"]):
        with pytest.raises(ConfigError, match="QUALITY_WORKER_ID"):
            resolve_worker_id(bad)


def test_audit_file_names_carry_the_worker_in_a_distributed_crawl(tmp_path):
    single = trail_for(tmp_path / "a", QUALITY_REPORT_NAME="crawl")
    assert single.audit_path.name == "crawl.audit.jsonl"  # a crawl of its own keeps its name
    named = trail_for(tmp_path / "b", QUALITY_REPORT_NAME="crawl", QUALITY_WORKER_ID="w1")
    assert named.audit_path.name == "crawl-w1.audit.jsonl" and named.report_path.name == "crawl-w1.report.html"
    shared = trail_for(tmp_path / "c", QUALITY_REPORT_NAME="crawl",
                       SCHEDULER="crawler.redis_scheduler.RedisScheduler")
    assert shared.audit_path.name == f"crawl-{shared.worker_id}.audit.jsonl" and shared.options.distributed
    placed = trail_for(tmp_path / "d", QUALITY_REPORT_NAME="%(worker)s_%(name)s", QUALITY_WORKER_ID="w2")
    assert placed.audit_path.name == "w2_site.audit.jsonl"


def test_two_processes_never_share_an_audit_log(tmp_path):
    """Two trails that picked the same name (same spider, same second, same worker id) before either opened:
    the log is created exclusively, so the second takes the next name."""
    from scrapy import Spider

    first = trail_for(tmp_path, QUALITY_REPORT_NAME="crawl", QUALITY_WORKER_ID="w")
    second = trail_for(tmp_path, QUALITY_REPORT_NAME="crawl", QUALITY_WORKER_ID="w")
    assert first.audit_path == second.audit_path
    first.spider_opened(Spider("site"))
    second.spider_opened(Spider("site"))
    first.writer.close()
    second.writer.close()
    assert (first.audit_path.name, second.audit_path.name) == ("crawl-w.audit.jsonl", "crawl-w.2.audit.jsonl")
    assert second.report_path.name == "crawl-w.2.report.html"
    for trail in (first, second):
        assert [r["worker"] for r in lines_of(trail.audit_path)] == ["w"]
