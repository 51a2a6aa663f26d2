"""Accounting over a real crawl of several hundred pages with mixed verdicts: nothing is lost.

The site (generated here): four articles written for this test, each in clean, spun (synonym swaps),
broken-split (periods and capitals mid-sentence) and injected (promo blocks, unrelated headlines) copies
under many URLs, plus pages from the hostile families of bench/hostile.py (binary, empty, mis-encoded,
nested, ...). The Scrapy engine crawls it from a local http.server on 127.0.0.1 with the default model.

Checked from the stats, the pipeline and the audit log independently:
- items yielded = items kept + items dropped;
- every dropped item is in the audit log with the item, and its page with the page text;
- every page the spider saw is audited once; pages/keep + pages/tag + pages/drop = pages audited;
- no item of a dropped page reaches the pipeline; every tagged item carries its verdict.
A second crawl drops at download time (QUALITY_DROP_AT_DOWNLOAD): dropped pages never reach the spider and
are still in the audit log, with their text.
"""
from __future__ import annotations

import html
import random
from collections import Counter
from pathlib import Path

import pytest

from bench.hostile import FAMILIES, PROMO, generate
from crawl_helpers import run_crawl, serve

pytestmark = pytest.mark.slow

ITEM_TYPES = "dict,item"
COPIES = 20  # URLs per (article, version)
HOSTILE_PAGES = 60

ARTICLES = {
    "ferry": ("Harbour ferry returns after repairs", [
        "The harbour ferry returned to service on Tuesday after six weeks in dry dock, where engineers replaced "
        "the propeller shaft and repainted the hull.",
        "Passengers queued from early morning, and the first crossing of the day left the pier at seven "
        "o'clock with almost every seat taken.",
        "The operator said the repairs had cost more than expected because corrosion had spread further along "
        "the shaft than the first inspection suggested.",
        "During the closure, commuters travelled by bus around the bay, a journey that added nearly an hour to "
        "each trip and filled the roads near the bridge.",
        "Local shop owners on the island said trade had fallen while the ferry was away and hoped that visitors "
        "would come back before the summer season.",
        "The council plans to review the contract with the operator next year and will ask for a spare vessel "
        "to be kept ready for future breakdowns.",
    ]),
    "garden": ("School garden feeds the canteen", [
        "Pupils at the primary school on Mill Lane have grown enough vegetables this autumn to supply the "
        "canteen with salad twice a week.",
        "The garden began three years ago as a small project in a corner of the playground, with four raised "
        "beds built by parents from old timber.",
        "Today it covers most of the field behind the gym and includes a greenhouse, a compost heap and a "
        "water tank that collects rain from the roof.",
        "Teachers use the garden in science lessons, where children measure how fast the plants grow and record "
        "the weather each morning.",
        "The head teacher said the children now eat more vegetables at lunch because they are proud of what "
        "they have grown themselves.",
        "Next spring the school hopes to plant fruit trees and to invite a nearby care home to share part of "
        "the harvest.",
    ]),
    "railway": ("Night trains return to the northern line", [
        "Night trains will run again on the northern line from next month, ending a pause of almost ten years "
        "caused by a shortage of drivers.",
        "The service will leave the capital shortly before midnight and reach the coast in the early morning, "
        "stopping at five towns along the way.",
        "Each train will carry sleeping cars with small cabins and a seated coach for passengers who only "
        "travel part of the route.",
        "The rail company said that tickets for the first weeks had sold out within days, mostly to families "
        "and to workers who travel every week.",
        "Campaigners who had asked for the trains to return welcomed the news but warned that the timetable "
        "must stay reliable to keep passengers.",
        "The company will publish figures on punctuality every quarter and may add a second service if demand "
        "stays high through the winter.",
    ]),
    "library": ("Village library moves into the old post office", [
        "The village library has moved into the old post office on the square, which stood empty for two years "
        "after the counter closed.",
        "Volunteers spent the summer painting the rooms, building shelves and carrying about four thousand books "
        "across the road by hand.",
        "The new building has space for a reading corner, two computers with free internet and a small room "
        "for meetings and homework clubs.",
        "Opening hours will grow from two afternoons a week to five, thanks to a rota of more than thirty "
        "volunteers from the village.",
        "The parish council bought the building with a grant and a loan, and will rent the upper floor as a "
        "flat to cover the repayments.",
        "At the opening on Saturday, children read poems they had written about the village, and the oldest "
        "member borrowed the first book.",
    ]),
}
SPIN = {  # our own spinner: the swaps content farms make, leaving unnatural wording
    "returned": "came back", "service": "administration", "engineers": "specialists", "replaced": "supplanted",
    "passengers": "travellers", "crossing": "intersection", "repairs": "fixes", "expected": "anticipated",
    "council": "board", "contract": "agreement", "vegetables": "veggies", "children": "youngsters",
    "garden": "nursery", "project": "venture", "teachers": "educators", "lessons": "exercises",
    "trains": "locomotives", "company": "firm", "tickets": "passes", "figures": "digits", "demand": "request",
    "library": "athenaeum", "building": "structure", "volunteers": "helpers", "village": "hamlet",
    "books": "tomes", "opening": "gap", "road": "street", "early": "untimely", "morning": "dawn",
    "season": "period", "closure": "conclusion", "weather": "climate", "harvest": "reaping", "line": "queue",
}
HEADLINES = ["Celebrity chef reveals secret sauce recipe", "Ten gadgets you need this winter",
             "Stock markets close higher on tech rally", "Football club signs young striker"]


def spun(paragraphs: list[str]) -> list[str]:
    return [" ".join(SPIN.get(w.lower(), w) for w in p.split()) for p in paragraphs]


def broken_split(paragraphs: list[str], rng: random.Random) -> list[str]:
    out = []
    for p in paragraphs:
        words = p.split()
        for i in sorted(rng.sample(range(3, len(words) - 3), 2), reverse=True):
            words[i] = words[i] + "."
            words[i + 1] = words[i + 1].capitalize()
        out.append(" ".join(words))
    return out


def page(title: str, paragraphs: list[str], pasted: str = "", after: int = 0) -> str:
    """An article page; `pasted` is markup a content farm put into the article after paragraph `after`."""
    body = [f"<p>{html.escape(p)}</p>\n" for p in paragraphs]
    body.insert(after, pasted)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
            f"<body><article><h1>{html.escape(title)}</h1>\n{''.join(body)}</article></body></html>")


def build_site(root: Path) -> dict[str, str]:
    """Write the site; return {file name: kind}."""
    rng = random.Random(2024)
    articles = root / "articles"
    articles.mkdir(parents=True)
    kinds: dict[str, str] = {}
    for name, (title, paragraphs) in ARTICLES.items():
        versions = {
            "clean": page(title, paragraphs),
            "spun": page(title, spun(paragraphs)),
            "split": page(title, broken_split(paragraphs, rng)),
            "injected": page(title, paragraphs[:2] + [PROMO[0]] + paragraphs[2:4] + [PROMO[3]] + paragraphs[4:],
                             "<ul>" + "".join(f"<li><a href='/n/{i}'>{h}</a></li>" for i, h in enumerate(HEADLINES))
                             + "</ul>", after=len(paragraphs) - 1),
        }
        for version, text in versions.items():
            for copy in range(COPIES):
                file = f"{name}-{version}-{copy:02d}.html"
                (articles / file).write_text(text, encoding="utf-8")
                kinds[file] = version
    families = [f for f in FAMILIES if f not in ("huge", "control")]  # keep the crawl quick
    for i in range(HOSTILE_PAGES):
        fam = families[i % len(families)]
        p = generate(fam, seed=i, full=False)
        body = p.body if isinstance(p.body, bytes) else p.body.encode("utf-8", "surrogatepass")
        file = f"hostile-{fam}-{i:03d}.html"
        (articles / file).write_bytes(body)
        kinds[file] = "hostile"
    links = "".join(f'<a href="/articles/{f}">{f}</a>\n' for f in kinds)
    (root / "index.html").write_text(f"<html><body>{links}</body></html>", encoding="utf-8")
    return kinds


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("accounting-site")
    kinds = build_site(root)
    with serve(root) as base:
        yield base, kinds


@pytest.fixture(scope="module")
def item_crawl(site, tmp_path_factory, default_model):
    base, _ = site
    # A lower injection threshold than the default, as a user tuning a crawl may set: the accounting needs
    # every verdict (keep, tag and drop) in the mix, and this site's two promos per page are a mild injection.
    return run_crawl(tmp_path_factory.mktemp("accounting"), f"{base}/index.html",
                     {"CONCURRENT_REQUESTS": 32, "QUALITY_THRESHOLDS": {"injection": 0.95}},
                     timeout=170, item_types=ITEM_TYPES, dont_score_start="1")


def test_items_yielded_equal_kept_plus_dropped(item_crawl, site):
    crawl = item_crawl
    _, kinds = site
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stats.get("finish_reason") == "finished"
    assert crawl.stats.get("spider_exceptions", 0) == 0 and crawl.stats.get("log_count/ERROR", 0) == 0
    yielded = len(kinds) * len(ITEM_TYPES.split(","))  # every article page reached the spider
    assert len(kinds) >= 300
    kept, dropped = crawl.quality("items/kept"), crawl.quality("items/dropped")
    assert kept + dropped == yielded                                  # stats
    assert crawl.stats.get("item_scraped_count") == kept == len(crawl.items)  # pipeline
    verdicts = Counter(r["verdict"] for r in crawl.records("item"))  # audit log
    assert sum(verdicts.values()) == yielded
    assert verdicts["drop"] == dropped and verdicts["keep"] + verdicts["tag"] == kept
    # mixed verdicts, or the test proves little
    assert dropped > 0 and verdicts["tag"] > 0 and verdicts["keep"] > 0, verdicts


def test_every_page_is_audited_once(item_crawl, site):
    crawl = item_crawl
    _, kinds = site
    pages = crawl.records("page")
    urls = Counter(r["url"] for r in pages)
    assert all(n == 1 for n in urls.values())
    # every page the spider saw is either audited or counted as skipped with a reason (binary served as
    # HTML, ...); the index was not scored (dont_score)
    unscored = sum(crawl.quality(f"skipped/{why}") for why in ("binary", "content_type", "too_large", "http_status"))
    assert len(urls) + unscored == len(kinds)
    audited = {u.rsplit("/", 1)[1] for u in urls}
    assert audited <= set(kinds) and all(kinds[name] == "hostile" for name in set(kinds) - audited)
    actions = Counter(r["action"] for r in pages)
    assert sum(crawl.quality(f"pages/{a}") for a in ("keep", "tag", "drop")) == len(pages)
    assert all(crawl.quality(f"pages/{a}") == actions[a] for a in ("keep", "tag", "drop"))
    summary = crawl.records("summary")
    assert len(summary) == 1 and summary[0]["items_scraped"] == crawl.quality("items/kept")


def test_every_dropped_item_and_page_is_in_the_audit_log_with_its_text(item_crawl):
    crawl = item_crawl
    pages = {r["url"]: r for r in crawl.records("page")}
    dropped_items = [r for r in crawl.records("item") if r["verdict"] == "drop"]
    assert dropped_items
    for record in dropped_items:
        assert record["item"]["url"] == record["url"]  # the item itself is kept
        page_record = pages[record["url"]]
        assert page_record["action"] == "drop" and page_record["stage"] == "items"
        assert page_record["text"] and page_record["flags"]
        evidence = [e for name in page_record["flags"] for e in page_record["signals"][name]["evidence"]]
        assert evidence and all(page_record["text"][e["start"]:e["end"]] == e["text"] for e in evidence)
    dropped_pages = {u for u, r in pages.items() if r["action"] == "drop"}
    assert dropped_pages == {r["url"] for r in dropped_items}
    assert not dropped_pages & {i["url"] for i in crawl.items}  # nothing of a dropped page went through


def test_tagged_items_carry_their_verdict(item_crawl):
    crawl = item_crawl
    pages = {r["url"]: r for r in crawl.records("page")}
    for item in crawl.items:
        page_record = pages.get(item["url"])
        if page_record is None:  # a page skipped unscored (binary, ...): its items pass untouched
            assert not item.get("quality")
        elif page_record["action"] == "tag" or page_record["status"] == "unscored":
            assert item["quality"]["action"] == page_record["action"]
            assert set(item["quality"]["flags"]) == set(page_record["flags"])
        else:
            assert not item.get("quality")


def test_verdicts_follow_the_corruptions(item_crawl, site):
    """Sanity of the mix: corrupted copies are flagged more often than clean ones (same model, same run)."""
    crawl = item_crawl
    _, kinds = site
    flagged: dict[str, list[bool]] = {}
    for r in crawl.records("page"):
        flagged.setdefault(kinds[r["url"].rsplit("/", 1)[1]], []).append(bool(r["flags"]))
    rate = {k: sum(v) / len(v) for k, v in flagged.items()}
    assert rate["clean"] < max(rate["spun"], rate["split"], rate["injected"]), rate


def test_drop_at_download_still_audits_every_dropped_page(site, tmp_path):
    base, kinds = site
    crawl = run_crawl(tmp_path, f"{base}/index.html", {"QUALITY_DROP_AT_DOWNLOAD": True, "CONCURRENT_REQUESTS": 32},
                      timeout=170, item_types="dict", dont_score_start="1")
    assert crawl.returncode == 0, crawl.log[-3000:]
    pages = crawl.records("page")
    dropped = [r for r in pages if r["action"] == "drop"]
    assert dropped and all(r["stage"] == "download" and r["text"] for r in dropped)
    assert crawl.quality("pages/drop") == len(dropped)
    # the spider never saw the dropped pages: items = pages not dropped, all kept
    items = crawl.records("item")
    assert len(items) == len(kinds) - len(dropped)
    assert crawl.quality("items/dropped") == 0 and crawl.quality("items/kept") == len(items) == len(crawl.items)
    assert not {r["url"] for r in dropped} & {i["url"] for i in crawl.items}
