"""The demo spider on a shared Redis queue (scrapy-redis): run it in as many processes as you like.

    scrapy crawl demo-redis -s REDIS_URL=redis://127.0.0.1:6379/0 -s QUALITY_WORKER_ID=worker-1   # each worker
    redis-cli -u redis://127.0.0.1:6379/0 lpush demo-redis:start_urls '{"url": "http://127.0.0.1:8000/index.html"}'
    python -m crawler.demo --redis 2      # all of it locally: Redis, the site, two workers, the merged report

It is `DemoSpider` (same pages, same items) as a scrapy-redis `RedisSpider`: the start URLs come from the Redis
list ``demo-redis:start_urls``, every request goes through scrapy-redis's scheduler and dupefilter in Redis
(crawler.distributed.REDIS_SETTINGS), and each worker closes after MAX_IDLE_TIME_BEFORE_CLOSE seconds without a
response.
"""
from __future__ import annotations

import time
from typing import Any

import scrapy
from scrapy import signals

from ..distributed import REDIS_SETTINGS, quiet_scrapy_redis_warnings
from .demo import DemoSpider

try:
    from scrapy_redis.spiders import RedisSpider
except ImportError:  # the optional extra: without it this spider says what to install, and the others still load
    class RedisSpider(scrapy.Spider):  # type: ignore[no-redef]
        @classmethod
        def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
            raise ImportError("the demo-redis spider needs scrapy-redis: pip install -e '.[redis]' (or `make venv`)")
else:
    quiet_scrapy_redis_warnings()


class DemoRedisSpider(RedisSpider):
    name = "demo-redis"
    custom_settings = dict(REDIS_SETTINGS)

    def __init__(self, repeat: int | str = 1, **kwargs: Any):
        super().__init__(**kwargs)
        self.repeat = max(1, int(repeat))

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> "DemoRedisSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        # scrapy-redis counts MAX_IDLE_TIME_BEFORE_CLOSE from the import of its module or the last time it saw a
        # start URL waiting, so a worker that is idle for a moment (its peers hold every queued request) after a
        # long crawl closes at once. Counting from the spider's opening and this worker's last response makes it
        # "seconds without work".
        spider.spider_idle_start_time = int(time.time())
        crawler.signals.connect(spider._busy, signal=signals.spider_opened)
        crawler.signals.connect(spider._busy, signal=signals.response_received)
        return spider

    def _busy(self) -> None:
        self.spider_idle_start_time = int(time.time())

    parse = DemoSpider.parse
    parse_article = DemoSpider.parse_article
    parse_note = DemoSpider.parse_note
