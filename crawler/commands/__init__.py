"""Scrapy commands of scrapy-quality (registered as "scrapy.commands" entry points in pyproject.toml)."""
