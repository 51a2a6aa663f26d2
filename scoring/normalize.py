"""Text normalisation shared by model training and scoring. This is the one place it is defined.

Like CCNet: Unicode NFKC, lowercase, accents stripped, every digit mapped to 0, Unicode punctuation
mapped to ASCII. A token is a run of letters/digits, optionally joined by internal apostrophes or
hyphens ("don't", "well-known"); other punctuation is dropped: sentence boundaries are given to the
language model as <s> ... </s>, not as tokens.
"""
from __future__ import annotations

import re
import unicodedata

from .memo import Memo

NORMALISATION = "nfkc+lower+strip-accents+digits-to-0+ascii-punct; tokens=[a-z0]+ joined by ' or -"

_PUNCT = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2026": "...", "\u00a0": " ",
})
# The one-for-one part of _PUNCT: applied before matching tokens in `tokenize_spans`, so that "Don’t" is one
# token there as it is in `tokenize` (training), with offsets still valid in the original text.
_SAME_LENGTH = str.maketrans({k: v for k, v in ((chr(c), t) for c, t in _PUNCT.items()) if len(v) == 1})
# The non-ASCII path of `tokenize_spans` in one regex pass: _SAME_LENGTH's characters become their ASCII forms,
# and the other non-ASCII characters that are no word characters ("…", "©", "•") spaces. (str.translate with a
# dict goes character by character on non-ASCII text: 3x slower on the real pages' blocks, which have few such
# characters.)
_SAME_LENGTH_CHARS = {chr(c): t for c, t in _SAME_LENGTH.items()}
_SYMBOL = re.compile(r"[`]|[^\w\x00-\x7f]")
assert all(_SYMBOL.fullmatch(c) for c in _SAME_LENGTH_CHARS), "every _SAME_LENGTH character must be a _SYMBOL"
_DIGIT = re.compile(r"\d")
_ASCII_NORMAL = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ123456789`", b"abcdefghijklmnopqrstuvwxyz000000000'")
_span = re.Match.span
TOKEN_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
# Kana and CJK ideographs (with their compatibility block), for a character class: Chinese and Japanese put no
# spaces between words.
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    if decomposed.isalpha():  # letters only: nothing to strip (no letter has a combining class)
        return decomposed
    return "".join([c for c in decomposed if not unicodedata.combining(c)])


def normalise(text: str) -> str:
    """Normalise a string (case, digits, accents, punctuation); keeps its length only for ASCII input."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isalpha():  # (a word of letters, most tokens, has no punctuation and no digit: 2x faster)
        text = text.translate(_PUNCT)
    text = text.lower()
    if not text.isascii():
        text = _strip_accents(text)
    return text if text.isalpha() else _DIGIT.sub("0", text)


def _normalise_token(token: str) -> str:
    """`normalise` of one token; an ASCII token (most of them) only needs lowercasing and digits: NFKC, the
    punctuation table and accent stripping leave ASCII letters, digits, ' and - as they are."""
    if token.isascii():
        token = token.lower()
        return token if token.isalpha() else _DIGIT.sub("0", token)
    token = normalise(token)
    if token and TOKEN_RE.fullmatch(token) is None:
        # NFKC made several words of one character (U+FDFA, an Arabic ligature, is four): one hyphenated token,
        # never one with a space inside (the spin signal's windows are tokens joined by spaces)
        token = "-".join(TOKEN_RE.findall(token))
    return token


def _ascii_symbol(match: re.Match) -> str:
    return _SAME_LENGTH_CHARS.get(match.group(), " ")


def symbols_mapped(text: str) -> str:
    """The text with _SAME_LENGTH's characters in their ASCII forms and the other non-ASCII characters that are no
    word characters ("…", "©", "•") as spaces: they are never inside a token, so as spaces they split the text
    the same way (and most English text is ASCII then). The same length as `text`."""
    return text if text.isascii() else _SYMBOL.sub(_ascii_symbol, text)


def ascii_normal(same: str) -> str:
    """An ASCII `symbols_mapped` text with every token normalised in place: `_normalise_token` of an ASCII token is
    lowercase with digits to 0 (and _SAME_LENGTH's "`" is "'"), done once for the whole text with a byte table
    (every step keeps the length), so every token is a slice of it; the tokens match the same way in it."""
    return same.encode("ascii").translate(_ASCII_NORMAL).decode("ascii")


def tokenize_spans(text: str) -> list[tuple[str, int, int]]:
    """Tokens of `text` with their character offsets into `text` itself (not into the normalised copy)."""
    same = symbols_mapped(text)
    if same.isascii():
        norm = ascii_normal(same)
        return [(norm[a:b], a, b) for a, b in map(_span, TOKEN_RE.finditer(norm))]
    return token_spans_one_by_one(same)


def token_spans_one_by_one(same: str) -> list[tuple[str, int, int]]:
    """`tokenize_spans` of a text that is not ASCII even with its symbols mapped (`same`): token by token."""
    found = list(TOKEN_RE.finditer(same))
    tokens = _normal_token.all(list(map(_group, found)))
    return [(token, a, b) for token, (a, b) in zip(tokens, map(_span, found)) if token]


# `_normalise_token` of the tokens seen: a page repeats most of its words, and a cached lookup in C costs a tenth of
# the call (a block of non-ASCII text is normalised token by token).
_normal_token = Memo(_normalise_token, 65536)
_group = re.Match.group


def tokenize(text: str) -> list[str]:
    """Normalised tokens, as the language model sees them."""
    return TOKEN_RE.findall(normalise(text))


def lm_line(text: str) -> str:
    """One sentence as a line of training text / a string to score."""
    return " ".join(tokenize(text))


# The non-ASCII letters that re.IGNORECASE matches to ASCII ones (İ ı -> i, ſ -> s, Kelvin K -> k).
_RE_FOLDED = "\u0130\u0131\u017f\u212a"
_RE_FOLD = str.maketrans(_RE_FOLDED, "iisk")


def lower_as_re_ignorecase(text: str) -> str:
    """The text lowercased, those letters folded first: a plain substring or word test on it misses nothing a
    case-insensitive regex would match (the key tests that spare the cues' full searches). str.translate costs
    ~50 us a paragraph, so it runs only on text that holds one of them."""
    if not text.isascii() and any(c in text for c in _RE_FOLDED):
        text = text.translate(_RE_FOLD)
    return text.lower()
