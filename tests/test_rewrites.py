"""Phrase-rewrite cues of the spin signal (scoring/signals/rewrites.py): hand-written rewordings are found and
explained, clean reference text is left alone, and a page full of rewordings scores above its plain version."""
from __future__ import annotations

import hashlib
import json

import pytest

from scoring.calibrate import Calibration
from scoring.lm import load_model, read_card
from scoring.scorer import pseudo_documents
from scoring.segment import blocks_from_text, segment
from scoring.signals import rewrites
from scoring.signals.base import ScoringContext
from scoring.signals.spin import SpinSignal, _is_content

# test_spin's clean article (a city council's budget)
CLEAN = """The city council approved a new budget on Tuesday after a long debate about road repairs and public transport. The mayor said the plan would reduce traffic in the centre and improve safety for children walking to school.
Under the plan, the city will spend more money on buses and cycle lanes over the next three years. Officials expect the first new routes to open in the spring, and they hope that more people will leave their cars at home.
Local businesses gave the proposal a mixed reception. Some shop owners fear that fewer parking spaces will keep customers away, while others believe that quieter streets will bring more visitors to the old town.
The company that runs the bus network reported strong quarterly profits last month. Its chief executive said the firm was ready to hire more drivers and buy electric vehicles if the council kept its promise."""

# The same article with about twenty of its phrases reworded the way article rewriters do it (written for
# this test, not by the benchmark's generator), every other word unchanged.
REWORDED = """The city council approved a new budget on Tuesday after a long debate with regard to road repairs as well as public transport. The mayor stated that it should be noted that the plan would reduce traffic in the centre and improve safety for children walking to school.
Under the plan, the city is able to spend a large amount of money on buses and cycle lanes during the course of the next three years. Officials expect the first new routes to open in the month of April, and they hope that a large number of people will leave their cars at home in order to walk.
Local businesses gave the proposal a mixed reception. Some shop owners fear that fewer parking spaces will keep customers away due to the fact that they drive, while others believe that quieter streets will bring more visitors to the old town on a daily basis.
The company that runs the bus network reported strong quarterly profits prior to last month. Its chief executive said the firm was ready to hire more drivers and make use of electric vehicles in the event that the council kept its promise, which was made by them in a public manner."""
EXPECTED = {  # span -> plainer wording
    "with regard to": "about", "as well as": "and", "it should be noted that": "(nothing)", "is able to": "can",
    "a large amount of": "much", "during the course of": "during", "in the month of": "in",
    "a large number of": "many", "in order to": "to", "due to the fact that": "because", "on a daily basis": "daily",
    "prior to": "before", "make use of": "use", "in the event that": "if", "in a public manner": "publicly",
}


def doc_of(text: str):
    return segment(blocks_from_text(text))


def content_words(doc) -> int:
    return sum(1 for s in doc.sentences for i, t in enumerate(s.tokens) if _is_content(doc, s, i, t))


@pytest.fixture(scope="module")
def ctx(default_model) -> ScoringContext:
    card = read_card(default_model)
    synonyms = json.loads((default_model.parent / card.get("synonyms", "synonyms.json")).read_text(encoding="utf-8"))
    return ScoringContext(load_model(default_model), Calibration.from_dict(card.get("calibration")), synonyms)


def spin(text: str, ctx: ScoringContext):
    doc = doc_of(text)
    for s in doc.sentences:
        s.logprobs, s.orders = ctx.lm.token_scores(s.tokens)
    return doc, SpinSignal().score(doc, ctx)


def test_catalogue_and_clean_rates_agree():
    fitted = json.loads(rewrites.RATES_PATH.read_text(encoding="utf-8"))
    assert fitted["cues_sha256"] == hashlib.sha256(rewrites.CUES_PATH.read_bytes()).hexdigest(), \
        "the cue catalogue changed since its clean rates were counted: run `python -m bench.fit_rewrites --write`"
    assert set(fitted["counts"]) == {c.text for c in rewrites.CUES}
    assert fitted["content_words"] > 500_000 and len(rewrites.CUES) >= 100
    assert all(c.source in {"fplg", "pec", "sw", "orwell", "issue12", "passive"} for c in rewrites.CUES)


def test_hand_written_rewordings_are_found_with_their_plain_wording():
    doc = doc_of(REWORDED)
    hits = rewrites.find_rewrites(doc)
    found = {doc.text[h.sentence.spans[h.first][0]:h.sentence.spans[h.last][1]].lower(): h.plain for h in hits}
    assert found.pop("was made by them").startswith("the active voice")
    assert found == EXPECTED
    llr, intensity = rewrites.fit(hits, content_words(doc))
    assert llr > 0.0 and intensity > 0.0
    ev = rewrites.evidence(doc, hits[0], intensity)
    assert ev.kind == "rewrite" and ev.text == doc.text[ev.start:ev.end] == "with regard to"
    assert ev.suggestion == "about" and "with regard to" in ev.reason and "clean text" in ev.reason
    assert 0.5 < ev.weight <= 1.0 and "rewritten with probability" in ev.reason
    # one such phrasing on a page is what clean text does: shown, but with no weight
    alone = rewrites.evidence(doc, hits[0], rewrites.fit(hits[:1], content_words(doc))[1])
    assert alone.weight == 0.0 and "not counted" in alone.reason


@pytest.mark.parametrize("text, plain", [
    ("He answered in a quick manner.", "quickly"), ("It was solved in an easy fashion.", "easily"),
    ("Say it in a simple manner.", "simply"), ("Fixed in a timely manner.", "timely"),
    ("Explained in a basic fashion.", "basically"),
])
def test_manner_adverbs_are_offered_in_their_plain_form(text, plain):
    (hit,) = rewrites.find_rewrites(doc_of(text))
    assert hit.plain == plain


@pytest.mark.parametrize("text", [
    "The order in which the callbacks run is not defined, so each must be able to run first.",
    "As well, the year 2019 was the wettest on record; he made the team in a month.",
    "She said the prior owner made a bad decision.",
    "They were picked by hand and the plan was rejected by the board.",
])
def test_near_misses_are_not_cues(text):
    assert rewrites.find_rewrites(doc_of(text)) == []


def test_clean_reference_text_is_left_alone():
    """On the calibration reference, cues are rare and almost no page has more than clean text gives it."""
    hits = words = flagged = pages = 0
    for text in pseudo_documents(rewrites.DATA.parent.parent / "models" / "en" / "reference.txt"):
        doc = doc_of(text)
        found, n = rewrites.find_rewrites(doc), content_words(doc)
        hits, words, pages = hits + len(found), words + n, pages + 1
        flagged += rewrites.page_llr(found, n) > 0
    assert pages > 400
    assert hits / words < 0.005           # measured: 0.003 per content word
    assert flagged <= 0.01 * pages        # measured: 1 page of 530


def test_rewordings_raise_the_spin_score_of_their_page(ctx):
    plain_doc, plain = spin(CLEAN, ctx)
    doc, reworded = spin(REWORDED, ctx)
    assert plain.features["rewrites"] == 0 and plain.features["rewrite_llr"] == 0.0
    assert reworded.features["rewrites"] == len(EXPECTED) + 1
    assert reworded.features["rewrite_llr"] > 10.0
    assert reworded.features["raw"] > plain.features["raw"] + 0.5
    assert reworded.score > plain.score
    shown = {e.text.lower(): e.suggestion for e in reworded.evidence if e.kind == "rewrite"}
    assert shown["due to the fact that"] == "because" and len(shown) == len(EXPECTED) + 1
    assert all(e.weight > 0.5 for e in reworded.evidence if e.kind == "rewrite")


def test_a_repeated_sentence_counts_once():
    """A paragraph the page shows twice (a teaser, a layout that repeats it) is one writer's phrasing, not two."""
    once = rewrites.find_rewrites(doc_of(REWORDED))
    twice = rewrites.find_rewrites(doc_of(REWORDED + "\n" + REWORDED.splitlines()[1] + "\n" + REWORDED.splitlines()[1]))
    assert len(once) >= len(EXPECTED) - 2
    assert [h.cue.text for h in twice] == [h.cue.text for h in once]

def test_page_statistic_counts_many_rare_cues_not_one():
    doc = doc_of(REWORDED)
    hits, n = rewrites.find_rewrites(doc), content_words(doc)
    assert rewrites.page_llr(hits, n) > rewrites.page_llr(hits[:8], n) > 0.0
    assert rewrites.page_llr(hits[:1], n) == 0.0     # one cue is what clean text does now and then
    assert rewrites.page_llr(hits, 0) == rewrites.page_llr([], n) == 0.0
    assert rewrites.page_llr(hits, 100 * n) < rewrites.page_llr(hits, n)  # the same hits in a longer page


def test_fit_script_counts_cues_and_content_words(tmp_path):
    from bench.fit_rewrites import count

    text = tmp_path / "clean.txt"
    text.write_text("The team met prior to the game in order to plan.\n\nPrior to that, Alice played well.\n",
                    encoding="utf-8")
    hits, words = count(text, rewrites.index(rewrites.CUES))
    assert hits == {"prior to": 2, "in order to": 1}
    assert words == 9   # team met prior game order plan prior played well: not the name, not function words
