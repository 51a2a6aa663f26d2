"""The bundled spiders (SPIDER_MODULES = ["crawler.spiders"])."""
