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

import itertools
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np

from ..document import Document, Sentence
from ..report import Evidence, SignalResult
from . import rewrites
from .base import ScoringContext
from .stats import load_weights, logistic, mixture_log_likelihood_ratios, strongest

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

# Per-word evidence combined by logistic regression: log-odds that a content word was swapped in by a
# spinner. FEATURES names the columns `trials` computes; the weights are fitted for the default model on
# development data by `python -m bench.fit_spin --write` (bench/fit_spin.py says on what), which stores them
# with their provenance in scoring/data/spin_weights.json. PRIOR_ODDS is the swapped:kept ratio of the fitting
# words; the weights' log-odds include it and the page statistic divides it out.
FEATURES = (
    "oov", "unigram", "has_synonyms", "gain", "raw_gain", "max_unigram_gap", "logprob", "backoff_unigram",
    "backoff_bigram", "next_logprob", "next_backoff_unigram", "next_backoff_bigram", "pmi", "gain_over_1",
    "gain_over_2", "log_count", "singleton", "synonym_on_page", "bias",
)


WEIGHTS, PRIOR_ODDS = load_weights(Path(__file__).resolve().parent.parent / "data" / "spin_weights.json", FEATURES,
                                   "python -m bench.fit_spin --write")


def _load_tortured_phrases(path: Path) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """first token -> [(phrase tokens, the established term it replaced)], longest phrases first.

    A line is `spun phrase<TAB>established term<TAB>source key` (the key names a reference in the file's
    header; a two-column line has none). The source is provenance for the catalogue's readers and checks
    (bench.check_tortured, tests/test_tortured_catalogue.py): it does not change what is matched."""
    from ..normalize import tokenize

    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            columns = line.split("\t")
            if len(columns) not in (2, 3) or not columns[1].strip() or (len(columns) == 3 and not columns[2].strip()):
                raise ValueError(f"{path}:{n}: expected 'phrase<TAB>established term[<TAB>source]', got {line!r}")
            phrase, original = columns[0], columns[1]
            tokens = tuple(tokenize(phrase))
            if not tokens:
                raise ValueError(f"{path}:{n}: the phrase {phrase!r} has no tokens")
            table.setdefault(tokens[0], []).append((tokens, original.strip()))
    for options in table.values():
        options.sort(key=lambda o: -len(o[0]))
    return table


TORTURED_PHRASES = _load_tortured_phrases(Path(__file__).resolve().parent.parent / "data" / "tortured_phrases.tsv")


@dataclass
class TorturedPhrase:
    sentence: Sentence
    first: int            # token indices [first, last]
    last: int
    original: str


def tortured_phrases(doc: Document) -> list[TorturedPhrase]:
    """Catalogued tortured phrases on the page ("counterfeit consciousness" for artificial intelligence)."""
    found = []
    for sent in doc.sentences:
        tokens, resume = sent.tokens, 0
        for i in [i for i, token in enumerate(tokens) if token in TORTURED_PHRASES]:  # the tokens that start one
            if i < resume:  # inside the previous phrase
                continue
            for phrase, original in TORTURED_PHRASES[tokens[i]]:
                if tuple(tokens[i:i + len(phrase)]) == phrase:
                    found.append(TorturedPhrase(sent, i, i + len(phrase) - 1, original))
                    resume = i + len(phrase)
                    break
    return found


def in_tortured_phrases(words: list["WordTrial"], phrases: list[TorturedPhrase]) -> tuple[np.ndarray, int]:
    """Which trial words lie in a catalogued tortured phrase (a mask), and how many of the phrases' words were
    not on trial."""
    in_phrase = {(id(p.sentence), i) for p in phrases for i in range(p.first, p.last + 1)}
    if not in_phrase:
        return np.zeros(len(words), dtype=bool), 0
    mask = np.array([(id(t.sentence), t.index) in in_phrase for t in words], dtype=bool)
    return mask, len(in_phrase) - int(mask.sum())


@dataclass(slots=True)
class WordTrial:
    sentence: Sentence
    index: int            # token index in the sentence
    word: str
    best: str             # the synonym that fits best here ("" if none was tried)
    gain: float           # frequency-corrected log10 gain of `best` over `word` in this context
    oov: bool
    log_odds: float = 0.0  # that the word was spun

    @property
    def probability(self) -> float:
        return logistic(self.log_odds)


class _Candidates:
    """word -> ((synonym in the word's inflection, unigram log10 P(synonym) - log10 P(word)), ...), cached (tuples,
    not lists: they leave the garbage collector's tracking, and a crawl's caches hold tens of thousands)."""

    def __init__(self, lm, synonyms: Mapping[str, Sequence[str]], *, max_candidates: int, max_cached_words: int):
        self.lm = lm
        self.synonyms = synonyms
        self.max_candidates = max_candidates
        self.max_cached_words = max_cached_words
        self._cache: dict[str, tuple[tuple[tuple[str, float], ...], tuple[str, ...]]] = {}  # see `_entry`
        self._unigram: dict[str, float] = {}
        self._info: dict[str, tuple] = {}  # see `info`

    def unigram(self, word: str) -> float:
        u = self._unigram.get(word)
        if u is None:
            u = self._unigram[word] = self.lm.score_line(word, bos=False, eos=False)
        return u

    def known(self, word: str) -> bool:
        return not self.lm.is_oov(word)

    def info(self, word: str) -> tuple:
        """(unknown to the LM, candidates, unigram log10 P, largest unigram gap, the trial's words as str,
        the same as UTF-8 bytes, all its synonyms' forms) of a word, cached. A trial's words are (word,
        [(candidate, candidate as the window scorer takes it, unigram gap)]); the synonyms are all those the
        candidates are the commonest `max_candidates` of (for "a synonym is on the page")."""
        found = self._info.get(word)
        if found is None:
            oov = not self.known(word)
            options, forms = ((), ()) if oov else self._entry(word)
            found = (oov, options, 0.0 if oov else self.unigram(word), max((g for _, g in options), default=0.0),
                     (word, tuple((c, c, g) for c, g in options)),
                     (word.encode(), tuple((c, c.encode(), g) for c, g in options)), forms)
            if len(self._info) >= self.max_cached_words:  # a long crawl meets words without end: stay bounded
                self._info.clear()
            self._info[word] = found
        return found

    def __call__(self, word: str) -> tuple[tuple[str, float], ...]:
        return self._entry(word)[0]

    def _entry(self, word: str) -> tuple[tuple[tuple[str, float], ...], tuple[str, ...]]:
        """(candidates, all synonym forms) of a word, cached."""
        found = self._cache.get(word)
        if found is None:
            forms = self.synonym_forms(word)
            found = self._cache[word] = (self._rank(word, forms), forms)
        return found

    def synonym_forms(self, word: str) -> tuple[str, ...]:
        """The word's synonyms in its inflection that the LM knows (function words aside): the candidates before
        the cut to the commonest `max_candidates`."""
        if word in STOPWORDS or len(word) < 3 or not word.isalpha() or not self.known(word):
            return ()
        forms: dict[str, None] = {}
        for base, inflect in _base_forms(word):
            for syn in self.synonyms.get(base, ()):
                cand = inflect(syn)
                if cand and cand != word and cand not in STOPWORDS and self.known(cand):
                    forms[cand] = None
            if forms:
                break
        return tuple(forms)

    def _rank(self, word: str, forms: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
        """The commonest `max_candidates` of the forms, with their unigram gap to the word."""
        if not forms:
            return ()
        u_word = self.unigram(word)
        scored = sorted(((self.unigram(c), c) for c in forms), reverse=True)[:self.max_candidates]
        return tuple((c, u - u_word) for u, c in scored)


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


def _is_content(doc: Document, sent: Sentence, i: int, word: str) -> bool:
    """A lowercase content word: no function word, no number, no name (capitalised inside a sentence)."""
    if word in STOPWORDS or len(word) < 3 or not word.isalpha():
        return False
    return i == 0 or not doc.text[sent.spans[i][0]].isupper()


def _feature_matrix(values: list[tuple], at: list[int], all_logprobs: list[np.ndarray],
                    all_orders: list[np.ndarray]) -> np.ndarray:
    """The `FEATURES` columns of the words on trial, from their per-word values (`SpinSignal.trials`) and their
    positions `at` in the page's token scores (the sentences' `all_logprobs`/`all_orders` end to end).
    The clip bounds are part of the features' definition: the fitted weights depend on them."""
    features = np.empty((len(values), len(FEATURES)), dtype=np.float64)
    if not values:
        return features
    where = np.array(at)
    page_logprobs, page_orders = np.concatenate(all_logprobs), np.concatenate(all_orders)
    lp, order = page_logprobs[where], page_orders[where]
    next_lp, next_order = page_logprobs[where + 1], page_orders[where + 1]
    # (np.fromiter over the values end to end: np.array of the row tuples costs 2-3x as much)
    v = np.fromiter(itertools.chain.from_iterable(values), dtype=np.float64, count=len(values) * len(values[0]))
    v = v.reshape(len(values), len(values[0]))
    oov, unigram, has, gain = v[:, 0], v[:, 1], v[:, 2] > 0, v[:, 3]
    features[:, 0] = oov
    features[:, 1] = unigram
    features[:, 2] = has
    features[:, 3] = np.clip(gain, -3, 5)
    features[:, 4] = np.clip(v[:, 4], -3, 5)
    features[:, 5] = np.clip(v[:, 5], -3, 5)
    features[:, 6] = np.maximum(lp, -8.0)
    features[:, 7] = order == 1
    features[:, 8] = order == 2
    features[:, 9] = np.maximum(next_lp, -8.0)
    features[:, 10] = next_order == 1
    features[:, 11] = next_order == 2
    features[:, 12] = np.where(oov > 0, 0.0, np.clip(lp - unigram, -4, 4))
    features[:, 13] = has & (gain > 1)
    features[:, 14] = has & (gain > 2)
    features[:, 15] = v[:, 6]
    features[:, 16] = v[:, 7]
    features[:, 17] = v[:, 8]
    features[:, 18] = 1.0
    return features


@dataclass(kw_only=True, eq=False)
class SpinSignal:
    name: ClassVar[str] = "spin"
    max_candidates: int = 8          # synonyms tried per word, the commonest first (by the LM's unigram probability)
    # Share of spun words assumed by the page statistic (the mixture's rho). Chosen on development data by
    # `python -m bench.fit_spin_register` (issue 12) from 0.01..0.30: the share whose mean recall at its re-chosen
    # drop threshold over WordNet/Moby/MyThes x 10/20/30% on the real pages' dev half is best in the worst case
    # over itself and its grid neighbours, losing no more than 0.005 ROC-AUC on any of them against the first
    # default 0.15. At 0.03 that recall rose from 41.2% to 50.4% and recall at 1% FPR from 77.8% to 81.7% (the
    # threshold fell from 0.999327 to 0.999185, 0.999182 once the model was rebuilt after the same session's
    # segmentation change; every ROC-AUC held or rose). A smaller share weighs a few strongly swapped words more
    # than many mildly unlikely ones, which rare-but-right vocabulary produces. Any change changes the scores:
    # recalibrate the model and re-choose the thresholds.
    spun_share: float = 0.03
    # Shrinkage of the page statistic (issue: spin by unseen thesauri): the words' mean mixture log-likelihood ratio
    # is taken over the page's words plus `shrink_words` pseudo-words of per-word ratio `shrink_to`, so that a short
    # page, whose mean is noisy, is pulled towards a typical clean page instead of standing in the clean tail on
    # one or two strongly suspect rare-but-right words (a 110-word Brown sports page set the threshold). `shrink_to`
    # is 0.75 times the median mean per-word ratio of the clean reference pages (text pseudo-pages and real
    # development pages). Both chosen, with full_confidence_words, by `python -m bench.fit_spin_shrink` on
    # development data only (it prints the figures); 0 words is the plain mean. Any change changes the scores:
    # recalibrate the model and re-choose the thresholds.
    shrink_words: float = 50.0
    shrink_to: float = -0.0161
    # The word log-odds sharpened before the page statistic averages them: pivot + scale * (log-odds - pivot), so
    # that the words' odds of being spun above the pivot weigh more (the per-word weights, fitted word by word by
    # bench.fit_spin, trusted a little more for the page decision). Chosen on development data by
    # `python -m bench.fit_spin_rare` (issue 12; it prints the figures) over pivots -1..-4 and scales 1..1.3: the
    # best worst case of the mean recall at the re-chosen drop threshold over itself and its grid neighbours,
    # losing no more than 0.005 ROC-AUC nor one page of recall at 1% FPR on any family x rate. In that scan mean
    # recall at threshold 58.8% -> 60.4%, at 1% FPR 90.0% -> 90.9% (each half of the spun pages rising); the
    # threshold rose 0.999509 -> 0.999580 (built Brown pages). Scale 1 is no change; the evidence's probabilities
    # stay the fitted ones. Any change changes the scores: recalibrate the model and re-choose the thresholds.
    log_odds_pivot: float = -3.0
    log_odds_scale: float = 1.2
    flag_probability: float = 0.5    # a word is shown as evidence from this posterior probability of being spun
    # Content words for full confidence (the score is multiplied by min(1, words / this)). 30 since the shrinkage
    # above handles a short page's noisy mean (it was 60, which hid short spun pages): chosen on development data
    # by `python -m bench.fit_spin_shrink` together with the shrinkage. Any change changes the scores: recalibrate
    # the model and re-choose the thresholds.
    full_confidence_words: int = 30
    max_evidence: int = 50
    # Sentences shorter than this are not put on trial: a line of one or two words (a list of contributors'
    # handles, a ticker strip, a label) gives a word no context to be judged in, and its unknown handles or
    # tickers read as spun (two clean pages of a sixth check set's half A were dropped for them). On the
    # development half nothing moved beyond one page (every spin ROC-AUC within 0.001; Moby 10% recall at 1% FPR
    # 62.2% -> 60.8%); recalibrated, the drop threshold rose 0.999631 -> 0.999734.
    min_sentence_tokens: int = 3
    # Trial prefilter. A word the model already expects in its context (log10 P(word | context) from the shared
    # per-token pass above `trial_logprob_cut`) is not put on trial, which saves its 1 + (up to max_candidates)
    # window scorings; its gain and raw gain are taken to be what a trial gives such words in the median
    # (`untried_gain`, `untried_raw_gain`), while its other features (synonyms, unigram gap, synonym on the page,
    # context) stay exact. `python -m bench.spin_prefilter` measures both on the real pages' development half: a
    # cut of -4 skips 61.9% of the trials, whose median gain / raw gain are -0.96 / -1.76. Chosen on that half
    # (issue 13) among -2.5..-5 as the largest cut that lowers no spin ROC-AUC or recall at 1% FPR of any family
    # and strength there once recalibrated (e.g. WordNet 10%: AUC 0.946 -> 0.947, recall 79.7% -> 83.8%; Moby
    # 10%: 0.899 -> 0.909, 27.0% -> 36.5%; -5 loses recall at 10%); the spin signal's median time on the real
    # pages fell from 5.3 to 3.2 ms. None puts every word with synonyms on trial, as the weights were fitted. Any
    # change of the cut changes the scores: recalibrate the model and re-choose the thresholds.
    trial_logprob_cut: float | None = -4.0
    untried_gain: float = -0.96
    untried_raw_gain: float = -1.76
    max_cached_words: int = 200_000  # per-word lookups kept per model and synonym table (cleared when full)
    tortured_log_odds: float = 6.0   # a catalogued tortured phrase is near-certain spin
    raw_scale: float = 10.0          # the page statistic is ~0.01..0.1 on clean text: bring it to unit scale
    # (LM, synonym table) -> their per-word lookups; on the signal, so that Scorers never share them
    _candidates: dict[tuple[int, int], _Candidates] = field(default_factory=dict, init=False, repr=False)

    def candidates(self, ctx: ScoringContext) -> _Candidates:
        """The per-word lookups (synonyms, unigram scores) for the context's model and synonym table."""
        key = (id(ctx.lm), id(ctx.synonyms))
        cands = self._candidates.get(key)
        if cands is None or cands.synonyms is not ctx.synonyms or cands.lm is not ctx.lm:
            cands = self._candidates[key] = _Candidates(ctx.lm, ctx.synonyms, max_candidates=self.max_candidates,
                                                        max_cached_words=self.max_cached_words)
        return cands

    def score(self, doc: Document, ctx: ScoringContext) -> SignalResult:
        words, features = self.trials(doc, ctx)
        phrases = tortured_phrases(doc)
        n = len(words)
        if not n and not phrases:
            return SignalResult(self.name, 0.0, [], {"raw": 0.0, "content_words": 0.0, "suspicious": 0.0}, 0.0)
        in_phrase, untried = in_tortured_phrases(words, phrases)
        log_odds = self.page_log_odds(features @ WEIGHTS if n else np.zeros(0), in_phrase, untried)
        for t, z in zip(words, log_odds[:n].tolist()):
            t.log_odds = z
        reworded = rewrites.find_rewrites(doc)
        rewrite_llr, intensity = rewrites.fit(reworded, n)
        raw = self.page_statistic(log_odds, rewrite_llr, n)
        confidence = 1.0 if phrases else min(1.0, n / self.full_confidence_words)
        # (a log-odds below the flag's is a probability below it: no need to compute it)
        flag_log_odds = math.log(self.flag_probability / (1.0 - self.flag_probability)) - 1e-6
        flagged = [t for t, phrased in zip(words, in_phrase.tolist())
                   if t.log_odds > flag_log_odds and t.probability >= self.flag_probability and not phrased]
        top = strongest(flagged, lambda t: t.log_odds, self.max_evidence, lambda t: t.sentence.spans[t.index][0])
        evidence = [_phrase_evidence(doc, p) for p in phrases] + [_evidence(doc, t) for t in top]
        evidence += [rewrites.evidence(doc, h, intensity) for h in reworded[:self.max_evidence]]
        evidence.sort(key=lambda e: e.start)
        features_out = {"raw": raw, "content_words": float(n), "suspicious": float(len(flagged)),
                        "suspicious_rate": len(flagged) / n if n else 0.0, "tortured_phrases": float(len(phrases)),
                        "checked": float(sum(bool(t.best) for t in words)), "rewrites": float(len(reworded)),
                        "rewrite_llr": rewrite_llr}
        return SignalResult(self.name, ctx.calibration.score(self.name, raw) * confidence, evidence, features_out,
                            confidence)

    def page_log_odds(self, word_log_odds: np.ndarray, in_phrase: np.ndarray, untried: int) -> np.ndarray:
        """The log-odds the page statistic averages: the trial words' (a word of a tortured phrase is near-certain
        spin), then the phrases' `untried` words (short or unknown ones), which count as spun too."""
        phrased = np.where(in_phrase, np.maximum(word_log_odds, self.tortured_log_odds), word_log_odds)
        return np.concatenate([phrased, np.full(untried, self.tortured_log_odds)])

    def sharpened(self, log_odds: np.ndarray) -> np.ndarray:
        """The log-odds the page statistic's mixture takes (see `log_odds_scale`)."""
        if self.log_odds_scale == 1.0:
            return log_odds
        return self.log_odds_pivot + self.log_odds_scale * (log_odds - self.log_odds_pivot)

    def page_statistic(self, log_odds: np.ndarray, rewrite_llr: float, content_words: int) -> float:
        """The report's raw statistic: the mean log-likelihood ratio of "a share spun_share of the words is spun"
        vs "clean" over the words' log-odds (sharpened: `log_odds_scale`; a tortured phrase's untried words
        included) and `shrink_words` pseudo-words of ratio `shrink_to`, plus the phrase rewrites' ("due to the
        fact that") log-likelihood ratio against clean text per content word, times raw_scale. bench/fit_spin_register and bench/fit_spin_shrink
        recompute it for other shares and shrinkages from the same arguments."""
        ratios = mixture_log_likelihood_ratios(self.sharpened(log_odds), PRIOR_ODDS, self.spun_share)
        llr = (float(np.sum(ratios)) + self.shrink_words * self.shrink_to) / (len(ratios) + self.shrink_words)
        llr += rewrite_llr / max(content_words, 1)
        return self.raw_scale * llr

    def trials(self, doc: Document, ctx: ScoringContext) -> tuple[list[WordTrial], np.ndarray]:
        """Every content word of the page with its best synonym, and the matrix of its features (`FEATURES`).

        The LM's window scorings are the only real work: everything per word that does not depend on its
        context (known, synonyms, unigram) is looked up once per model (`_Candidates.info`), and the feature
        columns are assembled with numpy after the loop."""
        cands = self.candidates(ctx)
        info, known_words = cands.info, cands._info
        # windows as UTF-8 bytes when the LM takes them (kenlm's own scorer encodes every str it gets)
        bytes_scorer = getattr(ctx.lm, "bytes_scorer", None)
        score = bytes_scorer() if bytes_scorer is not None else None
        as_bytes = score is not None
        if score is None:
            score = ctx.lm.line_scorer()
        sep = b" " if as_bytes else " "
        k = max(ctx.lm.order - 1, 1)
        text = doc.text
        counts = Counter(t for s in doc.sentences for t in s.tokens)
        on_page = counts.keys()  # "a synonym is on the page" as one C-level isdisjoint per word
        cut = self.trial_logprob_cut
        out: list[WordTrial] = []
        values: list[tuple] = []  # per word: the columns that need no LM (see below)
        at: list[int] = []        # per word: its index in the page's token scores (all sentences, </s> included)
        all_logprobs, all_orders = [], []
        offset = 0
        logs: dict[int, float] = {}
        for sent in doc.sentences:
            tokens, logprobs, orders = sent.tokens, sent.logprobs, sent.orders
            if logprobs is None:
                logprobs, orders = ctx.lm.token_scores(tokens)
            all_logprobs.append(logprobs)
            all_orders.append(orders)
            n, spans = len(tokens), sent.spans
            if n < self.min_sentence_tokens:
                offset += len(logprobs)
                continue
            words = " ".join(tokens).encode().split(b" ") if as_bytes and n else tokens  # (no token has a space)
            for i, word in enumerate(tokens):
                # a lowercase content word (`_is_content`): no function word, no number, no name
                if word in STOPWORDS or len(word) < 3 or not word.isalpha() or (i and text[spans[i][0]].isupper()):
                    continue
                found = known_words.get(word)
                if found is None:
                    found = info(word)
                oov, options, unigram, gap, as_str, as_utf8, synonyms = found
                best, gain, raw_gain = "", 0.0, 0.0
                # any synonym, not only the candidates tried: a spinner leaves the word it replaced elsewhere
                seen = bool(options) and not on_page.isdisjoint(synonyms)
                if options and cut is not None and logprobs[i] > cut:  # expected here: no trial (see above)
                    gain, raw_gain = self.untried_gain, self.untried_raw_gain
                elif options:
                    # the LM window the word can influence: order-1 words either side
                    lo, hi = max(0, i - k), min(n, i + k + 1)
                    before, after = sep.join(words[lo:i]) + sep, sep + sep.join(words[i + 1:hi])
                    bos, eos = i < k, i + k >= n
                    itself, others = as_utf8 if as_bytes else as_str
                    base = score(before + itself + after, bos, eos)
                    gain = -math.inf
                    for cand, coded, unigram_gap in others:
                        raw = score(before + coded + after, bos, eos) - base
                        if raw - unigram_gap > gain:  # corrected for mere word frequency
                            best, gain, raw_gain = cand, raw - unigram_gap, raw
                count = counts[word]
                log_count = logs.get(count)
                if log_count is None:
                    log_count = logs[count] = math.log(count)
                at.append(offset + i)
                values.append((oov, unigram, bool(options), gain, raw_gain, gap, log_count, count == 1, seen))
                out.append(WordTrial(sent, i, word, best, gain, oov))
            offset += len(logprobs)
        return out, _feature_matrix(values, at, all_logprobs, all_orders)


def _phrase_evidence(doc: Document, p: TorturedPhrase) -> Evidence:
    start, end = p.sentence.spans[p.first][0], p.sentence.spans[p.last][1]
    text = doc.text[start:end]
    return Evidence(start=start, end=end, text=text, kind="phrase", weight=1.0, suggestion=p.original,
                    reason=f"tortured phrase: '{text}' is what spinning tools make of '{p.original}'")


def _evidence(doc: Document, t: WordTrial) -> Evidence:
    start, end = t.sentence.spans[t.index]
    if t.oov:
        reason = f"'{t.word}' is unknown to the language model"
    elif t.best and t.gain > 0:
        reason = f"'{t.word}' is {t.gain:.1f} log10 less likely here than '{t.best}' (frequency-corrected)"
    else:
        reason = f"'{t.word}' fits its context poorly"
    return Evidence(
        start=start, end=end, text=doc.text[start:end], kind="word",
        reason=f"{reason}; spun with probability {t.probability:.2f}",
        weight=round(t.probability, 3), suggestion=t.best or None,
    )
