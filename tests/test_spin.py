"""The spin signal on an article written for this test, and on the same article run through a synonym spinner by hand."""
from __future__ import annotations

import re

import numpy as np
import pytest

from scoring.scorer import ModelBundle, prepare
from scoring.segment import blocks_from_text
from scoring.signals.spin import SpinSignal

CLEAN = """The city council approved a new budget on Tuesday after a long debate about road repairs and public transport. The mayor said the plan would reduce traffic in the centre and improve safety for children walking to school.
Under the plan, the city will spend more money on buses and cycle lanes over the next three years. Officials expect the first new routes to open in the spring, and they hope that more people will leave their cars at home.
Local businesses gave the proposal a mixed reception. Some shop owners fear that fewer parking spaces will keep customers away, while others believe that quieter streets will bring more visitors to the old town.
The company that runs the bus network reported strong quarterly profits last month. Its chief executive said the firm was ready to hire more drivers and buy electric vehicles if the council kept its promise."""

# The same article with about a fifth of its content words swapped for WordNet synonyms, as cheap spinners do.
SPUN = """The city council sanctioned a fresh budget on Tuesday after a prolonged argument about road repairs and populace transport. The mayor said the design would trim traffic in the midpoint and better safety for children walking to school.
Under the plan, the metropolis will expend more money on buses and cycle lanes over the adjacent three years. Officials anticipate the first new paths to unfold in the bounce, and they hope that more multitude will depart their cars at home.
Local businesses gave the proposal a integrated receipt. Some shop owners dread that fewer parking spaces will hold customers away, while others believe that quieter streets will convey more visitors to the older town.
The firm that runs the bus network documented sturdy quarterly profits final month. Its main executive said the house was ready to employ more drivers and purchase electrical vehicles if the council kept its promise."""
SWAPPED = ("sanctioned fresh prolonged argument populace design trim midpoint better metropolis expend adjacent "
           "anticipate paths unfold bounce multitude depart integrated receipt dread hold convey older firm "
           "documented sturdy final main house employ purchase electrical").split()


@pytest.fixture(scope="module")
def bundle(default_model) -> ModelBundle:
    loaded = ModelBundle.load("en", default_model)
    assert loaded.synonyms, "the default model's synonym table is missing: run `make model`"
    return loaded


def score(text: str, bundle: ModelBundle, signal: SpinSignal | None = None):
    doc, ctx = prepare(blocks_from_text(text), bundle)
    return doc, (signal or SpinSignal()).score(doc, ctx)


def swapped_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for word in set(SWAPPED):
        spans += [m.span() for m in re.finditer(rf"\b{word}\b", text)]
    return spans


def test_spun_article_scores_above_the_clean_one(bundle):
    _, clean = score(CLEAN, bundle)
    _, spun = score(SPUN, bundle)
    # the margin on the words' plain mean (no shrinkage: this ~150-word article's gap shrinks by about a third)
    plain = SpinSignal(shrink_words=0)
    assert score(SPUN, bundle, plain)[1].features["raw"] > score(CLEAN, bundle, plain)[1].features["raw"] + 0.5
    assert spun.features["raw"] > clean.features["raw"] + 0.2
    assert spun.score > clean.score
    assert spun.features["suspicious_rate"] > 2 * clean.features["suspicious_rate"]
    assert clean.confidence == spun.confidence == 1.0


def test_evidence_points_at_the_swapped_words(bundle):
    doc, spun = score(SPUN, bundle)
    truth = swapped_spans(doc.text)
    assert spun.evidence
    for ev in spun.evidence:
        assert doc.text[ev.start:ev.end] == ev.text
        assert ev.kind == "word" and ev.reason and 0.0 <= ev.weight <= 1.0
    on_target = [ev for ev in spun.evidence if any(a < ev.end and ev.start < b for a, b in truth)]
    assert len(on_target) >= 0.6 * len(spun.evidence)   # precision of the flagged words
    # recall of the swaps: a swap the model finds likely in its context (log10 P > SpinSignal.trial_logprob_cut) is not
    # put on trial, so it is rarely flagged (9 of these 33 with the cut, 10 without; on the real pages' dev half
    # the cut moved the evidence recall at 20% spin from 0.33 to 0.32)
    assert len(on_target) >= 0.25 * len(truth)
    assert any(ev.suggestion for ev in on_target)         # the likelier synonym is offered


def test_the_original_word_is_offered_as_the_likelier_synonym(bundle):
    _, spun = score(SPUN, bundle)
    suggested = {(ev.text.lower(), ev.suggestion) for ev in spun.evidence}
    originals = {("metropolis", "city"), ("adjacent", "next"), ("anticipate", "expect"), ("multitude", "people")}
    assert len(suggested & originals) >= 2, suggested


def test_short_pages_are_less_confident(bundle):
    _, short = score("The firm documented sturdy quarterly profits.", bundle)
    _, full = score(SPUN, bundle)
    assert short.confidence < 0.3 < full.confidence
    assert short.score <= bundle.calibration.score("spin", short.features["raw"]) * 0.3


@pytest.mark.parametrize("text", ["", "   \n  ", "One sentence only.", "12 345 6789. 42, 17; 99 100 7.",
                                  "The the the of of and and.", "\u00e9t\u00e9 \u00e0 Paris caf\u00e9 cr\u00e8me."])
def test_odd_pages_give_a_calm_answer(bundle, text):
    doc, result = score(text, bundle)
    assert result.name == "spin"
    assert 0.0 <= result.score <= 1.0 and 0.0 <= result.confidence <= 1.0
    assert result.score < 0.5
    for ev in result.evidence:
        assert doc.text[ev.start:ev.end] == ev.text


def test_numbers_and_empty_pages_have_no_confidence(bundle):
    for text in ("", "12 345 6789. 42, 17; 99 100 7."):
        _, result = score(text, bundle)
        assert result.confidence == 0.0 and result.score == 0.0 and not result.evidence


TORTURED = ("Hospitals now use counterfeit consciousness to read scans. Profound learning models trained on "
            "huge information flagged more tumours than doctors did, the study found.")
ESTABLISHED = ("Hospitals now use artificial intelligence to read scans. Deep learning models trained on "
               "big data flagged more tumours than doctors did, the study found.")


def test_catalogued_tortured_phrases_are_evidence_with_the_established_term(bundle):
    doc, spun = score(TORTURED, bundle)
    _, clean = score(ESTABLISHED, bundle)
    phrases = [e for e in spun.evidence if e.kind == "phrase"]
    assert [(e.text.lower(), e.suggestion) for e in phrases] == [
        ("counterfeit consciousness", "artificial intelligence"),
        ("profound learning", "deep learning"),
        ("huge information", "big data"),
    ]
    assert all(doc.text[e.start:e.end] == e.text for e in phrases)
    assert spun.features["raw"] > clean.features["raw"] + 1.0
    assert not [e for e in clean.evidence if e.kind == "phrase"]


def test_a_short_page_is_shrunk_towards_a_clean_one():
    """One strongly suspect word does not make a short page look spun: the page statistic's mean takes in
    shrink_words pseudo-words of a typical clean page's ratio, which a long page's words outweigh."""
    signal, plain = SpinSignal(), SpinSignal(shrink_words=0)
    assert signal.shrink_words > 0
    one = signal.page_statistic(np.array([5.0]), 0.0, 1)
    assert plain.page_statistic(np.array([5.0]), 0.0, 1) > one > signal.raw_scale * signal.shrink_to
    long = np.full(2000, 5.0)
    assert signal.page_statistic(long, 0.0, 2000) == pytest.approx(plain.page_statistic(long, 0.0, 2000), rel=0.05)


def test_the_page_statistic_sharpens_the_word_log_odds():
    """The page statistic averages the words' log-odds sharpened around log_odds_pivot (the per-word weights
    trusted a little more for the page decision): a word above the pivot counts more, one below it less."""
    signal, plain = SpinSignal(), SpinSignal(log_odds_scale=1.0)
    assert signal.log_odds_scale > 1.0
    log_odds = np.array([-6.0, -4.0, -1.0, 0.3, 2.5])
    sharpened = signal.log_odds_pivot + signal.log_odds_scale * (log_odds - signal.log_odds_pivot)
    assert signal.page_statistic(log_odds, 0.0, 5) == pytest.approx(plain.page_statistic(sharpened, 0.0, 5))
    suspect, clean = np.full(100, signal.log_odds_pivot + 2.0), np.full(100, signal.log_odds_pivot - 2.0)
    assert signal.page_statistic(suspect, 0.0, 100) > plain.page_statistic(suspect, 0.0, 100)
    assert signal.page_statistic(clean, 0.0, 100) < plain.page_statistic(clean, 0.0, 100)


def test_a_synonym_beyond_the_candidates_tried_is_on_the_page(bundle):
    """'a synonym is on the page' reads all the word's synonyms, not only the commonest max_candidates put on
    trial: 'unassailable' (a WordNet synonym of 'strong', too rare to be tried) marks 'strong' as possibly swapped."""
    from scoring.signals.spin import FEATURES

    signal = SpinSignal()
    doc, ctx = prepare(blocks_from_text("The defence looked strong all season. Their lead now seems unassailable."),
                       bundle)
    words, features = signal.trials(doc, ctx)
    strong = [i for i, t in enumerate(words) if t.word == "strong"]
    assert strong
    assert "unassailable" not in [c for c, _ in signal.candidates(ctx)("strong")]
    assert features[strong[0], FEATURES.index("synonym_on_page")] == 1.0


def test_one_and_two_word_lines_are_not_put_on_trial(bundle):
    """A word is judged in its context: a line of one or two words (a list of contributors' handles, a stock
    ticker strip, a label) gives none, and its unknown handles are no spinner's words (a compiler's progress
    report and a finance page on a sixth check set's half A were dropped for them). The same words in a sentence
    are judged."""
    handles = ["oleid", "joshtriplett", "sdroege", "alanfalloon", "davidlattimore", "colelawrence", "shnatsel"]
    listed = CLEAN + "\nThanks to our sponsors:\n" + "\n".join(handles)
    inline = CLEAN + "\nThanks to our sponsors " + " and ".join(handles) + " for their work on the compiler."
    _, alone = score(CLEAN, bundle)
    _, as_lines = score(listed, bundle)
    _, in_sentence = score(inline, bundle)
    assert not any(e.text.lower() in handles for e in as_lines.evidence), as_lines.evidence
    assert as_lines.features["content_words"] == alone.features["content_words"] + 2  # "thanks", "sponsors"
    assert any(e.text.lower() in handles for e in in_sentence.evidence)
