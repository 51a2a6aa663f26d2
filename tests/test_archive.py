"""Offline scoring of crawl archives: `python -m scoring` / `scrapy score` on WARC and JSONL files.

The WARC files are written here with warcio (an independent writer, the one datatrove reads with), record by
record, so that bad bytes can go exactly where the test wants them: garbage between records, a gzip member cut
short, a lying HTTP Content-Length, binary bodies, a revisit, a record cut off by the end of the file. Each
scored record's report is compared with the scorer run directly on the page, so a wrong body (undecoded gzip,
chunk markers, the neighbour's bytes) shows up as a different text.
"""
from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scoring import QualityConfig, Scorer
from scoring import archive
from scoring.__main__ import main
from scoring.archive_bench import reading_memory, utf8_pages, write_warc

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "tests" / "data" / "engine"
REAL = ROOT / "bench" / "realpages" / "html"


def real_pages(n: int) -> list[bytes]:
    return utf8_pages(n, REAL)


class WarcBuilder:
    """A WARC file built record by record (each record its own gzip member when compressed)."""

    def __init__(self, compress: bool):
        self.compress, self.parts, self.expected = compress, [], []

    def _record(self, make) -> bytes:
        buf = io.BytesIO()
        w = WARCWriter(buf, gzip=self.compress)
        w.write_record(make(w))
        return buf.getvalue()

    def add(self, expected: tuple | None, make) -> bytes:
        data = self._record(make)
        self.parts.append(data)
        if expected is not None:
            self.expected.append(expected)
        return data

    def response(self, url: str, body: bytes, expected: tuple, content_type: str = "text/html; charset=utf-8",
                 status: str = "200 OK", headers=(), warc_headers=None) -> bytes:
        http = StatusAndHeaders(status, [("Content-Type", content_type), *headers], protocol="HTTP/1.1")
        return self.add(expected, lambda w: w.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
            warc_headers_dict=warc_headers or {}))

    def raw(self, data: bytes, expected: tuple | None) -> None:
        self.parts.append(data)
        if expected is not None:
            self.expected.append(expected)

    def write(self, path: Path) -> Path:
        path.write_bytes(b"".join(self.parts))
        return path


def chunked(body: bytes, size: int = 500) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size])
                    for i in range(0, len(body), size)) + b"0\r\n\r\n"


def build_bad_warc(path: Path, compress: bool) -> tuple[Path, list[tuple], dict[str, bytes | str]]:
    """A WARC with every kind of record and damage; returns it, the expected fates in order, and url -> page.

    Expected fates: ("scored", url, note or None) or ("skipped", reason, url or None). Records that are not
    pages (warcinfo, request, metadata) are counted but produce no output line.
    """
    b = WarcBuilder(compress)
    pages = real_pages(5)
    engine = (ENGINE / "bridge.html").read_bytes()
    by_url: dict[str, bytes | str] = {}

    def page(url: str, html: bytes | str) -> str:
        by_url[url] = html
        return url

    b.add(None, lambda w: w.create_warcinfo_record("test.warc", {"software": "tests/test_archive.py"}))
    b.add(None, lambda w: w.create_warc_record("http://site.example/1", "request",
                                                payload=io.BytesIO(b"GET /1 HTTP/1.1\r\nHost: site.example\r\n\r\n")))
    b.response(page("http://site.example/1", pages[0]), pages[0], ("scored", "http://site.example/1", None))
    b.add(None, lambda w: w.create_warc_record("http://site.example/1", "metadata",
                                                payload=io.BytesIO(b"fetchTimeMs: 12\r\n")))
    b.raw(b"this is not a WARC record \x00\xff\x1f garbage\r\n\r\n", ("skipped", "unreadable", None))
    b.response(page("http://site.example/gzip", pages[1]), gzip.compress(pages[1]),
               ("scored", "http://site.example/gzip", None), headers=[("Content-Encoding", "gzip")])
    b.response(page("http://site.example/chunked", engine), chunked(engine),
               ("scored", "http://site.example/chunked", None), headers=[("Transfer-Encoding", "chunked")])
    b.response(page("http://site.example/deflate", pages[2]), zlib.compress(pages[2]),
               ("scored", "http://site.example/deflate", None), headers=[("Content-Encoding", "deflate")])
    b.response(page("http://site.example/lying", pages[3]), pages[3],
               ("scored", "http://site.example/lying", archive.HTTP_LENGTH_MISMATCH),
               headers=[("Content-Length", str(len(pages[3]) * 10))])
    b.response("http://site.example/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
               ("skipped", archive.NOT_HTML, "http://site.example/logo.png"), content_type="image/png")
    b.response("http://site.example/binary", b"\x00\x01\x02\x03PK\x03\x04" + bytes(range(256)) * 4,
               ("skipped", archive.BINARY, "http://site.example/binary"))
    b.add(("skipped", archive.REVISIT, "http://site.example/1"), lambda w: w.create_revisit_record(
        "http://site.example/1", digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        refers_to_uri="http://site.example/1", refers_to_date="2024-01-01T00:00:00Z"))
    b.response("http://site.example/missing", b"<html><body>Not found</body></html>",
               ("skipped", archive.HTTP_STATUS, "http://site.example/missing"), status="404 Not Found")
    b.response(page("http://site.example/truncated", pages[4]), pages[4],
               ("scored", "http://site.example/truncated", archive.WARC_TRUNCATED),
               warc_headers={"WARC-Truncated": "length"})
    text = (ENGINE / "bridge.txt").read_text(encoding="utf-8")
    b.response(page("http://site.example/notes.txt", text), text.encode(),
               ("scored", "http://site.example/notes.txt", None), content_type="text/plain; charset=utf-8")
    if compress:  # a gzip member that breaks off in the middle of the file, then a good record
        cut = b._record(lambda w: w.create_warc_record(
            "http://site.example/cut-member", "response", payload=io.BytesIO(pages[0]), length=len(pages[0]),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")))
        b.raw(cut[: len(cut) // 2], ("skipped", archive.CUT_SHORT, "http://site.example/cut-member"))
        b.response(page("http://site.example/after-cut", pages[2]), pages[2],
                   ("scored", "http://site.example/after-cut", None))
    last = b.response("http://site.example/last", pages[1],
                      ("skipped", archive.CUT_SHORT, "http://site.example/last"))
    b.parts[-1] = last[: len(last) * 2 // 3]   # the file ends inside the last record
    return b.write(path), b.expected, by_url


@pytest.fixture(scope="module")
def config(default_model) -> QualityConfig:
    return QualityConfig(models={"en": str(default_model)}).validate()


@pytest.fixture(scope="module")
def scorer(config) -> Scorer:
    return Scorer(config)


def run_main(capsys, *args: str) -> tuple[int, list[dict], str]:
    status = main([*args, "--no-progress"])
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def direct(scorer: Scorer, url: str, page: bytes | str):
    return scorer.score_text(page, url) if isinstance(page, str) else scorer.score_html(page, url)


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_warc_every_record_accounted_for_in_order(tmp_path, capsys, scorer, default_model, compress):
    path, expected, pages = build_bad_warc(tmp_path / ("crawl.warc" + (".gz" if compress else "")), compress)
    status, lines, err = run_main(capsys, "--json", "--model", str(default_model), str(path))
    assert status == 0, err

    fates = [("skipped", d["skipped"], d["url"]) if "skipped" in d else
             ("scored", d["url"], (d.get("record_notes") or [":"])[0].split(":")[0] or None) for d in lines]
    assert fates == expected
    for d in lines:
        assert d["archive"] == str(path)
        if "skipped" in d:
            assert d["detail"], d
            continue
        assert d["record_id"].startswith("<urn:uuid:") and isinstance(d["offset"], int)
        want = direct(scorer, d["url"], pages[d["url"]])   # the same page scored directly
        assert (d["text"], d["words"], d["status"], d["action"], d["flags"]) == \
            (want.text, want.words, want.status, want.action, want.flags), d["url"]
        assert d["signals"].keys() == want.signals.keys()

    # The summary on stderr accounts for every record: 3 not pages (warcinfo, request, metadata) besides the lines.
    summary = next(line for line in err.splitlines() if line.startswith(str(path)))
    scored = sum(1 for f in expected if f[0] == "scored")
    assert f"{len(expected) + 3} records; {scored} scored" in summary
    assert "3 not pages (1 warcinfo, 1 request, 1 metadata)" in summary
    assert f"{archive.HTTP_LENGTH_MISMATCH}" in summary and f"{archive.WARC_TRUNCATED}" in summary


def test_stats_add_up(tmp_path, scorer):
    path, expected, _ = build_bad_warc(tmp_path / "crawl.warc.gz", compress=True)
    stats = archive.ArchiveStats()
    for result in archive.score_records(archive.ArchiveReader([path], scorer.config.max_bytes), scorer.config,
                                        scorer=scorer):
        stats.add(result)
    assert stats.records == stats.scored + sum(stats.skipped.values()) + sum(stats.not_pages.values())
    assert stats.records == len(expected) + 3
    assert stats.skipped[archive.CUT_SHORT] == 2 and stats.skipped[archive.UNREADABLE] == 1
    assert sum(stats.actions.values()) == stats.scored


def test_jsonl_records_and_bad_lines(tmp_path, capsys, scorer, default_model):
    pages = real_pages(2)
    text = (ENGINE / "bridge.txt").read_text(encoding="utf-8")
    rows = [json.dumps({"url": "http://j.example/a", "html": pages[0].decode(), "id": "a"}),
            json.dumps({"url": "http://j.example/b", "text": text, "id": 7}),
            "{not json",
            "",
            json.dumps({"url": "http://j.example/empty", "title": "no body"}),
            json.dumps(["a", "list"]),
            json.dumps({"html": pages[1].decode()})]
    path = tmp_path / "pages.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(rows) + "\n").encode()))
    status, lines, err = run_main(capsys, "--json", "--model", str(default_model), str(path))
    assert status == 0, err
    assert [(d.get("skipped"), d["url"], d["line"]) for d in lines] == [
        (None, "http://j.example/a", 1), (None, "http://j.example/b", 2), (archive.BAD_JSON, None, 3),
        (archive.NO_CONTENT, "http://j.example/empty", 5), (archive.BAD_JSON, None, 6), (None, f"{path}:7", 7)]
    assert [d["record_id"] for d in lines if "skipped" not in d] == ["a", "7", None]
    want = [scorer.score_html(pages[0].decode(), "http://j.example/a"), scorer.score_text(text, "http://j.example/b")]
    assert [d["text"] for d in lines[:2]] == [w.text for w in want]


def test_jsonl_broken_gzip_is_counted_not_fatal(tmp_path, capsys, default_model):
    rows = "".join(json.dumps({"url": f"http://j.example/{i}", "text": "A short line of text."}) + "\n"
                   for i in range(200))
    data = gzip.compress(rows.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    status, lines, err = run_main(capsys, "--json", "--model", str(default_model), str(path))
    assert status == 0
    assert lines[-1]["skipped"] == archive.UNREADABLE
    scored = lines[:-1]
    assert scored and all("skipped" not in d for d in scored)
    assert [d["url"] for d in scored] == [f"http://j.example/{i}" for i in range(len(scored))]
    assert f"{len(lines)} records; {len(scored)} scored" in err


def test_workers_keep_the_order_and_the_reports(tmp_path, capsys, default_model):
    path, expected, _ = build_bad_warc(tmp_path / "crawl.warc.gz", compress=True)
    _, inline, _ = run_main(capsys, "--json", "--model", str(default_model), str(path))
    status, pooled, err = run_main(capsys, "--json", "--workers", "2", "--model", str(default_model), str(path))
    assert status == 0, err
    for d in inline + pooled:
        d.pop("seconds", None)
    assert pooled == inline


def test_progress_line_shows_rate_and_eta(tmp_path):
    path = tmp_path / "p.warc"
    write_warc(path, real_pages(2), 10)
    reader = archive.ArchiveReader([path], 2_000_000)
    err = io.StringIO()
    bar = archive.Progress(reader, err, interval=0)
    stats = archive.ArchiveStats()
    reader.position = reader.total // 4
    stats.records = 10
    bar.update(stats)
    line = err.getvalue()
    assert "records/s" in line and "25% of" in line and "ETA" in line


def test_archive_errors_say_what_to_fix(tmp_path, capsys, default_model):
    status = main(["--model", str(default_model), str(tmp_path / "missing.warc.gz")])
    assert status == 2 and "cannot read" in capsys.readouterr().err
    with pytest.raises(ValueError, match="name WARC files"):
        archive.ArchiveReader([tmp_path / "x.zip"], 1000)


def test_reading_memory_stays_flat(tmp_path):
    """A larger archive streams in bounded memory (the bench runs the same check on 200 MB:
    `python -m scoring.archive_bench`)."""
    path = tmp_path / "big.warc.gz"
    write_warc(path, real_pages(20), 12_000_000)
    m = reading_memory(path, every=20)
    assert m["payload_mb"] > 50, m   # several times what the process may grow by
    assert m["rss_peak_mb"] - m["rss_start_mb"] < 25, m


def test_scrapy_score_reads_archives(tmp_path, default_model):
    path, expected, _ = build_bad_warc(tmp_path / "crawl.warc", compress=False)
    p = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "score", "--json", "--no-progress",
                        "-s", f"QUALITY_MODELS={json.dumps({'en': str(default_model)})}", str(path)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    lines = [json.loads(line) for line in p.stdout.splitlines()]
    assert [("skipped", d["skipped"], d["url"]) if "skipped" in d else ("scored", d["url"]) for d in lines] == \
        [f if f[0] == "skipped" else f[:2] for f in expected]
