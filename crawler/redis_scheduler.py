"""scrapy-redis's scheduler with one shim: a Redis that goes away ends the crawl instead of hanging it.

    SCHEDULER = "crawler.redis_scheduler.RedisScheduler"    # in crawler.distributed.REDIS_SETTINGS

What scrapy-redis 0.9.1 does by itself when Redis stops mid-crawl (Scrapy 2.19; tests/test_redis.py shows it):
its `Scheduler.next_request` and `has_pending_requests` call Redis from the engine's loop and let redis-py's
``ConnectionError`` ("Error 111 connecting to 127.0.0.1:PORT. Connection refused.") out. Scrapy logs it as
"[asyncio] ERROR: Exception in callback <CallLaterOnce ...>" and tries again at the next heartbeat (every 5 s),
and the idle check raises the same error, so the spider never closes: the crawl process runs on, logging a
traceback each time, until it is stopped (SIGTERM/SIGINT closes it with finish reason "shutdown"). Requests
the spider yields meanwhile fail to enqueue and are lost. Nothing is lost from the audit log: each record
is flushed as it is written.

This subclass changes only that: a Redis error is caught, counted (``quality/errors/redis``) and logged once;
while Redis is unreachable the scheduler hands out no request and reports work pending (so the spider is
not closed as "finished"); if Redis comes back within QUALITY_REDIS_TIMEOUT seconds (default 30) the crawl
goes on, otherwise the spider is closed with finish reason ``redis_unavailable``, which writes the audit log's
summary line and the HTML report. Requests that could not be enqueued meanwhile are counted under
``quality/redis/lost_requests`` and logged. The queue, the dupefilter and everything else are scrapy-redis's.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable, TypeVar

import redis
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.scheduler import Scheduler

from scoring.config import ConfigError

from .distributed import quiet_scrapy_redis_warnings
from .options import DEFAULTS

logger = logging.getLogger(__name__)
quiet_scrapy_redis_warnings()

REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
TIMEOUT_SETTING = "QUALITY_REDIS_TIMEOUT"
DEFAULT_TIMEOUT = float(DEFAULTS[TIMEOUT_SETTING])
CLOSE_REASON = "redis_unavailable"
T = TypeVar("T")


class RedisScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler: Any) -> "RedisScheduler":
        timeout = crawler.settings.get(TIMEOUT_SETTING, DEFAULT_TIMEOUT)
        try:
            timeout = float(timeout)
            if timeout < 0 or timeout != timeout:
                raise ValueError
        except (TypeError, ValueError):
            raise ConfigError(f"scrapy-quality: {TIMEOUT_SETTING} is {timeout!r}; give the seconds a worker waits "
                              "for an unreachable Redis before it closes (a number >= 0)") from None
        try:
            scheduler = super().from_crawler(crawler)  # connects and PINGs Redis
        except REDIS_ERRORS as exc:
            where = crawler.settings.get("REDIS_URL") or (f"{crawler.settings.get('REDIS_HOST') or 'localhost'}:"
                                                          f"{crawler.settings.get('REDIS_PORT') or 6379}")
            raise ConfigError(f"scrapy-quality: cannot reach Redis at {where} ({exc}); start redis-server or point "
                              "REDIS_URL at it (the shared request queue of a scrapy-redis crawl)") from None
        scheduler.crawler, scheduler.timeout = crawler, timeout
        scheduler._down_since, scheduler._closing = None, False
        return scheduler

    # -- scrapy-redis's methods, guarded -------------------------------------------------------------------------
    def enqueue_request(self, request: Any) -> bool:
        enqueued = self._guard("enqueue a request", lambda: super(RedisScheduler, self).enqueue_request(request), None)
        if enqueued is None:
            self._inc("quality/redis/lost_requests")
            logger.error("scrapy-quality: Redis unreachable: request %s not enqueued (lost)", request.url)
            return False
        return enqueued

    def next_request(self) -> Any:
        return self._guard("pop a request", super().next_request, None)

    def has_pending_requests(self) -> bool:
        return self._guard("count the queue", super().has_pending_requests, True)  # unknown: not idle yet

    def close(self, reason: str) -> Any:
        return self._guard("close the queue", lambda: super(RedisScheduler, self).close(reason), None)

    # -- the shim ------------------------------------------------------------------------------------------------
    def _guard(self, what: str, call: Callable[[], T], fallback: T) -> T:
        try:
            result = call()
        except REDIS_ERRORS as exc:
            self._unreachable(what, exc)
            return fallback
        if self._down_since is not None:
            logger.warning("scrapy-quality: Redis is reachable again after %.1f s", time.monotonic() - self._down_since)
            self._down_since = None
        return result

    def _unreachable(self, what: str, exc: Exception) -> None:
        self._inc("quality/errors")
        self._inc("quality/errors/redis")
        now = time.monotonic()
        if self._down_since is None:
            self._down_since = now
            logger.error("scrapy-quality: Redis unreachable (cannot %s: %s: %s); the worker waits up to %g s "
                         "(QUALITY_REDIS_TIMEOUT), then closes", what, type(exc).__name__, exc, self.timeout)
        if now - self._down_since >= self.timeout and not self._closing and self.crawler.engine is not None:
            self._closing = True
            logger.error("scrapy-quality: Redis unreachable for %.1f s: closing the spider (%s)",
                         now - self._down_since, CLOSE_REASON)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=CLOSE_REASON))

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
