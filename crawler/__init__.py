"""The Scrapy side of scrapy-quality: middlewares that score pages, act on items and audit every verdict.

Enable it in any project with one add-on line and a model::

    ADDONS = {"crawler.addon.QualityAddon": 300}
    QUALITY_MODELS = {"en": "models/en/en.bin"}

`crawler.settings` documents every `QUALITY_*` setting and the middleware priorities.
"""
