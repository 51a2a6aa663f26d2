"""The scoring pipeline: HTML -> blocks -> sentences -> tokens -> LM scores -> signals -> verdict -> PageReport.

`Scorer(config)` loads what it needs once (models, calibrations, synonym tables) and fails there if
anything is missing; after that, no page content can make it raise: a failure inside scoring returns a
report with status UNSCORED and the error. Work per page is bounded by `max_bytes` and `max_tokens`.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import json
import logging
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from .calibrate import Calibration
from .config import SIGNAL_NAMES, ConfigError, QualityConfig
from .document import Document, Sentence
from .extract import extract
from .failures import FailureLog
from .lm import LanguageModel, ModelError, load_model, read_card, write_card
from .report import (ACTION_SEVERITY, KEEP, NO_MAIN_CONTENT, SCORED, TOO_SHORT, UNSCORED, UNSUPPORTED,
                     PageReport, SignalResult)
from .segment import blocks_from_text, segment
from .signals.base import ScoringContext
from .signals.boilerplate import BoilerplateSignal
from .signals.injection import InjectionSignal
from .signals.language import detect_language, language_detector
from .signals.spin import SpinSignal
from .signals.split import SplitSignal

log = logging.getLogger("scoring")

# The signal classes by name. scoring.config.SIGNAL_NAMES is the registry of names (config validates against it
# without importing the signals): everything else takes the names from there.
SIGNALS = {cls.name: cls for cls in (SpinSignal, SplitSignal, InjectionSignal, BoilerplateSignal)}
assert tuple(SIGNALS) == SIGNAL_NAMES, "scoring.config.SIGNAL_NAMES must list the registry's signals"

# Characters per token is ~6 in English prose; cutting text at 12x max_tokens before segmenting bounds the
# work on any page while never cutting a page that the token cap would have kept.
CHARS_PER_TOKEN_BOUND = 12


# A page whose words are unknown to the model more than this many times as often as on any of the model's clean
# calibration pages is not judged: the model cannot read it. It is in another language that langdetect took for
# this one (a German page whose longest lines are an English banner or quote), or it is not prose. The default
# model's calibration pages (the reference text and the real pages' development half) reach 0.15 (median 0.02),
# so its limit is 0.31; German and Polish pages that langdetect read as English reach 0.27 to 0.87 (those above
# the limit are not judged), an English article quoting Japanese 0.32, a medical review 0.16.
UNKNOWN_MARGIN = 2.0


@dataclass
class ModelBundle:
    """What one language needs: its LM, the calibration and synonym table from its card."""
    language: str
    lm: LanguageModel
    calibration: Calibration
    synonyms: dict[str, tuple[str, ...]]
    card: dict

    @classmethod
    def load(cls, language: str, path: str | os.PathLike, sentencepiece: str | None = None) -> "ModelBundle":
        lm = load_model(path, sentencepiece)
        card = read_card(path)
        synonyms: dict[str, tuple[str, ...]] = {}
        if card.get("synonyms"):
            synonyms = _load_synonyms(Path(path).resolve().parent / card["synonyms"])
        if not card.get("calibration"):
            log.warning("model %s has no calibration in its card: scores are not comparable with thresholds; "
                        "run calibrate_model (part of `make model`)", path)
        return cls(language, lm, Calibration.from_dict(card.get("calibration")), synonyms, card)

    @property
    def unknown_limit(self) -> float | None:
        """The share of unknown words beyond which a page is not judged: UNKNOWN_MARGIN times the largest among
        the clean calibration pages (its card), None for an uncalibrated model."""
        seen = self.card.get("reference", {}).get("unknown_share", {}).get("max")
        return None if seen is None else min(1.0, UNKNOWN_MARGIN * seen)


def _load_synonyms(path: Path) -> dict[str, tuple[str, ...]]:
    if not path.is_file():
        raise ModelError(f"synonym table {path} named by the model card is missing; rebuild it with `make model`")
    return _read_synonyms(str(path), path.stat().st_mtime)


@functools.lru_cache(maxsize=4)
def _read_synonyms(path: str, mtime: float) -> dict[str, tuple[str, ...]]:
    try:
        table = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"synonym table {path} is unreadable ({exc}); rebuild it with `make model`") from exc
    if not isinstance(table, dict):
        raise ModelError(f"synonym table {path} is not a {{word: [synonyms]}} object; rebuild it with `make model`")
    # tuples of str, unlike lists, leave the garbage collector's tracking: the table's ~18.6k lists would be walked
    # by every full collection of a crawl's process for as long as it runs
    return {word: tuple(synonyms) for word, synonyms in table.items()}


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No garbage collection while the scorer loads: its ~88k langdetect profiles and the model's tables are
    allocated in one go and all live on, and the collections their allocations trigger (~180 of them, some full)
    would walk them, and a crawl's heap, again and again (~0.1 s of a ~0.4 s load, measured in a process holding
    Scrapy). What they allocate is examined once, by the first collection after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Scorer:
    def __init__(self, config: QualityConfig | None = None):
        with gc_paused():
            self.config = (config or QualityConfig()).validate()
            self.models = {
                lang: ModelBundle.load(lang, path, self.config.sentencepiece.get(lang))
                for lang, path in self.config.models.items()
            }
            self.signals = [SIGNALS[name]() for name in self.config.signals]
            self.failures = FailureLog(log)
            language_detector()  # load langdetect's profiles now (~0.3 s), not on the first page of a crawl

    # -- entry points ---------------------------------------------------------------------------------------
    def score_html(self, html: bytes | str, url: str | None = None, *, encoding: str | None = None) -> PageReport:
        """Score an HTML page (bytes are decoded by BOM, `encoding` (e.g. the HTTP header) or <meta>)."""
        def build() -> tuple[Document, list[str]]:
            notes: list[str] = []
            data = html if html is not None else b""
            if len(data) > self.config.max_bytes:
                notes.append(f"truncated: page of {len(data):,} bytes cut to max_bytes={self.config.max_bytes:,}")
                data = data[: self.config.max_bytes]
            max_chars = self.config.max_tokens * CHARS_PER_TOKEN_BOUND
            doc = extract(data, url or "<html>", encoding=encoding, max_chars=max_chars)
            if len(doc.text) >= max_chars:
                notes.append(f"truncated: extracted text cut at {max_chars:,} characters (max_tokens bound)")
            return doc, notes

        return self._run(url or "<html>", build)

    def score_text(self, text: str, source: str = "<text>") -> PageReport:
        """Score plain text: one block per non-empty line."""
        def build() -> tuple[Document, list[str]]:
            notes: list[str] = []
            body = text if isinstance(text, str) else str(text, "utf-8", "replace")
            if len(body) > self.config.max_bytes:
                notes.append(f"truncated: text of {len(body):,} characters cut to max_bytes={self.config.max_bytes:,}")
                body = body[: self.config.max_bytes]
            doc = blocks_from_text(body.replace("\x00", ""), source)
            max_chars = self.config.max_tokens * CHARS_PER_TOKEN_BOUND
            if len(doc.text) > max_chars:
                notes.append(f"truncated: text cut at {max_chars:,} characters (max_tokens bound)")
                truncate(doc, max_chars)
            return doc, notes

        return self._run(source, build)

    # -- the pipeline -------------------------------------------------------------------------------------------
    def _run(self, source: str, build: Callable[[], tuple[Document, list[str]]]) -> PageReport:
        started = time.perf_counter()
        report = PageReport(source=source)
        try:
            doc, notes = build()
            self._score(doc, report, notes)
        except Exception as exc:  # the one catch: page content must never crash a crawl; report it, keep the page
            self.failures.log(exc, f"scoring {source}")
            report.status, report.action, report.flags, report.signals = UNSCORED, KEEP, [], {}
            report.error = f"{type(exc).__name__}: {exc}"
        report.seconds = time.perf_counter() - started
        return report

    def _score(self, doc: Document, report: PageReport, notes: list[str]) -> None:
        cfg = self.config
        cut = segment_within(doc, cfg.max_tokens)
        if cut:
            notes.append(cut)
        report.text = doc.text
        report.blocks = [{"start": b.start, "end": b.end, "kind": b.kind, "tag": b.tag} for b in doc.blocks]
        report.words = doc.words
        report.content, report.chrome_blocks, report.chrome_words = doc.content, doc.chrome_blocks, doc.chrome_words
        report.notes.extend(notes)
        if doc.no_main_content:  # not an article: nothing to judge, the page is kept
            report.status = NO_MAIN_CONTENT
            return

        lang, prob = detect_language(doc.text, cfg.language_sample_chars)
        report.language, report.language_prob = lang, prob
        bundle = self.models.get(lang)
        if bundle is None:
            # A short text's language is a guess ("hello" reads as Finnish): call it too short, not foreign.
            report.status = TOO_SHORT if doc.words < cfg.min_words else UNSUPPORTED
            return
        report.model = bundle.lm.name
        score_sentences(doc, bundle.lm)
        limit = bundle.unknown_limit if cfg.max_unknown_share is None else cfg.max_unknown_share
        unknown = unknown_share(doc) if limit is not None else None
        if unknown is not None and unknown > limit:
            report.status = TOO_SHORT if doc.words < cfg.min_words else UNSUPPORTED
            report.notes.append(f"not judged: {unknown:.0%} of its words are unknown to the {lang!r} model (limit "
                                f"{limit:.0%}, max_unknown_share): another language, or not prose")
            return
        results = run_signals(doc, bundle, self.signals)
        report.signals = results
        report.flags = [name for name, r in results.items() if r.score >= cfg.threshold(name)]
        report.action = max((cfg.action(name) for name in report.flags), key=ACTION_SEVERITY.__getitem__,
                            default=KEEP)
        report.status = TOO_SHORT if doc.words < cfg.min_words else SCORED


def run_signals(doc: Document, bundle: ModelBundle, signals, calibration: Calibration | None = None
                ) -> dict[str, SignalResult]:
    """Each signal on a page whose sentences `score_sentences` has scored with the bundle's model."""
    ctx = page_context(bundle, calibration)
    results = {}
    for signal in signals:
        r = signal.score(doc, ctx)
        if not math.isfinite(r.score):
            r.score = 0.0
        r.score = min(max(float(r.score), 0.0), 1.0)
        results[signal.name] = r
    return results


# -- a page made ready for the signals ----------------------------------------------------------------------------
def prepare(doc: Document, bundle: ModelBundle, config: QualityConfig | None = None,
            calibration: Calibration | None = None) -> tuple[Document, ScoringContext]:
    """The page as the scorer hands it to the signals: segmented, cut at `max_tokens`, every sentence scored by
    the LM, with a fresh per-page context. For code that runs signals itself (benchmarks, fits, tests)."""
    segment_within(doc, (config or QualityConfig()).max_tokens)
    score_sentences(doc, bundle.lm)
    return doc, page_context(bundle, calibration)


def segment_within(doc: Document, max_tokens: int) -> str | None:
    """Segment the page into sentences and keep its first `max_tokens` tokens; a note when it was cut."""
    segment(doc)
    if doc.words <= max_tokens:
        return None
    note = f"truncated: {doc.words:,} tokens cut to max_tokens={max_tokens:,}"
    truncate_tokens(doc, max_tokens)
    return note


def score_sentences(doc: Document, lm: LanguageModel) -> None:
    """Every sentence's per-token LM log-probabilities and n-gram orders (shared by all signals), and how many of
    its tokens the model has never seen."""
    for s in doc.sentences:
        s.logprobs, s.orders, s.unknown = lm.scored_tokens(s.tokens)


def unknown_share(doc: Document) -> float | None:
    """Share of the page's tokens that its model has never seen (None: no tokens, or a SentencePiece model),
    from the LM pass (`score_sentences`)."""
    tokens = unknown = 0
    for s in doc.sentences:
        if s.unknown is None:
            return None
        tokens += len(s.tokens)
        unknown += s.unknown
    return unknown / tokens if tokens else None


def page_context(bundle: ModelBundle, calibration: Calibration | None = None) -> ScoringContext:
    """A fresh context for one page (its caches must not outlive it): the bundle's model, synonyms and
    calibration (or `calibration`, e.g. none while calibrating)."""
    return ScoringContext(lm=bundle.lm, calibration=calibration or bundle.calibration, synonyms=bundle.synonyms,
                          language=bundle.language)



# -- bounded work -----------------------------------------------------------------------------------------------
def truncate(doc: Document, cut: int) -> Document:
    """Cut the document's text at character `cut`, keeping every offset valid."""
    if cut >= len(doc.text):
        return doc
    blocks = []
    for b in doc.blocks:
        if b.start >= cut:
            break
        if b.end > cut:
            b.text = b.text[: cut - b.start].rstrip()
            b.end = b.start + len(b.text)
            if not b.text:
                break
        blocks.append(b)
    doc.blocks = blocks
    doc.text = doc.text[: blocks[-1].end] if blocks else ""
    doc.sentences = [s for s in doc.sentences if s.end <= len(doc.text)]
    return doc


def truncate_tokens(doc: Document, max_tokens: int) -> Document:
    """Keep the first `max_tokens` tokens (cutting inside a sentence if one straddles the cap)."""
    total = 0
    for i, s in enumerate(doc.sentences):
        if total + len(s.tokens) > max_tokens:
            keep = max_tokens - total
            kept = doc.sentences[:i]
            truncate(doc, s.spans[keep][0] if keep > 0 else s.start)
            if keep > 0:
                end = s.spans[keep - 1][1]
                kept.append(Sentence(block=s.block, start=s.start, end=end, text=doc.text[s.start:end],
                                     tokens=s.tokens[:keep], spans=s.spans[:keep]))
            doc.sentences = kept
            return doc
        total += len(s.tokens)
    return doc


# -- calibration ---------------------------------------------------------------------------------------------------
def pseudo_documents(reference_path: str | os.PathLike) -> Iterator[str]:
    """Blank-line separated documents of a reference file (one paragraph per line)."""
    lines: list[str] = []
    with open(reference_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line:
                lines.append(line)
            elif lines:
                yield "\n".join(lines)
                lines = []
    if lines:
        yield "\n".join(lines)


# Signals about the blocks of a web page: plain reference text has no page structure, so they are calibrated
# on real clean web pages only (a text reference puts their 99th percentile at 0: any block is "beyond").
PAGE_STRUCTURE_SIGNALS = ("injection", "boilerplate")


@dataclass
class ReferencePage:
    """One clean reference page, measured uncalibrated. Its calibrated score for a signal is
    `calibration.score(signal, raw) * confidence`."""
    id: str
    kind: str                                   # "text" (a pseudo-page of reference text) or "html" (a web page)
    words: int
    measured: dict[str, tuple[float, float]]    # signal -> (raw measurement, confidence)
    unknown_share: float | None = None          # share of its tokens unknown to the model (`unknown_share`)


@dataclass
class ReferenceMeasurements:
    """The measured reference pages: plain-text pseudo-pages, then real web pages."""
    pages: list[ReferencePage] = field(default_factory=list)

    def raw_values(self, exclude: str | None = None) -> dict[str, list[float]]:
        """Each signal's calibration sample (optionally without page `exclude`): the web pages alone for the
        block signals when there are any (PAGE_STRUCTURE_SIGNALS), all pages otherwise."""
        has_html = any(page.kind == "html" for page in self.pages)
        values: dict[str, list[float]] = {name: [] for name in SIGNAL_NAMES}
        for page in self.pages:
            if page.id == exclude:
                continue
            for name, (raw, _) in page.measured.items():
                if page.kind == "html" or not (has_html and name in PAGE_STRUCTURE_SIGNALS):
                    values[name].append(raw)
        return values

    def calibration(self, exclude: str | None = None) -> Calibration:
        return Calibration.fit(self.raw_values(exclude))

    def held_out_scores(self, kind: str) -> dict[str, dict[str, float]]:
        """Leave-one-out scores of the pages of `kind`: each page scored against a calibration fitted without it,
        as an unseen page would be (the in-sample scores of a reference page are biased low)."""
        out = {}
        for page in self.pages:
            if page.kind == kind:
                calibration = self.calibration(exclude=page.id)
                out[page.id] = {name: calibration.score(name, raw) * confidence
                                for name, (raw, confidence) in page.measured.items()}
        return out


def measure_reference(model_path: str | os.PathLike, reference_path: str | os.PathLike,
                      progress: Callable[[str], None] | None = print, config: QualityConfig | None = None,
                      pages: Iterable[tuple[str, bytes]] = ()) -> ReferenceMeasurements:
    """Score clean reference text (pseudo-pages of `reference_path`) and clean web pages (`pages`: id, HTML, read
    through the same main-content extraction as `score_html`; English-detected ones only) with the model,
    uncalibrated. Pages under the minimum word count are left out, as they are shrunk when scored."""
    cfg = config or QualityConfig(models={"en": str(model_path)})
    language = read_card(model_path).get("language", "en")
    bundle = ModelBundle.load(language, model_path)
    signals = [SIGNALS[name]() for name in SIGNAL_NAMES]
    uncalibrated = Calibration()
    measurements = ReferenceMeasurements()

    def add(doc: Document, page_id: str, kind: str) -> None:
        segment_within(doc, cfg.max_tokens)
        if doc.words < cfg.min_words:
            return
        measured = {}
        score_sentences(doc, bundle.lm)
        for name, result in run_signals(doc, bundle, signals, uncalibrated).items():
            value = result.features.get("raw")
            if value is not None and math.isfinite(value):
                measured[name] = (float(value), float(result.confidence))
        measurements.pages.append(ReferencePage(page_id, kind, doc.words, measured, unknown_share(doc)))

    docs = list(pseudo_documents(reference_path))
    for i, text in enumerate(docs):
        add(blocks_from_text(text, f"reference#{i}"), f"reference#{i}", "text")
        if progress and (i + 1) % 200 == 0:
            progress(f"calibration: {i + 1}/{len(docs)} reference pages scored")
    for page_id, html in pages:
        doc = extract(html, page_id)
        if not doc.no_main_content and detect_language(doc.text, cfg.language_sample_chars)[0] == language:
            add(doc, page_id, "html")
    return measurements


def calibrate_model(model_path: str | os.PathLike, reference_path: str | os.PathLike,
                    progress: Callable[[str], None] = print, config: QualityConfig | None = None,
                    pages: Iterable[tuple[str, bytes]] = ()) -> Calibration:
    """Measure clean reference text and clean web pages with the model (`measure_reference`) and store each
    signal's raw quantiles in its card: every signal's reference includes the web pages, and the block
    signals' (PAGE_STRUCTURE_SIGNALS) is them alone when there are any."""
    started = time.perf_counter()
    measurements = measure_reference(model_path, reference_path, progress, config, pages)
    counts = {kind: [0, 0] for kind in ("text", "html")}  # pages, words
    for page in measurements.pages:
        counts[page.kind][0] += 1
        counts[page.kind][1] += page.words
    if not measurements.pages:
        min_words = (config or QualityConfig()).min_words
        raise ConfigError(f"no reference page in {reference_path} has {min_words}+ words: cannot calibrate")
    raw = measurements.raw_values()
    calibration = Calibration.fit(raw)
    card = read_card(model_path)
    card["calibration"] = calibration.to_dict()
    card["reference"] = {
        "path": Path(reference_path).name, "pages": counts["text"][0], "words": counts["text"][1],
        "html_pages": counts["html"][0], "html_words": counts["html"][1],
        "html_page_ids": sorted(page.id for page in measurements.pages if page.kind == "html"),
        "page_structure_signals": "calibrated on html pages only" if counts["html"][0] else "text reference",
        "signals": {name: {"median": float(np.median(v)), "p99": float(np.quantile(v, 0.99))}
                    for name, v in raw.items() if v},
        "seconds": round(time.perf_counter() - started, 1),
    }
    unknown = [page.unknown_share for page in measurements.pages if page.unknown_share is not None]
    if unknown:  # read by ModelBundle.unknown_limit
        card["reference"]["unknown_share"] = {"median": float(np.median(unknown)),
                                              "p99": float(np.quantile(unknown, 0.99)), "max": max(unknown)}
    write_card(model_path, card)
    if progress:
        progress(f"calibration: {counts['text'][0]} text pages, {counts['html'][0]} web pages, "
                 f"{card['reference']['seconds']} s; "
                 + ", ".join(f"{n} p99={s['p99']:.3g}" for n, s in card["reference"]["signals"].items()))
    return calibration
