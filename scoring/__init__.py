"""Text quality and content-farm detection: spun paraphrase, broken sentence splitting, injected blocks and
page chrome, scored with an n-gram language model and explained with evidence. Imports nothing from Scrapy.

    >>> import scoring
    >>> report = scoring.score_html(html, url)      # PageReport: action, flags, signals with evidence
    >>> report = scoring.score_text("One paragraph per line.\\nAnother one.")
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from .config import ConfigError, QualityConfig
from .report import PageReport

if TYPE_CHECKING:
    from .lm import ModelError
    from .scorer import Scorer

__all__ = ["score_html", "score_text", "default_scorer", "Scorer", "QualityConfig", "PageReport", "ConfigError",
           "ModelError"]

_default: Scorer | None = None
_lock = threading.Lock()


def __getattr__(name: str):
    """`Scorer` and `ModelError` are imported on first use, not with the package: `python -m scoring.lm` then runs
    scoring/lm.py as __main__ without it being imported a second time (runpy warns when it was)."""
    if name == "Scorer":
        from .scorer import Scorer
        return Scorer
    if name == "ModelError":
        from .lm import ModelError
        return ModelError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def default_scorer() -> Scorer:
    """The process-wide Scorer with the default config and model, created on first use."""
    from .scorer import Scorer

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
