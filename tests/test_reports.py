"""The text report, the audit log, the HTML report, the threshold sweep and the `score` / `quality-report` commands."""
from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from crawl_helpers import DEMO_SITE, ROOT, serve
from crawler.audit import AuditWriter, page_record, read_audit
from crawler.html_report import MAX_NINES, SWEEP_THRESHOLDS, format_sweep, highlight, histogram_svg, nines, render, sweep, \
    write_report
from scoring.config import QualityConfig
from scoring.report import UNSCORED, Evidence, PageReport, SignalResult, render_text
from scoring.scorer import Scorer

ARTICLES = sorted((DEMO_SITE / "articles").glob("*.html"))
SCRIPT_TEXT = '<script>document.title="PWNED"</script><img src=x onerror="document.title=\'IMG\'">'


def markup_of(html: str) -> tuple[set[str], set[str]]:
    """The tag and attribute names a browser would see in `html`."""
    tags: set[str] = set()
    attributes: set[str] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.add(tag)
            attributes.update(name for name, _ in attrs)

    Collect().feed(html)
    return tags, attributes


def scrapy_cmd(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def scorer(default_model) -> Scorer:
    return Scorer(QualityConfig(models={"en": str(default_model)}))


@pytest.fixture(scope="module")
def audit_path(tmp_path_factory, scorer) -> Path:
    """An audit log of the demo pages scored by the real scorer, plus a page whose text is markup."""
    path = tmp_path_factory.mktemp("audit") / "demo.audit.jsonl"
    errors: list[Exception] = []
    writer = AuditWriter(path, on_error=errors.append)
    writer.open()
    config = scorer.config
    writer.write({"record": "crawl", "time": "t0", "spider": "test",
                  "config": {"signals": list(config.signals), "thresholds": config.thresholds,
                             "actions": config.actions}})
    for page in ARTICLES:
        report = scorer.score_html(page.read_bytes(), url=f"http://127.0.0.1/articles/{page.name}")
        writer.write(page_record(report, url=report.source, stage="items" if report.action == "drop" else None))
    paragraph = ("<p>The harbour authority said the ferry terminal would open in the summer after two years of "
                 "building work and a long argument about the cost.</p>")
    hostile = ("<html><body><article>" + paragraph * 4   # between paragraphs: a label at the end would be chrome
               + f"<p>{SCRIPT_TEXT.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</p>"
               + paragraph + "</article></body></html>")
    report = scorer.score_html(hostile, url='http://127.0.0.1/x?"><script>alert(1)</script>')
    report.flags, report.action = ["boilerplate"], "tag"  # make sure the page is listed in full
    report.signals["boilerplate"].evidence.append(
        Evidence(0, 5, report.text[:5], reason='<b onmouseover="x">reason</b>', kind="block"))
    writer.write(page_record(report, url=report.source, stage=None))
    writer.write({"record": "item", "time": "t1", "url": report.source, "verdict": "tag", "flags": ["boilerplate"]})
    writer.write({"record": "summary", "time": "t2", "finish_reason": "finished", "stats": {"quality/scored": 1}})
    writer.close()
    assert not errors
    return path


# -- the audit log ------------------------------------------------------------------------------------------------
def test_audit_round_trip(audit_path, scorer):
    audit = read_audit(audit_path)
    assert len(audit.pages) == len(ARTICLES) + 1 and audit.bad_lines == 0
    assert audit.summary["finish_reason"] == "finished" and audit.thresholds == scorer.config.thresholds
    page = next(p for p in audit.pages if p.url.endswith("/footbridge-split.html"))
    fresh = scorer.score_html((DEMO_SITE / "articles" / "footbridge-split.html").read_bytes(), url=page.url)
    assert page.report.flags == fresh.flags and page.report.scores() == fresh.scores()
    assert [e.start for e in page.report.signals["split"].evidence] == [e.start for e in fresh.signals["split"].evidence]
    for p in audit.pages:  # flagged pages keep their text, kept pages do not
        assert bool(p.report.text) == (p.report.action != "keep"), p.url


def test_torn_lines_are_skipped_and_counted(audit_path, tmp_path):
    torn = tmp_path / "torn.audit.jsonl"
    torn.write_text(audit_path.read_text(encoding="utf-8") + '{"record": "page", "url": "http://x", "sta\n[1, 2]\n')
    audit = read_audit(torn)
    assert audit.bad_lines == 2 and len(audit.pages) == len(ARTICLES) + 1


def test_audit_write_failures_are_reported(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    errors: list[Exception] = []
    writer = AuditWriter("/dev/full", on_error=errors.append)  # every write fails with ENOSPC, like a full disk
    writer.open()
    assert writer.write({"record": "page", "url": "http://x"}) is False
    assert len(errors) == 1 and "No space left on device" in str(errors[0]) and writer.written == 0


# -- the text report -------------------------------------------------------------------------------------------------
def test_render_text_gives_the_verdict_scores_and_strongest_evidence():
    spun = [Evidence(0, 4, "big\n  word", reason="rare synonym", kind="word", weight=w, suggestion="large")
            for w in (0.2, 0.9, 0.5, 0.1)]
    report = PageReport(source="page.html", action="tag", flags=["spin"], language="en", language_prob=0.99,
                        words=300, content="article", notes=["truncated: cut"],
                        signals={"spin": SignalResult("spin", 0.97, spun, {"raw": 2.5}),
                                 "split": SignalResult("split", 0.1)})
    lines = render_text(report, evidence=2).splitlines()
    assert lines[0].startswith("page.html: TAG [spin] status=scored language=en (0.99) words=300")
    assert "  note: truncated: cut" in lines
    assert "  spin         0.970 FLAGGED  (raw 2.5, confidence 1.00, 4 evidence)" in lines
    assert lines.count("      [0:4] 'big word': rare synonym (likelier: large)") == 2  # the 2 strongest of 4
    assert "  split        0.100  (raw 0, confidence 1.00, 0 evidence)" in lines


def test_render_text_of_an_unscored_page_says_why():
    report = PageReport(source="x", status=UNSCORED, error="ValueError: bad page")
    assert render_text(report).splitlines()[1:] == ["  error: ValueError: bad page"]


# -- the HTML pieces -------------------------------------------------------------------------------------------------
def test_highlight_escapes_and_layers_evidence():
    text = 'Intro <b>bold</b> & "quoted". Broken. Sentence here'
    evidence = {
        "spin": [Evidence(6, 17, "<b>bold</b>", reason='odd <word> "x"', kind="word", suggestion="<i>")],
        "injection": [Evidence(0, 29, text[:29], reason="ad block", kind="block")],
        "split": [Evidence(37, 39, ". ", reason="broken boundary", kind="boundary")],
    }
    out = highlight(text, evidence)
    assert "<b>" not in out and "&lt;b&gt;bold&lt;/b&gt;" in out and "&amp;" in out
    assert 'class="ev-injection ev-spin"' in out  # the spun word inside the injected block has both styles
    assert "spin: odd &lt;word&gt; &quot;x&quot; (likelier: &lt;i&gt;)" in out
    assert out.count("&#x2702;") == 1 and 'title="split: broken boundary"' in out
    plain = re.sub(r"<[^>]+>", "", out).replace("&#x2702;", "")
    assert unescape(plain) == text  # nothing lost, nothing added


def test_highlight_survives_bad_offsets():
    out = highlight("short", {"spin": [Evidence(3, 999, "rt", reason="r"), Evidence(4, 2, "x", reason="r")]})
    assert re.sub(r"<[^>]+>", "", out) == "short"


def test_histogram_marks_the_threshold():
    scores = [0.1, 0.5, 0.95, 0.991, 0.999, 1.0]
    svg = histogram_svg("spin", scores, 0.99)
    bars = re.findall(r'<rect [^>]*fill="(#[0-9a-f]+)"><title>([^<]+): (\d+) pages</title>', svg)
    assert len(bars) == 4 * MAX_NINES and sum(int(n) for _, _, n in bars) == len(scores)
    red = sum(int(n) for colour, _, n in bars if colour == "#d63638")
    assert red == sum(s >= 0.99 for s in scores)
    x = float(re.search(r'<line x1="([0-9.]+)"[^>]*stroke="#b32d2e"', svg).group(1))
    assert math.isclose(x, 34 + (340 - 58) * nines(0.99) / MAX_NINES, abs_tol=0.1)
    assert nines(0.9) == pytest.approx(1) and nines(0.999) == pytest.approx(3) and nines(1.0) == MAX_NINES
    labels = [label for _, label, _ in bars]
    assert len(set(labels)) == len(labels)  # every bin says where it is, up to the last nines


def test_sweep_counts_pages_per_threshold(audit_path):
    audit = read_audit(audit_path)
    table = sweep(audit)
    for name, row in table.items():
        scores = [p.report.signals[name].score for p in audit.pages if name in p.report.signals]
        assert row == [(t, sum(s >= t for s in scores)) for t in SWEEP_THRESHOLDS]
        assert [n for _, n in row] == sorted((n for _, n in row), reverse=True)
    text = format_sweep(audit)
    assert text.splitlines()[0].split()[:2] == ["signal", "pages"]
    assert all("*" in line for line in text.splitlines()[1:5])  # 0.99 is in the sweep: starred


def test_report_is_self_contained_and_escaped(audit_path, tmp_path):
    out = write_report(audit_path, tmp_path / "r.html")
    html = out.read_text(encoding="utf-8")
    tags, attributes = markup_of(html)
    assert not tags & {"script", "img", "iframe", "object", "link"}, tags
    assert not [a for a in attributes if a.startswith("on")] and "src" not in attributes
    assert "&lt;script&gt;document.title=&quot;PWNED&quot;&lt;/script&gt;" in html
    assert not re.search(r'(src|href)="(?!http://127\.0\.0\.1/)', html)  # no external assets; links to pages only
    assert html.count("<svg") == 4 and "Threshold sweep" in html
    audit = read_audit(audit_path)
    for page in audit.flagged():
        assert escape(page.url) in html
    assert render(audit, max_pages=1).count('class="page"') == 1


def test_report_in_headless_chromium(audit_path, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    report = write_report(audit_path, tmp_path / "report.html")
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                               "--disable-component-update", "--disable-sync", "--no-first-run",
                               f"--user-data-dir={profile}", "--dump-dom", report.as_uri()],
                              capture_output=True, text=True, timeout=120)
    dom = proc.stdout
    assert "<title>Content quality report</title>" in dom, proc.stderr[-2000:]  # no script renamed the page
    tags, attributes = markup_of(dom)
    assert "svg" in tags and not tags & {"script", "img"} and not [a for a in attributes if a.startswith("on")]
    assert "PWNED" in dom  # the markup is there, as text


# -- the commands -----------------------------------------------------------------------------------------------------
def test_quality_report_command(audit_path, tmp_path):
    out = tmp_path / "cli.html"
    proc = scrapy_cmd("quality-report", str(audit_path), "-o", str(out), "--sweep", "--thresholds", "0.5,0.99,0.999")
    assert proc.returncode == 0, proc.stderr
    assert out.is_file() and "<svg" in out.read_text(encoding="utf-8")
    lines = proc.stdout.splitlines()
    table = sweep(read_audit(audit_path), (0.5, 0.99, 0.999))
    for name, row in table.items():
        line = next(l for l in lines if l.startswith(name))
        assert [int(c.rstrip("*")) for c in line.split()[2:5]] == [n for _, n in row]
    assert "HTML report:" in proc.stdout


def test_quality_report_command_errors(tmp_path):
    assert "audit log not found" in scrapy_cmd("quality-report", str(tmp_path / "nope.jsonl"), "--sweep").stderr
    assert "nothing to do" in scrapy_cmd("quality-report", str(tmp_path / "x.jsonl")).stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text("hello\n")
    proc = scrapy_cmd("quality-report", str(bad), "--sweep")
    assert proc.returncode == 2 and "has no audit records" in proc.stderr


def test_score_command_files_and_urls(tmp_path):
    split = DEMO_SITE / "articles" / "footbridge-split.html"
    note = DEMO_SITE / "about.txt"
    with serve(DEMO_SITE) as base:
        proc = scrapy_cmd("score", "--json", str(split), str(note), f"{base}/articles/footbridge-split.html",
                          f"{base}/missing.html", str(tmp_path / "missing.html"))
    assert proc.returncode == 1  # two inputs failed; the others are scored
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    by_file, as_text, by_url, missing_url, missing_file = lines
    assert by_file["source"] == str(split) and "split" in by_file["flags"] and by_file["action"] == "drop"
    assert by_url["source"].endswith("footbridge-split.html") and by_url["flags"] == by_file["flags"]
    assert by_url["signals"]["split"]["score"] == pytest.approx(by_file["signals"]["split"]["score"])
    assert as_text["source"] == str(note) and as_text["words"] > 50
    assert "HTTP 404" in missing_url["error"] and "cannot read" in missing_file["error"]
    for report in (by_file, by_url):
        ev = report["signals"]["split"]["evidence"][0]
        assert report["text"][ev["start"]:ev["end"]] == ev["text"]


def test_score_command_summary():
    proc = scrapy_cmd("score", str(DEMO_SITE / "articles" / "heat-map-injected.html"))
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"heat-map-injected\.html: (TAG|DROP) \[.*injection.*\] status=scored language=en", proc.stdout)
    assert re.search(r"^  injection +[01]\.\d{3} FLAGGED", proc.stdout, re.MULTILINE)
    assert re.search(r"^      \[\d+:\d+\] '.+': .+$", proc.stdout, re.MULTILINE)  # its evidence
