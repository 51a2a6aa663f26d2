"""Scrapy middlewares that score fetched pages, act on the items built from them and audit every verdict.

- `QualityScoringMiddleware` (downloader): scores each HTML/text response with the `scoring` library and
  attaches the `PageReport` to ``response.meta["quality"]``; optionally drops at download time.
- `QualityItemMiddleware` (spider): tags or drops the items a spider yields from a scored response.
- `AuditTrail`: the crawl's JSONL audit log and, at spider close, its HTML report (shared by both).

Settings are documented in `crawler/settings.py`; stats go under ``quality/``.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import itertools
import logging
import multiprocessing
import os
import sys
import tempfile
import tomllib
import types
import weakref
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping

import scrapy
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.utils.asyncio import is_asyncio_available
from scrapy.utils.defer import maybe_deferred_to_future

from scoring.config import ConfigError, QualityConfig
from scoring.report import DROP, KEEP, NO_MAIN_CONTENT, TAG, TOO_SHORT, UNSCORED, UNSUPPORTED, SCORED, PageReport

from .audit import AUDIT_SUFFIX, REPORT_SUFFIX, AuditWriter, item_record, page_record, utc_now
from .distributed import default_worker_id, uses_redis_scheduler

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

META_KEY = "quality"            # response.meta["quality"]: the PageReport
DONT_SCORE = "dont_score"       # request.meta["dont_score"] = True: skip scoring
STATS = "quality"               # stats prefix

# QUALITY_* settings that map onto scoring.config.QualityConfig fields.
CONFIG_SETTINGS = {
    "QUALITY_SIGNALS": "signals",
    "QUALITY_MODELS": "models",
    "QUALITY_THRESHOLDS": "thresholds",
    "QUALITY_ACTIONS": "actions",
    "QUALITY_MIN_WORDS": "min_words",
    "QUALITY_MAX_BYTES": "max_bytes",
    "QUALITY_MAX_TOKENS": "max_tokens",
}
DICT_SETTINGS = {"QUALITY_MODELS", "QUALITY_THRESHOLDS", "QUALITY_ACTIONS"}
# Scrapy-side settings and their defaults (the scoring defaults live in QualityConfig).
DEFAULTS: dict[str, Any] = {
    "QUALITY_ENABLED": True,
    "QUALITY_POLICY": None,
    "QUALITY_ITEM_FIELD": "quality",
    "QUALITY_DROP_AT_DOWNLOAD": False,
    "QUALITY_WORKERS": 0,
    "QUALITY_REPORT_DIR": "reports",
    "QUALITY_REPORT_NAME": "%(name)s-%(time)s",
    "QUALITY_HTML_REPORT": True,
    "QUALITY_WORKER_ID": None,        # None: hostname-pid, computed per process (resolve_worker_id)
    "QUALITY_REDIS_TIMEOUT": 30,      # read by crawler.redis_scheduler.RedisScheduler
}
WORKER_ID_SETTING = "QUALITY_WORKER_ID"


# -- configuration -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QualityOptions:
    """Everything the middlewares read from the settings, validated once."""

    config: QualityConfig
    item_field: str | None = DEFAULTS["QUALITY_ITEM_FIELD"]
    drop_at_download: bool = DEFAULTS["QUALITY_DROP_AT_DOWNLOAD"]
    workers: int = DEFAULTS["QUALITY_WORKERS"]
    report_dir: Path = Path(DEFAULTS["QUALITY_REPORT_DIR"])
    report_name: str = DEFAULTS["QUALITY_REPORT_NAME"]
    html_report: bool = DEFAULTS["QUALITY_HTML_REPORT"]
    worker_id: str = ""            # QUALITY_WORKER_ID, or hostname-pid
    distributed: bool = False      # requests come from a shared queue (scrapy-redis's scheduler)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> "QualityOptions":
        """Raise NotConfigured when disabled, ConfigError (saying what to fix) when misconfigured."""
        if not settings.getbool("QUALITY_ENABLED", DEFAULTS["QUALITY_ENABLED"]):
            raise NotConfigured("QUALITY_ENABLED is False")
        workers = resolve_workers(settings.get("QUALITY_WORKERS", DEFAULTS["QUALITY_WORKERS"]))
        item_field = settings.get("QUALITY_ITEM_FIELD", DEFAULTS["QUALITY_ITEM_FIELD"])
        return cls(
            config=scoring_config(settings),
            item_field=str(item_field) if item_field else None,
            drop_at_download=settings.getbool("QUALITY_DROP_AT_DOWNLOAD", DEFAULTS["QUALITY_DROP_AT_DOWNLOAD"]),
            workers=workers,
            report_dir=Path(settings.get("QUALITY_REPORT_DIR") or DEFAULTS["QUALITY_REPORT_DIR"]),
            report_name=str(settings.get("QUALITY_REPORT_NAME") or DEFAULTS["QUALITY_REPORT_NAME"]),
            html_report=settings.getbool("QUALITY_HTML_REPORT", DEFAULTS["QUALITY_HTML_REPORT"]),
            worker_id=resolve_worker_id(settings.get(WORKER_ID_SETTING)),
            distributed=uses_redis_scheduler(settings) or bool(settings.get(WORKER_ID_SETTING)),
        )


MAX_WORKER_ID = 64


def resolve_worker_id(value: Any) -> str:
    """QUALITY_WORKER_ID, checked: it goes into file names. Unset or empty: hostname-pid."""
    if value is None or (isinstance(value, str) and not value.strip()):
        value = default_worker_id()
        return "".join(c if c.isalnum() or c in "-_." else "_" for c in value)[:MAX_WORKER_ID].lstrip(".") or "worker"
    text = str(value).strip()
    if (not isinstance(value, (str, int)) or isinstance(value, bool) or len(text) > MAX_WORKER_ID
            or text.startswith(".") or not all(c.isascii() and (c.isalnum() or c in "-_.") for c in text)):
        raise ConfigError(f"scrapy-quality: QUALITY_WORKER_ID is {value!r}; use up to {MAX_WORKER_ID} letters, "
                          "digits, '-', '_' or '.' (not first), unique per crawl process, e.g. worker-1 "
                          "(unset: hostname-pid)")
    return text


AUTO = "auto"          # QUALITY_WORKERS = "auto": a worker per spare core, in-process when there is none
AUTO_MAX_WORKERS = 8   # "auto" never starts more (each worker holds its own scorer; ask for more with a number)


def resolve_workers(value: Any) -> int:
    """QUALITY_WORKERS as a number of worker processes (0: score in the crawl process).

    "auto" leaves one usable core to the crawl process itself (its reactor downloads, parses and hands pages
    to the workers) and starts a worker on each other one, up to AUTO_MAX_WORKERS; with a single usable core
    it scores in the crawl process, where a worker would only add the cost of shipping pages between
    processes. Raises ConfigError, saying what to fix, for anything but "auto" or a whole number >= 0.
    """
    if isinstance(value, str) and value.strip().lower() == AUTO:
        return max(0, min(usable_cpus() - 1, AUTO_MAX_WORKERS))
    try:
        if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
            raise ValueError
        workers = int(value)
        if workers < 0:
            raise ValueError
    except (TypeError, ValueError):
        raise ConfigError(f"scrapy-quality: QUALITY_WORKERS is {value!r}; use 0 (score in the crawl process), a "
                          f"positive number of worker processes or \"{AUTO}\" (one per spare core)") from None
    return workers


def usable_cpus() -> int:
    """Cores this process may run on: its CPU affinity, capped by a cgroup CPU quota (a container's --cpus)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    quota = cgroup_cpu_quota()
    if quota is not None:
        cores = min(cores, max(1, int(quota)))
    return max(1, cores)


def cgroup_cpu_quota(root: Path = Path("/sys/fs/cgroup"), membership: Path = Path("/proc/self/cgroup")
                     ) -> float | None:
    """The CPU quota of this process's cgroup in cores (cgroup v2 cpu.max, else v1 cpu.cfs_quota_us), None
    when there is none."""
    places = []
    try:  # cgroup v2: "0::/path/of/the/group"
        places += [root / line[3:].strip().lstrip("/") for line in membership.read_text().splitlines()
                   if line.startswith("0::") and line[3:].strip() not in ("", "/")]
    except OSError:
        pass
    for place in places + [root]:
        try:
            quota, period = (place / "cpu.max").read_text().split()[:2]
            return None if quota == "max" else int(quota) / int(period)
        except (OSError, ValueError):
            continue
    try:
        quota = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period = int((root / "cpu" / "cpu.cfs_period_us").read_text())
        return quota / period if quota > 0 and period > 0 else None
    except (OSError, ValueError):
        return None


def scoring_config(settings: BaseSettings) -> QualityConfig:
    """The scoring configuration: defaults < QUALITY_POLICY file < QUALITY_* settings; validated."""
    policy_path = settings.get("QUALITY_POLICY")
    mapping: dict[str, Any] = read_policy(policy_path) if policy_path else {}
    for name, key in CONFIG_SETTINGS.items():
        if settings.get(name) is None:
            continue
        if name in DICT_SETTINGS:
            value = _getdict(settings, name)
            mapping[key] = {**mapping.get(key, {}), **value}
        elif name == "QUALITY_SIGNALS":
            mapping[key] = settings.getlist(name)
        else:
            mapping[key] = settings.get(name)
    where = "QUALITY_* settings" + (f" and policy file {policy_path}" if policy_path else "")
    try:
        return QualityConfig.from_mapping(mapping).validate()
    except ConfigError as exc:
        raise ConfigError(f"scrapy-quality: {exc} (check the {where})") from None


def _getdict(settings: BaseSettings, name: str) -> dict[str, Any]:
    try:
        return dict(settings.getdict(name))
    except (TypeError, ValueError) as exc:  # -s QUALITY_THRESHOLDS=not-json
        raise ConfigError(f"scrapy-quality: {name} must be a dict (JSON on the command line, e.g. "
                          f"-s {name}='{{\"spin\": 0.95}}'): {exc}") from None


def read_policy(path: str | os.PathLike) -> dict[str, Any]:
    """A TOML policy file as a QualityConfig mapping; relative model paths are relative to the file."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"scrapy-quality: QUALITY_POLICY file not found: {path}") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"scrapy-quality: cannot read QUALITY_POLICY file {path}: {exc}") from None
    for key in ("models", "sentencepiece"):
        if isinstance(data.get(key), Mapping):
            data[key] = {lang: str((path.parent / str(p)).resolve()) for lang, p in data[key].items()}
    return data


# -- scoring, in this process or in worker processes ----------------------------------------------------------
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
    return PageReport(source=url, status=UNSCORED, action=KEEP, error=f"{type(exc).__name__}: {exc}")


def _score_with(scorer, kind: str, text: str, url: str) -> PageReport:
    return scorer.score_html(text, url=url) if kind == "html" else scorer.score_text(text, url)


_worker: dict[str, Any] = {}


def _init_worker(config: QualityConfig) -> None:
    from scoring.scorer import Scorer

    try:
        _worker["scorer"] = Scorer(config)
    except Exception as exc:  # reported to the crawl by _worker_ready, not lost in a dead process
        _worker["error"] = f"{type(exc).__name__}: {exc}"


def _worker_ready() -> str | None:
    return _worker.get("error")


def _score_in_worker(kind: str, text: str, url: str) -> PageReport:
    if "scorer" not in _worker:
        raise RuntimeError(_worker.get("error", "scorer not loaded"))
    try:
        return _score_with(_worker["scorer"], kind, text, url)
    except Exception as exc:
        return unscored(url, exc)


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
        from scoring.scorer import Scorer

        self.config, self.workers = config, workers
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None
        self._broken: str | None = None  # why the worker pool is gone, once it could not restart
        try:
            self._scorer = Scorer(config) if workers == 0 else None
        except Exception as exc:
            raise ConfigError(f"scrapy-quality: cannot load the scorer: {type(exc).__name__}: {exc}") from exc
        if workers:
            self._start()

    def _start(self) -> None:
        self._executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker, initargs=(self.config,),
        )
        try:
            with _main_module_hidden():  # the pool spawns its processes on these first submits
                warmups = [self._executor.submit(_worker_ready) for _ in range(self.workers)]
            errors = {f.result() for f in warmups} - {None}
        except concurrent.futures.process.BrokenProcessPool as exc:
            errors = {f"worker processes could not start ({exc})"}
        if errors:
            self.close()
            raise ConfigError(f"scrapy-quality: cannot load the scorer in a worker: {errors.pop()}")

    async def score(self, kind: str, text: str, url: str) -> PageReport:
        if self._scorer is not None:
            try:
                return _score_with(self._scorer, kind, text, url)
            except Exception as exc:
                return unscored(url, exc)
        executor = self._executor
        if executor is None:  # the pool died and could not restart: keep every page, say why
            return unscored(url, PoolUnavailable(self._broken or "the scoring pool is closed"))
        try:
            return await _await_future(executor.submit(_score_in_worker, kind, text, url))
        except concurrent.futures.process.BrokenProcessPool as exc:
            if self._executor is executor:  # the first of the pages in flight to notice restarts the pool
                logger.error("scrapy-quality: a scoring worker died (%s); restarting the pool", exc)
                self._restart()
            return unscored(url, exc)
        except Exception as exc:  # a report that cannot travel back, a pool shut down at close, ...
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


# -- the audit trail -------------------------------------------------------------------------------------------
class AuditTrail:
    """The crawl's audit log, shared by both middlewares of a crawler.

    The report directory is checked at start-up; the log is opened when the spider opens, and at close it
    gets a summary line and the HTML report is written next to it. Write failures are counted under
    quality/errors/audit and logged: nothing is dropped silently.

    Every record carries the crawl process's worker id (QUALITY_WORKER_ID). In a distributed crawl (scrapy-redis's
    scheduler, or QUALITY_WORKER_ID set) the file name carries it too: QUALITY_REPORT_NAME's %(worker)s, or
    "-<worker>" after the name. The log file is created exclusively (O_EXCL), so two processes never share one
    even with the same name and start time: the later one takes the next free ``.N``.
    """

    _by_crawler: "weakref.WeakKeyDictionary[Crawler, AuditTrail]" = weakref.WeakKeyDictionary()

    @classmethod
    def for_crawler(cls, crawler: Crawler, options: QualityOptions) -> "AuditTrail":
        trail = cls._by_crawler.get(crawler)
        if trail is None:
            trail = cls._by_crawler[crawler] = cls(crawler, options)
        return trail

    def __init__(self, crawler: Crawler, options: QualityOptions):
        self.crawler, self.options, self.stats = crawler, options, crawler.stats
        check_writable(options.report_dir)
        self.worker_id = options.worker_id
        self._base = report_stem(options.report_name, crawler.spider.name if crawler.spider else "crawl",
                                 worker=self.worker_id)
        if options.distributed and "%(worker)" not in options.report_name:
            self._base = f"{self._base}-{self.worker_id}"
        self._pick_stem()
        self.writer = AuditWriter(self.audit_path, on_error=self._write_failed, fields={"worker": self.worker_id})
        self._failures = 0
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def _pick_stem(self, first: int = 1) -> None:
        """The first free name from `first` on: crawl.audit.jsonl, crawl.2.audit.jsonl, ... (never another crawl's)."""
        for n in itertools.count(first):
            stem = self._base if n == 1 else f"{self._base}.{n}"
            if not _holds_records(self.options.report_dir / f"{stem}{AUDIT_SUFFIX}"):
                break
        self._n = n
        self.audit_path = self.options.report_dir / f"{stem}{AUDIT_SUFFIX}"
        self.report_path = self.options.report_dir / f"{stem}{REPORT_SUFFIX}"

    def _open(self) -> None:
        """Create the log exclusively; if another process took the name since, take the next one."""
        if self.writer.path != self.audit_path:  # the writer was pointed elsewhere: opened as it is
            self.writer.open()
            return
        for _attempt in range(1000):
            try:
                self.writer.open(exclusive=True)
                return
            except FileExistsError:
                if not _holds_records(self.audit_path):  # an empty file or a device: written as before
                    self.writer.open()
                    return
                self._pick_stem(self._n + 1)
                self.writer.path = self.audit_path
        raise FileExistsError(f"no free audit log name after {self.audit_path}")

    def spider_opened(self, spider: scrapy.Spider) -> None:
        try:
            self._open()
        except OSError as exc:
            self._write_failed(exc)
        config = self.options.config
        self.writer.write({
            "record": "crawl", "format": 1, "time": utc_now(), "spider": spider.name, "pid": os.getpid(),
            "distributed": self.options.distributed,
            "config": {
                "signals": list(config.signals), "thresholds": dict(config.thresholds),
                "actions": dict(config.actions), "models": dict(config.models), "min_words": config.min_words,
                "max_bytes": config.max_bytes, "max_tokens": config.max_tokens,
            },
        })
        logger.info("scrapy-quality: audit log %s (worker %s)", self.audit_path, self.worker_id)

    def page(self, report: PageReport, *, url: str, stage: str | None, http_status: int | None) -> None:
        self.writer.write(page_record(report, url=url, stage=stage, http_status=http_status))

    def item(self, *, url: str | None, verdict: str, flags: list[str], item: dict | None = None) -> None:
        self.writer.write(item_record(url=url, verdict=verdict, flags=flags, item=item))

    def spider_closed(self, spider: scrapy.Spider, reason: str) -> None:
        stats = self.stats.get_stats()
        self.writer.write({
            "record": "summary", "time": utc_now(), "finish_reason": reason,
            "stats": {k: v for k, v in stats.items() if k.startswith(f"{STATS}/")},
            "items_scraped": stats.get("item_scraped_count", 0), "responses": stats.get("response_received_count", 0),
        })
        self.writer.close()
        logger.info("scrapy-quality: %d audit records in %s", self.writer.written, self.audit_path)
        if self.options.html_report and self.writer.written:
            self.write_html_report()

    def write_html_report(self) -> None:
        from .html_report import write_report

        try:
            write_report(self.audit_path, self.report_path)
        except Exception as exc:  # a report failure must not hide the crawl's result; the log is intact
            count_error(self.stats, "report")
            logger.error("scrapy-quality: cannot write the HTML report %s: %s: %s (the audit log %s is complete; "
                         "run `scrapy quality-report` on it)", self.report_path, type(exc).__name__, exc,
                         self.audit_path)
            return
        logger.info("scrapy-quality: HTML report %s", self.report_path)

    def _write_failed(self, exc: Exception) -> None:
        count_error(self.stats, "audit")
        self._failures += 1
        if self._failures <= 10 or self._failures % 1000 == 0:
            logger.error("scrapy-quality: cannot write to the audit log %s (%s: %s); audit records lost so far: %d",
                         self.writer.path, type(exc).__name__, exc, self._failures)


def _holds_records(path: Path) -> bool:
    """A non-empty regular file: another crawl's audit log (an empty file or a device is fine to write)."""
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False


def check_writable(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as exc:
        raise ConfigError(f"scrapy-quality: QUALITY_REPORT_DIR {directory} is not writable ({exc.strerror or exc}); "
                          "point QUALITY_REPORT_DIR at a writable directory") from None


def report_stem(template: str, spider_name: str, worker: str | None = None) -> str:
    """The audit/report file stem from QUALITY_REPORT_NAME: only the spider name, time and worker id go in."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H-%M-%S")
    safe_name = "".join(c if c.isalnum() or c in "-_." else "_" for c in spider_name) or "crawl"
    safe_worker = "".join(c if c.isalnum() or c in "-_." else "_" for c in (worker or resolve_worker_id(None)))
    try:
        stem = template % {"name": safe_name, "time": stamp, "worker": safe_worker}
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigError(f"scrapy-quality: QUALITY_REPORT_NAME {template!r} is invalid ({exc}); "
                          "use %(name)s, %(time)s and %(worker)s only") from None
    if not stem or os.sep in stem or (os.altsep and os.altsep in stem) or stem in (".", ".."):
        raise ConfigError(f"scrapy-quality: QUALITY_REPORT_NAME {template!r} must give a plain file name")
    return stem


def count_error(stats: StatsCollector, where: str) -> None:
    stats.inc_value(f"{STATS}/errors")
    stats.inc_value(f"{STATS}/errors/{where}")


# -- downloader middleware --------------------------------------------------------------------------------------
class QualityScoringMiddleware:
    """Scores HTML and plain-text responses and attaches the PageReport to ``response.meta["quality"]``."""

    def __init__(self, crawler: Crawler, options: QualityOptions, pool: ScoringPool, audit: AuditTrail):
        self.crawler, self.options, self.pool, self.audit = crawler, options, pool, audit
        self.stats: StatsCollector = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "QualityScoringMiddleware":
        options = QualityOptions.from_settings(crawler.settings)
        audit = AuditTrail.for_crawler(crawler, options)
        middleware = cls(crawler, options, ScoringPool(options.config, options.workers), audit)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        setting = crawler.settings.get("QUALITY_WORKERS", DEFAULTS["QUALITY_WORKERS"])
        cores = usable_cpus()
        logger.info("scrapy-quality: %s (QUALITY_WORKERS=%r; %d usable core%s)",
                    f"scoring in {options.workers} worker process{'es' if options.workers > 1 else ''}"
                    if options.workers else "scoring in the crawl process", setting, cores, "s" if cores > 1 else "")
        crawler.stats.set_value(f"{STATS}/workers", options.workers)
        return middleware

    def spider_closed(self) -> None:
        self.pool.close()

    async def process_response(self, request: scrapy.Request, response: Response) -> Response:
        kind, skip = score_kind(request, response, self.options.config.max_bytes)
        if kind is None:
            self.stats.inc_value(f"{STATS}/skipped/{skip}")
            return response
        try:
            text = response.text
        except Exception as exc:  # undecodable body: kept, counted, audited
            report = unscored(response.url, exc)
        else:
            report = await self.pool.score(kind, text, response.url)
        request.meta[META_KEY] = report  # response.meta is request.meta
        drop_now = self.options.drop_at_download and report.action == DROP
        self._count(report, response.url)
        self.audit.page(report, url=response.url, http_status=response.status,
                        stage=("download" if drop_now else "items") if report.action == DROP else None)
        if drop_now:
            raise IgnoreRequest(f"scrapy-quality: dropped {response.url} ({', '.join(report.flags)})")
        return response

    def _count(self, report: PageReport, url: str) -> None:
        inc = self.stats.inc_value
        if report.status == SCORED:
            inc(f"{STATS}/scored")
        elif report.status == UNSCORED:
            inc(f"{STATS}/unscored")
            count_error(self.stats, "scoring")
            logger.warning("scrapy-quality: could not score %s: %s (page kept, tagged unscored)", url, report.error)
        elif report.status in (UNSUPPORTED, NO_MAIN_CONTENT):  # no model for the language / not an article: kept
            inc(f"{STATS}/skipped/{report.status}")
        elif report.status == TOO_SHORT:    # judged with low confidence; its verdict still applies
            inc(f"{STATS}/too_short")
        inc(f"{STATS}/pages/{report.action}")
        for signal in report.flags:
            inc(f"{STATS}/flagged/{signal}")
            if report.action in (DROP, TAG) and self.options.config.action(signal) == report.action:
                inc(f"{STATS}/{'dropped' if report.action == DROP else 'tagged'}/{signal}")


# -- spider middleware -----------------------------------------------------------------------------------------
class QualityItemMiddleware(BaseSpiderMiddleware):
    """Tags or drops what a spider yields from a scored response; requests pass through untouched.

    Works for sync and async callbacks (BaseSpiderMiddleware provides both output hooks) and any item
    type itemadapter supports.
    """

    def __init__(self, crawler: Crawler, options: QualityOptions, audit: AuditTrail):
        super().__init__(crawler)
        self.options, self.audit, self.stats = options, audit, crawler.stats
        self._untaggable: set[type] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "QualityItemMiddleware":
        options = QualityOptions.from_settings(crawler.settings)
        return cls(crawler, options, AuditTrail.for_crawler(crawler, options))

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        report = report_of(response)
        url = response.url if response is not None else None
        if report is None or not ItemAdapter.is_item(item):
            return self._keep(item, url, KEEP, [])
        if report.action == DROP:
            self.stats.inc_value(f"{STATS}/items/dropped")
            self.audit.item(url=url, verdict=DROP, flags=report.flags, item=_as_dict(item))
            return None
        if report.action == TAG or report.status == UNSCORED:
            if self._tag(item, verdict(report)):
                self.stats.inc_value(f"{STATS}/items/tagged")
            return self._keep(item, url, TAG, report.flags)
        return self._keep(item, url, KEEP, report.flags)

    def _keep(self, item: Any, url: str | None, verdict_: str, flags: list[str]) -> Any:
        self.stats.inc_value(f"{STATS}/items/kept")
        self.audit.item(url=url, verdict=verdict_, flags=flags)
        return item

    def _tag(self, item: Any, value: dict[str, Any]) -> bool:
        name = self.options.item_field
        if name is None:
            return False
        try:
            ItemAdapter(item)[name] = value
            return True
        except KeyError:
            if isinstance(item, scrapy.Item):  # declare the field on the Item class, as `name = Field()` would
                type(item).fields[name] = scrapy.Field()
                logger.info("scrapy-quality: declared field %r on %s for the quality verdict", name,
                            type(item).__name__)
                ItemAdapter(item)[name] = value
                return True
        except (AttributeError, TypeError):  # frozen dataclass, slotted class, ...
            pass
        count_error(self.stats, "item_field")
        if type(item) not in self._untaggable:
            self._untaggable.add(type(item))
            logger.warning("scrapy-quality: cannot set field %r on %s items; declare it (e.g. `%s: dict | None = "
                           "None`) or set QUALITY_ITEM_FIELD. Items pass untagged.", name, type(item).__name__, name)
        return False


def report_of(response: Response | None) -> PageReport | None:
    if response is None:
        return None
    try:
        report = response.meta.get(META_KEY)
    except AttributeError:  # a response not tied to a request
        return None
    return report if isinstance(report, PageReport) else None


def verdict(report: PageReport, per_signal: int = 3, width: int = 120) -> dict[str, Any]:
    """The short verdict stored in an item: action, flags, scores and the top evidence per flagged signal."""
    value: dict[str, Any] = {
        "action": report.action, "status": report.status, "flags": list(report.flags),
        "scores": {name: round(sig.score, 4) for name, sig in report.signals.items()},
        "evidence": {
            name: [f"{e.reason}: {e.text[:width]}" for e in
                   sorted(report.signals[name].evidence, key=lambda e: -e.weight)[:per_signal]]
            for name in report.flags if name in report.signals
        },
        "language": report.language,
    }
    if report.error:
        value["error"] = report.error
    if report.notes:
        value["notes"] = list(report.notes)
    return value


def _as_dict(item: Any) -> dict[str, Any]:
    try:
        return ItemAdapter(item).asdict()
    except Exception:  # an exotic item still leaves a trace in the audit log
        return {"repr": repr(item)[:10_000]}
