"""Text quality and content-farm detection: spun paraphrase, broken sentence splitting, injected blocks and
page chrome, scored with an n-gram language model and explained with evidence. Imports nothing from Scrapy.

    >>> import scoring
    >>> report = scoring.score_html(html, url)      # PageReport: action, flags, signals with evidence
    >>> report = scoring.score_text("One paragraph per line.\\nAnother one.")
"""
from __future__ import annotations

import threading

from .config import ConfigError, QualityConfig
from .lm import ModelError
from .report import PageReport
from .scorer import Scorer

__all__ = ["score_html", "score_text", "default_scorer", "Scorer", "QualityConfig", "PageReport", "ConfigError",
           "ModelError"]

_default: Scorer | None = None
_lock = threading.Lock()


def default_scorer() -> Scorer:
    """The process-wide Scorer with the default config and model, created on first use."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Scorer()
    return _default


def score_html(html: bytes | str, url: str | None = None) -> PageReport:
    return default_scorer().score_html(html, url)


def score_text(text: str) -> PageReport:
    return default_scorer().score_text(text)
