"""Distributed crawls on scrapy-redis: several `scrapy crawl` processes share one Redis request queue.

We build on scrapy-redis (https://github.com/rmax/scrapy-redis) and add no queue of our own:

- scrapy-redis's scheduler keeps the requests in a Redis sorted set and its dupefilter the request
  fingerprints in a Redis set, so every URL is enqueued once over all workers and every queued request is
  popped (atomically) by exactly one worker;
- a `RedisSpider` reads its start URLs from the Redis list ``<spider>:start_urls``
  (``redis-cli lpush demo-redis:start_urls '{"url": "https://example.com/"}'``) and, when idle, waits for
  more until MAX_IDLE_TIME_BEFORE_CLOSE seconds pass.

Each worker scores with its own memory-mapped model (the scoring middleware loads it per process) and writes
its own audit log, named and stamped with its QUALITY_WORKER_ID; `scrapy quality-report` merges them.

Scrapy 2.19: scrapy-redis 0.9.1 works: its scheduler passes ``spider=`` to ``StatsCollector.inc_value`` and
calls ``Spider.log()``, which Scrapy 2.19 deprecates (a ScrapyDeprecationWarning per request, nothing more;
`quiet_scrapy_redis_warnings` silences those two). What fails is a Redis that goes away mid-crawl: the crawl
hangs, logging a ConnectionError every 5 s; crawler/redis_scheduler.py is the shim for that.

This module also starts a private Redis server for the demo and the tests (`RedisServer`).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, Iterable

# The scrapy-redis settings of a shared crawl (what its README documents, plus SCHEDULER_PERSIST).
REDIS_SETTINGS: dict[str, Any] = {
    # scrapy_redis.scheduler.Scheduler with one shim: a Redis gone for QUALITY_REDIS_TIMEOUT s ends the crawl
    # (finish reason "redis_unavailable") instead of hanging it; see crawler/redis_scheduler.py.
    "SCHEDULER": "crawler.redis_scheduler.RedisScheduler",
    "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
    # With SCHEDULER_PERSIST False (scrapy-redis's default) the first worker to finish deletes the shared
    # queue and fingerprints while the others still crawl: pending requests are lost and seen URLs crawled
    # again. Persisted, they stay in Redis; delete the keys (or FLUSHDB) when the whole crawl is over.
    "SCHEDULER_PERSIST": True,
    # An idle worker waits this long (seconds without a response) for more requests before it closes.
    "MAX_IDLE_TIME_BEFORE_CLOSE": 10,
    # scrapy-redis's client is synchronous, called from the reactor: a Redis host that does not answer blocks
    # the crawl for the whole timeout (scrapy-redis's defaults: 30 s to connect, 30 s per command).
    "REDIS_PARAMS": {"socket_connect_timeout": 5, "socket_timeout": 10, "retry_on_timeout": True,
                     "encoding": "utf-8"},
}
REDIS_SCHEDULER_MODULES = ("scrapy_redis", "crawler.redis_scheduler")


def quiet_scrapy_redis_warnings() -> None:
    """Silence the deprecations scrapy-redis 0.9.1 trips in Scrapy 2.19: ``spider=`` in StatsCollector.inc_value
    (once per request) and Spider.log() (its "Resuming crawl" line). Both still work in 2.19."""
    warnings.filterwarnings("ignore", message=r"Passing a 'spider' argument to StatsCollector\.",
                            module=r"scrapy_redis\.")
    warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated", module=r"scrapy_redis\.")


def uses_redis_scheduler(settings: Any) -> bool:
    """True when the crawl's scheduler is scrapy-redis's: requests come from a queue other processes share."""
    scheduler = settings.get("SCHEDULER")
    name = str(scheduler if isinstance(scheduler, str) else getattr(scheduler, "__module__", ""))
    return any(name == module or name.startswith(module + ".") for module in REDIS_SCHEDULER_MODULES)


def default_worker_id() -> str:
    """hostname-pid: unique among the crawl processes of one machine, and across machines by the host name."""
    return f"{socket.gethostname().split('.', 1)[0] or 'host'}-{os.getpid()}"


# -- a private Redis server (the demo and the tests) -------------------------------------------------------------
class RedisServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """redis-server on 127.0.0.1 at a free port, its files in a temporary directory, nothing persisted.

        with RedisServer() as server:
            server.url   # redis://127.0.0.1:PORT/0

    `stop()` ends it (SIGTERM; nothing to save) and removes the directory; it is safe to call twice.
    """

    def __init__(self, directory: str | os.PathLike | None = None, executable: str = "redis-server"):
        self.executable = shutil.which(executable)
        if self.executable is None:
            raise RedisServerError(f"{executable} not found: install Debian's redis-server "
                                   "(`make system-deps` or `apt-get install redis-server`)")
        self._own_dir = directory is None
        self.directory = Path(tempfile.mkdtemp(prefix="redis-") if directory is None else directory)
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 15) -> "RedisServer":
        for _attempt in range(3):  # another process may take the free port between probe and bind
            self.port = free_port()
            self.directory.mkdir(parents=True, exist_ok=True)
            log = open(self.directory / "redis.log", "ab")
            self.process = subprocess.Popen(
                [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
                 "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
                 "--loglevel", "warning"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            log.close()
            deadline = time.monotonic() + timeout
            while self.process.poll() is None and time.monotonic() < deadline:
                if self.ping():
                    return self
                time.sleep(0.05)
            self.stop(remove=False)
        tail = (self.directory / "redis.log").read_text(errors="replace")[-2000:]
        raise RedisServerError(f"redis-server did not start on 127.0.0.1 (log {self.directory / 'redis.log'}):\n{tail}")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=10)

    def stop(self, remove: bool = True) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None
        if remove and self._own_dir:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def push_start_urls(redis_url: str, key: str, urls: Iterable[str], **meta_data: Any) -> int:
    """LPUSH each URL to `key` as the JSON scrapy-redis's RedisSpider reads ({"url": ..., "meta": {...}})."""
    import json

    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=10)
    try:
        payloads = [json.dumps({"url": url, **({"meta": meta_data} if meta_data else {})}) for url in urls]
        return client.lpush(key, *payloads) if payloads else 0
    finally:
        client.close()
