"""The demo spider: crawls the bundled Demo Gazette (crawler/demo_site) from its index page.

    python -m crawler.demo                      # serves the site on 127.0.0.1 and runs this spider
    scrapy crawl demo -a start_url=http://127.0.0.1:8000/index.html

One item per article page: url, title, text. `-a repeat=N` requests every article N times under
distinct URLs (?copy=i), to measure throughput on a bigger crawl of the same pages.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import scrapy


class DemoSpider(scrapy.Spider):
    name = "demo"

    def __init__(self, start_url: str = "http://127.0.0.1:8000/index.html", repeat: int | str = 1, **kwargs: Any):
        super().__init__(**kwargs)
        self.start_url = start_url
        self.repeat = max(1, int(repeat))
        host = urlparse(start_url).hostname
        self.allowed_domains = [host] if host else []

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse)

    def parse(self, response: scrapy.http.Response):
        for href in response.css("a::attr(href)").getall():
            if "/articles/" in href:
                for copy in range(self.repeat):
                    url = response.urljoin(href if self.repeat == 1 else f"{href}?copy={copy}")
                    yield scrapy.Request(url, callback=self.parse_article)
            elif href.endswith(".txt"):
                yield response.follow(href, callback=self.parse_note)

    def parse_article(self, response: scrapy.http.Response):
        yield {
            "url": response.url,
            "title": response.css("article h1::text").get("").strip(),
            "text": "\n".join(t.strip() for t in response.css("article p::text, article li a::text").getall()
                              if t.strip()),
        }

    def parse_note(self, response: scrapy.http.Response):
        """Plain-text pages are scored too; they yield no item."""
        return None
