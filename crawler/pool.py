"""Scoring, in the crawl process or in worker processes: which responses are scored (`score_kind`) and the
`ScoringPool` that scores them (a worker process runs crawler/worker.py, which imports no Scrapy).

Failures are caught once each: the scorer turns a failure while scoring into an unscored report itself
(scoring.scorer.Scorer._run); `ScoringPool.score` turns what fails around it (a body that cannot be decoded, a
worker that died, a report that cannot travel back) into one. Either way the page is kept, and the first traceback
of each kind is logged at WARNING (scoring.failures.FailureLog), including those logged inside a worker process.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import multiprocessing
import sys
import types
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Iterator

import scrapy
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.utils.asyncio import is_asyncio_available
from scrapy.utils.defer import maybe_deferred_to_future

from scoring.config import ConfigError, QualityConfig
from scoring.failures import FailureLog
from scoring.report import KEEP, UNSCORED, PageReport

from .options import DONT_SCORE
from .worker import init_worker, score_in_worker, score_with, worker_ready

logger = logging.getLogger(__name__)


def score_kind(request: scrapy.Request, response: Response, max_bytes: int) -> tuple[str | None, str | None]:
    """("html" | "text", None) for a response to score, or (None, skip reason) for one to leave alone."""
    if request.meta.get(DONT_SCORE):
        return None, "dont_score"
    if not 200 <= response.status < 300:
        return None, "http_status"
    if isinstance(response, HtmlResponse):
        kind = "html"
    elif isinstance(response, TextResponse) and not isinstance(response, XmlResponse) and \
            response.headers.get(b"Content-Type", b"text/plain").split(b";")[0].strip().lower() == b"text/plain":
        kind = "text"
    else:
        return None, "content_type"   # images, PDFs, XML feeds, JSON, ...
    if len(response.body) > max_bytes:
        return None, "too_large"
    if b"\x00" in response.body[:1024]:
        return None, "binary"         # binary served as text (a NUL never occurs in real text)
    return kind, None


def unscored(url: str, exc: BaseException) -> PageReport:
    """The report of a page that failed around the scorer (the scorer reports its own failures so)."""
    return PageReport(source=url, status=UNSCORED, action=KEEP, error=f"{type(exc).__name__}: {exc}")


def _log_level() -> int:
    """The lowest level the crawl process logs at: what a worker sends back."""
    root = logging.getLogger()
    return max(root.getEffectiveLevel(), min((h.level for h in root.handlers), default=logging.WARNING))


def _log_again(records: list[logging.LogRecord]) -> None:
    for record in records:
        logger_ = logging.getLogger(record.name)
        if logger_.isEnabledFor(record.levelno):
            logger_.handle(record)


class PoolUnavailable(RuntimeError):
    """The scoring workers died and could not be restarted."""


class ScoringPool:
    """Runs the scorer inline (workers=0) or in worker processes that each load the model once.

    KenLM's Python module holds the GIL while it scores, so threads would only keep the reactor free,
    not run in parallel; processes do both. Workers are started with "spawn" (forking a process that
    runs a reactor and a DNS thread pool is unsafe) and warmed up at start-up, which also surfaces a
    model that fails to load as a start-up error.
    """

    def __init__(self, config: QualityConfig, workers: int = 0):
        self.config, self.workers = config, workers
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None
        self._broken: str | None = None  # why the worker pool is gone, once it could not restart
        self.failures = FailureLog(logger)
        self._scorer = None if workers else _load_scorer(config)
        if workers:
            self._start()

    def _start(self) -> None:
        self._executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker, initargs=(self.config, _log_level()),
        )
        try:
            with _main_module_hidden():  # the pool spawns its processes on these first submits
                warmups = [self._executor.submit(worker_ready) for _ in range(self.workers)]
            errors = {f.result() for f in warmups} - {None}
        except BrokenProcessPool as exc:
            errors = {f"worker processes could not start ({exc})"}
        if errors:
            self.close()
            raise ConfigError(f"scrapy-quality: cannot load the scorer in a worker: {errors.pop()}")

    async def score(self, kind: str, response: TextResponse) -> PageReport:
        """The report of a response (`kind` from `score_kind`); never raises: a failure is an unscored report."""
        url, executor = response.url, self._executor
        try:
            text = response.text
            if self._scorer is not None:
                return score_with(self._scorer, kind, text, url)
            if executor is None:  # the pool died and could not restart: keep every page, say why
                raise PoolUnavailable(self._broken or "the scoring pool is closed")
            report, records = await _await_future(executor.submit(score_in_worker, kind, text, url))
            _log_again(records)
            return report
        except BrokenProcessPool as exc:
            if self._executor is executor:  # the first of the pages in flight to notice restarts the pool
                logger.error("scrapy-quality: a scoring worker died (%s); restarting the pool", exc)
                self._restart()
            return unscored(url, exc)
        except Exception as exc:  # an undecodable body, a report that cannot travel back, a pool shut down at close
            self.failures.log(exc, f"scrapy-quality: scoring {url}")
            return unscored(url, exc)

    def _restart(self) -> None:
        self.close()
        try:
            self._start()
        except ConfigError as exc:  # e.g. the model file was deleted after start-up
            self._broken = str(exc)
            logger.error("%s; the scoring workers cannot restart: from now on pages are kept and tagged unscored",
                         exc)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _load_scorer(config: QualityConfig):
    """The scorer, imported only when it runs here: with workers, the crawl process would import it (numpy,
    langdetect, the signals: ~0.17 s of CPU) for nothing."""
    from scoring.scorer import Scorer

    try:
        return Scorer(config)
    except Exception as exc:
        raise ConfigError(f"scrapy-quality: cannot load the scorer: {type(exc).__name__}: {exc}") from exc


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start worker processes without re-running the parent's __main__ script in them.

    "spawn" re-imports the main script in every worker, which re-runs a crawl script that lacks an
    `if __name__ == "__main__":` guard (as Scrapy's run-from-a-script examples do). The workers need
    nothing from it: they import this module by name.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


async def _await_future(future: concurrent.futures.Future) -> Any:
    """Await a concurrent.futures.Future on the asyncio loop or, with another reactor, as a Deferred."""
    if is_asyncio_available():
        return await asyncio.wrap_future(future)
    from twisted.internet import defer, reactor

    deferred: defer.Deferred = defer.Deferred()

    def fire(done: concurrent.futures.Future) -> None:
        if done.exception() is not None:
            deferred.errback(done.exception())
        else:
            deferred.callback(done.result())

    future.add_done_callback(lambda done: reactor.callFromThread(fire, done))
    return await maybe_deferred_to_future(deferred)
