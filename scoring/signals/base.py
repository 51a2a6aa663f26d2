"""What every signal is: a small class with a name and one method, `score(doc, ctx) -> SignalResult`.

A signal reads the segmented `Document` (sentences already carry their LM log-probabilities) and the
`ScoringContext` (the language model, its calibration, the synonym table, and what the page has computed
once for several signals) and returns a calibrated
score in [0, 1] with the evidence behind it. Signals never raise for odd input: an empty page is a
score of 0 with no evidence and low confidence.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Protocol

from ..document import Document
from ..report import SignalResult

if TYPE_CHECKING:
    from ..calibrate import Calibration
    from ..lm import LanguageModel
    from .blocks import BlockChrome
    from .injection import Topic


@dataclass
class PageCache:
    """What a page computes once for several signals, filled on first use (None: not yet)."""
    block_tokens: list[list[str]] | None = None   # each block's tokens (blocks.block_tokens)
    block_chrome: list[BlockChrome] | None = None  # each block's chrome score (blocks.block_chrome)
    topic: Topic | None = None                     # each block's topic against the page (InjectionSignal.topic)
    # a block text's lowercase form and words (blocks.lowered_words): the chrome and promotional cues read them in turn
    lowered_words: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)


@dataclass
class ScoringContext:
    """What the signals read besides the page: one per page (its `page` caches belong to that page)."""
    lm: LanguageModel
    calibration: Calibration
    synonyms: Mapping[str, Sequence[str]] = field(default_factory=dict)  # word -> single-word WordNet synonyms
    language: str | None = None                  # the page's language (its model's)
    page: PageCache = field(default_factory=PageCache)


class Signal(Protocol):
    name: ClassVar[str]

    def score(self, doc: Document, ctx: ScoringContext) -> SignalResult: ...
