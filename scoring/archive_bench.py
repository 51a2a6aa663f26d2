"""Measurements of archive reading for the benchmark: WARC library speed and memory on a large archive.

    python -m scoring.archive_bench                     # 200 MB .warc.gz of the bench's real pages, in a temp dir
    python -m scoring.archive_bench --megabytes 50 --pages bench/realpages/html

    from scoring.archive_bench import write_warc, reading_memory, compare_libraries
    write_warc(path, pages, target_bytes=200_000_000)    # repeats the pages' gzip members until the size is reached
    reading_memory(path)      # {"records", "seconds", "rss_start_mb", "rss_peak_mb", ...}: constant memory check
    compare_libraries(path)   # FastWARC vs warcio (if installed): records/s reading every payload

Reading only: scoring costs far more per record and is measured by the bench itself (`score_records`).
"""
from __future__ import annotations

import argparse
import gzip
import os
import tempfile
import time
from pathlib import Path
from typing import Iterable

from .archive import ArchiveReader, Record

DEFAULT_PAGES = Path(__file__).resolve().parent.parent / "bench" / "realpages" / "html"


def warc_member(url: str, html: bytes, compress: bool = True) -> bytes:
    """One WARC/1.1 response record (its own gzip member when `compress`)."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(html)
    block = http + html
    head = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{os.urandom(16).hex()}>\r\n"
            f"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: {url}\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n").encode()
    record = head + block + b"\r\n\r\n"
    return gzip.compress(record, compresslevel=6) if compress else record


def write_warc(path: str | os.PathLike, pages: list[bytes], target_bytes: int, compress: bool = True) -> int:
    """Write a WARC of at least `target_bytes` by repeating the pages; returns the number of records."""
    members = [warc_member(f"http://bench.example/{i}", html, compress) for i, html in enumerate(pages)]
    written = records = 0
    with open(path, "wb") as f:
        while written < target_bytes:
            for m in members:
                f.write(m)
                written += len(m)
                records += 1
    return records


def read_pages(folder: str | os.PathLike = DEFAULT_PAGES, limit: int | None = None) -> list[bytes]:
    """The HTML pages of a folder (.html or .html.gz)."""
    files = sorted(p for p in Path(folder).iterdir() if p.name.endswith((".html", ".html.gz")))[:limit]
    if not files:
        raise FileNotFoundError(f"no .html or .html.gz pages in {folder}")
    return [gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes() for p in files]


def utf8_pages(n: int, folder: str | os.PathLike = DEFAULT_PAGES) -> list[bytes]:
    """The first n pages of a folder that are valid UTF-8 (so that a charset header can say so)."""
    pages = []
    for page in read_pages(folder):
        try:
            page.decode("utf-8")
        except UnicodeDecodeError:
            continue
        pages.append(page)
        if len(pages) == n:
            return pages
    raise ValueError(f"fewer than {n} UTF-8 pages in {folder}")


def rss_mb() -> float:
    """This process's resident memory now (Linux /proc)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise OSError("no VmRSS in /proc/self/status (not Linux?)")


def reading_memory(path: str | os.PathLike, max_bytes: int = 2_000_000, every: int = 100) -> dict:
    """Stream every record of an archive (no scoring), sampling RSS every `every` records."""
    reader = ArchiveReader([path], max_bytes)
    start = peak = rss_mb()
    records = payload = 0
    began = time.perf_counter()
    for item in reader:
        records += 1
        if isinstance(item, Record):
            payload += len(item.body)
        if records % every == 0:
            peak = max(peak, rss_mb())
    seconds = time.perf_counter() - began
    return {"records": records, "payload_mb": payload / 1e6, "file_mb": reader.total / 1e6, "seconds": seconds,
            "records_per_s": records / seconds if seconds else 0.0, "rss_start_mb": start,
            "rss_peak_mb": max(peak, rss_mb())}


def _fastwarc(path: str) -> Iterable[int]:
    from fastwarc.warc import ArchiveIterator

    with open(path, "rb") as f:
        for rec in ArchiveIterator(f, auto_decode="all"):
            yield len(rec.reader.read())


def _warcio(path: str) -> Iterable[int]:
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as f:
        for rec in ArchiveIterator(f):
            yield len(rec.content_stream().read())


def compare_libraries(path: str | os.PathLike, repeat: int = 2) -> dict[str, dict]:
    """Records/s of FastWARC and warcio (when installed) reading every payload; best of `repeat` runs."""
    out = {}
    for name, read in (("fastwarc", _fastwarc), ("warcio", _warcio)):
        try:
            __import__(name)
        except ImportError:
            continue
        best = float("inf")
        for _ in range(repeat):
            began = time.perf_counter()
            records = sum(1 for _ in read(str(path)))
            best = min(best, time.perf_counter() - began)
        out[name] = {"records": records, "seconds": best, "records_per_s": records / best,
                     "mb_per_s": os.path.getsize(path) / 1e6 / best}
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scoring.archive_bench", description=__doc__.split("\n")[0])
    p.add_argument("--megabytes", type=float, default=200, help="size of the generated .warc.gz (default: 200)")
    p.add_argument("--pages", default=str(DEFAULT_PAGES), help="folder of .html/.html.gz pages to repeat")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.warc.gz"
        records = write_warc(path, read_pages(args.pages), int(args.megabytes * 1e6))
        print(f"{path.name}: {records:,} records, {path.stat().st_size / 1e6:.0f} MB")
        for name, r in compare_libraries(path).items():
            print(f"{name:>9}: {r['records_per_s']:,.0f} records/s, {r['mb_per_s']:.0f} MB/s of .warc.gz")
        m = reading_memory(path)
        print(f"streaming {m['payload_mb']:,.0f} MB of payloads: RSS {m['rss_start_mb']:.0f} MB at the start, "
              f"{m['rss_peak_mb']:.0f} MB at the peak; {m['records_per_s']:,.0f} records/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

