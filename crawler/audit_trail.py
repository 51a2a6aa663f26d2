"""The crawl's audit trail: one per crawler, shared by both middlewares. It checks the report directory at
start-up, writes the JSONL audit log (crawler/audit.py's records) as the crawl goes and, at spider close, a summary
line and the HTML report.
"""
from __future__ import annotations

import itertools
import logging
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import scrapy
from scrapy import signals

from scoring.config import ConfigError
from scoring.report import PageReport

from .audit import AUDIT_SUFFIX, REPORT_SUFFIX, AuditWriter, item_record, page_record, utc_now
from .options import STATS, QualityOptions, file_name_part, resolve_worker_id

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

EXTENSION_PATH = "crawler.audit_trail.AuditTrail"


class AuditTrail:
    """The crawl's audit log: a Scrapy extension (EXTENSIONS; the add-on enables it) that both middlewares of a
    crawler write to, found with `AuditTrail.of(crawler)`.

    The report directory is checked at start-up; the log is opened when the spider opens, and at close it
    gets a summary line and the HTML report is written next to it. Write failures are counted under
    quality/errors/audit and logged: nothing is dropped silently.

    Every record carries the crawl process's worker id (QUALITY_WORKER_ID). In a distributed crawl (scrapy-redis's
    scheduler, or QUALITY_WORKER_ID set) the file name carries it too: QUALITY_REPORT_NAME's %(worker)s, or
    "-<worker>" after the name. The log file is created exclusively (O_EXCL), so two processes never share one
    even with the same name and start time: the later one takes the next free ``.N``.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "AuditTrail":
        """The extension: NotConfigured when QUALITY_ENABLED is False, ConfigError when misconfigured."""
        return cls(crawler, QualityOptions.from_settings(crawler.settings))

    @classmethod
    def of(cls, crawler: Crawler) -> "AuditTrail":
        """The crawler's audit trail, for its middlewares (built after the extensions)."""
        trail = crawler.get_extension(cls)
        if trail is None:
            raise ConfigError(f"scrapy-quality: the audit trail extension is not enabled; enable the add-on "
                              f"(ADDONS = {{\"crawler.addon.QualityAddon\": 300}}) or add "
                              f"EXTENSIONS = {{\"{EXTENSION_PATH}\": 0}} beside the middlewares")
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
    safe_name = file_name_part(spider_name) or "crawl"
    safe_worker = file_name_part(worker or resolve_worker_id(None))
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
