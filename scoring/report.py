"""The report schema: what a scored page looks like in JSON, in audit logs and in HTML reports.

Stable interface: the Scrapy layer, the benchmark and exported reports all read these fields.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# Page statuses.
SCORED = "scored"                # every signal ran
UNSCORED = "unscored"            # scoring failed; `error` says why (the page is kept and counted)
UNSUPPORTED = "unsupported_language"  # no model for the detected language; not scored as spam
TOO_SHORT = "too_short"          # fewer words than the minimum; signals report low confidence
NO_MAIN_CONTENT = "no_main_content"  # not an article (home page, section front, product grid): kept, never flagged

# Actions, in increasing severity.
KEEP, TAG, DROP = "keep", "tag", "drop"
ACTION_SEVERITY = {KEEP: 0, TAG: 1, DROP: 2}

EVIDENCE_WIDTH = 70              # characters of evidence text on one line of a text report


@dataclass
class Evidence:
    """One flagged span of `PageReport.text`: a word or phrase, a sentence boundary or a block."""

    start: int
    end: int
    text: str
    reason: str
    kind: str = "span"           # "word", "phrase", "boundary", "block"
    weight: float = 1.0          # how strongly this span contributed, in [0, 1]
    suggestion: str | None = None  # e.g. the likelier synonym for a spun word

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def why(self) -> str:
        """The reason, with the likelier wording when there is one: every report words evidence this way."""
        return self.reason + (f" (likelier: {self.suggestion})" if self.suggestion else "")

    def describe(self, width: int = EVIDENCE_WIDTH) -> str:
        """One line: the text (shortened to `width`) and why it was flagged."""
        return f"{one_line(self.text, width)!r}: {self.why()}"


@dataclass
class SignalResult:
    name: str
    score: float                  # calibrated to [0, 1]; compare with a threshold
    evidence: list[Evidence] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)  # raw, uncalibrated measurements
    confidence: float = 1.0       # < 1 for short pages: little text, little certainty

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "evidence": [e.to_dict() for e in self.evidence], "features": dict(self.features)}

    def strongest(self, n: int) -> list[Evidence]:
        """The `n` pieces of evidence that weigh most."""
        return sorted(self.evidence, key=lambda e: -e.weight)[:n]


@dataclass
class PageReport:
    source: str                   # file name or URL
    status: str = SCORED
    language: str | None = None
    language_prob: float = 0.0
    words: int = 0
    action: str = KEEP
    flags: list[str] = field(default_factory=list)
    signals: dict[str, SignalResult] = field(default_factory=dict)
    text: str = ""                # extracted text; evidence offsets index into it
    blocks: list[dict[str, Any]] = field(default_factory=list)  # [{start, end, kind, tag}] of the text
    content: str = ""             # what `text` is: the article container found ("div.article-body"), "page",
                                  # "text" (plain-text input), or why the page has no main content
    chrome_blocks: int = 0        # page chrome left out of `text`: blocks marked as chrome inside the article
    chrome_words: int = 0         # words of page chrome left out (navigation, sidebars, share bars, ads...)
    error: str | None = None      # exception type and message when status == UNSCORED
    notes: list[str] = field(default_factory=list)  # why the page was not scored whole (truncation)
    model: str | None = None      # which language model scored the page
    seconds: float = 0.0          # scoring time

    def to_dict(self) -> dict[str, Any]:
        # Same result as dataclasses.asdict, ~10x faster (asdict deep-copies every value): it runs per page.
        return {**self.__dict__, "flags": list(self.flags), "notes": list(self.notes),
                "blocks": [dict(b) for b in self.blocks],
                "signals": {name: sig.to_dict() for name, sig in self.signals.items()}}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PageReport":
        data = dict(data)
        signals = {
            name: SignalResult(**{**sig, "evidence": [Evidence(**e) for e in sig.get("evidence", [])]})
            for name, sig in data.pop("signals", {}).items()
        }
        return cls(**data, signals=signals)

    def scores(self) -> dict[str, float]:
        return {name: sig.score for name, sig in self.signals.items()}


def one_line(text: str, width: int) -> str:
    """`text` on one line, cut to `width` characters with "..." when longer."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def render_text(report: PageReport, evidence: int = 3) -> str:
    """The readable report of a page: the verdict, then each signal's score and its strongest `evidence`."""
    lines = [f"{report.source}: {report.action.upper()} [{', '.join(report.flags) or 'no flags'}]"
             f" status={report.status} language={report.language} ({report.language_prob:.2f})"
             f" words={report.words} {report.seconds * 1000:.0f} ms"]
    if report.content:
        lines.append(f"  scored: {report.content} (chrome left out: {report.chrome_words} words, "
                     f"{report.chrome_blocks} blocks inside the article)")
    if report.error:
        lines.append(f"  error: {report.error}")
    lines += [f"  note: {note}" for note in report.notes]
    for name, sig in report.signals.items():
        mark = " FLAGGED" if name in report.flags else ""
        lines.append(f"  {name:<12} {sig.score:.3f}{mark}  (raw {sig.features.get('raw', 0.0):.3g}, "
                     f"confidence {sig.confidence:.2f}, {len(sig.evidence)} evidence)")
        lines += [f"      [{e.start}:{e.end}] {e.describe()}" for e in sig.strongest(evidence)]
    return "\n".join(lines)
