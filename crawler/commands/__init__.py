"""Scrapy commands of scrapy-quality: `scrapy score` and `scrapy quality-report` (COMMANDS_MODULE)."""
