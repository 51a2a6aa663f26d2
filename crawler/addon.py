"""Scrapy add-on: enable scrapy-quality with one line.

    ADDONS = {"crawler.addon.QualityAddon": 300}
    QUALITY_MODELS = {"en": "models/en/en.bin"}

It adds the two middlewares at their documented priorities (see crawler/settings.py) unless the project
already lists them, so a project can still move one (give another priority) or disable it (None).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .middlewares import QualityItemMiddleware, QualityScoringMiddleware

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

SCORING_MIDDLEWARE_PRIORITY = 540  # below HttpCompression (590), Redirect (600) and Retry (550)
ITEM_MIDDLEWARE_PRIORITY = 850     # spider side of the built-in spider middlewares


class QualityAddon:
    def update_settings(self, settings: BaseSettings) -> None:
        settings.setdefault_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", QualityScoringMiddleware, SCORING_MIDDLEWARE_PRIORITY)
        settings.setdefault_in_component_priority_dict(
            "SPIDER_MIDDLEWARES", QualityItemMiddleware, ITEM_MIDDLEWARE_PRIORITY)
