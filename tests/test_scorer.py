"""The scoring pipeline end to end: verdicts, edge cases, bounded work, failures, calibration, public API."""
from __future__ import annotations

import gc
import json
import logging
import shutil
from pathlib import Path

import pytest

import scoring
from scoring import ModelError, PageReport, QualityConfig, Scorer
from scoring.failures import raised_at
from scoring.lm import read_card, write_card
from scoring.report import SignalResult
from scoring.scorer import SIGNALS, calibrate_model, pseudo_documents

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "engine"
ARTICLE = (DATA / "bridge.txt").read_text(encoding="utf-8")
PROMO = "Limited offer: 40% off designer watches this week, with free delivery at watchdeals.example. Shop now!"
CHROME = ["Leave a Reply", "Your email address will not be published. Required fields are marked *",
          "Share this: Facebook Twitter Email"]


def corrupted() -> str:
    lines = ARTICLE.splitlines()
    return "\n".join(lines[:4] + [PROMO] + lines[4:] + CHROME)


@pytest.fixture(scope="module")
def scorer(tiny_model) -> Scorer:
    return Scorer(QualityConfig(models={"en": str(tiny_model)}))


def notes(report: PageReport) -> str:
    """Why a page was not scored whole (`error` is only ever the exception of an unscored page)."""
    return " ".join(report.notes)


def assert_offsets(report: PageReport) -> None:
    for b in report.blocks:
        assert 0 <= b["start"] <= b["end"] <= len(report.text)
    for sig in report.signals.values():
        assert 0.0 <= sig.score <= 1.0
        for e in sig.evidence:
            assert report.text[e.start:e.end] == e.text and e.reason


def test_clean_article_is_scored_by_every_signal(scorer):
    r = scorer.score_text(ARTICLE, "bridge.txt")
    assert (r.status, r.language, r.action, r.error) == ("scored", "en", "keep", None)
    assert list(r.signals) == list(SIGNALS)  # in the registry's order
    assert r.words == 293 and r.model == "tiny.bin" and r.seconds > 0
    assert [r.text[b["start"]:b["end"]] for b in r.blocks] == ARTICLE.splitlines()
    assert_offsets(r)


def test_verdict_follows_thresholds_and_most_severe_action(tiny_model):
    text = corrupted()
    base = {"models": {"en": str(tiny_model)}, "signals": ["injection", "boilerplate"]}
    lenient = Scorer(QualityConfig.from_mapping({**base, "thresholds": {"injection": 1.0, "boilerplate": 1.0}}))
    r = lenient.score_text(text)
    assert r.flags == [] and r.action == "keep"
    strict = Scorer(QualityConfig.from_mapping({**base, "thresholds": {"injection": 0.5, "boilerplate": 0.5},
                                                "actions": {"injection": "drop", "boilerplate": "tag"}}))
    r = strict.score_text(text)
    assert r.flags == ["injection", "boilerplate"] and r.action == "drop"
    tag_only = Scorer(QualityConfig.from_mapping({**base, "thresholds": {"injection": 1.0, "boilerplate": 0.5}}))
    assert tag_only.score_text(text).action == "tag"


def test_corruption_raises_scores_and_evidence_points_at_it(scorer):
    clean, bad = scorer.score_text(ARTICLE), scorer.score_text(corrupted())
    for name in ("injection", "boilerplate"):
        assert bad.signals[name].score > clean.signals[name].score
    assert [e.text for e in bad.signals["injection"].evidence] == [PROMO]
    assert [e.text for e in bad.signals["boilerplate"].evidence] == CHROME
    assert_offsets(bad)


@pytest.mark.parametrize("text", ["", "\n\n  \n", "!!! ??? ...", "12 345 6789"])
def test_empty_or_letterless_text_is_too_short(scorer, text):
    r = scorer.score_text(text)
    assert r.status == "too_short" and r.action == "keep" and r.error is None and r.words <= 3


def test_one_sentence_is_too_short_but_still_reported(scorer):
    r = scorer.score_text("The mayor opened the new bridge on Monday after two years of delays.")
    assert r.status == "too_short" and r.language == "en" and r.action == "keep"
    assert set(r.signals) == set(SIGNALS)
    assert all(sig.confidence < 1.0 for sig in r.signals.values())
    assert r.signals["split"].evidence == []


def test_text_without_sentence_boundaries(scorer):
    words = " ".join(ARTICLE.lower().replace(".", " ").replace(",", " ").split())
    r = scorer.score_text(words)
    assert r.status == "scored" and len(r.blocks) == 1
    assert r.signals["split"].evidence == []
    assert_offsets(r)


def test_page_of_nothing_but_boilerplate(scorer):
    """As a web page it is no article: kept, never judged. As scraped text, its chrome is what boilerplate finds."""
    # (section names without figures: an unlinked line with a figure, "Section 3", reads as data)
    sections = ["World", "Politics", "Business", "Science", "Health", "Sport", "Culture", "Travel"]
    lines = sections + ["Share this: Facebook Twitter", "Leave a comment", "© 2024 Example News. All rights reserved."]
    page = scorer.score_html("<ul>" + "".join(f"<li><a href=/{s}>{s}</a></li>" for s in sections) + "</ul>"
                             "<div class='share'>Share this: Facebook Twitter</div><p>Leave a comment</p>"
                             "<p>&copy; 2024 Example News. All rights reserved.</p>")
    assert (page.status, page.action, page.flags, page.signals, page.error) == ("no_main_content", "keep", [], {}, None)
    assert page.content.startswith("no article")
    text = scorer.score_text("\n".join(lines))
    assert text.status == "too_short" and text.error is None
    assert len(text.signals["boilerplate"].evidence) == 11
    assert_offsets(text)


def test_non_english_page_is_unsupported_not_spam(scorer):
    r = scorer.score_html((DATA / "german.html").read_bytes(), "german.html")
    assert (r.status, r.language, r.action, r.flags, r.signals) == ("unsupported_language", "de", "keep", [], {})
    assert r.language_prob > 0.9 and "Brücke" in r.text  # iso-8859-1 page decoded by its <meta>


def test_binary_garbage_gets_an_answer(scorer):
    garbage = bytes((i * 7919 + i // 3) % 256 for i in range(20_000))
    r = scorer.score_html(garbage, "image.png")
    assert r.status == "no_main_content" and r.error is None and r.action == "keep" and r.flags == []


@pytest.mark.parametrize("html", [
    "<div>" * 10_000 + "<p>" + ARTICLE + "</p>",
    ("<p>" + ARTICLE.replace("\n", "</p><p>") + "</p>").encode() + b"\x00\xff\xfe\x00 broken \xc3\x28 bytes",
    "<table>" * 3000 + "<td>cell",
])
def test_hostile_markup_is_scored(scorer, html):
    r = scorer.score_html(html)
    assert r.status == ("no_main_content" if "cell" in str(html[-10:]) else "scored") and r.error is None
    assert_offsets(r)


def test_work_is_bounded_by_max_bytes_and_max_tokens(tiny_model):
    small = Scorer(QualityConfig(models={"en": str(tiny_model)}, max_bytes=5_000, max_tokens=300))
    huge = ("<p>" + ARTICLE.replace("\n", "</p><p>") + "</p>") * 2_000  # ~3.3 MB
    r = small.score_html(huge)
    assert r.status == "scored" and r.words <= 300
    assert "max_bytes=5,000" in notes(r)
    r = small.score_text(ARTICLE * 20)
    assert r.words <= 300 and "max_tokens=300" in notes(r)
    one_sentence = small.score_text("word " * 2_000)  # a page that is one endless sentence keeps its first words
    assert one_sentence.words == 300 and one_sentence.text == " ".join(["word"] * 300)
    assert r.text == r.text.strip() and r.blocks[-1]["end"] == len(r.text)
    assert_offsets(r)


class Exploding:
    """A signal that fails, as a bug in a signal would."""
    name = "injection"

    def score(self, doc, ctx) -> SignalResult:
        raise ValueError("cannot score this page")


def test_a_failure_inside_scoring_returns_an_unscored_report(tiny_model):
    failing = Scorer(QualityConfig(models={"en": str(tiny_model)}, signals=("injection",)))
    failing.signals = [Exploding()]
    r = failing.score_text(ARTICLE, "bridge.txt")
    assert (r.status, r.action, r.flags, r.signals) == ("unscored", "keep", [], {})
    assert r.error == "ValueError: cannot score this page"
    assert r.text.startswith("Riverside Bridge")  # nothing lost: the text is still in the report


class Unreadable(Exploding):
    """A signal that fails another way: another kind of failure, with a traceback of its own."""

    def score(self, doc, ctx) -> SignalResult:
        raise KeyError("no such block")


def test_the_first_traceback_of_each_failure_kind_is_a_warning_and_repeats_are_throttled(tiny_model, caplog):
    failing = Scorer(QualityConfig(models={"en": str(tiny_model)}, signals=("injection",)))
    failing.signals, failing.failures.every = [Exploding()], 3
    caplog.set_level(logging.DEBUG, logger="scoring")
    caplog.clear()  # the tiny model's warning at load time
    for i in range(6):
        assert failing.score_text(ARTICLE, f"page{i}.txt").status == "unscored"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    first, *counts = warnings
    assert "scoring page0.txt failed: ValueError: cannot score this page (raised at tests/test_scorer.py:" in \
        first.getMessage() and "in score)" in first.getMessage()
    assert first.exc_info and "Traceback" in caplog.text  # the traceback, at WARNING, once
    assert [r.getMessage() for r in counts] == [
        f"ValueError (raised at {raised_at(first.exc_info[1])}) has happened {n} times; tracebacks of the repeats "
        "are at DEBUG" for n in (3, 6)]
    repeats = [r for r in caplog.records if r.levelno == logging.DEBUG and "failed" in r.getMessage()]
    assert [r.getMessage().split(" failed")[0] for r in repeats] == [f"scoring page{i}.txt" for i in range(1, 6)]
    assert all(r.exc_info for r in repeats)

    caplog.clear()
    failing.signals = [Unreadable()]  # another kind: its first traceback is a warning too
    assert failing.score_text(ARTICLE, "other.txt").error == "KeyError: 'no such block'"
    assert [r.levelno for r in caplog.records] == [logging.WARNING] and "KeyError" in caplog.records[0].getMessage()


def test_the_scorer_loads_without_garbage_collections(default_model):
    """A load's collections would walk what it allocates (all of which lives on) and the host's heap, again and
    again; GC is paused while it loads, and on again after."""
    config, collections = QualityConfig(models={"en": str(default_model)}), []
    gc.callbacks.append(lambda phase, info: collections.append(info["generation"]) if phase == "start" else None)
    try:
        Scorer(config)
    finally:
        gc.callbacks.pop()
    # at most the one young collection that the first allocation after the load starts (~50 without the pause)
    assert collections in ([], [0]) and gc.isenabled()


def test_report_round_trips_through_json(scorer):
    r = scorer.score_text(corrupted(), "page.txt")
    data = json.loads(r.to_json())
    assert set(data["signals"]["injection"]) >= {"score", "evidence", "features", "confidence"}
    assert PageReport.from_dict(data) == r


def test_synonym_table_named_by_the_card_must_exist(tiny_model, tmp_path):
    model = tmp_path / "m.bin"
    shutil.copy(tiny_model, model)
    write_card(model, {**read_card(tiny_model), "synonyms": "synonyms.json"})
    with pytest.raises(ModelError, match="synonyms.json"):
        Scorer(QualityConfig(models={"en": str(model)}))
    (tmp_path / "synonyms.json").write_text(json.dumps({"sturdy": ["strong"]}), encoding="utf-8")
    assert Scorer(QualityConfig(models={"en": str(model)})).models["en"].synonyms == {"sturdy": ("strong",)}


def test_calibration_is_fitted_and_used(tiny_model, licence_corpus, tmp_path):
    model = tmp_path / "cal.bin"
    shutil.copy(tiny_model, model)
    write_card(model, read_card(tiny_model))
    # reference pages: paragraphs of the licence texts, ten to a page
    paragraphs = [" ".join(p.split()) for path in licence_corpus
                  for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 12]
    reference = tmp_path / "reference.txt"
    reference.write_text("\n\n".join("\n".join(paragraphs[i:i + 10]) for i in range(0, len(paragraphs), 10)) + "\n")
    assert len(list(pseudo_documents(reference))) >= 10
    messages: list[str] = []
    calibration = calibrate_model(model, reference, progress=messages.append)
    card = read_card(model)
    assert set(card["calibration"]["quantiles"]) == set(SIGNALS)
    assert all(len(q) == 101 for q in card["calibration"]["quantiles"].values())
    assert card["reference"]["pages"] >= 10 and set(card["reference"]["signals"]) == set(SIGNALS)
    assert "calibration:" in messages[-1]
    seen = card["reference"]["unknown_share"]
    assert 0 <= seen["median"] <= seen["p99"] <= seen["max"] < 0.5
    # a model of licence texts cannot read a news story: by default it is not judged ...
    strict = Scorer(QualityConfig(models={"en": str(model)})).score_text(ARTICLE)
    assert strict.status == "unsupported_language" and not strict.signals
    assert f"limit {min(1.0, 2 * seen['max']):.0%}" in strict.notes[-1]
    # ... unless the limit is lifted, as here to test the calibration
    calibrated = Scorer(QualityConfig(models={"en": str(model)}, max_unknown_share=1.0))
    assert calibrated.models["en"].calibration == calibration
    clean, bad = calibrated.score_text(ARTICLE), calibrated.score_text(corrupted())
    assert bad.signals["injection"].score > 0.99 > clean.signals["injection"].score
    assert bad.signals["boilerplate"].score > 0.99 > clean.signals["boilerplate"].score


def test_public_api_with_the_default_model(default_model):
    # the page's ad slot and related list pasted into the article's flow without their markup
    html = ((DATA / "bridge_injected.html").read_text(encoding="utf-8")
            .replace('<div class="ad-slot sponsored">', "<div>").replace('<div class="related-posts">', "<div>"))
    report = scoring.score_html(html, "bridge_injected.html")
    assert report.status == "scored" and report.model == default_model.name
    assert "injection" in report.flags and report.action in ("tag", "drop")
    assert scoring.score_text(ARTICLE).signals["injection"].evidence == []
