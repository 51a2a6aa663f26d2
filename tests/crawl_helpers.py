"""Real crawls for the tests: a local HTTP server on 127.0.0.1 and a Scrapy crawl in a subprocess.

`serve(directory)` runs http.server in a thread on a free port. `run_crawl(...)` runs this file as a
script in a fresh Python process (the Twisted reactor cannot restart within one process): it builds a
CrawlerProcess with the given settings, runs `SiteSpider`, and writes the stats and the items that
reached the pipeline to a JSON file that the test reads back.
"""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import scrapy
from itemadapter import ItemAdapter

from crawler.demo import serve_site

ROOT = Path(__file__).resolve().parent.parent
DEMO_SITE = ROOT / "crawler" / "demo_site"
ITEM_TYPES = ("dict", "item", "item_undeclared", "dataclass", "dataclass_undeclared", "attrs")


# -- the server ------------------------------------------------------------------------------------------------


def serve(directory: str | os.PathLike):
    """Serve `directory` on 127.0.0.1 at a free port; yields the base URL (no trailing slash)."""
    return serve_site(Path(directory))


# -- items of every kind itemadapter supports --------------------------------------------------------------------
class ArticleItem(scrapy.Item):
    url = scrapy.Field()
    title = scrapy.Field()
    kind = scrapy.Field()
    quality = scrapy.Field()


class UndeclaredItem(scrapy.Item):  # no `quality` field: the middleware declares it
    url = scrapy.Field()
    title = scrapy.Field()
    kind = scrapy.Field()


@dataclasses.dataclass
class ArticleRecord:
    url: str
    title: str
    kind: str
    quality: dict | None = None


@dataclasses.dataclass
class PlainRecord:  # no `quality` field and none can be added: passes untagged
    url: str
    title: str
    kind: str


@attrs.define
class ArticleAttrs:
    url: str
    title: str
    kind: str
    quality: dict | None = None


def make_item(kind: str, url: str, title: str) -> Any:
    if kind == "dict":
        return {"url": url, "title": title, "kind": kind}
    cls = {"item": ArticleItem, "item_undeclared": UndeclaredItem, "dataclass": ArticleRecord,
           "dataclass_undeclared": PlainRecord, "attrs": ArticleAttrs}[kind]
    return cls(url=url, title=title, kind=kind)


# -- the spider ----------------------------------------------------------------------------------------------------
class SiteSpider(scrapy.Spider):
    """Crawls a site from its index; yields items of the requested kinds from every page under /articles/.

    Arguments: item_types (comma list of ITEM_TYPES), callback ("sync" or "async"), dont_score (substring
    of URLs to request with meta dont_score), dont_score_start (score the start page or not).
    """

    name = "site"

    def __init__(self, start_url: str, item_types: str = "dict", callback: str = "sync", dont_score: str = "",
                 dont_score_start: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.start_url, self.item_types = start_url, [t for t in item_types.split(",") if t]
        self.callback_style, self.dont_score, self.dont_score_start = callback, dont_score, bool(dont_score_start)

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse, meta={"dont_score": self.dont_score_start})

    def parse(self, response):
        callback = self.parse_async if self.callback_style == "async" else self.parse_sync
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if "/articles/" in url:
                meta = {"dont_score": True} if self.dont_score and self.dont_score in url else {}
                yield scrapy.Request(url, callback=callback, meta=meta)

    def _items(self, response):
        title = ""
        if isinstance(response, scrapy.http.TextResponse) and not isinstance(response, scrapy.http.JsonResponse):
            title = response.css("h1::text").get("") or response.css("title::text").get("")
        return [make_item(kind, response.url, title) for kind in self.item_types]

    def parse_sync(self, response):
        yield from self._items(response)
        yield response.follow("/index.html", callback=self.parse)  # requests pass through the middleware

    async def parse_async(self, response):
        for item in self._items(response):
            yield item
        yield response.follow("/index.html", callback=self.parse)


class CollectPipeline:
    """Keeps every item that reached the pipelines, as a dict with its type name."""

    items: list[dict] = []

    def process_item(self, item):
        record = ItemAdapter(item).asdict()
        record["_type"] = type(item).__name__
        CollectPipeline.items.append(record)
        return item


# -- running a crawl -----------------------------------------------------------------------------------------------
@dataclasses.dataclass
class CrawlResult:
    returncode: int
    stats: dict[str, Any]
    items: list[dict]
    report_dir: Path
    log: str

    def quality(self, key: str, default: int = 0) -> Any:
        return self.stats.get(f"quality/{key}", default)

    @property
    def audit_path(self) -> Path:
        """This crawl's audit log: the newest in the report directory (a later crawl never appends to it)."""
        paths = sorted(self.report_dir.glob("*.audit.jsonl"), key=lambda p: p.stat().st_mtime_ns)
        assert paths, f"no audit log in {self.report_dir}\n{self.log[-3000:]}"
        return paths[-1]

    @property
    def report_path(self) -> Path:
        return self.audit_path.with_name(self.audit_path.name.removesuffix(".audit.jsonl") + ".report.html")

    def records(self, kind: str | None = None) -> list[dict]:
        lines = [json.loads(line) for line in self.audit_path.read_text(encoding="utf-8").splitlines() if line]
        return [r for r in lines if kind is None or r["record"] == kind]


BASE_SETTINGS = {
    "ADDONS": {"crawler.addon.QualityAddon": 300},
    "ITEM_PIPELINES": {"crawl_helpers.CollectPipeline": 100},
    "ROBOTSTXT_OBEY": False,
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,
    "LOG_LEVEL": "INFO",
    "QUALITY_REPORT_NAME": "crawl",
}


def run_crawl(tmp_path: Path, start_url: str, settings: dict | None = None, timeout: float = 90,
              **spider_args: str) -> CrawlResult:
    """Crawl `start_url` with SiteSpider in a subprocess; QUALITY_REPORT_DIR defaults to tmp_path/reports."""
    report_dir = tmp_path / "reports"
    spec = {
        "settings": {**BASE_SETTINGS, "QUALITY_REPORT_DIR": str(report_dir), **(settings or {})},
        "spider_args": {"start_url": start_url, **spider_args},
        "out": str(tmp_path / "crawl-result.json"),
    }
    spec_path = tmp_path / "crawl-spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    proc = subprocess.run([sys.executable, __file__, str(spec_path)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=timeout)
    out = Path(spec["out"])
    data = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {"stats": {}, "items": []}
    return CrawlResult(proc.returncode, data["stats"], data["items"], report_dir, proc.stdout + proc.stderr)


def _main(spec_path: str) -> int:
    from scrapy.crawler import CrawlerProcess

    import crawl_helpers  # the classes the settings name, not this __main__ copy of them

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    process = CrawlerProcess(spec["settings"])
    crawler = process.create_crawler(crawl_helpers.SiteSpider)
    process.crawl(crawler, **spec["spider_args"])
    process.start()
    stats = {k: v if isinstance(v, (int, float, str)) else str(v) for k, v in crawler.stats.get_stats().items()}
    items = crawl_helpers.CollectPipeline.items
    Path(spec["out"]).write_text(json.dumps({"stats": stats, "items": items}, default=str), encoding="utf-8")
    return 1 if process.bootstrap_failed else 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1]))
