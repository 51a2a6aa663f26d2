"""The tools a user would pick instead: datatrove's heuristic quality filters, each as the page-level
detector it is, run on the same extracted text as our scorer (wrapped in datatrove's `Document`).

- The verdict is the filter's own keep/drop at its default thresholds (`drop` = flagged), with its reason.
- For ROC-AUC a filter needs a continuous score, which it does not have: we trace its ROC curve the way
  one tunes it, by moving all its thresholds together. At strictness k every "drop if stat > T" threshold
  becomes T*exp(-k) and every "drop if stat < T" threshold T*exp(k) (k = 0 are the defaults); a page's
  score is minus the smallest k on a grid at which the filter drops it. Document-length limits stay fixed
  (length is not quality, and injected pages are longer). Everything else is the filter's own code.

English word and sentence splitting in datatrove uses `spacy.blank("en")` (spaCy's rule-based tokenizer
and sentencizer, no model download). The sweep reuses one page's tokens across its filter calls through
a memoising wrapper around that same tokenizer; the speed benchmark runs the filters unwrapped.
Nothing here downloads anything (checked in a network namespace without network: see bench/README.md).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

PEERS = ("gopher_quality", "gopher_repetition", "c4_quality", "fineweb_quality")
GRID = np.round(np.arange(-3.0, 3.0001, 0.25), 2)  # strictness k; 0 = datatrove's defaults


class _MemoTokenizer:
    """datatrove's own English tokenizer, memoised per text (same output, computed once per page)."""

    def __init__(self):
        from datatrove.utils.word_tokenizers import SpaCyTokenizer, WordTokenizer

        class Memo(WordTokenizer):
            def __init__(self):
                super().__init__("en")
                self.inner = SpaCyTokenizer("en")
                self.cache: dict[tuple[str, str], list] = {}

            def _get(self, kind, text, fn):
                key = (kind, text)
                if key not in self.cache:
                    if len(self.cache) > 4096:
                        self.cache.clear()
                    self.cache[key] = fn(text)
                return self.cache[key]

            def word_tokenize(self, text):
                return self._get("w", text, self.inner.word_tokenize)

            def sent_tokenize(self, text):
                return self._get("s", text, self.inner.sent_tokenize)

            def span_tokenize(self, text):
                return self._get("p", text, self.inner.span_tokenize)

        self.tokenizer = Memo()


def _tight(value, k, kind):
    """Move a threshold by strictness k: 'max' thresholds shrink, 'min' thresholds grow."""
    if value is None:
        return None
    return value * math.exp(-k) if kind == "max" else value * math.exp(k)


def build(name: str, k: float = 0.0, language=None):
    """A datatrove filter at strictness k (k = 0: its defaults)."""
    from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter, GopherQualityFilter,
                                            GopherRepetitionFilter)

    lang = {} if language is None else {"language": language}
    if name == "gopher_quality":
        d = GopherQualityFilter()
        return GopherQualityFilter(
            min_avg_word_length=_tight(d.min_avg_word_length, k, "min"),
            max_avg_word_length=_tight(d.max_avg_word_length, k, "max"),
            max_symbol_word_ratio=_tight(d.max_symbol_word_ratio, k, "max"),
            max_bullet_lines_ratio=_tight(d.max_bullet_lines_ratio, k, "max"),
            max_ellipsis_lines_ratio=_tight(d.max_ellipsis_lines_ratio, k, "max"),
            max_non_alpha_words_ratio=min(_tight(d.max_non_alpha_words_ratio, k, "min"), 1.0),  # a minimum
            min_stop_words=_tight(d.min_stop_words, k, "min"),
            **lang)
    if name == "gopher_repetition":
        d = GopherRepetitionFilter()
        return GopherRepetitionFilter(
            dup_line_frac=_tight(d.dup_line_frac, k, "max"),
            dup_para_frac=_tight(d.dup_para_frac, k, "max"),
            dup_line_char_frac=_tight(d.dup_line_char_frac, k, "max"),
            dup_para_char_frac=_tight(d.dup_para_char_frac, k, "max"),
            top_n_grams=tuple((n, _tight(f, k, "max")) for n, f in d.top_n_grams),
            dup_n_grams=tuple((n, _tight(f, k, "max")) for n, f in d.dup_n_grams),
            **lang)
    if name == "c4_quality":
        d = C4QualityFilter()
        return C4QualityFilter(
            min_words_per_line=_tight(d.min_words_per_line, k, "min"),
            min_num_sentences=_tight(d.min_num_sentences, k, "min"),
            **lang)
    if name == "fineweb_quality":
        d = FineWebQualityFilter()
        return FineWebQualityFilter(
            line_punct_thr=min(_tight(d.line_punct_thr, k, "min"), 1.0),
            short_line_thr=_tight(d.short_line_threshold, k, "max"),
            char_duplicates_ratio=_tight(d.char_duplicates_ratio, k, "max"),
            new_line_ratio=_tight(d.new_line_ratio, k, "max"),
            **lang)
    raise ValueError(f"unknown peer {name!r}; known: {', '.join(PEERS)}")


def verdict(filt, text: str, doc_id: str = "page") -> tuple[bool, str]:
    """(dropped, reason) from one datatrove filter on one page's text."""
    from datatrove.data import Document
    from datatrove.pipeline.filters.base_filter import get_filter_result

    keep, reason = get_filter_result(filt.filter(Document(text=text, id=doc_id)))
    return (not keep), (reason or ("" if keep else "dropped"))


@dataclass
class PeerResult:
    dropped: bool       # at the filter's defaults
    reason: str
    score: float        # higher = more suspicious (see module docstring)


class PeerPanel:
    """All four filters, at the default and along the strictness grid, on one page's text at a time."""

    def __init__(self, names=PEERS):
        self.names = tuple(names)
        self.memo = _MemoTokenizer().tokenizer
        self.grid = {name: [build(name, float(k), self.memo) for k in GRID] for name in self.names}
        self.default_index = int(np.argmin(np.abs(GRID)))

    def _dropped_at(self, name: str, i: int, text: str) -> bool:
        return verdict(self.grid[name][i], text)[0]

    def run(self, text: str) -> dict[str, PeerResult]:
        out = {}
        for name in self.names:
            d = self.default_index
            dropped, reason = verdict(self.grid[name][d], text)
            # smallest grid index at which it is dropped (monotone in k): binary search
            lo, hi = (0, d) if dropped else (d + 1, len(GRID))
            while lo < hi:
                mid = (lo + hi) // 2
                if self._dropped_at(name, mid, text):
                    hi = mid
                else:
                    lo = mid + 1
            k = float(GRID[lo]) if lo < len(GRID) else float(GRID[-1]) + 0.25
            out[name] = PeerResult(dropped, reason, -k)
        self.memo.cache.clear()
        return out


def default_filters() -> dict[str, Callable]:
    """The four filters exactly as a user instantiates them (for the speed benchmark)."""
    from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter, GopherQualityFilter,
                                            GopherRepetitionFilter)

    return {"gopher_quality": GopherQualityFilter(), "gopher_repetition": GopherRepetitionFilter(),
            "c4_quality": C4QualityFilter(), "fineweb_quality": FineWebQualityFilter()}
