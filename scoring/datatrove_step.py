"""A datatrove pipeline step that scores documents for content-farm text: `QualityFilter`.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers import JsonlWriter
    from scoring.datatrove_step import QualityFilter

    LocalPipelineExecutor(pipeline=[
        WarcReader("crawl/", glob_pattern="*.warc.gz"),
        QualityFilter(exclusion_writer=JsonlWriter("out/dropped")),  # config: QualityConfig, or a mapping as in
        JsonlWriter("out/kept"),                                     # a QUALITY_POLICY file; default models/en
    ], tasks=4, workers=2, logging_dir="out/logs").run()

What is scored (`input="auto"`): an HTML string in `doc.metadata["html"]` if there is one; otherwise `doc.text`, as
HTML when it looks like HTML (datatrove's WarcReader hands on the raw page, before any extractor) and as plain
text (one block per line) when it does not (after an extractor such as Trafilatura). `input="html"` or "text"
forces one or the other.

The verdict follows the same `QualityConfig` as the crawl plugin and `python -m scoring`: a flag whose action is
"drop" filters the document out (it goes to `exclusion_writer`, with metadata "filter_reason" such as
"quality_spin"); "tag" and "keep" pass it on. Every document, kept or dropped, gets `doc.metadata["quality"]`:
    {"action", "status", "flags", "scores": {signal: score}, "language", "words", "content",
     "evidence": [{"signal", "text", "reason", "suggestion"}]   # strongest spans of each flagged signal
     "error", "notes"}   # error: only when scoring failed (the doc is kept); notes: why not scored whole
Stats (datatrove's, per step): quality_<status>, quality_<action>, quality_flag_<signal>, besides the filter's own
total / forwarded / dropped / dropped_<reason>.

Needs datatrove (and, for its WarcReader, warcio, faust-cchardet and python-magic). The scorer is built on first
use in each task's process (the KenLM model is memory-mapped, so tasks share its pages) and is never pickled.
"""
from __future__ import annotations

from typing import Any, Mapping

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from .config import ConfigError, QualityConfig
from .report import DROP, PageReport, one_line

INPUTS = ("auto", "html", "text")
EVIDENCE_CHARS = 160


class QualityFilter(BaseFilter):
    name = "🧹 Content-farm quality"

    def __init__(self, config: QualityConfig | Mapping[str, Any] | None = None, exclusion_writer: DiskWriter = None,
                 input: str = "auto", evidence: int = 3, metadata_key: str = "quality"):
        """
        Args:
            config: a QualityConfig, or a mapping as QualityConfig.from_mapping takes (a policy file's tables);
                None for the defaults. Checked here: a missing model fails now, not in every task.
            exclusion_writer: where dropped documents go (e.g. a JsonlWriter)
            input: "auto", "html" or "text": what doc.text (or metadata["html"]) holds
            evidence: evidence spans kept per flagged signal
            metadata_key: the doc.metadata key of the verdict
        """
        super().__init__(exclusion_writer)
        if input not in INPUTS:
            raise ConfigError(f"input={input!r}; use one of: {', '.join(INPUTS)}")
        if config is None or isinstance(config, Mapping):
            config = QualityConfig.from_mapping(config)
        if not isinstance(config, QualityConfig):
            raise ConfigError(f"config must be a QualityConfig or a mapping of quality settings, not {config!r}")
        self.config = config.validate()
        self.input, self.evidence, self.metadata_key = input, evidence, metadata_key
        self._scorer = None

    # The scorer stays out of pickles and deep copies (datatrove copies the pipeline for every task).
    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_scorer": None}

    @property
    def scorer(self):
        if self._scorer is None:
            from .scorer import Scorer

            self._scorer = Scorer(self.config)
        return self._scorer

    def score(self, doc: Document) -> PageReport:
        html = doc.metadata.get("html")
        source = str(doc.metadata.get("url") or doc.id)
        if self.input != "text" and isinstance(html, str) and html:
            return self.scorer.score_html(html, source)
        if self.input == "html" or self.input == "auto" and looks_like_html(doc.text):
            return self.scorer.score_html(doc.text, source)
        return self.scorer.score_text(doc.text, source)

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        report = self.score(doc)
        doc.metadata[self.metadata_key] = verdict(report, self.evidence)
        self.stat_update(f"quality_{report.status}", f"quality_{report.action}",
                         *(f"quality_flag_{name}" for name in report.flags))
        if report.action == DROP:
            dropping = [name for name in report.flags if self.config.action(name) == DROP]
            return False, "quality_" + "+".join(dropping)
        return True


def looks_like_html(text: str) -> bool:
    """Whether a document's text is an HTML page rather than extracted text."""
    head = text[:2048].lstrip("\ufeff \t\r\n").lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<head" in head


def verdict(report: PageReport, evidence: int = 3) -> dict[str, Any]:
    """The report's verdict, scores and strongest evidence as plain JSON-ready values."""
    spans = []
    for name in report.flags:
        for e in report.signals[name].strongest(evidence):
            spans.append({"signal": name, "text": one_line(e.text, EVIDENCE_CHARS), "reason": e.reason,
                          "suggestion": e.suggestion})
    out = {"action": report.action, "status": report.status, "flags": list(report.flags),
           "scores": {name: round(score, 4) for name, score in report.scores().items()},
           "language": report.language, "words": report.words, "content": report.content, "evidence": spans}
    if report.error:
        out["error"] = report.error
    if report.notes:
        out["notes"] = list(report.notes)
    return out
