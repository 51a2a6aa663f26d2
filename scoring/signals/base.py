"""What every signal is: a small class with a name and one method, `score(doc, ctx) -> SignalResult`.

A signal reads the segmented `Document` (sentences already carry their LM log-probabilities) and the
`ScoringContext` (the language model, its calibration, the synonym table) and returns a calibrated
score in [0, 1] with the evidence behind it. Signals never raise for odd input: an empty page is a
score of 0 with no evidence and low confidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from ..document import Document
from ..report import SignalResult

if TYPE_CHECKING:
    from ..calibrate import Calibration
    from ..lm import LanguageModel


@dataclass
class ScoringContext:
    lm: "LanguageModel"
    calibration: "Calibration"
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # word -> single-word WordNet synonyms
    extra: dict[str, Any] = field(default_factory=dict)


class Signal(Protocol):
    name: ClassVar[str]

    def score(self, doc: Document, ctx: ScoringContext) -> SignalResult: ...
