"""The audit log: one JSON object per line, written as the crawl goes, read back by the report tools.

Records (the "record" field says which):

- ``crawl``   first line: spider name, start time and the scoring configuration (thresholds, actions, models)
- ``page``    one per scored page, kept, tagged or dropped: url, time, stage, and the PageReport fields
              (status, action, flags, signals with scores and evidence, ...) plus ``scores`` for quick
              reading (``jq .scores.spin``). Pages that are tagged, dropped or unscored keep their
              extracted ``text`` and ``blocks``, so a dropped page is never lost; kept pages omit them.
- ``item``    one per item the spider yielded from a response: its verdict (keep/tag/drop); dropped items
              carry the item itself. Items yielded = kept + dropped can be checked from these lines.
- ``summary`` last line: the crawl's ``quality/`` stats and finish reason.

A write that fails (full disk, file removed) is reported to the caller, which counts and logs it: the
log never drops a record silently.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from scoring.report import DROP, KEEP, TAG, UNSCORED, PageReport

logger = logging.getLogger(__name__)

AUDIT_FORMAT = 1
AUDIT_SUFFIX = ".audit.jsonl"
REPORT_SUFFIX = ".report.html"
# Fields the audit adds around a PageReport in a "page" record.
PAGE_META = ("record", "time", "url", "stage", "http_status", "scores")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def page_record(report: PageReport, *, url: str, stage: str | None, http_status: int | None = None) -> dict:
    """The audit line of a scored page. `stage` is where a drop happens: "download", "items" or None."""
    data = report.to_dict()
    if report.action == KEEP and report.status != UNSCORED:
        data["text"], data["blocks"] = "", []  # kept pages: the verdict and evidence are enough
    return {
        "record": "page", "time": utc_now(), "url": url, "stage": stage, "http_status": http_status,
        "scores": {name: round(sig.score, 6) for name, sig in report.signals.items()},
        **data,
    }


def item_record(*, url: str | None, verdict: str, flags: list[str], item: dict | None = None) -> dict:
    record = {"record": "item", "time": utc_now(), "url": url, "verdict": verdict, "flags": flags}
    if item is not None:
        record["item"] = item
    return record


class AuditWriter:
    """Appends records to a JSONL file, one flushed line each, so a crash loses at most the line in flight."""

    def __init__(self, path: str | os.PathLike, on_error: Callable[[Exception], None]):
        self.path = Path(path)
        self._on_error = on_error
        self._file = None
        self.written = 0

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "a", encoding="utf-8")

    def write(self, record: dict) -> bool:
        try:
            if self._file is None:
                raise OSError(f"audit log {self.path} is not open")
            self._file.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            self._file.flush()
        except (OSError, ValueError, TypeError) as exc:  # ValueError: write to a closed file
            self._on_error(exc)
            return False
        self.written += 1
        return True

    def close(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            except OSError as exc:
                self._on_error(exc)
            self._file = None


# -- reading -------------------------------------------------------------------------------------------------
@dataclass
class AuditedPage:
    url: str
    time: str
    stage: str | None
    http_status: int | None
    report: PageReport


@dataclass
class Audit:
    """An audit log read back: what the report tools work from."""

    path: Path
    crawl: dict[str, Any] = field(default_factory=dict)
    pages: list[AuditedPage] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    bad_lines: int = 0

    @property
    def config(self) -> dict[str, Any]:
        return self.crawl.get("config", {})

    @property
    def thresholds(self) -> dict[str, float]:
        return dict(self.config.get("thresholds", {}))

    def signal_names(self) -> list[str]:
        names = list(self.config.get("signals") or [])
        for page in self.pages:
            names += [n for n in page.report.signals if n not in names]
        return names

    def flagged(self) -> list[AuditedPage]:
        return [p for p in self.pages if p.report.action in (TAG, DROP) or p.report.status == UNSCORED]

    def item_counts(self) -> dict[str, int]:
        counts = {KEEP: 0, TAG: 0, DROP: 0}
        for item in self.items:
            counts[item.get("verdict", KEEP)] = counts.get(item.get("verdict", KEEP), 0) + 1
        return counts


def iter_records(path: str | os.PathLike) -> Iterator[dict | None]:
    """Each line's record, or None for a line that is not a JSON object (a torn last line, say)."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                yield None
                continue
            yield record if isinstance(record, dict) else None


def read_audit(path: str | os.PathLike) -> Audit:
    audit = Audit(Path(path))
    for record in iter_records(path):
        kind = record.get("record") if record else None
        if kind == "page":
            try:
                audit.pages.append(_audited_page(record))
            except (TypeError, ValueError, KeyError):
                audit.bad_lines += 1
        elif kind == "item":
            audit.items.append(record)
        elif kind == "crawl":
            audit.crawl = record
        elif kind == "summary":
            audit.summary = record
        else:
            audit.bad_lines += 1
    if audit.bad_lines:
        logger.warning("%s: %d lines are not audit records and were skipped", path, audit.bad_lines)
    return audit


def _audited_page(record: dict) -> AuditedPage:
    data = {k: v for k, v in record.items() if k not in PAGE_META}
    return AuditedPage(
        url=str(record.get("url") or data.get("source") or ""),
        time=str(record.get("time", "")),
        stage=record.get("stage"),
        http_status=record.get("http_status"),
        report=PageReport.from_dict(data),
    )
