"""Score crawl archives record by record: WARC (.warc, .warc.gz) and JSONL (.jsonl, .jsonl.gz).

    python -m scoring --json crawl.warc.gz > reports.jsonl         # one JSON line per record, in file order
    python -m scoring --json --workers 2 a.warc.gz b.jsonl.gz > reports.jsonl
    scrapy score --json --workers 2 crawl.warc.gz                  # the same with the project's QUALITY_* settings

    from scoring.archive import ArchiveReader, score_records
    reader = ArchiveReader(["crawl.warc.gz"], max_bytes=config.max_bytes)
    for result in score_records(reader, config, workers=2):       # Scored or Skipped, in file order
        ...

What is scored: WARC `response` records with an HTTP 2xx status, and `resource` and `conversion` records, whose
content type is HTML (text/html, application/xhtml+xml; sniffed when there is none) or plain text; JSONL lines
that are objects with "url" and "html" (scored as HTML) or "text" (plain text), and optionally "id".

Never fatal; counted in `ArchiveStats` and, except the records that are not pages, reported as a `Skipped`
(with `--json`, one line {"skipped": reason, ...} in its place in the output):
  not pages    warcinfo, request, metadata, continuation records (counted only: one crawl has 2-3 per page)
  revisit      a revisit record (no payload of its own)
  http_status  a non-2xx response (redirects, errors), as the crawl middleware skips them
  not_html     any other content type (images, PDFs, JSON, ...), or a response without HTTP headers
  binary       a NUL byte in the first KB of a body that claims to be text
  too_large    a payload over max_bytes (as the crawl middleware skips it)
  cut_short    the archive (or its gzip member) ends inside the record
  undecodable  a broken Content-Encoding or chunked body
  unreadable   bytes that are no WARC record (garbage between records, a broken gzip member): the reader
               skips to the next record header (or gzip member) and goes on; one count per unreadable stretch
  bad_json / no_content   a JSONL line that is not a JSON object / has no "html" or "text" string
Scored, with a note in `Record.notes` (and ArchiveStats.notes): records marked WARC-Truncated (the page head is
still there), and HTTP responses whose Content-Length header disagrees with the body the WARC holds.

Memory is bounded whatever the archive's size: records are read one at a time (a payload over max_bytes is
skipped, not read), and `score_records` keeps at most a few chunks of records per worker in flight.

WARC files are read with FastWARC (resiliparse's WARC library). Measured here (2 shared cores, FastWARC 2.0.1 vs
warcio 1.8.1, iterating 1,086 records of real pages and reading every payload, best of 2): an 18 MB .warc.gz in
0.150 s vs 0.331 s (7,200 vs 3,300 records/s); the same 94 MB uncompressed in 0.029 s vs 0.062 s. Either is
far faster than scoring (tens of pages per second per core); `python -m scoring.archive_bench` repeats it.
"""
from __future__ import annotations

import gzip
import io
import json
import multiprocessing
import os
import sys
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Iterator, TextIO

from .config import QualityConfig
from .report import PageReport, render_text

WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"\nWARC/1."           # a record header at the start of a line (the scan adds 1)

# Why a record was not scored. NOT_PAGES are counted only; the others are reported in the output too.
NOT_PAGES = ("warcinfo", "request", "metadata", "continuation", "unknown")
REVISIT, HTTP_STATUS, NOT_HTML, BINARY, TOO_LARGE = "revisit", "http_status", "not_html", "binary", "too_large"
CUT_SHORT, UNDECODABLE, UNREADABLE, BAD_JSON, NO_CONTENT = (
    "cut_short", "undecodable", "unreadable", "bad_json", "no_content")
# Notes on scored records.
WARC_TRUNCATED, HTTP_LENGTH_MISMATCH = "warc_truncated", "http_length_mismatch"

CHUNKSIZE = 4            # records per task sent to a worker process
IN_FLIGHT_CHUNKS = 4     # chunks per worker read ahead of the output: bounds memory, keeps workers busy


def is_archive(name: str | os.PathLike) -> bool:
    """True for the file names this module reads (.warc, .warc.gz, .jsonl, .jsonl.gz)."""
    return str(name).lower().endswith(WARC_SUFFIXES + JSONL_SUFFIXES)


# -- what the reader yields --------------------------------------------------------------------------------------
@dataclass(slots=True)
class Record:
    """One page to score: its HTML (bytes, `encoding` from the HTTP header) or plain text."""
    archive: str
    url: str
    kind: str                         # "html" or "text"
    body: bytes | str
    record_id: str | None = None      # WARC-Record-ID, or the JSONL "id"
    offset: int | None = None         # byte offset of the WARC record (of its gzip member in a .warc.gz)
    line: int | None = None           # line number in a JSONL file
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)

    def where(self) -> dict[str, Any]:
        place = {"offset": self.offset} if self.line is None else {"line": self.line}
        return {"url": self.url, "record_id": self.record_id, "archive": self.archive, **place}


@dataclass(slots=True)
class Skipped:
    """A record (or stretch of unreadable bytes) that was not scored, and why."""
    archive: str
    reason: str
    detail: str = ""
    url: str | None = None
    record_id: str | None = None
    offset: int | None = None
    line: int | None = None

    @property
    def reported(self) -> bool:
        """Whether it gets a line in the output (records that are not pages are only counted)."""
        return self.reason not in NOT_PAGES

    def to_dict(self) -> dict[str, Any]:
        place = {"offset": self.offset} if self.line is None else {"line": self.line}
        return {"url": self.url, "record_id": self.record_id, "archive": self.archive, **place,
                "skipped": self.reason, "detail": self.detail}

    def summary(self) -> str:
        where = self.url or f"{self.archive}@{self.offset if self.line is None else f'line {self.line}'}"
        return f"{where}: SKIPPED {self.reason}" + (f" ({self.detail})" if self.detail else "")


@dataclass(slots=True)
class Scored:
    record: Record                    # without its body
    report: PageReport

    def to_dict(self) -> dict[str, Any]:
        """The `python -m scoring --json` report plus where the record came from."""
        extra = {"record_notes": list(self.record.notes)} if self.record.notes else {}
        return {**self.report.to_dict(), **self.record.where(), **extra}


# -- reading WARC files ------------------------------------------------------------------------------------------
def read_warc(path: str, max_bytes: int) -> Iterator[tuple[Record | Skipped, int]]:
    """(record or skip, bytes of the file read so far) for each WARC record, resynchronising after bad bytes."""
    from fastwarc.warc import ArchiveIterator

    magic = GZIP_MAGIC if path.lower().endswith(".gz") else WARC_MAGIC
    start: int | None = 0
    while start is not None:
        with open(path, "rb") as raw:
            raw.seek(start)
            last, seen, failed = start, False, False  # the last record started here; whether it failed
            try:
                # auto_decode="none": the payload's own length tells a record cut short; _decode does the rest
                for rec in ArchiveIterator(raw, parse_http=True, auto_decode="none"):
                    last, seen = rec.stream_pos, True
                    item = _warc_item(path, rec, max_bytes)
                    failed = isinstance(item, Skipped) and item.reason in (CUT_SHORT, UNREADABLE)
                    yield item, raw.tell()
                start = None
            except Exception as exc:  # FastWARC stops at the first bad header or gzip member: skip to the next
                resume = _find(path, last + 1, magic)
                if not failed:  # one count per unreadable stretch, not one more after a record cut short
                    where = f"after the record at offset {last:,}" if seen else f"at offset {start:,}"
                    then = f"resumed at offset {resume:,}" if resume is not None else "no record after it"
                    yield Skipped(path, UNREADABLE, f"{exc} {where}; {then}", offset=None if seen else start), \
                        raw.tell()
                start = resume


def _find(path: str, start: int, magic: bytes) -> int | None:
    """Offset of the next record start (a gzip member or a WARC/1.x line) at or after `start` (>= 1)."""
    skip = 1 if magic == WARC_MAGIC else 0   # WARC_MAGIC starts with the newline that ends the bytes before
    with open(path, "rb") as f:
        pos = start - skip                   # file offset of buf[0]
        f.seek(pos)
        carry = b""
        while chunk := f.read(1 << 20):
            buf = carry + chunk
            i = buf.find(magic)
            if i >= 0:
                return pos + i + skip
            carry = buf[-(len(magic) - 1):]
            pos += len(buf) - len(carry)
    return None


def _warc_item(path: str, rec, max_bytes: int) -> Record | Skipped:
    from fastwarc.warc import WarcRecordType as T

    url, rid, offset = rec.headers.get("WARC-Target-URI") or "", rec.record_id, rec.stream_pos

    def skip(reason: str, detail: str = "") -> Skipped:
        return Skipped(path, reason, detail, url=url or None, record_id=rid, offset=offset)

    rtype = rec.record_type
    if rtype == T.revisit:
        return skip(REVISIT, rec.headers.get("WARC-Refers-To-Target-URI") or "")
    if rtype not in (T.response, T.resource, T.conversion):
        return skip(str(rtype) if str(rtype) in NOT_PAGES else "unknown")
    http = rec.http_headers if rec.is_http else None
    if rtype == T.response:
        if http is None:
            return skip(NOT_HTML, "a response record without HTTP headers")
        status = http.status_code
        if status is None or not 200 <= status < 300:
            return skip(HTTP_STATUS, f"HTTP {status}")
    content_type = (http.get("Content-Type") if http is not None else rec.headers.get("Content-Type")) \
        or rec.headers.get("WARC-Identified-Payload-Type")
    kind = _kind(content_type)
    if content_type and kind is None:
        return skip(NOT_HTML, content_type)
    length = rec.content_length
    if length > max_bytes:
        return skip(TOO_LARGE, f"payload of {length:,} bytes > max_bytes={max_bytes:,}")
    try:
        raw = _read(rec.reader, length)
    except Exception as exc:  # a gzip member that breaks off inside the record
        return skip(CUT_SHORT, f"{exc} inside the record")
    if len(raw) < length:
        return skip(CUT_SHORT, f"the archive ends inside the record: {len(raw):,} of {length:,} bytes")
    try:
        body = _decode(raw, http, max_bytes)
    except _TooLarge as exc:
        return skip(TOO_LARGE, str(exc))
    except Exception as exc:
        return skip(UNDECODABLE, f"{type(exc).__name__}: {exc}")
    if b"\x00" in body[:1024]:
        return skip(BINARY, f"NUL bytes in a {content_type or 'untyped'} body")
    if kind is None:
        if not _looks_like_html(body):
            return skip(NOT_HTML, "no Content-Type, and the body is not HTML")
        kind = "html"
    notes = _notes(rec, http, len(raw))
    encoding = rec.http_charset if http is not None else None
    if kind == "text":
        return Record(path, url, kind, body.decode(encoding or "utf-8", "replace") if _known(encoding) else
                      body.decode("utf-8", "replace"), rid, offset, notes=notes)
    return Record(path, url, kind, body, rid, offset, encoding=encoding if _known(encoding) else None, notes=notes)


def _kind(content_type: str | None) -> str | None:
    mime = (content_type or "").split(";")[0].strip().lower()
    return "html" if mime in HTML_TYPES else "text" if mime in TEXT_TYPES else None


def _known(encoding: str | None) -> bool:
    if not encoding:
        return False
    try:
        "".encode(encoding)
        return True
    except LookupError:
        return False


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<head" in head


def _read(reader, n: int) -> bytes:
    parts, got = [], 0
    while got < n:
        chunk = reader.read(n - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


class _TooLarge(ValueError):
    pass


def _decode(raw: bytes, http, limit: int) -> bytes:
    """The payload with chunked transfer coding and Content-Encoding undone (decoded size capped at `limit`)."""
    if http is None:
        return raw
    from fastwarc.stream_io import BrotliReader, ChunkedReader, GzipReader, ZstdReader

    if "chunked" in (http.get("Transfer-Encoding") or "").lower():
        raw = ChunkedReader(io.BytesIO(raw)).read()
    codings = [c.strip().lower() for c in (http.get("Content-Encoding") or "").split(",") if c.strip()]
    for coding in reversed(codings):
        if coding in ("identity", "none"):
            continue
        if coding in ("gzip", "x-gzip"):
            raw = GzipReader(io.BytesIO(raw)).read(limit + 1)
        elif coding == "deflate":  # zlib-wrapped as the RFC says, or raw deflate as some servers send
            try:
                raw = GzipReader(io.BytesIO(raw), zlib=True).read(limit + 1)
            except OSError:
                raw = zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw, limit + 1)
        elif coding == "br":
            raw = BrotliReader(io.BytesIO(raw)).read(limit + 1)
        elif coding == "zstd":
            raw = ZstdReader(io.BytesIO(raw)).read(limit + 1)
        else:
            raise ValueError(f"unknown Content-Encoding {coding!r}")
        if len(raw) > limit:
            raise _TooLarge(f"decoded payload over max_bytes={limit:,}")
    return raw


def _notes(rec, http, raw_length: int) -> list[str]:
    notes = []
    truncated = rec.headers.get("WARC-Truncated")
    if truncated:
        notes.append(f"{WARC_TRUNCATED}: the crawler cut this record ({truncated})")
    if http is not None and not http.get("Transfer-Encoding") and not http.get("Content-Encoding"):
        declared = (http.get("Content-Length") or "").strip()
        if declared and declared != str(raw_length):
            notes.append(f"{HTTP_LENGTH_MISMATCH}: HTTP Content-Length {declared[:20]} but the WARC holds "
                         f"{raw_length:,} bytes (scored as held)")
    return notes


# -- reading JSONL files -----------------------------------------------------------------------------------------
def read_jsonl(path: str, max_bytes: int) -> Iterator[tuple[Record | Skipped, int]]:
    """(record or skip, bytes of the file read so far) for each non-blank line of a .jsonl or .jsonl.gz file."""
    limit = 8 * max_bytes + (1 << 16)   # a JSON string can be ~6x its text (\\uXXXX escapes)
    with open(path, "rb") as raw:
        stream = gzip.GzipFile(fileobj=raw) if path.lower().endswith(".gz") else raw
        number = 0
        try:
            while line := stream.readline(limit):
                number += 1
                if len(line) >= limit and not line.endswith(b"\n"):
                    while (rest := stream.readline(limit)) and not rest.endswith(b"\n"):
                        pass
                    yield Skipped(path, TOO_LARGE, f"line over {limit:,} bytes", line=number), raw.tell()
                elif line.strip():
                    yield _jsonl_item(path, line, number, max_bytes), raw.tell()
        except (OSError, EOFError, zlib.error) as exc:  # a broken or cut gzip stream: the rest is lost
            yield Skipped(path, UNREADABLE, f"{type(exc).__name__}: {exc} after line {number:,}; the rest of the "
                          "file cannot be read", line=number + 1), raw.tell()


def _jsonl_item(path: str, line: bytes, number: int, max_bytes: int) -> Record | Skipped:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        return Skipped(path, BAD_JSON, f"not JSON: {exc}", line=number)
    if not isinstance(obj, dict):
        return Skipped(path, BAD_JSON, f"a JSON {type(obj).__name__}, not an object", line=number)
    url = obj.get("url") if isinstance(obj.get("url"), str) else f"{path}:{number}"
    rid = obj.get("id") if isinstance(obj.get("id"), (str, int)) else None
    rid = None if rid is None else str(rid)
    html, text = obj.get("html"), obj.get("text")
    body, kind = (html, "html") if isinstance(html, str) else (text, "text") if isinstance(text, str) else (None, "")
    if body is None:
        return Skipped(path, NO_CONTENT, 'no "html" or "text" string', url=url, record_id=rid, line=number)
    if len(body) > max_bytes:
        return Skipped(path, TOO_LARGE, f"{kind} of {len(body):,} characters > max_bytes={max_bytes:,}", url=url,
                       record_id=rid, line=number)
    return Record(path, url, kind, body, rid, line=number)


# -- several files, with progress --------------------------------------------------------------------------------
class ArchiveReader:
    """The records of archive files, in order; `position` and `total` (bytes of the files) measure progress.

    Raises OSError at construction for a file that cannot be read, ValueError for one of another kind.
    """

    def __init__(self, paths: Iterable[str | os.PathLike], max_bytes: int):
        self.paths = [str(p) for p in paths]
        for p in self.paths:
            if not is_archive(p):
                raise ValueError(f"{p}: not an archive; name WARC files .warc or .warc.gz and JSONL files .jsonl "
                                 "or .jsonl.gz")
        self.sizes = [os.stat(p).st_size for p in self.paths]
        for p in self.paths:  # unreadable (permissions, a directory): say so before any output
            open(p, "rb").close()
        self.total = sum(self.sizes)
        self.max_bytes = max_bytes
        self.position = 0

    def __iter__(self) -> Iterator[Record | Skipped]:
        done = 0
        for path, size in zip(self.paths, self.sizes):
            read = read_warc if path.lower().endswith(WARC_SUFFIXES) else read_jsonl
            for item, pos in read(path, self.max_bytes):
                self.position = done + min(pos, size)
                yield item
            done += size
            self.position = done


# -- scoring, here or in worker processes ------------------------------------------------------------------------
def score_one(scorer, item: Record | Skipped) -> Scored | Skipped:
    """Score a record with a `scoring.scorer.Scorer` (skips pass through; a failure is the scorer's to report:
    it returns the page unscored)."""
    if isinstance(item, Skipped):
        return item
    if item.kind == "html":
        report = scorer.score_html(item.body, item.url, encoding=item.encoding)
    else:
        report = scorer.score_text(item.body, item.url)
    return Scored(replace(item, body=b""), report)


def score_records(items: Iterable[Record | Skipped], config: QualityConfig, workers: int = 0,
                  scorer=None, chunksize: int = CHUNKSIZE) -> Iterator[Scored | Skipped]:
    """Score each record in order: in this process (workers=0, `scorer` reused if given) or in `workers`
    processes that each load the model once (multiprocessing Pool.imap in chunks; order is kept)."""
    if workers <= 0:
        if scorer is None:
            from .scorer import Scorer
            scorer = Scorer(config)
        for item in items:
            yield score_one(scorer, item)
        return
    yield from _score_in_pool(items, config, workers, chunksize)


class WorkerError(RuntimeError):
    """A worker process could not load the scorer; the message says why."""


_worker: dict[str, Any] = {}


def _init_worker(config: QualityConfig) -> None:
    from .scorer import Scorer

    try:
        _worker["scorer"] = Scorer(config)
    except Exception as exc:
        _worker["error"] = f"{type(exc).__name__}: {exc}"


def _score_in_worker(item: Record | Skipped) -> Scored | Skipped:
    if "scorer" not in _worker:
        raise WorkerError(f"cannot load the scorer in a worker process: {_worker.get('error', 'not loaded')}")
    return score_one(_worker["scorer"], item)


def _score_in_pool(items: Iterable[Record | Skipped], config: QualityConfig, workers: int, chunksize: int
                   ) -> Iterator[Scored | Skipped]:
    # Pool.imap reads its input as fast as it can: the semaphore holds the reader back to a few chunks per
    # worker beyond what has been written out, so memory stays bounded on a multi-GB archive.
    window = threading.Semaphore(workers * chunksize * IN_FLIGHT_CHUNKS)
    stop = threading.Event()

    def feed() -> Iterator[Record | Skipped]:
        for item in items:
            while not window.acquire(timeout=0.2):
                if stop.is_set():
                    return
            yield item

    # "spawn": a fresh interpreter per worker (forking a process with threads, e.g. Scrapy's, is unsafe);
    # the model is memory-mapped, so N workers share its pages.
    pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_init_worker, initargs=(config,))
    try:
        for result in pool.imap(_score_in_worker, feed(), chunksize):
            window.release()
            yield result
    finally:
        stop.set()
        pool.terminate()
        pool.join()


# -- accounting and progress ---------------------------------------------------------------------------------------
@dataclass
class ArchiveStats:
    """What happened to every record: records = scored + skipped + not_pages (summed over their reasons)."""
    records: int = 0
    scored: int = 0
    actions: Counter = field(default_factory=Counter)     # keep / tag / drop of the scored records
    skipped: Counter = field(default_factory=Counter)     # reason -> records (reported in the output)
    not_pages: Counter = field(default_factory=Counter)   # record type -> records (counted only)
    notes: Counter = field(default_factory=Counter)       # warc_truncated / http_length_mismatch (still scored)

    def add(self, result: Scored | Skipped) -> None:
        self.records += 1
        if isinstance(result, Scored):
            self.scored += 1
            self.actions[result.report.action] += 1
            for note in result.record.notes:
                self.notes[note.split(":")[0]] += 1
        elif result.reported:
            self.skipped[result.reason] += 1
        else:
            self.not_pages[result.reason] += 1

    def to_dict(self) -> dict[str, Any]:
        return {"records": self.records, "scored": self.scored, "actions": dict(self.actions),
                "skipped": dict(self.skipped), "not_pages": dict(self.not_pages), "notes": dict(self.notes)}

    def summary(self, name: str) -> str:
        def counts(c: Counter) -> str:
            return ", ".join(f"{n:,} {k}" for k, n in c.most_common())

        parts = [f"{name}: {self.records:,} records", f"{self.scored:,} scored ({counts(self.actions) or 'none'})"]
        if self.not_pages:
            parts.append(f"{sum(self.not_pages.values()):,} not pages ({counts(self.not_pages)})")
        if self.skipped:
            parts.append(f"{sum(self.skipped.values()):,} skipped ({counts(self.skipped)})")
        if self.notes:
            parts.append(f"scored with notes: {counts(self.notes)}")
        return "; ".join(parts)


class Progress:
    """One status line on a stream: records, records/s, share of the input read and ETA.

    Redrawn in place at most `interval` seconds apart on a terminal; on a log file, one line per `interval`.
    """

    def __init__(self, reader: ArchiveReader, stream: TextIO, interval: float | None = None):
        self.reader, self.stream = reader, stream
        self.tty = stream.isatty()
        self.interval = interval if interval is not None else (0.25 if self.tty else 30.0)
        self.started = self.last = time.monotonic()
        self.width = 0

    def update(self, stats: ArchiveStats, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < self.interval:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        line = f"scoring: {stats.records:,} records ({stats.scored:,} scored), {stats.records / elapsed:.1f} records/s"
        if self.reader.total:
            done = min(self.reader.position / self.reader.total, 1.0)
            line += f", {done:.0%} of {_size(self.reader.total)}"
            if 0 < done < 1:
                line += f", ETA {_duration(elapsed * (1 - done) / done)}"
        if self.tty:
            self.stream.write("\r" + line.ljust(self.width))
            self.width = len(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self, stats: ArchiveStats) -> None:
        self.update(stats, force=True)
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def _duration(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}h{s // 60 % 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


# -- the command-line runner shared by `python -m scoring` and `scrapy score` -------------------------------------
def run(paths: list[str], config: QualityConfig, *, workers: int = 0, as_json: bool = False, evidence: int = 3,
        scorer=None, out: TextIO | None = None, err: TextIO | None = None, progress: bool | None = None
        ) -> dict[str, ArchiveStats]:
    """Score archives and print one line (JSON) or text report (`render_text`, with `evidence` lines per signal)
    per record, in order; then one summary line per archive on `err`. The progress line is shown when `progress`
    is None and `out` is not a terminal.

    Raises OSError / ValueError for a file that cannot be read (before any output), WorkerError when a worker
    cannot load the scorer, BrokenPipeError when the reader of `out` has gone.
    """
    out, err = out or sys.stdout, err or sys.stderr
    reader = ArchiveReader(paths, config.max_bytes)
    stats = {p: ArchiveStats() for p in reader.paths}
    total = ArchiveStats()
    show = (not out.isatty()) if progress is None else progress
    bar = Progress(reader, err) if show else None
    for result in score_records(reader, config, workers, scorer):
        archive = result.record.archive if isinstance(result, Scored) else result.archive
        stats[archive].add(result)
        total.add(result)
        line = _line(result, as_json, evidence)
        if line is not None:
            out.write(line + "\n")
        if bar is not None:
            bar.update(total)
    out.flush()
    if bar is not None:
        bar.close(total)
    for path, s in stats.items():
        err.write(s.summary(path) + "\n")
    if len(stats) > 1:
        err.write(total.summary("all archives") + "\n")
    err.flush()
    return stats


def _line(result: Scored | Skipped, as_json: bool, evidence: int) -> str | None:
    if isinstance(result, Skipped):
        if not result.reported:
            return None
        return json.dumps(result.to_dict(), ensure_ascii=False) if as_json else result.summary()
    if as_json:
        return json.dumps(result.to_dict(), ensure_ascii=False)
    return render_text(result.report, evidence) + "".join(f"\n  note: {n}" for n in result.record.notes)

