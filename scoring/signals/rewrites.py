"""Phrase rewrites for the spin signal: verbose wordings that article rewriters put in place of plain ones.

Spinners do not only swap single words: many also lengthen a text with wordy phrasings ("due to the fact that"
for "because", "in the month of October", "make use of", "was rejected by them"). Each of these is ordinary
English that clean text uses now and then, so a hit is not proof: the catalogue (scoring/data/phrase_rewrites.tsv,
cue -> plainer wording) comes with each cue's rate in clean text (scoring/data/phrase_rewrite_rates.json, counted
in the default model's reference and training text by `python -m bench.fit_rewrites --write`), and a page is
judged by whether it has more, and rarer, cues than clean text would give it.

Page statistic (`page_llr`): a generalised log-likelihood ratio. Clean: cue c occurs at its clean rate r_c per
content word. Rewritten: a rewriter adds cues at t * REWRITE_SHARE per content word, spread evenly over the
cues (delta = REWRITE_SHARE / number of cues each), for an unknown intensity t >= 0. With n content words and
the page's hits, the log-likelihood ratio (Poisson counts) is

    LLR(t) = sum over hits of log(1 + t * delta / r_c)  -  t * n * REWRITE_SHARE

and the statistic is its maximum over t, less 0.5 * log(n) for fitting t to the page (the Bayesian information
criterion's price of one parameter), and never below 0: a clean page with a cue or two, even a rare one, gets 0.
(With t free, REWRITE_SHARE cancels out of the statistic: only the evidence weights use it.) It is in nats like
the spin signal's per-word mixture statistic, to which it is added (`SpinSignal.score`: the page's total
log-likelihood ratio over its content words), so no weight is fitted.
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from ..document import Document, Sentence
from ..report import Evidence

DATA = Path(__file__).resolve().parent.parent / "data"
CUES_PATH = DATA / "phrase_rewrites.tsv"
RATES_PATH = DATA / "phrase_rewrite_rates.json"
REWRITE_SHARE = 0.03   # cues a rewriter adds per content word at intensity t = 1, all cues together (evidence weights)
RATE_PRIOR = 3.0       # pseudo-count added to every clean count: the "rule of three" 95% upper bound of a rate never seen in the
                       # clean text (clean web text may use a cue that documentation and Wikipedia never do)
WILDCARD = "*"


@dataclass(frozen=True)
class Cue:
    text: str                                # as written in the catalogue ("in a * manner")
    tokens: tuple[frozenset[str] | None, ...]  # per position: the words it matches (None: any content word)
    plain: str                               # the plainer wording (`{*}`: the word `*` matched; `{*ly}`: its adverb)
    source: str


def load_cues(path: Path = CUES_PATH) -> list[Cue]:
    """The catalogue: `cue<TAB>plainer wording<TAB>source key` lines (see the file's header)."""
    from ..normalize import tokenize

    cues, seen = [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 3 or not all(c.strip() for c in columns):
            raise ValueError(f"{path}:{n}: expected 'cue<TAB>plainer wording<TAB>source', got {line!r}")
        text, plain, source = (c.strip() for c in columns)
        tokens: list[frozenset[str] | None] = []
        for part in text.split():
            if part == WILDCARD:
                tokens.append(None)
                continue
            words = frozenset(w for alt in part.split("|") for w in tokenize(alt))
            if not words or any(len(tokenize(alt)) != 1 for alt in part.split("|")):
                raise ValueError(f"{path}:{n}: {part!r} of {text!r} is not one word (or words joined by '|')")
            tokens.append(words)
        if tokens[0] is None or tokens[-1] is None or text in seen:
            raise ValueError(f"{path}:{n}: a cue starts and ends with a word and is listed once ({text!r})")
        seen.add(text)
        cues.append(Cue(text, tuple(tokens), plain, source))
    return cues


def load_rates(path: Path = RATES_PATH) -> tuple[dict[str, int], int]:
    """({cue: hits in clean text}, content words of that text), as bench.fit_rewrites wrote them."""
    fitted = json.loads(path.read_text(encoding="utf-8"))
    return {k: int(v) for k, v in fitted["counts"].items()}, int(fitted["content_words"])


def index(cues: list[Cue]) -> dict[str, list[Cue]]:
    """first word -> the cues it can start, longest first (what `find_rewrites` looks up)."""
    by_first: dict[str, list[Cue]] = {}
    for cue in sorted(cues, key=lambda c: -len(c.tokens)):
        for word in cue.tokens[0]:  # type: ignore[union-attr]
            by_first.setdefault(word, []).append(cue)
    return by_first


def pair_index(by_first: dict[str, list[Cue]]) -> dict[str, tuple[dict[str, list[Cue]], list[Cue]]]:
    """first word -> ({second word: the cues that can start with both words}, the cues that can start with the
    first word whatever follows it (a one-word cue, a wildcard second word)), each list in `by_first`'s order.
    The next token narrows the cues tried at a token ("in" starts 31 cues, "in order" 3), with the same result."""
    pairs = {}
    for first, cues in by_first.items():
        loose = [c for c in cues if len(c.tokens) == 1 or c.tokens[1] is None]
        seconds = {w for c in cues if c not in loose for w in c.tokens[1]}  # type: ignore[union-attr]
        by_second = {w: [c for c in cues if c in loose or w in c.tokens[1]] for w in seconds}  # type: ignore[operator]
        pairs[first] = (by_second, loose)
    return pairs


CUES = load_cues()
_BY_FIRST = index(CUES)
_BY_PAIR = pair_index(_BY_FIRST)
DELTA = REWRITE_SHARE / len(CUES)  # each cue's rate added by a rewriter at intensity t = 1


@functools.lru_cache(maxsize=1)
def clean_rates() -> tuple[dict[str, int], int, dict[str, float]]:
    """({cue: hits in clean text}, content words of that text, {cue: DELTA / its clean rate}), loaded once; the
    last is the factor by which a rewriter at intensity t = 1 raises the cue's rate."""
    if not RATES_PATH.is_file():
        raise RuntimeError(f"{RATES_PATH} is missing: run `python -m bench.fit_rewrites --write`")
    counts, words = load_rates()
    missing = [c.text for c in CUES if c.text not in counts]
    if missing:
        raise RuntimeError(f"{RATES_PATH} has no clean rate for {missing[:5]}: run `python -m bench.fit_rewrites --write`")
    return counts, words, {c.text: DELTA * words / (counts[c.text] + RATE_PRIOR) for c in CUES}


@dataclass
class RewriteHit:
    sentence: Sentence
    first: int            # token indices [first, last]
    last: int
    cue: Cue
    wildcard: str = ""    # the word `*` matched

    @property
    def plain(self) -> str:
        return self.cue.plain.replace("{*ly}", adverb(self.wildcard)).replace("{*}", self.wildcard)

    @property
    def clean_per_million(self) -> float:
        counts, words, _ = clean_rates()
        return 1e6 * counts[self.cue.text] / words


def adverb(adjective: str) -> str:
    """The -ly adverb of an adjective, by the spelling rules ("quick" -> "quickly", "easy" -> "easily", "simple" ->
    "simply", "basic" -> "basically", "full" -> "fully"); an adjective in -ly ("timely") stays as it is."""
    word = adjective
    if word == "public":  # the one common exception
        return "publicly"
    if word.endswith("ly"):
        return word
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ily"
    if word.endswith("le") and len(word) > 3 and word[-3] not in "aeiou":
        return word[:-1] + "y"
    if word.endswith("ic"):
        return word + "ally"
    if word.endswith("ll"):
        return word + "y"
    return word + "ly"


def _match(cue: Cue, tokens: list[str], i: int, stopwords: frozenset[str]) -> str | None:
    """The word the cue's wildcard matched ("" if it has none) when the cue matches at token i, else None."""
    if i + len(cue.tokens) > len(tokens):
        return None
    wild = ""
    for want, token in zip(cue.tokens, tokens[i:i + len(cue.tokens)]):
        if want is None:
            if token in stopwords or len(token) < 3 or not token.isalpha():
                return None
            wild = token
        elif token not in want:
            return None
    return wild


def find_rewrites(doc: Document, cues: dict[str, list[Cue]] | None = None) -> list[RewriteHit]:
    """The page's cue hits, sentence by sentence, left to right, the longest cue first, never overlapping. A
    sentence the page repeats word for word (a teaser above the article, a paragraph shown twice) counts once:
    its phrasings are one writer's choice, not more of them."""
    from .spin import STOPWORDS

    by_pair = _BY_PAIR if cues is None else pair_index(cues)
    found = []
    seen: set[tuple[str, ...]] = set()
    for sent in doc.sentences:
        tokens = sent.tokens
        key = tuple(tokens)
        if key in seen:
            continue
        seen.add(key)
        last, resume = len(tokens) - 1, 0
        for i in [i for i, token in enumerate(tokens) if token in by_pair]:  # the tokens that start a cue
            if i < resume:  # inside the previous hit
                continue
            by_second, loose = by_pair[tokens[i]]
            for cue in by_second.get(tokens[i + 1], loose) if i < last else loose:
                wild = _match(cue, tokens, i, STOPWORDS)
                if wild is not None:
                    found.append(RewriteHit(sent, i, i + len(cue.tokens) - 1, cue, wild))
                    resume = i + len(cue.tokens)
                    break
    return found


def fit(hits: list[RewriteHit], content_words: int) -> tuple[float, float]:
    """(statistic, intensity t): max over t >= 0 of sum(log(1 + t * a_hit)) - t * content_words * REWRITE_SHARE,
    less the BIC penalty of the fitted t, 0.5 * log(content_words), and never below 0 (module docstring); t is 0
    when the statistic is."""
    if not hits or content_words <= 0:
        return 0.0, 0.0
    ratio = clean_rates()[2]
    a = [ratio[h.cue.text] for h in hits]
    cost = content_words * REWRITE_SHARE

    def slope(t: float) -> float:
        return sum(x / (1.0 + t * x) for x in a) - cost

    if slope(0.0) <= 0.0:
        return 0.0, 0.0
    # the log-likelihood is concave in t and its slope is below len(a) / t - cost: the maximum is in (0, len(a) / cost)
    lo, hi = 0.0, len(a) / cost
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if slope(mid) > 0.0 else (lo, mid)
    t = 0.5 * (lo + hi)
    llr = sum(math.log1p(t * x) for x in a) - t * cost - 0.5 * math.log(content_words)
    return (llr, t) if llr > 0.0 else (0.0, 0.0)


def page_llr(hits: list[RewriteHit], content_words: int) -> float:
    """The page statistic (`fit`)."""
    return fit(hits, content_words)[0]


def evidence(doc: Document, hit: RewriteHit, intensity: float = 0.0) -> Evidence:
    """The hit as evidence; its weight is the probability that a rewriter put it there at the page's fitted
    `intensity` (`fit`): 0 on a page with no more such phrasings than clean text."""
    start, end = hit.sentence.spans[hit.first][0], hit.sentence.spans[hit.last][1]
    text = doc.text[start:end]
    a = intensity * clean_rates()[2][hit.cue.text]
    verdict = (f"rewritten with probability {a / (1.0 + a):.2f} at this page's density of such phrasings" if a > 0
               else "not counted: the page has no more such phrasings than clean text")
    return Evidence(
        start=start, end=end, text=text, kind="rewrite", weight=round(a / (1.0 + a), 3), suggestion=hit.plain,
        reason=(f"verbose rewording: '{text}' where plain English says '{hit.plain}' (a phrasing article rewriters "
                f"add; {hit.clean_per_million:.1f} per million content words of clean text); {verdict}"))
