"""The fast paths of the hot loop (issue 13) give exactly what the plain code they replace gave: tokenising a block
once, the ASCII byte-table normalisation, the spin trials' per-word cache, bytes windows and numpy feature
columns, split's restricted case scan. Each is checked against a straightforward reference written here."""
from __future__ import annotations

import math
import random
from collections import Counter

import numpy as np
import pytest

from scoring.document import Block
from scoring.lm import load_model
from scoring.normalize import _SAME_LENGTH, TOKEN_RE, _normalise_token, tokenize_spans
from scoring.scorer import ModelBundle, page_context, score_sentences
from scoring import segment as segment_module
from scoring.segment import blocks_from_text, segment, sentences_of, split_sentences
from scoring.signals import spin as spin_module
from scoring.signals import stats
from scoring.signals.base import ScoringContext
from scoring.signals.split import _case_usage

TEXTS = [
    "The Council met on Tuesday. It approved 12 new routes, the well-known Route 66 and don't-stop buses.",
    "Quotes `like this' and ``that'' stay; C3PO, R2-D2 and 2024's 1,000,000 are tokens.",
    "Don\u2019t panic \u2014 it\u2019s \u201cfine\u201d. Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00bd \ufb01ne x\u00b2 \u2026 End.",
    "\u0130stanbul \u00df \u01c5 \u0417\u0434\u0440\u0430\u0432\u0441\u0442\u0432\u0443\u0439. \u65e5\u672c\u8a9e\u306e\u6587. Mixed ASCII after.",
    "Dr. Smith went to Washington. A. B. Jones did too! Did he? Yes.  Trailing spaces.  ",
    "no capitals at all. just words\tand tabs\u00a0and nbsp. 42 is the answer.",
    "\u00a9 2024 Caf\u00e9 \u2022 News\u2026 More\u2122 \u20ac5 \u00b0C \u2192 next. A\u00b7b x\u00a9y 1\u20ac2",
    "Emoji \U0001F600 inside wo\U0001F600rds, \u00ab quoted \u00bb and \u2039 single \u203a.",
    "",
    "...",
    "Odd spaces.\u2009Thin one.\x1cFile separator. Tab\tend.\u3000Ideographic. `Quoted.' Done 9.",
]


def reference_tokenize_spans(text: str) -> list[tuple[str, int, int]]:
    """tokenize_spans as it was: every token normalised on its own."""
    out = []
    for m in TOKEN_RE.finditer(text.translate(_SAME_LENGTH)):
        token = _normalise_token(m.group())
        if token:
            out.append((token, m.start(), m.end()))
    return out


@pytest.mark.parametrize("text", TEXTS)
def test_tokenize_spans_matches_per_token_normalisation(text):
    assert tokenize_spans(text) == reference_tokenize_spans(text)


def test_a_character_that_normalises_to_several_words_is_one_token():
    """NFKC makes four words of U+FDFA: still one token for its one character, without a space inside."""
    tokens = tokenize_spans("The prophet \ufdfa said so.")
    assert [t for t, _, _ in tokens][2:] == ["صلى-الله-عليه-وسلم", "said", "so"] and tokens[2][1:] == (12, 13)
    assert all(TOKEN_RE.fullmatch(t) for t, _, _ in tokens)


@pytest.mark.parametrize("text", TEXTS)
def test_a_block_is_tokenised_once_with_the_same_sentences(text):
    block = Block(index=3, kind="paragraph", tag="p", start=11, end=11 + len(text), text=text)
    expected = []
    for s, e in split_sentences(text):  # the sentence-by-sentence way
        tokens = reference_tokenize_spans(text[s:e])
        expected.append((11 + s, 11 + e, text[s:e], [t for t, _, _ in tokens],
                         [(11 + s + a, 11 + s + b) for _, a, b in tokens]))
    got = [(x.start, x.end, x.text, x.tokens, x.spans) for x in sentences_of(block)]
    assert got == expected
    assert all(x.block == 3 for x in sentences_of(block))


def reference_is_abbreviation(prefix: str) -> bool:
    """segment._is_abbreviation as it was: the word searched for from the start of the look-back."""
    m = segment_module._LAST_WORD.search(prefix)
    if not m:
        return False
    cased = m.group(1).rstrip(".")
    word = cased.lower()
    return (word in segment_module.ABBREVIATIONS or cased in segment_module.CAPITALISED_ABBREVIATIONS
            or (len(word) == 1 and word.isalpha()) or bool(segment_module._INITIALISM.fullmatch(word)))


def test_the_abbreviation_test_reads_the_same_word_from_the_last_space():
    # split_sentences' look-back searches for the word before a boundary from the last space before its mark:
    # the same word as a search from the start of the look-back, on strings of the characters that matter
    rng = random.Random(7)
    alphabet = "aB.!?\"')] \t\nxY1(["
    checked = 0
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))) + " Then"
        for m in segment_module._BOUNDARY.finditer(text):
            prefix = text[:m.end()]
            assert segment_module._is_abbreviation(prefix, m.start()) == reference_is_abbreviation(prefix), prefix
            checked += 1
    assert checked > 10_000


def test_token_scores_of_nothing(default_model):
    lm = load_model(default_model)
    logp, orders = lm.token_scores([], bos=False, eos=False)
    assert len(logp) == len(orders) == 0
    logp, orders = lm.token_scores([])  # only </s>
    assert len(logp) == len(orders) == 1
    assert lm.bytes_scorer()(b"the city council", True, True) == lm.score_line("the city council")


# -- spin ----------------------------------------------------------------------------------------------------------
ARTICLE = """The city council sanctioned a fresh budget on Tuesday after a prolonged argument about road repairs.
The mayor said the design would trim traffic in the midpoint and better safety for children walking to school.
Officials anticipate the first new paths to unfold in the bounce, and they hope that more people will depart their cars.
The firm that runs the bus network documented sturdy quarterly profits final month, Mr Smith said in London."""


@pytest.fixture(scope="module")
def ctx(default_model) -> ScoringContext:
    return page_context(ModelBundle.load("en", default_model))  # spin keeps nothing per page: one serves all


def scored_doc(ctx):
    doc = segment(blocks_from_text(ARTICLE))
    score_sentences(doc, ctx.lm)
    return doc


def reference_trials(doc, ctx):
    """The per-word trial loop as it was before the fast paths (every word on trial)."""
    cands = spin_module.SpinSignal().candidates(ctx)
    score = ctx.lm.line_scorer()
    k = max(ctx.lm.order - 1, 1)
    counts = Counter(t for s in doc.sentences for t in s.tokens)
    clip = stats.clip
    words, rows = [], []
    for sent in doc.sentences:
        tokens, logprobs, orders = sent.tokens, sent.logprobs, sent.orders
        n = len(tokens)
        for i, word in enumerate(tokens):
            if not spin_module._is_content(doc, sent, i, word):
                continue
            oov = not cands.known(word)
            options = [] if oov else cands(word)
            best, gain, raw_gain, gap = "", 0.0, 0.0, 0.0
            if options:
                lo, hi = max(0, i - k), min(n, i + k + 1)
                left, right = " ".join(tokens[lo:i]), " ".join(tokens[i + 1:hi])
                bos, eos = i < k, i + k >= n
                base = score(f"{left} {word} {right}", bos=bos, eos=eos)
                gain = -math.inf
                for cand, unigram_gap in options:
                    raw = score(f"{left} {cand} {right}", bos=bos, eos=eos) - base
                    if raw - unigram_gap > gain:
                        best, gain, raw_gain = cand, raw - unigram_gap, raw
                gap = max(g for _, g in options)
            unigram = 0.0 if oov else cands.unigram(word)
            lp, order, next_lp, next_order = logprobs[i], orders[i], logprobs[i + 1], orders[i + 1]
            count = counts[word]
            rows.append((
                float(oov), unigram, float(bool(options)), clip(gain, -3, 5), clip(raw_gain, -3, 5),
                clip(gap, -3, 5), max(lp, -8.0), float(order == 1), float(order == 2), max(next_lp, -8.0),
                float(next_order == 1), float(next_order == 2), 0.0 if oov else clip(lp - unigram, -4, 4),
                float(bool(options) and gain > 1), float(bool(options) and gain > 2), math.log(count),
                float(count == 1), float(any(counts[c] for c, _ in options)), 1.0,
            ))
            words.append((sent.start, i, word, best, gain, oov))
    return words, np.array(rows, dtype=np.float64).reshape(-1, len(spin_module.FEATURES))


def test_trials_equal_the_plain_loop_bit_for_bit(ctx):
    trials = spin_module.SpinSignal(trial_logprob_cut=None).trials
    doc = scored_doc(ctx)
    expected_words, expected = reference_trials(doc, ctx)
    words, features = trials(doc, ctx)
    assert [(t.sentence.start, t.index, t.word, t.best, t.gain, t.oov) for t in words] == expected_words
    assert features.shape == expected.shape and np.array_equal(features, expected)
    assert features[:, 2].sum() > 10  # words with synonyms were on trial

    class StrOnly:  # an LM without the bytes scorer: the str windows give the same
        def __init__(self, lm):
            self._lm = lm

        def __getattr__(self, name):
            if name == "bytes_scorer":
                raise AttributeError(name)
            return getattr(self._lm, name)

    plain = ScoringContext(StrOnly(ctx.lm), ctx.calibration, ctx.synonyms)
    assert np.array_equal(trials(scored_doc(ctx), plain)[1], expected)


def test_the_trial_prefilter_skips_only_expected_words(ctx):
    full_words, full = spin_module.SpinSignal(trial_logprob_cut=None).trials(scored_doc(ctx), ctx)
    cut = -2.5
    signal = spin_module.SpinSignal(trial_logprob_cut=cut)
    words, features = signal.trials(scored_doc(ctx), ctx)
    assert [t.word for t in words] == [t.word for t in full_words]
    expected = full[:, 6] > cut  # the column is max(logprob, -8): above the cut it is the logprob itself
    skipped = expected & (full[:, 2] == 1)
    assert 0 < skipped.sum() < (full[:, 2] == 1).sum()
    gains = [spin_module.FEATURES.index(f) for f in ("gain", "raw_gain", "gain_over_1", "gain_over_2")]
    others = [i for i in range(len(spin_module.FEATURES)) if i not in gains]
    assert np.array_equal(features[:, others], full[:, others])  # synonyms, gap, context: exact
    assert np.array_equal(features[~skipped], full[~skipped])
    assert np.all(features[skipped, gains[0]] == signal.untried_gain)
    assert np.all(features[skipped, gains[1]] == signal.untried_raw_gain)
    assert all(t.best == "" for t, s in zip(words, skipped) if s)


def test_the_word_cache_stays_bounded(ctx):
    cands = spin_module.SpinSignal(max_cached_words=5).candidates(ctx)
    for word in "council budget tuesday argument repairs mayor design traffic safety children".split():
        assert cands.info(word)[:2] == (False, cands(word))
        assert len(cands._info) <= 5


# -- split -----------------------------------------------------------------------------------------------------------
def test_case_usage_restricted_to_the_asked_words():
    doc = segment(blocks_from_text("The Council met. Then the council left. Council said so. Apple and apple pie."))
    sentences = [s for s in doc.sentences if s.tokens]
    lower, capital = _case_usage(doc, sentences)
    asked = {"council", "apple", "then"}
    lower2, capital2 = _case_usage(doc, sentences, asked)
    assert lower2 == lower & asked and capital2 == capital & asked


def test_per_model_caches_live_on_the_signal(ctx):
    """Two signals (two Scorers) never share their per-word lookups: each has its own, kept per model."""
    from scoring.signals.injection import InjectionSignal

    first, second = spin_module.SpinSignal(), spin_module.SpinSignal()
    assert first.candidates(ctx) is first.candidates(ctx)
    assert first.candidates(ctx) is not second.candidates(ctx)
    assert InjectionSignal().surprisal(ctx.lm) is not InjectionSignal().surprisal(ctx.lm)


# -- extraction ------------------------------------------------------------------------------------------------------
def reference_may_have_monster_tag(utf8: bytes) -> bool:
    """extract._may_have_monster_tag as it was: numpy over every '<' and '>'."""
    from scoring.extract import MAX_TAG_CHARS

    raw = np.frombuffer(utf8, dtype=np.uint8)
    marks = np.flatnonzero((raw == 60) | (raw == 62))
    long = np.flatnonzero(np.diff(marks) > MAX_TAG_CHARS)
    return bool(np.any((raw[marks[long]] == 60) & (raw[marks[long + 1]] == 62)))


@pytest.mark.parametrize("lead", [0, 1, 7, 32767, 32768, 32769, 40000])
@pytest.mark.parametrize("run", [65534, 65535, 65536, 65537, 100_000])
@pytest.mark.parametrize("ends", ["<>", "><", "<<", ">>", "<", ">", ""])
def test_monster_tag_precheck_gives_the_numpy_answer(lead, run, ends):
    from scoring.extract import _may_have_monster_tag

    body = b"<p>" * (lead // 3) + b"x" * (lead % 3)
    opening, closing = (ends[:1] or "x").encode(), (ends[1:] or "x").encode()
    page = body + opening + b"a" * run + closing + b"<p>tail</p>" * 3000
    assert _may_have_monster_tag(page) == reference_may_have_monster_tag(page)


ODD_VOIDS = """<html><head><meta charset="utf-8"><link rel="x">text in head?<base href="/"></head><body>
<p>One <meta name="a">two <link>three</link> four</p><map><area>five six</map>
<svg><meta>not seven</meta><link>not eight</link><foreignObject><p>not nine <meta>ten</p></foreignObject></svg>
<math><meta>not eleven</meta></math><video><source>twelve<track>thirteen</video><object><param>fourteen</object>
<embed>fifteen</embed><noscript><iframe>x</iframe>sixteen</noscript><template><meta>no</template>end</body></html>"""


@pytest.mark.parametrize("html", [ODD_VOIDS, "<p>a<meta>b</p>", "<meta>alone", ""])
def test_visible_words_skip_stripping_void_elements(html):
    from selectolax.lexbor import LexborHTMLParser

    from scoring.extract import SKIPPED, _visible_words

    reference = LexborHTMLParser(html)
    reference.strip_tags(list(SKIPPED))
    root = reference.body or reference.root
    expected = len(root.text(separator=" ").split()) if root is not None else 0
    assert _visible_words(LexborHTMLParser(html)) == expected


def test_sentence_boundaries_match_the_plain_look_behind():
    """segment._BOUNDARY starts with its character class (a fast scan); the same matches as the look-behind first."""
    import re

    from scoring.segment import _BOUNDARY

    plain = re.compile(r"(?<![.!?])[.!?]+[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
    for text in TEXTS + ["!!!! A", "a.. B", "?! C", ". D", "x.\nE", "..!? 'F", "end.) G", "a. b. C", "!" * 500 + " Z",
                         "Wait... What?! \"No.\" (Yes.) [Fine.] 42. 7 ways."]:
        assert [m.span() for m in _BOUNDARY.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_block_words_are_the_lowercased_runs_of_a_to_z():
    """blocks._lowered_words splits a bytes-table translation: the same words as re.findall("[a-z]+")."""
    import re

    from scoring.signals.blocks import _lowered_words

    rnd = random.Random(13)
    alphabet = "aZz{`@[ \t\n\x00\x7f\x80é\u0130\u0131\u017f\u212a\ud800\U0001F600ß.-'0"
    texts = TEXTS + ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(40))) for _ in range(2000)]
    for text in texts:
        lowered, words = _lowered_words(text)
        assert words == frozenset(re.findall("[a-z]+", lowered)), text


def test_clearly_english_equals_the_sentence_by_sentence_test():
    """language.clearly_english cuts a line into sentences only when it has MIXED_SENTENCE_WORDS unmarked words in a
    row: the same answers as cutting every long line."""
    import re

    from scoring.signals import language

    def reference(sample: str) -> bool:
        total = markers = 0
        for line in sample.lower().split("\n"):
            words = language._WORD.findall(line)
            hits = sum(w in language.ENGLISH_MARKERS for w in words)
            if hits == 0 and len(words) >= language.MIXED_LINE_WORDS:
                return False
            if len(words) >= 2 * language.MIXED_SENTENCE_WORDS:
                for sentence in re.split(r"(?<=[.!?])\s+", line):
                    found = language._WORD.findall(sentence)
                    if len(found) >= language.MIXED_SENTENCE_WORDS and language.ENGLISH_MARKERS.isdisjoint(found):
                        return False
            total += len(words)
            markers += hits
        return total >= language.FAST_MIN_WORDS and markers >= language.FAST_ENGLISH_SHARE * total

    rnd = random.Random(5)
    vocab = "the and of that with for this from der die und ist ein nicht the. and! of? Some words here it is a to".split()
    samples = ["\n".join(" ".join(rnd.choice(vocab) for _ in range(rnd.randrange(60))) for _ in range(rnd.randrange(1, 4)))
               for _ in range(3000)]
    answers = [language.clearly_english(s) for s in samples]
    assert answers == [reference(s) for s in samples] and 300 < sum(answers) < 2700


def test_trailer_cue_equals_the_whole_search():
    """main_content.trailer_cue searches the whole cue only where a key of its phrases occurs: the same answers."""
    from scoring.main_content import _TRAILER_CUE, trailer_cue

    rnd = random.Random(3)
    pieces = ["Follow", "us", "on", "twitter", "\u017fubscribe", "to", "SIGN UP", "now", "clic\u212a", "here", "\u0130",
              "\u0131", "related", "Related ", "Stories", "\u00a9", "\u2014", "comments", "12", " ", ".", "Citation:", "more",
              "MORE from", "READ MORE", "leave a reply", "no part of this may be reproduced", "\u00e9", "share", "\n",
              "letters to the editor", "don't miss", "Advertisement", "Kelvin"]
    texts = TEXTS + ["".join(rnd.choice(pieces) + rnd.choice(["", " "]) for _ in range(rnd.randrange(10)))
                     for _ in range(5000)]
    answers = [trailer_cue(text) for text in texts]
    assert answers == [_TRAILER_CUE.search(text) is not None for text in texts] and 500 < sum(answers) < 4500


def test_the_normal_token_pattern_finds_token_re_s_tokens_in_ascii_normal_text():
    """segment's ASCII path matches tokens in an `ascii_normal` text with a pattern of [a-z0] runs: the same spans
    as TOKEN_RE there, on random text of every ASCII character."""
    from scoring.normalize import ascii_normal
    rng = random.Random(13)
    alphabet = [chr(c) for c in range(128)] + list("aZ9'-") * 20
    for _ in range(500):
        norm = ascii_normal("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))))
        assert [m.span() for m in segment_module._NORMAL_TOKEN.finditer(norm)] == \
            [m.span() for m in TOKEN_RE.finditer(norm)]
