"""Spin: machine-spun paraphrase, found as content words whose WordNet synonym fits the context far better.

Raw perplexity cannot find spin (spinners often swap in common words), so each content word is put on
trial against its own synonyms in its own context: the LM scores the window of text the word can
influence (order-1 words either side, <s>/</s> at sentence edges) with the word and with each synonym.
The gain of the best synonym is corrected for mere word frequency (the unigram log-probability
difference), so that a rare-but-right word is not flagged for not being a common one. A clean page has
few words that lose to a synonym by a wide margin; a spun one ("profound learning", "the firm documented
sturdy quarterly profits") has many.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..document import Document, Sentence
from ..report import Evidence, SignalResult
from .base import ScoringContext

# Function words (and a few reporting verbs that spinners leave alone): never put on trial.
STOPWORDS = frozenset("""
a about above after again against all almost also although always am among an and another any are around as at
be because been before being below between both but by can could did do does doing done down during each either
else enough even ever every few for from further had has have having he her here hers herself him himself his how
however i if in into is it its itself just least less many may me might more most much must my myself neither no
nor not now of off often on once only onto or other others our ours ourselves out over own per rather said same
say says she should since so some such than that the their theirs them themselves then there these they this
those though through thus to too toward towards under until up upon us very was we were what whatever when where
whether which while who whom whose why will with within without would yet you your yours yourself yourselves
""".split())

MAX_CANDIDATES = 8        # synonyms tried per word, the commonest first (by the LM's unigram probability)
FREQUENCY_WEIGHT = 1.0    # share of the unigram log-probability difference removed from a synonym's gain
FLAG_GAIN = 1.0           # log10 margin by which a synonym must beat the word to count as evidence
SOFT_WIDTH = 0.5          # width (log10) of the soft step that turns a gain into a suspicion in [0, 1]
FULL_CONFIDENCE_WORDS = 60  # content words checked for full confidence
MAX_EVIDENCE = 50


@dataclass
class WordTrial:
    sentence: Sentence
    index: int            # token index in the sentence
    word: str
    best: str             # the synonym that fits best
    gain: float           # frequency-corrected log10 gain of `best` over `word` in this context
    raw_gain: float       # uncorrected gain

    @property
    def suspicion(self) -> float:
        return 1.0 / (1.0 + math.exp(-(self.gain - FLAG_GAIN) / SOFT_WIDTH * 4.0))


class _Candidates:
    """word -> [(synonym in the word's inflection, unigram log10 P(synonym) - log10 P(word))], cached."""

    def __init__(self, lm, synonyms: dict[str, list[str]]):
        self.lm = lm
        self.synonyms = synonyms
        self._model = getattr(lm, "_model", None)
        self._cache: dict[str, list[tuple[str, float]]] = {}
        self._unigram: dict[str, float] = {}

    def unigram(self, word: str) -> float:
        u = self._unigram.get(word)
        if u is None:
            u = self._unigram[word] = self.lm.score_line(word, bos=False, eos=False)
        return u

    def known(self, word: str) -> bool:
        return not self.lm.is_oov(word)

    def __call__(self, word: str) -> list[tuple[str, float]]:
        found = self._cache.get(word)
        if found is None:
            found = self._cache[word] = self._lookup(word)
        return found

    def _lookup(self, word: str) -> list[tuple[str, float]]:
        if word in STOPWORDS or len(word) < 3 or not word.isalpha() or not self.known(word):
            return []
        forms: dict[str, None] = {}
        for base, inflect in _base_forms(word):
            for syn in self.synonyms.get(base, ()):
                cand = inflect(syn)
                if cand and cand != word and cand not in STOPWORDS and self.known(cand):
                    forms[cand] = None
            if forms:
                break
        if not forms:
            return []
        u_word = self.unigram(word)
        scored = sorted(((self.unigram(c), c) for c in forms), reverse=True)[:MAX_CANDIDATES]
        return [(c, u - u_word) for u, c in scored]


def _base_forms(word: str):
    """(base form, function re-inflecting a base like `word`): the word itself first, then suffix rules."""
    yield word, lambda s: s
    if word.endswith("ies"):
        yield word[:-3] + "y", lambda s: s[:-1] + "ies" if s.endswith("y") else s + "s"
    if word.endswith("es"):
        yield word[:-2], lambda s: s + "es" if s.endswith(("s", "x", "z", "ch", "sh")) else s + "s"
    if word.endswith("s") and not word.endswith("ss"):
        yield word[:-1], lambda s: s + "es" if s.endswith(("s", "x", "z", "ch", "sh")) else s + "s"
    if word.endswith("ied"):
        yield word[:-3] + "y", lambda s: s[:-1] + "ied" if s.endswith("y") else _past(s)
    if word.endswith("ed"):
        yield word[:-2], _past
        yield word[:-1], _past
        if len(word) > 4 and word[-3] == word[-4]:
            yield word[:-3], _past
    if word.endswith("ing"):
        yield word[:-3], _gerund
        yield word[:-3] + "e", _gerund
        if len(word) > 5 and word[-4] == word[-5]:
            yield word[:-4], _gerund
    if word.endswith("ly") and len(word) > 4:
        yield word[:-2], lambda s: s + "ly"


def _past(s: str) -> str:
    return s + "d" if s.endswith("e") else s[:-1] + "ied" if s.endswith("y") and s[-2:-1] not in "aeiou" else s + "ed"


def _gerund(s: str) -> str:
    return s[:-1] + "ing" if s.endswith("e") and not s.endswith("ee") else s + "ing"


_CANDIDATES: dict[tuple[str, int], _Candidates] = {}


def _candidates_for(ctx: ScoringContext) -> _Candidates:
    key = (str(getattr(ctx.lm, "path", id(ctx.lm))), id(ctx.synonyms))
    cands = _CANDIDATES.get(key)
    if cands is None or cands.synonyms is not ctx.synonyms or cands.lm is not ctx.lm:
        cands = _CANDIDATES[key] = _Candidates(ctx.lm, ctx.synonyms)
    return cands


def trials(doc: Document, ctx: ScoringContext) -> list[WordTrial]:
    """Every checked content word of the page with its best synonym and frequency-corrected gain."""
    cands = _candidates_for(ctx)
    score = ctx.lm.score_line
    k = max(ctx.lm.order - 1, 1)
    out = []
    for sent in doc.sentences:
        tokens = sent.tokens
        n = len(tokens)
        for i, word in enumerate(tokens):
            options = cands(word)
            if not options:
                continue
            lo, hi = max(0, i - k), min(n, i + k + 1)
            left = " ".join(tokens[lo:i])
            right = " ".join(tokens[i + 1:hi])
            bos, eos = i < k, i + k >= n
            base = score(f"{left} {word} {right}", bos=bos, eos=eos)
            best, best_gain, best_raw = "", -math.inf, 0.0
            for cand, unigram_diff in options:
                raw = score(f"{left} {cand} {right}", bos=bos, eos=eos) - base
                gain = raw - FREQUENCY_WEIGHT * unigram_diff
                if gain > best_gain:
                    best, best_gain, best_raw = cand, gain, raw
            out.append(WordTrial(sent, i, word, best, best_gain, best_raw))
    return out


class SpinSignal:
    name = "spin"

    def score(self, doc: Document, ctx: ScoringContext) -> SignalResult:
        checked = trials(doc, ctx)
        n = len(checked)
        if not n:
            return SignalResult(self.name, 0.0, [], {"raw": 0.0, "checked": 0.0, "suspicious": 0.0}, 0.0)
        suspicion = sum(t.suspicion for t in checked)
        raw = 10.0 * suspicion / n
        confidence = min(1.0, n / FULL_CONFIDENCE_WORDS)
        flagged = sorted((t for t in checked if t.gain >= FLAG_GAIN), key=lambda t: -t.gain)[:MAX_EVIDENCE]
        evidence = [_evidence(doc, t) for t in sorted(flagged, key=lambda t: t.sentence.spans[t.index])]
        features = {"raw": raw, "checked": float(n), "suspicious": float(len(flagged)),
                    "mean_gain": sum(t.gain for t in checked) / n}
        return SignalResult(self.name, ctx.calibration.score(self.name, raw) * confidence, evidence, features,
                            confidence)


def _evidence(doc: Document, t: WordTrial) -> Evidence:
    start, end = t.sentence.spans[t.index]
    return Evidence(
        start=start, end=end, text=doc.text[start:end], kind="word",
        reason=f"'{t.word}' is {t.gain:.1f} log10 less likely here than '{t.best}' (frequency-corrected)",
        weight=round(t.suspicion, 3), suggestion=t.best,
    )
