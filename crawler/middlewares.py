"""Scrapy middlewares that score fetched pages and act on the items built from them.

- `QualityScoringMiddleware` (downloader): scores each HTML/text response with the `scoring` library (through
  crawler/pool.py's ScoringPool) and attaches the `PageReport` to ``response.meta["quality"]``; optionally drops
  at download time.
- `QualityItemMiddleware` (spider): tags or drops the items a spider yields from a scored response.

Both read their settings through crawler/options.py and write to the crawl's audit trail (crawler/audit_trail.py).
Settings are documented in `crawler/settings.py`; stats go under ``quality/``.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import scrapy
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from scoring.report import DROP, KEEP, NO_MAIN_CONTENT, TAG, TOO_SHORT, UNSCORED, UNSUPPORTED, SCORED, PageReport

from .audit_trail import AuditTrail, count_error
from .options import DEFAULTS, DONT_SCORE, META_KEY, STATS, QualityOptions, usable_cpus
from .pool import ScoringPool, score_kind

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

__all__ = ["DONT_SCORE", "META_KEY", "QualityItemMiddleware", "QualityScoringMiddleware", "report_of", "verdict"]

logger = logging.getLogger(__name__)


# -- downloader middleware --------------------------------------------------------------------------------------
class QualityScoringMiddleware:
    """Scores HTML and plain-text responses and attaches the PageReport to ``response.meta["quality"]``."""

    def __init__(self, crawler: Crawler, options: QualityOptions, pool: ScoringPool, audit: AuditTrail):
        self.crawler, self.options, self.pool, self.audit = crawler, options, pool, audit
        self.stats: StatsCollector = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "QualityScoringMiddleware":
        options = QualityOptions.from_settings(crawler.settings)
        audit = AuditTrail.of(crawler)
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
        report = await self.pool.score(kind, response)  # never raises: a failure is an unscored report
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
        return cls(crawler, QualityOptions.from_settings(crawler.settings), AuditTrail.of(crawler))

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
        "evidence": {name: [e.describe(width) for e in report.signals[name].strongest(per_signal)]
                     for name in report.flags if name in report.signals},
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
