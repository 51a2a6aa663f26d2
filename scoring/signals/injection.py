"""Injection: blocks put into an article that do not belong to it — promotional paragraphs ("Limited offer:
40% off designer watches, free delivery at shop.example"), unrelated headlines or lists of them between
paragraphs, paragraphs about something else, link-dense blocks and repeated blocks.

Each block is judged by
- promotional wording (prices, discounts, "free delivery", "limited offer", calls to action, web addresses);
- its topic against the rest of the page: cosine of its content-word counts with those of all other blocks,
  each word weighted by its surprisal under the language model's unigram distribution, so that rare
  topical words ("bushfire", "Goulburn") decide and common ones ("year", "people") barely count;
- its shape between the article's paragraphs: short, unpunctuated lines (headlines), lists of them, link
  density (after the last paragraph, a list of headlines is the site's own related-stories chrome);
- repetition of a paragraph-length block, and what the DOM says (ad/sponsored/related containers).
Chrome that the boilerplate signal explains (menus, share bars, comment forms) is left to it. The page's raw
measurement is the sum of the squared block scores, each weighted by how foreign the block is to the rest
of the page (`Topic.weight`; one injected foreign block ~ 1). Real article pages put their own "Read more:"
links, subscription pitches and deal boxes inside the article; those are on the page's topic, while what a
content farm pushes in comes from elsewhere. Measured on the real pages' development half (bench/realpages,
74 English pages, injection at the middle strength): ROC-AUC 0.884 -> 0.994 and recall at 1% FPR 1% -> 85%
(unweighted -> weighted; `off_topic_floor` 0.1 and `page_weight_ramp` 0.4-0.8 sit on a plateau of 15 pairs
tried, ramps 0.3-0.9, floors 0.05-0.2, all within 0.004 AUC). Subheadings (<h2>-<h6>) are the article's own
structure, not injected headlines.
"""
from __future__ import annotations

import functools
import itertools
import math
import re
import statistics
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from ..document import Block, Document
from ..memo import Memo
from ..report import Evidence, SignalResult
from .base import ScoringContext
from .blocks import (CHROME_SCORE, CLOSERS, Cue, CueSet, block_chrome, block_tokens, in_embedded_post, introduced_items,
                     rx, strongest_hint)
from .spin import STOPWORDS
from .stats import noisy_or, strongest

# Promotional wording. Weights are combined as independent pieces of evidence (1 - prod(1 - w)).
PROMO_CUES = (
    Cue("discount", rx(r"\b\d{1,2}\s?%\s*off\b", r"\bsave (?:up to )?\d{1,2}\s?%", r"\bup to \d{1,2}\s?%\s*(?:off|discount)",
                        r"\bhalf[- ]price\b", r"\bdiscount(?:ed|s)?\b", r"\bcoupons?\b", r"\bpromo(?:tional)? codes?\b",
                        r"\bclearance\b", r"\b(?:flash|mega|summer|winter|black friday) sale\b", r"\bon sale\b"), 0.5,
        keys="save half discount discounted discounts coupon coupons promo promotional clearance sale", marks=("%",),
        needs="half+price discount discounted discounts coupon coupons promo/promotional+code/codes clearance "
              "sale+flash/mega/summer/winter/friday/on"),
    Cue("price", rx(r"[$€£¥]\s?\d[\d,.]*(?!\s*(?:million|billion|trillion|bn|m)\b)", r"\bonly \d[\d,.]*\s?(?:usd|eur|gbp|dollars|euros)\b",
                     r"\b\d+[.,]\d\d\s?(?:usd|eur|gbp)\b"), 0.35, specific=False,
        keys="usd eur gbp dollars euros", marks=("$", "€", "£", "¥")),
    Cue("free delivery", rx(r"\bfree (?:shipping|delivery|returns|trial|gift|samples?|consultation|quote|estimate)\b"), 0.6,
        keys="free"),
    Cue("limited offer", rx(r"\blimited[- ](?:time )?(?:offer|deal|stock|edition)s?\b",
                             r"\b(?:special|exclusive|today'?s|amazing|unbeatable) (?:offer|deal|price)s?\b",
                             r"\b(?:today|this week(?:end)?) only\b", r"\bwhile (?:stocks|supplies) last\b",
                             r"\bdon'?t miss (?:out|this)\b", r"\bhurry\b", r"\bact (?:now|fast)\b", r"\bbest (?:price|deal)s?\b",
                             r"\blowest prices?\b", r"\bbuy (?:one|1),? get\b", r"\bmoney[- ]back guarantee\b",
                             r"\bno (?:credit )?card (?:needed|required)\b", r"\brisk[- ]free\b", r"\bcancel (?:at )?any ?time\b",
                             r"\bfor the price of (?:one|two)\b",
                             # (not "he is under no obligation to": a news sentence, postlight/parser's cnn.com page)
                             r"(?<!\bunder )\bno (?:obligation|strings attached|hidden (?:fees|costs))\b",
                             r"\bsatisfaction guaranteed\b"), 0.6,
        keys="limited offer offers deal deals price prices only while miss hurry act best lowest buy money card risk "
             "cancel obligation strings hidden guaranteed",
        needs="limited special/exclusive/today/todays/amazing/unbeatable+offer/offers/deal/deals/price/prices "
              "only+today/week/weekend while+last miss hurry act+now/fast best+price/prices/deal/deals lowest buy+get "
              "money+guarantee card+needed/required risk+free cancel+any/anytime price+of obligation strings+attached "
              "hidden+fees/costs satisfaction+guaranteed"),
    Cue("call to action", rx(r"\b(?:buy|shop|order|book|call|click|tap|download|subscribe|sign up|join|register|try|get|grab|"
                              r"claim|visit|discover|apply|upgrade) (?:it |yours |one )?(?:now|today|here|online)\b",
                              r"\bclick (?:here|the link|below|through)\b", r"\bvisit (?:our (?:store|shop|website|site)|us at)\b",
                              r"\bshop (?:the|our) \w+", r"\border (?:yours|your \w+)\b", r"\bcheck out (?:our|the latest)\b",
                              r"\b(?:learn|find out) more at\b", r"\bavailable (?:now )?at\b[^.]{0,40}\.(?:com|net|shop|store)\b"),
        0.55, keys="now today here online click visit shop order check more available",
        needs="now/today/here/online+buy/shop/order/book/call/click/tap/download/subscribe/sign/join/register/try/get/"
              "grab/claim/visit/discover/apply/upgrade click visit shop order+your/yours check+out learn/find+more+at "
              "available+at+com/net/shop/store"),
    Cue("web address", rx(r"\b(?:https?://|www\.)\S+", r"\b[a-z0-9][a-z0-9-]{1,40}\.(?:com|net|org|info|shop|store|biz|online|"
                                                        r"deals|site|xyz|club|app|co\.uk|io|example)\b"), 0.4, specific=False,
        keys="http https www com net org info shop store biz online deals site xyz club app uk io example"),
    Cue("shopping words", rx(r"\b(?:shoppers?|bestsellers?|checkout|in stock|brand[- ]new|bargains?|cheap(?:est)?|"
                              r"(?:designer|luxury) (?:watches|bags|handbags|shoes|sunglasses|jewell?ery)|"
                              r"(?:new|latest) collection|great deals?|top brands?|online store|web ?shop)\b"), 0.35,
        specific=False, keys="shopper shoppers bestseller bestsellers checkout stock brand brands bargain bargains cheap "
                             "cheapest designer luxury collection deal deals online web webshop",
        needs="shopper shoppers bestseller bestsellers checkout stock+in brand+new bargain bargains cheap cheapest "
              "designer/luxury+watches/bags/handbags/shoes/sunglasses/jewellery/jewelry collection+new/latest "
              "deal/deals+great brand/brands+top store+online shop+web webshop"),
    Cue("sponsored label", rx(r"^(?:sponsored|advertisement|ad|promoted|partner content|paid (?:post|content))\b"), 0.5),
    Cue("sponsored label", rx(r"\bsponsored by\b", r"\bin partnership with\b", r"\baffiliate link\b"), 0.5,
        keys="sponsored partnership affiliate"),
    Cue("imperative opening", rx(r"(?:^|[.!?]\s+)(?:buy|shop|order|grab|claim|hurry|save|treat yourself|upgrade|"
                                  r"get (?:yours|the|your|a|up|\d)|discover (?:our|the)|try (?:our|it)|book (?:now|your|today)|"
                                  r"sign up|subscribe|join (?:now|today|us|our)|use (?:code|promo|coupon))\b"), 0.35,
        keys="buy shop order grab claim hurry save treat upgrade get discover try book sign subscribe join use"),
    Cue("sales question", rx(r"^(?:want|looking|need|tired of|struggling|searching|ready)\b[^.?!]{0,60}\?"), 0.35),
)
_PROMO_CUE_SET = CueSet(PROMO_CUES)
HINT_WEIGHTS = {
    **dict.fromkeys(("ad", "ads", "advert", "adverts", "advertisement", "advertising", "adsbygoogle", "sponsored",
                     "sponsor", "promo", "promoted", "promotion", "dfp", "gpt", "outbrain", "taboola", "affiliate",
                     "commercial"), 0.5),
    **dict.fromkeys(("related", "recommended", "recommendations", "teaser", "teasers", "trending", "popular",
                     "partner", "partners", "more-stories"), 0.3),
}
_END_PUNCT = re.compile(rf"[.!?;:…]{CLOSERS}$")
# An interview's "Q: ..." / "A: Trip to Disney World" lines are dialogue, not headlines (an interview page was
# the top injection false alarm of the real pages' development half).
_SPEAKER_LABEL = re.compile(r"(?:Q|A)\s?[:.\-–—]\s")
# A block that is all quotation, and the line naming who said it: "— Jane Roe" or "Larry Magid, Forbes" under
# a testimonial or a pull quote, not a pasted headline
_QUOTATION = re.compile(r"^[\"“”«„'‘].*[\"“”»'’][.!?]?$", re.S)
_ATTRIBUTION = re.compile(r"^(?:[-–—~]\s*\w.*|(?-i:[A-Z])[\w.'’-]*(?:\s+(?-i:[A-Z])[\w.'’-]*){0,3},\s+\S.*)$")
_STRONG_PROMO = frozenset(("discount", "price", "free delivery", "limited offer", "shopping words", "sponsored label"))


@dataclass
class BlockInjection:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    cues: set[str] = field(default_factory=set)
    topic_cosine: float | None = None   # against the rest of the page (None: too few content words)

    def add(self, weight: float, cue: str, reason: str | None = None) -> None:
        if weight <= 0:
            return
        self.score = noisy_or(self.score, weight)
        self.cues.add(cue)
        reason = reason or cue
        if reason not in self.reasons:
            self.reasons.append(reason)


# -- topic -------------------------------------------------------------------------------------------------------
def content_words(tokens: list[str]) -> list[str]:
    """Content words for topic comparison: no function words, no numbers; plural -s folded."""
    # (a page repeats most of its words: a cached lookup per token in C instead of the tests, 3x faster)
    return list(filter(None, _CONTENT_WORD.all(tokens)))


def _content_word(token: str) -> str:
    """The token as a content word (`content_words`), or "" when it is none."""
    if len(token) < 3 or token in STOPWORDS or not token[0].isalpha():
        return ""
    if len(token) > 4 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


_CONTENT_WORD = Memo(_content_word, 65536)


def _word_surprisal(lm, word: str) -> float:
    """-log10 P(word) under one LM's unigram distribution (topical words: 5-7, "year": ~3)."""
    return -lm.score_line(word, bos=False, eos=False)


@dataclass
class Topic:
    """How each block relates to the rest of the page (NaN/0 where a block has too few content words)."""
    cosine: np.ndarray     # weighted cosine of the block's content words with all other blocks'
    novelty: np.ndarray    # share of the block's rare-word mass found in no other block
    counts: np.ndarray     # content words per block
    score: np.ndarray      # combined off-topic score in [0, 1] (a block cue)
    weight: np.ndarray     # how much of a block's injection score counts for the page, in [off_topic_floor, 1]


# -- per block ----------------------------------------------------------------------------------------------------
_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to with vs via".split())


TITLE_CASE_MIN_WORDS = 3   # words (other than _SMALL_WORDS) a line needs to read as title case ...
TITLE_CASE_SHARE = 0.8     # ... and the share of them capitalised


def _title_case(text: str) -> bool:
    """Most words capitalised, as in "Celebrity Chef Reveals Secret To Perfect Pasta"."""
    words = [w for w in text.split() if w[:1].isalpha() and w.lower() not in _SMALL_WORDS]
    return len(words) >= TITLE_CASE_MIN_WORDS and sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)


@dataclass(kw_only=True, eq=False)
class InjectionSignal:
    name: ClassVar[str] = "injection"
    # -- the page measurement and its evidence
    flag_score: float = 0.5             # a block is shown as evidence from this score
    min_block_score: float = 0.1        # fainter doubts do not count towards the page measurement
    faint_evidence_from: float = 0.9    # page score from which blocks under flag_score are shown when none is over it
    full_confidence_words: int = 80     # page words for full confidence (a block needs a page to disagree with)
    max_evidence: int = 50              # blocks shown per page (bounds the report)
    # -- topic (`topic`): the weights and ramps below were measured on ABC news articles with a paragraph of
    # another inserted, and the page weight on the real pages' development half (module docstring)
    min_topic_words: int = 4            # content words a block needs before its topic is judged
    min_rest_words: int = 30            # ... and content words the rest of the page needs
    common_surprisal: float = 2.0       # subtracted: a word as common as "year" or "people" says nothing of the topic
    min_rarity: float = 0.25            # every content word weighs at least this much in the cosine
    novelty_prior: float = 2.0          # rare-word mass added to a block's: a few rare words alone are no novelty
    min_judged_blocks: int = 3          # blocks with a judged topic needed to know the page's typical cosine
    reliability_words: float = 8.0      # a block's cosine is 1 - 1/e reliable at this many content words
    off_topic_ramp: tuple[float, float] = (0.6, 0.9)  # topic disagreement: no evidence below, full evidence above
                                        # (clean paragraphs reach 0.59 at their 95th percentile, inserted ones 0.84
                                        # in the median)
    off_topic_floor: float = 0.1        # an on-topic block counts this share of its score towards the page measurement
    page_weight_ramp: tuple[float, float] = (0.4, 0.8)  # mean of cosine lack and novelty: from on-topic (floor) to
                                        # foreign (full weight)
    max_cached_words: int = 200_000     # word surprisals kept per model (cleared when full)
    # -- block cues
    topic_weight: float = 0.5           # the most that topic disagreement alone adds to a block's score
    topic_cue_from: float = 0.2         # off-topic scores below this add nothing
    long_block_words: int = 40          # generic promotional cues fade in longer blocks
    headline_words: tuple[int, int] = (4, 16)  # a headline's length in words
    prose_min_words: int = 12           # a punctuated block this long is one of the article's paragraphs
    headline_weight: float = 0.5        # a headline-like line between paragraphs ...
    headline_off_topic_weight: float = 0.4  # ... plus this much times its off-topic score ...
    title_case_weight: float = 0.15     # ... plus this if it is in title case ...
    linked_headline_weight: float = 0.2  # ... plus this if it is mostly a link ...
    headline_list_weight: float = 0.2   # ... plus this if it is one of a list of headlines
    link_dense_share: float = 0.5       # share of a block's text in links from which it is link-dense
    link_dense_min_words: int = 5       # shorter link-dense blocks are menu items: the boilerplate signal's
    link_dense_weight: float = 0.3      # a link-dense block between paragraphs: this plus this times its link share
    repeated_min_words: int = 13        # shorter repeats are captions/titles: the boilerplate signal's
    repeated_weight: float = 0.8        # a repeated paragraph-length block
    # per model: its word surprisals (on the signal, so that Scorers never share them)
    _surprisals: dict[int, tuple[object, Memo]] = field(default_factory=dict, init=False, repr=False)  # id -> (lm, ...)

    def score(self, doc: Document, ctx: ScoringContext) -> SignalResult:
        judged = self.block_injection(doc, ctx)
        words = [len(t) for t in block_tokens(doc, ctx)]
        total_words = sum(words)
        # Sum of squared block scores, each weighted by how off-topic the block is: one clearly injected
        # off-topic block counts ~1, the page's own on-topic promos and links and many faint doubts little.
        weights = self.topic(doc, ctx).weight
        raw = float(sum((j.score * w) ** 2 for j, w in zip(judged, weights) if j.score >= self.min_block_score))
        flagged = [(b, j) for b, j in zip(doc.blocks, judged) if j.score >= self.flag_score]
        injected_words = sum(words[b.index] for b, _ in flagged)
        confidence = min(1.0, total_words / self.full_confidence_words) if total_words else 0.0
        score = ctx.calibration.score(self.name, raw) * confidence
        # Several fainter doubts can add up to a high score: then they are the evidence (no flag without it).
        shown = flagged or ([(b, j) for b, j in zip(doc.blocks, judged) if j.score >= self.min_block_score]
                            if score >= self.faint_evidence_from else [])
        evidence = [
            Evidence(start=b.start, end=b.end, text=b.text, kind="block", weight=round(j.score, 3),
                     reason="; ".join(j.reasons))
            for b, j in strongest(shown, lambda bj: bj[1].score, self.max_evidence, lambda bj: bj[0].start)
        ]
        features = {"raw": raw, "blocks": float(len(doc.blocks)), "injected_blocks": float(len(flagged)),
                    "injected_word_share": injected_words / total_words if total_words else 0.0,
                    "max_block": max((j.score for j in judged), default=0.0)}
        return SignalResult(self.name, score, evidence, features, confidence)

    # -- topic ---------------------------------------------------------------------------------------------------
    def surprisal(self, lm) -> Memo:
        """The model's word surprisals, cached on the signal."""
        found = self._surprisals.get(id(lm))
        if found is None or found[0] is not lm:
            found = self._surprisals[id(lm)] = (lm, Memo(functools.partial(_word_surprisal, lm), self.max_cached_words))
        return found[1]

    def topic(self, doc: Document, ctx: ScoringContext) -> Topic:
        """Topic agreement of every block with the rest of the page (cached per page in the context).

        Two measurements, each weighted by word surprisal under the LM: the cosine of the block's content-word
        counts with those of the rest of the page, taken relative to the page's median block (so that a page
        whose paragraphs share little, like a list of quotes, is not suspicious throughout), and the novelty of
        its rare words. Measured on 300 ABC news articles with one paragraph from another article inserted
        (page-level ROC-AUC of the strongest block): cosine 0.918, novelty 0.909, their mean 0.933.
        """
        if ctx.page.topic is None:
            ctx.page.topic = self._topic(doc, ctx)
        return ctx.page.topic

    def _topic(self, doc: Document, ctx: ScoringContext) -> Topic:
        words_per_block = [content_words(t) for t in block_tokens(doc, ctx)]
        n = len(doc.blocks)
        counts = np.array([len(w) for w in words_per_block], dtype=np.int64)
        nan, zeros = np.full(n, np.nan), np.zeros(n)
        if n < 2 or counts.sum() == 0:
            return Topic(nan, zeros, counts, zeros.copy(), np.full(n, self.off_topic_floor))
        cosine, novelty = self._cosine_and_novelty(words_per_block, counts, self.surprisal(ctx.lm))
        valid = (counts >= self.min_topic_words) & (counts.sum() - counts >= self.min_rest_words) & np.isfinite(cosine)
        cosine[~valid] = np.nan
        novelty[~valid] = 0.0
        score = np.zeros(n)
        lack = np.full(n, 0.5)  # unknown: half
        if valid.sum() >= self.min_judged_blocks:
            # (statistics.median of a few dozen floats: np.median's overhead is ~20x its work here; both take the
            # middle value or the mean of the two middle ones, (a + b) / 2)
            typical = float(statistics.median(cosine[valid].tolist()))
            if typical > 0:
                lack = np.clip((typical - np.nan_to_num(cosine, nan=typical)) / typical, 0.0, 1.0)
                reliability = 1.0 - np.exp(-counts / self.reliability_words)
                agreement = np.where(valid, (lack ** 2 * reliability + novelty) / 2.0, 0.0)
                lo, hi = self.off_topic_ramp
                score = np.clip((agreement - lo) / (hi - lo), 0.0, 1.0)
                lack = np.where(valid, lack, 0.5)
        lo, hi = self.page_weight_ramp
        strangeness = (lack + novelty) / 2.0
        floor = self.off_topic_floor
        weight = floor + (1.0 - floor) * np.clip((strangeness - lo) / (hi - lo), 0.0, 1.0)
        return Topic(cosine, novelty, counts, score, weight)

    def _cosine_and_novelty(self, words_per_block: list[list[str]], counts: np.ndarray, surprisal: Memo
                            ) -> tuple[np.ndarray, np.ndarray]:
        """Per block: the surprisal-weighted cosine of its content words with the rest of the page's, and the
        share of its rare-word mass that no other block has."""
        n = len(words_per_block)
        # each word's id in order of first occurrence, with C-level passes (a generator a word cost ~0.1 ms a page)
        words = list(itertools.chain.from_iterable(words_per_block))
        vocab = dict(zip(dict.fromkeys(words), itertools.count()))
        ids = np.fromiter(map(vocab.__getitem__, words), dtype=np.int64, count=len(words))
        v = len(vocab)
        block_of = np.repeat(np.arange(n), counts)
        surprisals = np.array(surprisal.all(list(vocab)), dtype=np.float64)
        rarity = np.maximum(surprisals - self.common_surprisal, 0.0)
        w2 = np.maximum(rarity, self.min_rarity) ** 2
        # cosine with the rest of the page: b.(T - b) / (|b| |T - b|), T = the page's term counts
        total = np.bincount(ids, minlength=v).astype(np.float64)
        total_norm2 = float(np.sum(total ** 2 * w2))
        b_dot_total = np.bincount(block_of, weights=total[ids] * w2[ids], minlength=n)
        pairs, pair_counts = np.unique(block_of * v + ids, return_counts=True)
        pair_block, pair_word = pairs // v, pairs % v
        b_norm2 = np.bincount(pair_block, weights=pair_counts ** 2 * w2[pair_word], minlength=n)
        rest_norm2 = total_norm2 - 2 * b_dot_total + b_norm2
        with np.errstate(invalid="ignore", divide="ignore"):
            cosine = (b_dot_total - b_norm2) / np.sqrt(b_norm2 * rest_norm2)
        # novelty: rare-word mass of the block that no other block has
        blocks_with_word = np.bincount(pair_word, minlength=v)
        only_here = blocks_with_word[pair_word] == 1
        novel = np.bincount(pair_block, weights=rarity[pair_word] * only_here, minlength=n)
        shared = np.bincount(pair_block, weights=rarity[pair_word] * ~only_here, minlength=n)
        return cosine, novel / (novel + shared + self.novelty_prior)

    # -- per block -----------------------------------------------------------------------------------------------
    def block_injection(self, doc: Document, ctx: ScoringContext) -> list[BlockInjection]:
        """Injection score and reasons for every block."""
        blocks = doc.blocks
        chrome = block_chrome(doc, ctx)
        tokens = block_tokens(doc, ctx)
        words = [len(t) for t in tokens]
        out = [BlockInjection() for _ in blocks]
        if not blocks:
            return out
        page_topic = self.topic(doc, ctx)
        cos, off_topic = page_topic.cosine, page_topic.score
        prose = [i for i, (b, n) in enumerate(zip(blocks, words)) if self._is_prose(b, n)]
        first_prose, last_prose = (prose[0], prose[-1]) if prose else (len(blocks), -1)
        headline = [self._is_headline(b, n) for b, n in zip(blocks, words)]
        # headlines or links under a sentence of the article ending in a colon are its own list
        listable = [h or self._is_link_dense(b, n) for h, b, n in zip(headline, blocks, words)]
        listed = introduced_items(blocks, words, chrome, listable.__getitem__)
        seen: dict[str, int] = {}

        for i, (b, n, inj) in enumerate(zip(blocks, words, out)):
            inj.topic_cosine = None if math.isnan(cos[i]) else float(cos[i])
            if chrome[i].back_matter:  # the article's references and links: not judged
                continue
            self._promo_cues(b, n, inj, ctx)
            if in_embedded_post(b):  # a quoted post: judged by what it sells, not by its shape or topic
                continue
            if off_topic[i] >= self.topic_cue_from:
                # Lexical topic alone is weak evidence: short news paragraphs (quotes, asides) often share no word
                # with the rest of the article. It corroborates the other cues.
                inj.add(self.topic_weight * off_topic[i], "off-topic",
                        f"off-topic: {page_topic.novelty[i]:.0%} of its rare words occur "
                        f"nowhere else on the page (cosine with the rest {cos[i]:.2f})")
            # Only what sits between the article's paragraphs is judged by its shape: a list of headlines or links
            # after the last paragraph is the site's own "More stories" rail, chrome that every site has (the
            # top injection false alarm of the real pages' development half was one).
            between = first_prose < i < last_prose
            in_list = (i > 0 and headline[i - 1]) or (i + 1 < len(blocks) and headline[i + 1])
            # an on-topic item of a bulleted list without links is the article's own list, not pasted headlines
            own_item = (b.kind == "list_item" and b.link_density < self.link_dense_share
                        and off_topic[i] < self.topic_cue_from)
            attribution = i > 0 and bool(_QUOTATION.match(blocks[i - 1].text) and _ATTRIBUTION.match(b.text))
            if headline[i] and between and not own_item and not attribution and i not in listed:
                # a headline among the article's paragraphs, off-topic or link-dense
                strength = (self.headline_weight + self.headline_off_topic_weight * off_topic[i]
                            + (self.title_case_weight if _title_case(b.text) else 0.0)
                            + (self.linked_headline_weight if b.link_density >= self.link_dense_share else 0.0))
                if in_list:
                    inj.add(strength + self.headline_list_weight, "headline",
                            "one of a list of headlines inside the article")
                else:
                    inj.add(strength, "headline", "headline-like line between paragraphs")
            if self._is_link_dense(b, n) and between and not chrome[i].score >= CHROME_SCORE and i not in listed:
                inj.add(self.link_dense_weight + self.link_dense_weight * b.link_density, "link-dense",
                        f"link-dense block ({b.link_density:.0%} of its text is links)")
            if n >= self.repeated_min_words and b.kind not in ("title", "heading", "caption"):
                key = " ".join(tokens[i])
                if key in seen:
                    inj.add(self.repeated_weight, "repeated", f"repeats the block at {blocks[seen[key]].start}")
                else:
                    seen[key] = i
            hint, w = strongest_hint(b.hints, HINT_WEIGHTS)
            if w:
                inj.add(w if inj.score else w / 2, "dom hint", f"inside an '{hint}' element")
            # Leave page chrome to the boilerplate signal unless the block also sells something.
            if chrome[i].score >= CHROME_SCORE and not inj.cues & _STRONG_PROMO:
                inj.score *= 1.0 - chrome[i].score
        return out

    def _is_link_dense(self, block: Block, words: int) -> bool:
        return block.link_density >= self.link_dense_share and words >= self.link_dense_min_words

    def _is_headline(self, block: Block, words: int) -> bool:
        lo, hi = self.headline_words
        return lo <= words <= hi and block.kind not in ("title", "heading", "caption", "table") \
            and not _END_PUNCT.search(block.text) and not _SPEAKER_LABEL.match(block.text)

    def _is_prose(self, block: Block, words: int) -> bool:
        return words >= self.prose_min_words and bool(_END_PUNCT.search(block.text))

    def _promo_cues(self, block: Block, words: int, inj: BlockInjection, ctx: ScoringContext) -> None:
        fade = 1.0 if words <= self.long_block_words else self.long_block_words / words
        for cue in _PROMO_CUE_SET.matches(block.text, ctx):
            inj.add(cue.weight if cue.specific else cue.weight * fade, cue.reason)
