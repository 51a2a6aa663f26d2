"""Split: broken sentence segmentation, periods and capitals stuffed mid-sentence ("opened the new. Bridge").

The segmenter splits at every ". Capital" on purpose; this signal judges each boundary it produced inside a
block. A real boundary reads well as two sentences; a broken one reads better joined. The LM compares the
two readings over the words the boundary can influence (order-1 words either side: A </s> <s> B against
A B), and structural cues that the LM cannot see on its own are added: a fragment ending in a function
word ("two years of."), very short fragments, fragments without a verb, a next word far likelier
mid-sentence than sentence-initially. A logistic model combines them (a naive with/without-period LM
comparison alone separates broken from real boundaries at ROC-AUC ~0.76 only).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np

from ..document import Document, Sentence
from ..report import Evidence, SignalResult
from .base import ScoringContext
from .blocks import CHROME_SCORE, block_chrome
from .stats import clip, load_weights, logistic, mixture_log_likelihood_ratios, strongest

# A sentence does not end on these (articles, prepositions, conjunctions, auxiliaries, possessives).
FUNCTION_WORDS = frozenset("""
a an the and or but nor of to in on at by for with from as into onto about over under after before between
through during without within against among than that which who whom whose whose if because while although
though since until unless whether so very more most less least its their his her our your my this these those
is are was were be been being am has have had do does did will would shall should can could may might must not
also such both either neither each every any some no per via towards toward upon across along around behind
beyond near off out up down than then just only even
""".split())

# Verb-like words for the "fragment without a verb" cue: auxiliaries and common verbs (plus -ed/-ing forms).
VERBS = frozenset("""
is are was were be been being am has have had do does did will would shall should can could may might must
say says said tell tells told make makes made take takes took taken go goes went gone get gets got give gives
gave given see sees saw seen know knows knew known come comes came think thinks thought find finds found want
wants need needs use uses look looks become becomes became show shows shown leave leaves left keep keeps kept
let lets put puts run runs ran hold holds held bring brings brought begin begins began stand stands stood
hear hears heard meet meets met pay pays paid lose loses lost win wins won feel feels felt seem seems mean
means help helps believe believes expect expects remain remains include includes continue continues
""".split())
# ... and every word WordNet knows only as a verb ("operate", "explains"; scoring/data/verb_forms.txt, see
# scoring.wordnet.verb_only_forms): staccato copy is short clauses ("Trains lose connectivity. Factories operate
# behind firewalls."), which the common verbs above alone read as fragments cut from one sentence (2026's web,
# half A: a manifesto dropped for split). A word that is a noun too ("costs", "bridge") says nothing.
VERB_ONLY_WORDS = frozenset(line for line in (Path(__file__).resolve().parent.parent / "data" / "verb_forms.txt")
                            .read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))

FEATURES = (
    "lm_gain", "eos_logprob", "next_initial_gap", "a_ends_function_word", "b_starts_function_word",
    "a_short", "b_short", "a_tokens_log", "b_tokens_log", "a_has_verb", "b_has_verb", "b_initial_logprob",
    "b_opener", "b_capitalised_elsewhere", "b_lowercase_elsewhere", "plain_period", "next_bigram_seen",
    "next_trigram_seen", "bias",
)
# Per-boundary evidence combined by logistic regression: log-odds that a boundary is broken. FEATURES names the
# columns `boundaries` computes; the weights and PRIOR_ODDS (the fitting boundaries' broken:real ratio, included in
# the weights) are stored with their provenance in scoring/data/split_weights.json, which
# `python -m bench.fit_split --write` refits on development data.
WEIGHTS, PRIOR_ODDS = load_weights(Path(__file__).resolve().parent.parent / "data" / "split_weights.json", FEATURES,
                                   "python -m bench.fit_split --write")


# Words that make a sentence by themselves ("Yes." "Oh." "Wow, dude."): conversational writing is full of them.
INTERJECTIONS = frozenset("""
yes yeah yep no nope oh ah aha wow ow ouch oops hey hi hello okay ok well sure right hmm huh alas indeed exactly
absolutely thanks sorry please cheers damn whoa yikes ugh
""".split())


@dataclass
class Boundary:
    before: Sentence
    after: Sentence
    gain: float           # log10 P(A B joined) - log10 P(A </s> <s> B), over the boundary's window
    cues: list[str]
    log_odds: float = 0.0  # that the boundary is broken
    deliberate: bool = False  # a full stop no re-segmentation puts there (`_deliberate`)
    # A word next to the full stop is unknown to the model, which cannot judge the two readings then (a quoted
    # phrase in another language, a rare name): of bench/fit_split's fitting boundaries, 12% of the real ones
    # with an unknown word there read as broken against 3% of the others; broken ones have one 4% of the time.
    # So is a fragment the model largely does not know (`_largely_unknown`: a passage in another language).
    unknown_word: bool = False

    @property
    def probability(self) -> float:
        return logistic(self.log_odds)


def _deliberate(before: list[str], after: list[str]) -> bool:
    """A full stop that re-segmentation does not stuff between words: after a number (a list's numbering,
    "01. Robert Plant 02. Rob Halford", or a figure closing a sentence), around an interjection ("Yes.",
    "Wow, dude."), or around a one-word sentence ("Buy. Sell. Exchange." "Funny. Real." "Towels. Shower
    first."): of the fitting boundaries of bench/fit_split (news, Brown fiction and essays, dev halves), 332
    real ones and 8 broken ones had a one-word fragment on either side."""
    return (len(before) == 1 or len(after) == 1 or before[-1].isdigit() or _interjection(before)
            or _interjection(after))


def _interjection(tokens: list[str]) -> bool:
    return len(tokens) <= 2 and tokens[0] in INTERJECTIONS


def boundary_log_odds(found: list[Boundary], features: np.ndarray) -> np.ndarray:
    """Each boundary's log-odds of being broken (the logistic model over `features`); a deliberate full stop, or
    one next to a word the model does not know, is at most neutral evidence (the fitted prior odds): it may show
    the page is clean, never that it is broken."""
    log_odds = features @ WEIGHTS
    deliberate = np.fromiter((bd.deliberate or bd.unknown_word for bd in found), dtype=bool, count=len(found))
    return np.where(deliberate, np.minimum(log_odds, math.log(PRIOR_ODDS)), log_odds)


def _largely_unknown(sentence: Sentence, is_oov) -> bool:
    """At least three of the fragment's words, and a third of them, are unknown to the model: a passage in another
    language on an English page ("Auf einem verschmutzten Parkplatz kam ich zu mir. Die Geldbörse fehlte"), whose
    full stops the model cannot judge. Of bench/fit_split's fitting boundaries, 13 of 21,692 real and 10 of 8,015
    broken ones had such a fragment and no unknown word next to the full stop. (Two unknown words in a short
    fragment are mostly a name, "Kate Henshaw.": with two, the dev pages broken at 1/4 lost a page.)"""
    unknown = sentence.unknown if sentence.unknown is not None else sum(map(is_oov, sentence.tokens))
    return unknown >= 3 and 3 * unknown >= len(sentence.tokens)


def _has_verb(tokens: list[str]) -> bool:
    # (the set tests first, in C: most fragments hold an auxiliary or a common verb)
    return (not VERBS.isdisjoint(tokens) or not VERB_ONLY_WORDS.isdisjoint(tokens)
            or any(len(t) > 4 and t.endswith(("ed", "ing")) for t in tokens))


def boundaries(doc: Document, ctx: ScoringContext) -> tuple[list[Boundary], np.ndarray]:
    """Every sentence boundary inside a block, with its features (`FEATURES`)."""
    score, is_oov = ctx.lm.line_scorer(), ctx.lm.is_oov
    k = max(ctx.lm.order - 1, 1)
    out, rows = [], []
    sentences = [s for s in doc.sentences if s.tokens]
    # only the first words of sentences that follow one in the same block are asked about
    lower, capital = _case_usage(doc, sentences, {b.tokens[0] for a, b in zip(sentences, sentences[1:])
                                                  if a.block == b.block})
    chrome = block_chrome(doc, ctx)
    citations: dict[int, bool] = {}  # block -> _is_reference_entry, for the blocks with a boundary only
    verbs: dict[int, bool] = {}  # id(sentence) -> _has_verb (each sentence is a fragment twice)
    judged: set[tuple[str, str]] = set()  # the sentence pairs judged so far
    for a, b in zip(sentences, sentences[1:]):
        # Page chrome ("Partly cloudy. Tomorrow 21°C", "Accept. Manage") is UI fragments, not prose:
        # the boilerplate signal judges it; its full stops are no broken re-segmentation.
        # So is a bibliography entry ("Cohen, Marcel. 1947. Essai comparatif ...", "Science. 2009;325:1705-8.
        # doi:10.1126/..."): its full stops separate fields, not sentences (the top clean page of the calibration
        # reference, left out, was one; so were a medical journal's and a Wikipedia article's reference lists).
        if a.block != b.block or chrome[a.block].score >= CHROME_SCORE:
            continue
        citation = citations.get(a.block)
        if citation is None:
            citation = citations[a.block] = _is_reference_entry(doc.blocks[a.block].text)
        if citation:
            continue
        ta, tb = a.tokens, b.tokens
        # A repeated block (a mobile and a desktop copy, a shop's blurb above and below its grid) holds the same
        # full stops: each is evidence once (a collection page of 2026's web counted one boundary twice).
        pair = (" ".join(ta), " ".join(tb))
        if pair in judged:
            continue
        judged.add(pair)
        left, right = ta[-k:], tb[:k]
        a_bos, b_eos = len(ta) <= k, len(tb) <= k
        left_line, right_line = " ".join(left), " ".join(right)
        joined = score(f"{left_line} {right_line}", bos=a_bos, eos=b_eos)
        split = score(left_line, bos=a_bos, eos=True) + score(right_line, bos=True, eos=b_eos)
        gain = joined - split
        # P(b0 | A's tail) vs P(b0 | <s>): a word far likelier mid-sentence than sentence-initially
        initial = score(tb[0], bos=True, eos=False)
        inside = score(f"{left_line} {tb[0]}", bos=a_bos, eos=False) - score(left_line, bos=a_bos, eos=False)
        a_func, b_func = ta[-1] in FUNCTION_WORDS, tb[0] in FUNCTION_WORDS and tb[0] not in _SENTENCE_OPENERS
        a_verb = verbs.get(id(a))
        if a_verb is None:
            a_verb = _has_verb(ta)
        b_verb = verbs[id(b)] = _has_verb(tb)
        eos_lp = float(a.logprobs[-1]) if a.logprobs is not None else score(left_line, bos=a_bos, eos=True) - \
            score(left_line, bos=a_bos, eos=False)
        # how far the joined reading is backed by observed n-grams (not only back-off)
        seen1 = seen2 = 0.0
        orders = ctx.lm.ngram_orders(f"{left_line} {' '.join(tb[:2])}", bos=a_bos, eos=False)
        if orders is not None:
            seen1 = float(orders[len(left)] >= 2)
            seen2 = float(len(orders) > len(left) + 1 and orders[len(left) + 1] >= 3)
        separator = doc.text[a.spans[-1][1]:b.spans[0][0]]
        b0 = tb[0]
        rows.append((
            clip(gain, -6, 6), max(eos_lp, -6.0), clip(inside - initial, -6, 6), float(a_func), float(b_func),
            float(len(ta) <= 3), float(len(tb) <= 3), math.log(len(ta)), math.log(len(tb)), float(a_verb),
            float(b_verb), max(initial, -8.0), float(b0 in _SENTENCE_OPENERS), float(b0 in capital),
            float(b0 in lower), float(separator == ". "), seen1, seen2, 1.0,
        ))
        cues = []
        if a_func:
            cues.append(f"ends in '{ta[-1]}'")
        if b_func:
            cues.append(f"next starts with '{tb[0]}'")
        if not a_verb:
            cues.append("fragment before has no verb")
        if not b_verb:
            cues.append("fragment after has no verb")
        if len(ta) <= 3 or len(tb) <= 3:
            cues.append("very short fragment")
        out.append(Boundary(a, b, gain, cues, deliberate=_deliberate(ta, tb),
                            unknown_word=is_oov(ta[-1]) or is_oov(tb[0]) or _largely_unknown(a, is_oov)
                            or _largely_unknown(b, is_oov)))
    return out, np.array(rows, dtype=np.float64).reshape(-1, len(FEATURES))


# "Surname, Given[ M.] ... 1947." or "(1995)": the author-year form of a reference-list entry; and Vancouver's
# authors ("Dalbeth N, Stamp L. ...", "Cacoub P, et al. ...") before a year.
_VANCOUVER_AUTHOR = r"(?:(?:van|von|de|der|da|di|du|le|la) )?[A-Z][\w'’‐-]+ [A-Z](?:-?[A-Z]){0,2}"
_REFERENCE_ENTRY = re.compile(rf"(?:[A-Z][\w'’-]+, (?:[A-Z][\w'’-]*\.?\s)+"
                              rf"|(?:{_VANCOUVER_AUTHOR}, )+(?:{_VANCOUVER_AUTHOR}\. |et al\. )"
                              rf"|{_VANCOUVER_AUTHOR} et al\. )"
                              r".{0,300}?\b(?:1[5-9]|20)\d\d[a-z]?[.);]")
# What only a citation carries: a DOI, PubMed or arXiv id, ISBN/ISSN, a journal's "2009;325:1705-8"
# (Vancouver style: "Medlock J, Galvani AP. Optimizing influenza vaccine distribution. Science. 2009;325:1705-8."),
# or a date of access.
# Wikipedia's citation templates (CS1) and web citations date their access: "Retrieved 27 January 2020",
# "Retrieved 2012-05-10", "Accessed May 15, 2017", "Archived from the original on ...".
_MONTH_NAME = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_CITED_DATE = rf"(?:\d{{4}}-\d\d-\d\d|\d{{1,2}} {_MONTH_NAME},? \d{{4}}|{_MONTH_NAME} \d{{1,2}}, \d{{4}})"
_REFERENCE_MARK = re.compile(r"\bdoi:?\s?10\.\d{4,}/|\bdoi\.org/10\.\d{4,}/|\bPMID:?\s?\d{6,}|\barXiv:\s?\d{4}\.\d{4,5}"
                             r"|\bISBN(?:-1[03])?:?\s?[\d-]{10,}|\bISSN:?\s?\d{4}-\d{3}[\dX]\b"
                             r"|\b(?:1[89]|20)\d\d;\s?\d+(?:\(\d+\))?:\s?[A-Z]?\d+"
                             rf"|\b(?:Retrieved|Accessed)(?: on)? {_CITED_DATE}|\bArchived from the original\b")


# Every `_REFERENCE_MARK` contains one of these: checked first, as a block of prose contains none (3x faster).
_REFERENCE_MARK_KEYS = (";", "doi", "PMID", "arXiv", "ISBN", "ISSN", "Retrieved", "Accessed", "Archived")


def _is_reference_entry(text: str) -> bool:
    return bool(_REFERENCE_ENTRY.match(text)
                or (any(map(text.__contains__, _REFERENCE_MARK_KEYS)) and _REFERENCE_MARK.search(text)))


def _case_usage(doc: Document, sentences: list[Sentence], words: set[str] | None = None
                ) -> tuple[set[str], set[str]]:
    """Words the page writes in lowercase / capitalised inside sentences (not as their first word); only
    those in `words` when given."""
    lower, capital = set(), set()
    text = doc.text
    for s in sentences:
        for token, (start, _) in zip(s.tokens[1:], s.spans[1:]):
            if words is None or token in words:
                (capital if text[start].isupper() else lower).add(token)
    return lower, capital


# Function words that open real sentences often enough not to be a cue.
_SENTENCE_OPENERS = frozenset("""
a an the and but or so if because while although though since when this these those his her its their our my
your some no each every more most many in on at for after before as with from by during about also even only
just then it is are was were do does did can could will would should may might must there that which who
""".split())


@dataclass(kw_only=True, eq=False)
class SplitSignal:
    name: ClassVar[str] = "split"
    full_confidence_boundaries: int = 4  # boundaries inside blocks for full confidence
    # Share of broken boundaries assumed by the page statistic (the mixture's rho), chosen with the cap below.
    broken_share: float = 0.2
    flag_probability: float = 0.5        # a boundary is shown as evidence from this posterior probability
    raw_scale: float = 1.0               # the summed log-likelihood ratio is already on a unit scale
    max_evidence: int = 50               # boundaries shown per page (bounds the report)
    # A block adds at most this much to the page statistic per `block_unit_words` of its words (rounded up). A
    # farm breaks sentences all through the article; a clean page's fragments cluster in one short block (a
    # book's "320 pages. Dutton. $5.", a credit line), which alone must not outweigh the rest of the page, while
    # a long block (plain text without line breaks) counts as the paragraphs it holds. The share and the cap are
    # chosen on development data by `python -m bench.fit_split --page-statistic` (the best recall where no clean
    # development page is flagged, no strength losing ROC-AUC; 2026-11-26: from 0.1 and no cap, recall at
    # 1/4, 1/2, 1/1 71.6 / 87.8 / 98.6% -> 79.7 / 93.2 / 98.6%); the unit is a long paragraph (the real pages'
    # dev-half article paragraphs: median 24 words, 90th percentile 66).
    max_block_llr: float | None = 8.0
    block_unit_words: int = 60

    def block_caps(self, doc: Document) -> dict[int, float] | None:
        """Each block's cap on its share of the page statistic (None: uncapped)."""
        if self.max_block_llr is None:
            return None
        return {block: self.max_block_llr * max(1, math.ceil(n / self.block_unit_words))
                for block, n in block_words(doc).items()}

    def page_statistic(self, log_odds: np.ndarray, blocks: list[int], caps: dict[int, float] | None
                       ) -> tuple[float, int]:
        """The report's raw statistic and how many blocks the cap held back: the log-likelihood ratio of "a share
        broken_share of the boundaries is broken" vs "none is", summed (every boundary is evidence, so a long page
        with one broken boundary still stands out) with each block's share capped at `caps[block]`, times
        raw_scale. `blocks` holds each boundary's block; bench/fit_split recomputes it for other settings."""
        llr, capped = block_capped_sum(mixture_log_likelihood_ratios(log_odds, PRIOR_ODDS, self.broken_share),
                                       blocks, caps)
        return self.raw_scale * llr, capped

    def score(self, doc: Document, ctx: ScoringContext) -> SignalResult:
        found, features = boundaries(doc, ctx)
        n = len(found)
        if not n:
            return SignalResult(self.name, 0.0, [], {"raw": 0.0, "boundaries": 0.0, "broken": 0.0}, 0.0)
        log_odds = boundary_log_odds(found, features)
        for bd, z in zip(found, log_odds):
            bd.log_odds = float(z)
        raw, capped = self.page_statistic(log_odds, [bd.before.block for bd in found], self.block_caps(doc))
        confidence = min(1.0, n / self.full_confidence_boundaries)
        flagged = [bd for bd in found if bd.probability >= self.flag_probability]
        top = strongest(flagged, lambda bd: bd.log_odds, self.max_evidence, lambda bd: bd.before.end)
        evidence = [_evidence(doc, bd) for bd in top]
        features_out = {"raw": raw, "boundaries": float(n), "broken": float(len(flagged)), "capped_blocks": float(capped),
                        "broken_rate": len(flagged) / n, "mean_gain": float(np.mean([bd.gain for bd in found]))}
        return SignalResult(self.name, ctx.calibration.score(self.name, raw) * confidence, evidence, features_out,
                            confidence)


def block_capped_sum(llrs: np.ndarray, blocks: list[int], caps: dict[int, float] | None) -> tuple[float, int]:
    """The boundaries' log-likelihood ratios summed, each block's share capped at `caps[block]` (None: no cap),
    and how many blocks the cap held back (the report's `capped_blocks`)."""
    if caps is None:
        return float(np.sum(llrs)), 0
    per_block: dict[int, float] = {}
    for block, llr in zip(blocks, llrs.tolist()):
        per_block[block] = per_block.get(block, 0.0) + llr
    capped = sum(v > caps[block] for block, v in per_block.items())
    return float(sum(min(v, caps[block]) for block, v in per_block.items())), capped


def block_words(doc: Document) -> dict[int, int]:
    """Tokens per block, from its sentences."""
    words: dict[int, int] = {}
    for s in doc.sentences:
        words[s.block] = words.get(s.block, 0) + len(s.tokens)
    return words


def _evidence(doc: Document, bd: Boundary) -> Evidence:
    start, end = bd.before.spans[-1][0], bd.after.spans[0][1]
    cues = "; ".join(bd.cues)
    reason = f"joined reads {bd.gain:+.1f} log10 better than split" + (f"; {cues}" if cues else "")
    return Evidence(
        start=start, end=end, text=doc.text[start:end], kind="boundary",
        reason=f"{reason}; broken with probability {bd.probability:.2f}", weight=round(bd.probability, 3),
    )
