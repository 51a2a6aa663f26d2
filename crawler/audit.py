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

Every record carries ``worker``, the id of the crawl process that wrote it (QUALITY_WORKER_ID, by default
hostname-pid). In a distributed crawl each worker writes its own log; `read_audits` reads several (files, glob
patterns, directories) and `merge_audits` makes them one Audit, with the workers' stats summed.

A write that fails (full disk, file removed) is reported to the caller, which counts and logs it: the
log never drops a record silently.
"""
from __future__ import annotations

import glob
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
PAGE_META = ("record", "worker", "time", "url", "stage", "http_status", "scores")


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

    def __init__(self, path: str | os.PathLike, on_error: Callable[[Exception], None],
                 fields: dict[str, Any] | None = None):
        self.path = Path(path)
        self._on_error = on_error
        self._fields = dict(fields or {})  # stamped on every record, after "record" (the worker id)
        self._file = None
        self.written = 0

    def open(self, exclusive: bool = False) -> None:
        """Open for appending; `exclusive`: create the file, FileExistsError when it is there already."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "x" if exclusive else "a", encoding="utf-8")

    def write(self, record: dict) -> bool:
        try:
            if self._file is None:
                raise OSError(f"audit log {self.path} is not open")
            if self._fields:
                record = {"record": record.get("record"), **self._fields, **record}
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
    worker: str | None = None


@dataclass
class Audit:
    """An audit log read back: what the report tools work from."""

    path: Path
    crawl: dict[str, Any] = field(default_factory=dict)
    pages: list[AuditedPage] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    bad_lines: int = 0
    parts: list["Audit"] = field(default_factory=list)  # a merged audit: the workers' logs it was made of

    @property
    def worker(self) -> str | None:
        return self.crawl.get("worker") or self.summary.get("worker")

    @property
    def workers(self) -> list[str]:
        """The worker ids, one per audit log (a log from before worker ids: its file name)."""
        return [part.worker or part.path.name for part in (self.parts or [self])]

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
        worker=record.get("worker"),
    )


# -- several workers' logs --------------------------------------------------------------------------------------
class AuditPathError(ValueError):
    """An argument names no audit log (a missing file, a pattern or directory matching none)."""


def audit_paths(arguments: list[str]) -> list[Path]:
    """The audit logs named by files, glob patterns (quoted, or expanded by the shell) and directories (every
    *.audit.jsonl in them), in order, each once. AuditPathError names an argument that matches nothing."""
    paths: list[Path] = []
    for arg in arguments:
        if glob.has_magic(arg):
            found = sorted(Path(p) for p in glob.glob(arg, recursive=True) if Path(p).is_file())
            if not found:
                raise AuditPathError(f"no audit log matches {arg}")
        elif Path(arg).is_dir():
            found = sorted(Path(arg).glob(f"*{AUDIT_SUFFIX}"))
            if not found:
                raise AuditPathError(f"no *{AUDIT_SUFFIX} file in the directory {arg}")
        elif Path(arg).is_file():
            found = [Path(arg)]
        else:
            raise AuditPathError(f"audit log not found: {arg}")
        paths += [p for p in found if p.resolve() not in {q.resolve() for q in paths}]
    return paths


def read_audits(paths: list[str | os.PathLike]) -> Audit:
    """One audit log read as it is; several read and merged."""
    audits = [read_audit(p) for p in paths]
    return audits[0] if len(audits) == 1 else merge_audits(audits)


SUMMED = (int, float)


def merge_audits(audits: list[Audit]) -> Audit:
    """The workers' audit logs of one distributed crawl as one Audit.

    Pages and items are concatenated (in time order); the summary's numeric stats, items_scraped and responses
    are summed over the workers, so items kept + dropped is checked over the whole crawl; the crawl record (and
    its configuration) is the earliest worker's. `config_differs` tells when the workers did not score alike.
    """
    if not audits:
        raise ValueError("no audit logs to merge")
    ordered = sorted(audits, key=lambda a: str(a.crawl.get("time", "")))
    merged = Audit(path=ordered[0].path, crawl=dict(ordered[0].crawl), parts=list(ordered))
    merged.pages = sorted((p for a in ordered for p in a.pages), key=lambda p: p.time)
    merged.items = sorted((i for a in ordered for i in a.items), key=lambda i: str(i.get("time", "")))
    merged.bad_lines = sum(a.bad_lines for a in ordered)
    stats: dict[str, Any] = {}
    for audit in ordered:
        for key, value in audit.summary.get("stats", {}).items():
            if isinstance(value, SUMMED) and not isinstance(value, bool):
                stats[key] = stats.get(key, 0) + value
    finished = [a.summary for a in ordered if a.summary]
    reasons = sorted({str(s.get("finish_reason")) for s in finished})
    merged.summary = {
        "record": "summary", "stats": stats, "finish_reason": ", ".join(reasons) if finished else None,
        "items_scraped": sum(s.get("items_scraped", 0) or 0 for s in finished),
        "responses": sum(s.get("responses", 0) or 0 for s in finished),
        "workers_finished": len(finished),
    } if finished else {}
    merged.crawl["workers"] = merged.workers
    return merged


def config_differs(audit: Audit) -> bool:
    """True when the merged workers' logs were written with different scoring configurations."""
    configs = {json.dumps(part.config, sort_keys=True, default=str) for part in audit.parts if part.crawl}
    return len(configs) > 1
