"""Boilerplate: page chrome left in the text — comment forms, share and newsletter prompts, widgets
(weather, dates, counters, "Read more"), bylines, cookie banners, copyright lines, navigation lists and
duplicated captions or titles.

Each block's chrome score and reasons come from scoring/signals/blocks.py; the page's raw measurement is the
sum of the chrome blocks' scores, so one stray "Read more" weighs less than a comment form plus a share bar
plus a newsletter box. Chrome that the page itself marks as chrome (inside <nav>, <header>, <footer>, <aside>,
or elements so named) is expected on a web page and is not counted: the signal is about chrome mixed into the
text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..document import Block, Document
from ..report import Evidence, SignalResult
from .base import ScoringContext
from .blocks import CHROME_SCORE, BlockChrome, block_chrome, block_tokens
from .stats import strongest


@dataclass(kw_only=True, eq=False)
class BoilerplateSignal:
    name: ClassVar[str] = "boilerplate"
    flag_score: float = CHROME_SCORE     # a block is shown as evidence from this chrome score
    min_cue_score: float = CHROME_SCORE  # weaker blocks (a lone logo link) do not count: as flag_score, every
                                         # counted block is evidence
    marked_region_weight: float = 0.0    # chrome inside the page's own <nav>/<header>/<footer>/<aside>: expected,
                                         # not counted
    full_confidence_words: int = 30      # page words for full confidence
    max_evidence: int = 50               # blocks shown per page (bounds the report)

    def score(self, doc: Document, ctx: ScoringContext) -> SignalResult:
        chrome = block_chrome(doc, ctx)
        words = [len(t) for t in block_tokens(doc, ctx)]
        total_words = sum(words)
        raw = 0.0
        chrome_words = 0
        flagged: list[tuple[Block, BlockChrome]] = []
        marked = 0
        for b, n, c in zip(doc.blocks, words, chrome):
            if c.score < self.min_cue_score:
                continue
            if c.marked and not self.marked_region_weight:
                marked += 1
                continue
            raw += c.score * (self.marked_region_weight if c.marked else 1.0)
            if c.score >= self.flag_score:
                flagged.append((b, c))
                chrome_words += n
        confidence = min(1.0, total_words / self.full_confidence_words) if total_words else 0.0
        evidence = [
            Evidence(start=b.start, end=b.end, text=b.text, kind="block", weight=round(c.score, 3),
                     reason=", ".join(c.reasons))
            for b, c in strongest(flagged, lambda bc: bc[1].score, self.max_evidence, lambda bc: bc[0].start)
        ]
        features = {"raw": raw, "blocks": float(len(doc.blocks)), "chrome_blocks": float(len(flagged)),
                    "marked_chrome_blocks": float(marked),
                    "chrome_word_share": chrome_words / total_words if total_words else 0.0}
        return SignalResult(self.name, ctx.calibration.score(self.name, raw) * confidence, evidence, features,
                            confidence)
