"""Real crawls: the Scrapy engine in a subprocess against http.server on 127.0.0.1, with the real scorer.

Where a test is about what the middlewares do with a verdict, thresholds of 0.0 make every signal flag
every scored page, so the outcome does not depend on the model's scores. Where it is about detection,
the default model and thresholds decide (the demo crawl).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crawl_helpers import DEMO_SITE, ITEM_TYPES, ROOT, run_crawl, serve
from scoring.config import SIGNAL_NAMES

pytestmark = pytest.mark.slow

SIGNALS = SIGNAL_NAMES
ALL_FLAGGED = {"QUALITY_THRESHOLDS": dict.fromkeys(SIGNALS, 0.0)}
ARTICLE_PAGES = len(list((DEMO_SITE / "articles").glob("*.html")))
FOREIGN_PAGES = 3  # de, es, fr: no model, reported unsupported_language


@pytest.fixture(scope="module")
def demo_url():
    with serve(DEMO_SITE) as base:
        yield base


def accounting(crawl, yielded: int) -> None:
    """Items yielded = kept + dropped, the same from the stats, the pipeline and the audit log."""
    kept, dropped = crawl.quality("items/kept"), crawl.quality("items/dropped")
    assert kept + dropped == yielded
    assert crawl.stats.get("item_scraped_count", 0) == kept == len(crawl.items)
    item_records = crawl.records("item")
    assert len(item_records) == yielded
    assert sum(r["verdict"] == "drop" for r in item_records) == dropped


# -- tag per signal, all item types, sync callbacks -------------------------------------------------------------------
@pytest.fixture(scope="module")
def tag_crawl(tmp_path_factory, demo_url):
    settings = {**ALL_FLAGGED, "QUALITY_ACTIONS": {"spin": "tag", "split": "tag", "injection": "tag",
                                                   "boilerplate": "keep"}}
    return run_crawl(tmp_path_factory.mktemp("tag"), f"{demo_url}/index.html", settings,
                     item_types=",".join(ITEM_TYPES), callback="sync")


def test_tag_per_signal(tag_crawl):
    crawl = tag_crawl
    assert crawl.returncode == 0, crawl.log[-3000:]
    scored = crawl.quality("scored") + crawl.quality("too_short")
    assert scored >= ARTICLE_PAGES - FOREIGN_PAGES
    assert crawl.quality("skipped/unsupported_language") == FOREIGN_PAGES
    assert crawl.quality("pages/tag") == scored
    for signal in ("spin", "split", "injection"):  # action "tag": counted as tagged
        assert crawl.quality(f"tagged/{signal}") == scored
        assert crawl.quality(f"flagged/{signal}") == scored
    assert crawl.quality("flagged/boilerplate") == scored  # action "keep": flagged, counted, not tagged
    assert crawl.quality("tagged/boilerplate") == 0
    assert crawl.quality("dropped/spin") == crawl.quality("items/dropped") == 0


def test_tagging_every_item_type(tag_crawl):
    crawl = tag_crawl
    accounting(crawl, ARTICLE_PAGES * len(ITEM_TYPES))
    by_type: dict[str, list[dict]] = {}
    for item in crawl.items:
        by_type.setdefault(item["kind"], []).append(item)
    assert set(by_type) == set(ITEM_TYPES)
    for kind, items in by_type.items():
        tagged = [i for i in items if i.get("quality")]
        if kind == "dataclass_undeclared":  # no field and none can be added: untagged, counted, kept
            assert not tagged and len(items) == ARTICLE_PAGES
            continue
        assert len(tagged) == ARTICLE_PAGES - FOREIGN_PAGES, kind  # foreign pages: kept untouched
        for item in tagged:
            verdict = item["quality"]
            assert verdict["action"] == "tag"
            assert set(verdict["flags"]) == set(SIGNALS)
            assert set(verdict["scores"]) == set(SIGNALS)
            assert all(0.0 <= s <= 1.0 for s in verdict["scores"].values())
    assert crawl.quality("errors/item_field") == ARTICLE_PAGES - FOREIGN_PAGES
    assert "cannot set field 'quality' on PlainRecord items" in crawl.log
    assert "declared field 'quality' on UndeclaredItem" in crawl.log


# -- drop per signal, async callbacks ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def drop_crawl(tmp_path_factory, demo_url):
    settings = {**ALL_FLAGGED, "QUALITY_SIGNALS": ["spin", "injection"],
                "QUALITY_ACTIONS": {"spin": "drop", "injection": "tag"}}
    return run_crawl(tmp_path_factory.mktemp("drop"), f"{demo_url}/index.html", settings,
                     item_types="dict,item,attrs", callback="async")


def test_drop_per_signal_async_callback(drop_crawl):
    crawl = drop_crawl
    assert crawl.returncode == 0, crawl.log[-3000:]
    scored = crawl.quality("scored") + crawl.quality("too_short")
    assert crawl.quality("dropped/spin") == crawl.quality("pages/drop") == scored
    assert crawl.quality("tagged/injection") == 0  # the page is dropped: its tag action does not apply
    assert crawl.quality("flagged/split") == 0     # not in QUALITY_SIGNALS
    # Only items from unsupported-language pages survive, untouched; the requests the callbacks yielded
    # passed through (the index was fetched from the article pages and filtered as a duplicate).
    accounting(crawl, ARTICLE_PAGES * 3)
    assert len(crawl.items) == FOREIGN_PAGES * 3
    assert all("quality" not in i or i["quality"] is None for i in crawl.items)
    assert crawl.stats.get("dupefilter/filtered", 0) >= ARTICLE_PAGES


def test_dropped_pages_and_items_are_audited(drop_crawl):
    crawl = drop_crawl
    pages = {r["url"]: r for r in crawl.records("page")}
    dropped_items = [r for r in crawl.records("item") if r["verdict"] == "drop"]
    assert dropped_items and all(r["item"]["url"] == r["url"] for r in dropped_items)
    for record in dropped_items:  # every dropped item's page is in the log, with its text
        page = pages[record["url"]]
        assert page["action"] == "drop" and page["stage"] == "items" and page["flags"] == ["spin", "injection"]
        assert len(page["text"]) > 500 and page["blocks"]
    assert sum(r["action"] == "drop" for r in pages.values()) == crawl.quality("pages/drop")
    records = crawl.records()
    assert records[0]["record"] == "crawl" and records[0]["config"]["thresholds"]["spin"] == 0.0
    assert records[-1]["record"] == "summary"
    assert records[-1]["stats"]["quality/items/dropped"] == crawl.quality("items/dropped")


# -- the same verdicts from worker processes --------------------------------------------------------------------------
def test_worker_pool_gives_the_same_verdicts(tmp_path, demo_url, drop_crawl):
    # Also on a non-asyncio reactor: the pool's futures are then awaited as Deferreds.
    settings = {**ALL_FLAGGED, "QUALITY_SIGNALS": ["spin", "injection"],
                "QUALITY_ACTIONS": {"spin": "drop", "injection": "tag"}, "QUALITY_WORKERS": 2,
                "TWISTED_REACTOR": "twisted.internet.epollreactor.EPollReactor"}
    crawl = run_crawl(tmp_path, f"{demo_url}/index.html", settings, item_types="dict,item,attrs",
                      callback="async")
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert "'TWISTED_REACTOR': 'twisted.internet.epollreactor.EPollReactor'" in crawl.log
    keys = [k for k in drop_crawl.stats if k.startswith("quality/") and k != "quality/workers"]
    assert {k: crawl.stats.get(k) for k in keys} == {k: drop_crawl.stats[k] for k in keys}
    assert (crawl.stats["quality/workers"], drop_crawl.stats["quality/workers"]) == (2, 0)
    pool_scores = {r["url"].split("/", 3)[-1]: r["scores"] for r in crawl.records("page")}
    inline_scores = {r["url"].split("/", 3)[-1]: r["scores"] for r in drop_crawl.records("page")}
    assert pool_scores == inline_scores


def test_worker_pool_from_a_script_without_main_guard(tmp_path, demo_url):
    """Spawned workers must not re-run the crawl script (Scrapy's run-from-a-script examples have no guard)."""
    script = tmp_path / "crawl_script.py"
    script.write_text(
        "from scrapy.crawler import CrawlerProcess\n"
        "import crawl_helpers\n"
        "print('SCRIPT BODY RUNS', flush=True)\n"
        f"process = CrawlerProcess({{**crawl_helpers.BASE_SETTINGS, 'QUALITY_WORKERS': 2, "
        f"'QUALITY_REPORT_DIR': {str(tmp_path / 'reports')!r}}})\n"
        "crawler = process.create_crawler(crawl_helpers.SiteSpider)\n"
        f"process.crawl(crawler, start_url={demo_url + '/index.html'!r})\n"
        "process.start()\n"
        "print('SCORED', crawler.stats.get_value('quality/scored'))\n"
        "print('NO ARTICLE', crawler.stats.get_value('quality/skipped/no_main_content'))\n", encoding="utf-8")
    env = {"PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.stdout.count("SCRIPT BODY RUNS") == 1, proc.stdout + proc.stderr[-3000:]
    assert f"SCORED {ARTICLE_PAGES - FOREIGN_PAGES}" in proc.stdout  # the articles
    assert "NO ARTICLE 1" in proc.stdout  # the index: a list of links, no article


# -- opt-out and drop at download -------------------------------------------------------------------------------------
def test_dont_score_and_drop_at_download(tmp_path, demo_url):
    settings = {**ALL_FLAGGED, "QUALITY_ACTIONS": dict.fromkeys(SIGNALS, "drop"), "QUALITY_DROP_AT_DOWNLOAD": True}
    crawl = run_crawl(tmp_path, f"{demo_url}/index.html", settings, dont_score="-spun", dont_score_start="1")
    assert crawl.returncode == 0, crawl.log[-3000:]
    spun = 6
    assert crawl.quality("skipped/dont_score") == 1 + spun  # the index and the spun copies
    dropped_pages = crawl.quality("pages/drop")
    assert dropped_pages == ARTICLE_PAGES - spun - FOREIGN_PAGES
    for signal in SIGNALS:
        assert crawl.quality(f"dropped/{signal}") == dropped_pages
    # Dropped at download: the spider never parsed them, so they yielded nothing to drop.
    assert crawl.quality("items/dropped") == 0
    accounting(crawl, spun + FOREIGN_PAGES)
    assert sorted(i["url"].rsplit("/", 1)[-1] for i in crawl.items if "-spun" in i["url"]) == \
        sorted(p.name for p in (DEMO_SITE / "articles").glob("*-spun.html"))
    assert all(i.get("quality") is None for i in crawl.items)  # not scored: untouched
    pages = crawl.records("page")
    assert not [p for p in pages if "-spun" in p["url"] or p["url"].endswith("index.html")]
    download_drops = [p for p in pages if p["stage"] == "download"]
    assert len(download_drops) == dropped_pages and all(p["text"] for p in download_drops)
    assert crawl.stats.get("spider_exceptions", 0) == 0 and "Traceback" not in crawl.log


# -- the add-on and the switch ----------------------------------------------------------------------------------------
def test_disabled_plugin_is_not_configured(tmp_path, demo_url):
    crawl = run_crawl(tmp_path, f"{demo_url}/index.html", {"QUALITY_ENABLED": False})
    assert crawl.returncode == 0
    assert not [k for k in crawl.stats if k.startswith("quality/")]
    assert len(crawl.items) == ARTICLE_PAGES
    assert "Disabled <class 'crawler.middlewares.QualityScoringMiddleware'>: QUALITY_ENABLED is False" in crawl.log
    assert not (tmp_path / "reports").exists() or not list((tmp_path / "reports").glob("*.jsonl"))


def test_middlewares_without_the_addon(tmp_path, demo_url):
    settings = {"ADDONS": {}, **ALL_FLAGGED,
                "DOWNLOADER_MIDDLEWARES": {"crawler.middlewares.QualityScoringMiddleware": 540},
                "SPIDER_MIDDLEWARES": {"crawler.middlewares.QualityItemMiddleware": 850},
                "EXTENSIONS": {"crawler.audit_trail.AuditTrail": 0}}
    (tmp_path / "listed").mkdir()
    (tmp_path / "unlisted").mkdir()
    crawl = run_crawl(tmp_path / "listed", f"{demo_url}/index.html", settings)
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.quality("pages/drop") >= ARTICLE_PAGES - FOREIGN_PAGES  # default actions: spin/split drop
    accounting(crawl, ARTICLE_PAGES)
    # the middlewares without the audit trail they write to: the crawl stops at start-up and says what to add
    crawl = run_crawl(tmp_path / "unlisted", f"{demo_url}/index.html", {**settings, "EXTENSIONS": {}})
    assert crawl.returncode == 1
    assert "the audit trail extension is not enabled" in crawl.log
    assert crawl.stats.get("response_received_count", 0) == 0


def test_bad_configuration_stops_the_crawl(tmp_path, demo_url):
    crawl = run_crawl(tmp_path, f"{demo_url}/index.html", {"QUALITY_THRESHOLDS": {"spni": 0.9}})
    assert crawl.returncode == 1
    assert "unknown signal 'spni' in thresholds; known signals: spin, split, injection, boilerplate" in crawl.log
    assert crawl.stats.get("response_received_count", 0) == 0


# -- odd pages, escaping, and the HTML report --------------------------------------------------------------------------
SCRIPT_TEXT = '<script>document.title="PWNED"</script> <img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def odd_crawl(tmp_path_factory):
    site = tmp_path_factory.mktemp("odd-site")
    articles = site / "articles"
    articles.mkdir()
    paragraph = ("The harbour authority said on Friday that the new ferry terminal would open in the summer, after "
                 "two years of building work and a long argument about the cost of the car park. ")
    escaped = SCRIPT_TEXT.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    (articles / "script.html").write_text(
        f"<html><head><title>Ferry</title><script>document.title='REAL SCRIPT'</script></head><body><article>"
        f"<h1>Ferry terminal</h1><p>{paragraph * 3}</p><p>{escaped}</p><p>{paragraph * 2}</p></article></body></html>",
        encoding="utf-8")
    (articles / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (articles / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (articles / "data.json").write_text(json.dumps({"text": paragraph}), encoding="utf-8")
    (articles / "big.html").write_text(f"<html><body><p>{paragraph * 1500}</p></body></html>", encoding="utf-8")
    (articles / "empty.html").write_bytes(b"")
    (articles / "note.txt").write_text((paragraph + "\n") * 4, encoding="utf-8")
    links = "".join(f'<a href="/articles/{p.name}">{p.name}</a> ' for p in sorted(articles.iterdir()))
    links += '<a href="/articles/script.html?q=%22%3E%3Cscript%3Ealert(2)%3C/script%3E">odd query</a>'
    (site / "index.html").write_text(f"<html><body>{links}</body></html>", encoding="utf-8")
    settings = {**ALL_FLAGGED, "QUALITY_ACTIONS": dict.fromkeys(SIGNALS, "tag"), "QUALITY_MAX_BYTES": 100_000}
    with serve(site) as base:
        crawl = run_crawl(tmp_path_factory.mktemp("odd"), f"{base}/index.html", settings, dont_score_start="1")
    return crawl


def test_odd_pages_are_skipped_with_a_reason(odd_crawl):
    crawl = odd_crawl
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.quality("skipped/content_type") == 2  # the PNG and the JSON
    assert crawl.quality("skipped/binary") == 1
    assert crawl.quality("skipped/too_large") == 1
    assert crawl.quality("skipped/dont_score") == 1
    assert crawl.quality("pages/tag") == 3  # script.html twice (two URLs) and note.txt (plain text is scored)
    empty = next(r for r in crawl.records("page") if r["url"].endswith("empty.html"))
    assert empty["words"] == 0 and empty["action"] == "keep" and empty["flags"] == []
    assert crawl.stats.get("spider_exceptions", 0) == 0
    accounting(crawl, 8)


def test_report_escapes_crawled_content(odd_crawl):
    crawl = odd_crawl
    page = next(r for r in crawl.records("page") if r["url"].endswith("script.html"))
    assert SCRIPT_TEXT in page["text"]  # the audit log keeps the text as it was
    html = crawl.report_path.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;document.title=&quot;PWNED&quot;&lt;/script&gt;" in html
    assert "%22%3E%3Cscript%3Ealert(2)" in html  # the odd URL, shown as it was requested, harmless
    assert crawl.report_path.name == "crawl.report.html"  # named by QUALITY_REPORT_NAME, never by content


# -- the demo: real detection with the default model -------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_run(tmp_path_factory, default_model):
    out = tmp_path_factory.mktemp("demo")
    proc = subprocess.run([sys.executable, "-m", "crawler.demo", "--report-dir", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=180)
    return proc, out


def test_demo_prints_summary_and_report(demo_run):
    proc, out = demo_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = re.search(r"HTML report: (\S+\.report\.html)", proc.stdout)
    assert report and Path(report.group(1)).is_file()
    assert f"{ARTICLE_PAGES} yielded = " in proc.stdout
    # a kept page says how close it came: its highest score beside the threshold it stayed under
    kept = re.search(r"articles/footbridge\.html\s+keep\s+highest: (\w+) ([0-9.]+) \(flags at ([0-9.]+)\)", proc.stdout)
    assert kept and float(kept.group(2)) < float(kept.group(3)), proc.stdout
    html = Path(report.group(1)).read_text(encoding="utf-8")
    assert html.count("<svg") == len(SIGNALS)  # one histogram per signal
    assert 'class="ev-split"' in html and 'class="ev-injection"' in html and "threshold 0.99" in html


def test_demo_detects_the_damaged_copies(demo_run):
    proc, out = demo_run
    audit = next(out.glob("*.audit.jsonl"))
    records = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    pages = {r["url"].rsplit("/", 1)[-1].removesuffix(".html"): r for r in records if r["record"] == "page"}
    items = [r for r in records if r["record"] == "item"]
    originals = [name.removesuffix(".html") for name in
                 ("footbridge", "seed-library", "heat-map", "rail-results", "flood-watch", "robotics")]
    for name in originals:
        assert pages[name]["action"] != "drop", pages[name]["flags"]
        split, injected = pages[f"{name}-split"], pages[f"{name}-injected"]
        assert "split" in split["flags"] and split["action"] == "drop"
        assert "injection" in injected["flags"]
        assert split["scores"]["split"] > pages[name]["scores"]["split"]
        assert injected["scores"]["injection"] > pages[name]["scores"]["injection"]
        # every flag comes with its evidence
        for page in (pages[name], split, injected):
            for signal in page["flags"]:
                assert page["signals"][signal]["evidence"], (name, signal)
    spun_higher = sum(pages[f"{n}-spun"]["scores"]["spin"] > pages[n]["scores"]["spin"] for n in originals)
    assert spun_higher >= 5, "spun copies should score higher on spin than their originals"
    for lang in ("de-stadtfest", "es-mercado", "fr-bibliotheque"):
        assert pages[lang]["status"] == "unsupported_language" and pages[lang]["action"] == "keep"
    dropped_urls = {i["url"] for i in items if i["verdict"] == "drop"}
    assert dropped_urls == {p["url"] for p in pages.values() if p["action"] == "drop"}
