"""Scrapy add-on: enable scrapy-quality with one line.

    ADDONS = {"crawler.addon.QualityAddon": 300}
    QUALITY_MODELS = {"en": "models/en/en.bin"}

It adds the two middlewares at their documented priorities (see crawler/settings.py) and the audit trail
extension they write to, unless the project already lists them, so a project can still move a middleware
(give another priority) or disable it (None).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .audit_trail import AuditTrail
from .middlewares import QualityItemMiddleware, QualityScoringMiddleware

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

SCORING_MIDDLEWARE_PRIORITY = 540  # below HttpCompression (590), Redirect (600) and Retry (550)
ITEM_MIDDLEWARE_PRIORITY = 850     # spider side of the built-in spider middlewares
AUDIT_EXTENSION_PRIORITY = 0       # extensions are not ordered; 0 as Scrapy's docs suggest


class QualityAddon:
    def update_settings(self, settings: BaseSettings) -> None:
        settings.setdefault_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", QualityScoringMiddleware, SCORING_MIDDLEWARE_PRIORITY)
        settings.setdefault_in_component_priority_dict(
            "SPIDER_MIDDLEWARES", QualityItemMiddleware, ITEM_MIDDLEWARE_PRIORITY)
        settings.setdefault_in_component_priority_dict("EXTENSIONS", AuditTrail, AUDIT_EXTENSION_PRIORITY)
