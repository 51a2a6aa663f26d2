"""The split signal on an article written for this test, and on the same article with periods stuffed mid-sentence."""
from __future__ import annotations

import pytest

from scoring.scorer import ModelBundle, prepare
from scoring.segment import blocks_from_text
from scoring.signals.split import SplitSignal

CLEAN = """The city council approved a new budget on Tuesday after a long debate about road repairs and public transport. The mayor said the plan would reduce traffic in the centre and improve safety for children walking to school.
Under the plan, the city will spend more money on buses and cycle lanes over the next three years. Officials expect the first new routes to open in the spring, and they hope that more people will leave their cars at home.
Local businesses gave the proposal a mixed reception. Some shop owners fear that fewer parking spaces will keep customers away, while others believe that quieter streets will bring more visitors to the old town.
The company that runs the bus network reported strong quarterly profits last month. Its chief executive said the firm was ready to hire more drivers and buy electric vehicles if the council kept its promise."""

BROKEN = """The city council approved a new budget on Tuesday after a long. Debate about road repairs and public transport. The mayor said the plan would reduce traffic in the. Centre and improve safety for children walking to school.
Under the plan, the city will spend more money on. Buses and cycle lanes over the next three years. Officials expect the first new routes to open in the spring, and they hope that. More people will leave their cars at home.
Local businesses gave the proposal a mixed reception. Some shop owners fear that fewer parking spaces will keep. Customers away, while others believe that quieter streets will bring more visitors to the old town.
The company that runs the bus network reported strong quarterly profits last month. Its chief executive said the firm was ready to hire more drivers and buy. Electric vehicles if the council kept its promise."""
BROKEN_AT = ["long. Debate", "the. Centre", "on. Buses", "that. More", "keep. Customers", "buy. Electric"]


@pytest.fixture(scope="module")
def bundle(default_model) -> ModelBundle:
    return ModelBundle.load("en", default_model)


def score(text: str, bundle: ModelBundle):
    doc, ctx = prepare(blocks_from_text(text), bundle)
    return doc, SplitSignal().score(doc, ctx)


def test_broken_article_scores_above_the_clean_one(bundle):
    _, clean = score(CLEAN, bundle)
    _, broken = score(BROKEN, bundle)
    assert broken.features["raw"] > clean.features["raw"] + 2.0
    assert broken.score > clean.score
    assert broken.features["broken_rate"] > 2 * clean.features["broken_rate"]


def test_evidence_points_at_the_broken_boundaries(bundle):
    doc, broken = score(BROKEN, bundle)
    truth = [(doc.text.index(b), doc.text.index(b) + len(b)) for b in BROKEN_AT]
    assert broken.evidence
    for ev in broken.evidence:
        assert doc.text[ev.start:ev.end] == ev.text and ev.kind == "boundary" and ev.reason
        assert ". " in ev.text  # spans the end of A and the start of B
    hits = [t for t in truth if any(ev.start <= t[0] and t[1] <= ev.end for ev in broken.evidence)]
    on_target = [ev for ev in broken.evidence if any(ev.start <= a and b <= ev.end for a, b in truth)]
    assert len(hits) >= 4, [ev.text for ev in broken.evidence]
    assert len(on_target) >= 0.75 * len(broken.evidence)


def test_clean_article_boundaries_are_not_evidence(bundle):
    _, clean = score(CLEAN, bundle)
    assert len(clean.evidence) <= 1, [ev.text for ev in clean.evidence]


def test_boundaries_between_blocks_are_not_judged(bundle):
    # one sentence per line: no boundary inside a block, whatever the lines say
    _, result = score("The mayor opened the new.\nBridge on Monday after two years of.\nConstruction delays.", bundle)
    assert result.features["boundaries"] == 0.0 and result.score == 0.0 and result.confidence == 0.0


def test_a_repeated_block_is_judged_once(bundle):
    """A page that shows a paragraph twice (a mobile and a desktop copy, a shop's blurb above and below its grid)
    holds its full stops once: the copy adds no boundary, no evidence and no weight to the page statistic."""
    first, rest = BROKEN.split("\n", 1)
    _, once = score(BROKEN, bundle)
    _, twice = score(f"{first}\n{rest}\n{first}", bundle)
    assert twice.features["boundaries"] == once.features["boundaries"]
    assert twice.features["raw"] == pytest.approx(once.features["raw"])
    assert sorted(ev.text for ev in twice.evidence) == sorted(ev.text for ev in once.evidence)


def test_one_broken_boundary_in_a_short_block_is_found(bundle):
    doc, result = score("The mayor opened the new. Bridge on Monday after two years of construction delays.", bundle)
    assert [ev.text for ev in result.evidence] == ["new. Bridge"]
    assert result.confidence < 1.0


@pytest.mark.parametrize("text", ["", "  \n ", "One sentence only.", "12 345. 6789 42. 17 99. 100 7.",
                                  "!!! ??? ... ---", "\u00c9t\u00e9. \u00c0 Paris. Caf\u00e9 cr\u00e8me."])
def test_odd_pages_give_a_calm_answer(bundle, text):
    doc, result = score(text, bundle)
    assert result.name == "split"
    assert 0.0 <= result.score <= 1.0 and 0.0 <= result.confidence <= 1.0
    for ev in result.evidence:
        assert doc.text[ev.start:ev.end] == ev.text


def test_chrome_fragments_are_not_judged_as_broken_boundaries(bundle):
    # Widget text is UI fragments ("Accept. Manage settings."), not prose: its "sentences" are the boilerplate
    # signal's business. The same fragments' boundaries are judged once the block reads as prose.
    widgets = ["We use cookies to improve your experience on our site. Accept. Manage settings. Reject.",
               "Weather now: 14°C. Partly cloudy. Tomorrow: 16°C. Light rain. See the 10 day forecast"]
    doc, result = score(CLEAN + "\n" + "\n".join(widgets), bundle)
    chrome_start = doc.text.index(widgets[0])
    assert [e for e in result.evidence if e.start >= chrome_start] == []
    _, clean = score(CLEAN, bundle)
    assert result.features["raw"] <= clean.features["raw"] + 0.5


@pytest.mark.parametrize("text, joined", [
    ("1. Prioritize the work that matters to readers first. Then rest.", "1. Prioritize"),
    ("Send the form to P.O. Box 12 in the city centre. We reply within days.", "P.O. Box"),
    ("Sen. Rand Paul of Louisville, Ky. Said nothing more on Friday. He left.", "Ky. Said"),
    ("The shop at 12 Mill Rd. Opened again after the floods. Staff were glad.", "Rd. Opened"),
])
def test_list_markers_and_initialisms_are_no_sentence_boundary(text, joined):
    from scoring.segment import split_sentences

    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert len(sentences) == 2 and joined in sentences[0]


def test_lowercase_look_alikes_of_capitalised_abbreviations_still_end_sentences():
    from scoring.segment import split_sentences

    text = "The mayor fell ill. The council met without her. It was a chance nobody wanted to miss. Then it rained."
    assert len(split_sentences(text)) == 4


def test_one_block_of_fragments_cannot_outweigh_the_page(bundle):
    """A catalogue header of verbless fragments adds at most the cap to a clean article, and stays below an
    article broken all through."""
    header = ("Hardcover edition. Dutton and Company. With an index. Maps and notes. Many photographs. Second printing. "
              "Out of print. Signed by the author. First edition. Cloth binding. With a foreword. Some foxing.")
    doc, ctx = prepare(blocks_from_text(header + "\n" + CLEAN), bundle)
    cap = 2.0
    capped, uncapped = SplitSignal(max_block_llr=cap).score(doc, ctx), SplitSignal(max_block_llr=None).score(doc, ctx)
    _, clean = score(CLEAN, bundle)
    _, broken = score(BROKEN, bundle)
    assert uncapped.features["raw"] > clean.features["raw"] + cap
    assert capped.features["raw"] == pytest.approx(clean.features["raw"] + cap)
    assert capped.features["capped_blocks"] == 1 and uncapped.features["capped_blocks"] == 0
    assert SplitSignal().score(doc, ctx).features["raw"] < broken.features["raw"]


def test_a_long_block_counts_as_the_paragraphs_it_holds(bundle):
    """Plain text without line breaks is one block: the broken article on one line is capped per 60 words, not
    once (a single cap would hold the whole article to what one header line may add)."""
    doc, ctx = prepare(blocks_from_text(BROKEN.replace("\n", " ")), bundle)
    one_line = SplitSignal().score(doc, ctx)
    assert one_line.features["raw"] > SplitSignal().max_block_llr * 2
    assert SplitSignal(block_unit_words=10**6).score(doc, ctx).features["raw"] == pytest.approx(
        SplitSignal().max_block_llr)


def test_a_period_after_a_year_is_still_a_boundary_to_judge():
    from scoring.segment import split_sentences

    text = "The mayor opened the bridge in 2019. Construction took two years."
    assert len(split_sentences(text)) == 2


def test_bibliography_entries_are_not_judged_as_broken_prose(bundle):
    """Author-year references separate their fields with full stops; the same boundaries in prose are judged."""
    entries = "\n".join([
        "Cohen, Marcel. 1947. Essai comparatif sur le vocabulaire et la phonétique du chamito-sémitique. Paris: Champion.",
        "Ehret, Christopher. 1995. Reconstructing Proto-Afroasiatic. Berkeley: University of California Press.",
        "Theil, R. 2006. Is Omotic Afro-Asiatic? Proceedings from the retirement symposium, Michigan State University.",
        # Vancouver style, and a Wikipedia citation with its identifiers
        "Dalbeth N, Stamp L. Allopurinol dosing in renal impairment. In Seminars in dialysis. Wiley Online Library; 2007.",
        "Chung W-H, et al. Oxypurinol-specific T cells in severe cutaneous reactions. J Investig Dermatol. 2015.",
        "van Vollenhoven R et al. Liver function abnormalities in patients treated with a new drug. Lupus. 2015.",
        "Medlock J and Galvani AP. Optimizing influenza vaccine distribution. Science. 2009;325:1705-8.",
        'Maaten, L. van der; Hinton, G. "Visualizing Data Using t-SNE". Journal of Machine Learning Research. 9: '
        "2579–2605. doi:10.1109/tvcg.2016.2570755. PMID 28113434.",
        # Wikipedia's citation templates, dated by access (mozilla/readability's test pages: wikipedia, wikipedia-4)
        '^ "Mac vendors ponder Netscape gambit.". Macworld. 1 May 1998. Retrieved 2012-08-19.',
        '^ "Gecko Layout Engine". download-firefox.org. Archived from the original on 2010-11-28. Retrieved 2012-05-10.',
        '^ "Hedone / The Infinite Man". Radio Times. Retrieved 24 Feb 2018.',
    ])
    _, bibliography = score(CLEAN + "\n" + entries, bundle)
    _, clean = score(CLEAN, bundle)
    assert bibliography.features["boundaries"] == clean.features["boundaries"]
    as_prose = entries.replace("Cohen, Marcel.", "Marcel Cohen wrote").replace("Ehret, Christopher.", "Then") \
        .replace("Theil, R.", "Theil wrote")
    _, prose = score(CLEAN + "\n" + as_prose, bundle)
    assert prose.features["boundaries"] > clean.features["boundaries"]


def test_a_full_stop_after_a_number_or_an_interjection_is_never_evidence_of_breaking(bundle):
    """A list numbered inline, conversational sentences ("Yes." "Wow, dude."), one-word sentences and a quotation in
    a language the model does not know read better joined to the LM, but no re-segmentation puts those full stops
    there (or the LM cannot judge them): they may show a page is clean, never that it is broken. The same fragments
    broken after a word are still found."""
    listed = ("01. Robert Plant 02. Rob Halford 03. Steven Tyler 04. Chris Cornell 05. Bon Scott 06. Freddie Mercury "
              "07. Bruce Dickinson 08. Ozzy Osbourne")
    spoken = ("He tells me I should never attack anyone. Yes. This is an excellent idea, and I agree with him. "
              "Wow, dude. There are nicer ways to say it, but I keep walking. Oh. They could use someone braver.")
    # (trafilatura's evaluation pages: thebalance.com, womencantalksports.com, german.stackexchange.com)
    one_word = "Types of transactions: Buy. Sell. Exchange. Send. Receive. Deposit. Withdraw. Funny. Real. Honest."
    foreign = ("Nach dem Drink verlor ich das Bewusstsein. Auf einem verschmutzten Parkplatz kam ich zu mir. Die "
               "Geldbörse fehlte, der Autoschlüssel, die goldene Uhr - ich war ausgeraubt.")  # "mir", "die": known
    for text in (listed, spoken, one_word, foreign):
        doc, result = score(CLEAN + "\n" + text, bundle)
        block = len(doc.blocks) - 1
        assert not [e for e in result.evidence if e.start >= doc.blocks[block].start], result.evidence
    broken = "He tells me I should never attack. Anyone and this is an excellent. Idea and I agree with him."
    doc, result = score(CLEAN + "\n" + broken, bundle)
    assert {e.text for e in result.evidence if e.start >= doc.blocks[-1].start} & {"attack. Anyone", "excellent. Idea"}


@pytest.mark.parametrize("text", [
    "Correction, Nov. 15, 2019: This article misidentified the first publisher of the novel. It was Pocket.",
    "Franklin D. Roosevelt was elected in 1932. He served four terms.",
    "Smith J, a local resident, said the bridge opened in 2019. Traffic has doubled since.",
    "Divers retrieved the car on 12 May 2016. It had been in the river for a week. Archived footage was shown.",
])
def test_prose_with_names_and_years_is_no_reference_entry(text):
    from scoring.signals.split import _is_reference_entry

    assert not _is_reference_entry(text)


@pytest.mark.parametrize("text", [
    "Smith, J. The Bridge Book. London. ISBN 978-0-14-103614-4.",
    "Journal of Bridges. Quarterly. ISSN 1234-567X.",
    "Vaswani et al. Attention is all you need. arXiv:1706.03762.",
    "Gecko engine. download-firefox.org. Accessed 17 July 2008.",
    "Lancet. 2009;325:1705-8. Epub ahead of print.",
    "Bridges review. doi:10.1000/xyz123. Open access.",
])
def test_every_kind_of_reference_mark_is_found(text):
    """`_is_reference_entry` checks the marks' key strings before the pattern: each kind of mark still counts."""
    from scoring.signals.split import _is_reference_entry

    assert _is_reference_entry(text)


def test_a_fragment_holding_a_word_only_verbs_spell_is_a_clause(bundle):
    # Staccato copy is short clauses: "operate" is no common verb of the cue's list, but WordNet knows it only as a
    # verb; "Bridge on Monday" holds none (a bridge is a noun too)
    from scoring.signals.split import boundaries

    def cues(text):
        doc, ctx = prepare(blocks_from_text(text), bundle)
        found, _ = boundaries(doc, ctx)
        return [c for bd in found for c in bd.cues]

    assert "fragment after has no verb" not in cues("Trains lose connectivity. Factories operate behind firewalls.")
    assert "fragment after has no verb" in cues("The mayor opened the new. Bridge on Monday after two years of.")


def test_the_verb_list_is_what_wordnet_knows_only_as_verbs():
    # scoring/data/verb_forms.txt is `python -m scoring.wordnet verbs` of the installed WordNet (Debian's
    # wordnet-base, which `make system-deps` installs): regenerated, it is the same list
    from pathlib import Path

    import scoring
    from scoring.signals.split import VERB_ONLY_WORDS
    from scoring.wordnet import DEFAULT_DIR, verb_only_forms

    if not (DEFAULT_DIR / "verb.exc").is_file():
        pytest.fail(f"WordNet is not installed at {DEFAULT_DIR}: run `make system-deps`")
    assert set(verb_only_forms()) == VERB_ONLY_WORDS
    assert {"operate", "operates", "explains", "lose"} <= VERB_ONLY_WORDS
    assert not {"costs", "bridge", "tools", "left", "means"} & VERB_ONLY_WORDS  # nouns (or adjectives) too
    header = (Path(scoring.__file__).parent / "data" / "verb_forms.txt").read_text(encoding="utf-8")
    assert header.count("Princeton University") >= 2  # WordNet's licence travels with what is derived from it
