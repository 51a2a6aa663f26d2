"""Blocks to sentences to tokens, keeping character offsets.

The splitter is deliberately literal: it splits wherever a sentence-ending mark is followed by space and
a capital (or digit/quote), except after known abbreviations, initials and dotted initialisms ("P.O. Box"),
and after a list marker that opens the sentence ("1. Prioritize", "iv. The"). It must not repair broken
segmentation: the `split` signal judges each boundary it produces. The last two exceptions came from the
real pages' development half, where numbered how-to steps and "P.O. Box" were its top `split` false alarms.
"""
from __future__ import annotations

import re

from .document import Block, Document, Sentence
from .normalize import ascii_normal, symbols_mapped, token_spans_one_by_one

_group, _span = re.Match.group, re.Match.span

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt ft vs etc inc ltd co corp no vol fig gen gov sen rep rev sgt capt col lt"
    " jan feb mar apr jun jul aug sep sept oct nov dec approx dept est e.g i.e u.s u.k a.m p.m".split()
)
# Capitalised only (AP style): "Calif." or "Ill." abbreviate; "ill." or "miss." can end a sentence. US state
# abbreviations, military and civil titles, street suffixes: political and local news is full of them
# ("Sen. Rand Paul (R-Ky.) said", "Main St. and Elm Ave. Police").
CAPITALISED_ABBREVIATIONS = frozenset(
    "Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo Mont Neb Nev Okla"
    " Ore Pa Tenn Vt Va Wash Wis Wyo Adm Maj Cpl Pvt Supt Atty Msgr Hon Ave Blvd Rd Hwy Bros Assn Univ".split()
)
ABBREVIATION_LOOKBACK = 64  # characters; no abbreviation or initial is longer
# The look-behind starts a match only at the first mark of a run: "!!!!..." stays linear, not quadratic. It sits
# after the first mark (a mark not preceded by one: the same matches as `(?<![.!?])[.!?]+...`) so that the
# pattern starts with a character class, which the regex engine scans for at C speed (3x faster on real pages).
_BOUNDARY = re.compile(r"[.!?](?<![.!?]{2})[.!?]*[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([\w.]+)[.!?]+[\"')\]]*\s+$")
_INITIALISM = re.compile(r"(?:[a-z]\.)+[a-z]")                  # "p.o", "d.c", "u.s.a"
_LIST_MARKER = re.compile(r"\s*[(\[]?(?:\d{1,3}|[ivx]{1,5}|[a-z])[.)\]]\s+$", re.IGNORECASE)  # "1. ", "iv. "


def _is_abbreviation(prefix: str, mark: int) -> bool:
    """Does the prefix (up to a boundary whose first mark is at `mark`) end in an abbreviation or initial?"""
    # The word holds no space: the search starts after the last space before the mark (not at every character
    # of the look-back, each of which would read a word and fail).
    m = _LAST_WORD.search(prefix, prefix.rfind(" ", 0, mark) + 1)
    if not m:
        return False
    cased = m.group(1).rstrip(".")
    word = cased.lower()
    return (word in ABBREVIATIONS or cased in CAPITALISED_ABBREVIATIONS or (len(word) == 1 and word.isalpha())
            or bool(_INITIALISM.fullmatch(word)))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of one block of text."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        # Only the last word before the mark matters: a bounded look-back keeps a run of thousands of
        # initials ("A. B. C. ...") linear (the whole pending sentence would be rescanned at every mark).
        lookback = max(start, m.start() - ABBREVIATION_LOOKBACK)
        if _is_abbreviation(text[lookback:m.end()], m.start() - lookback):
            continue
        if m.start() - start <= 8 and _LIST_MARKER.fullmatch(text[start:m.end()]):
            continue   # the sentence so far is only a list marker: "1. " opens an item, it ends nothing
        end = m.end()
        stripped = text[start:end].rstrip()
        if stripped:
            spans.append((start, start + len(stripped)))
        start = end
    tail = text[start:].strip()
    if tail:
        lead = len(text[start:]) - len(text[start:].lstrip())
        spans.append((start + lead, start + lead + len(tail)))
    return spans


def sentences_of(block: Block) -> list[Sentence]:
    """The block's sentences, tokenised once for the whole block: no token crosses a sentence boundary (the
    splitter cuts at whitespace, which no token contains), so each sentence takes the tokens inside its span."""
    spans = split_sentences(block.text)
    if not spans:
        return []
    same = symbols_mapped(block.text)
    if same.isascii():
        return _ascii_sentences(block, spans, ascii_normal(same))
    tokens = token_spans_one_by_one(same)
    out, t, n, base, text = [], 0, len(tokens), block.start, block.text
    for s, e in spans:
        while t < n and tokens[t][1] < s:
            t += 1
        first = t
        while t < n and tokens[t][2] <= e:
            t += 1
        mine = tokens[first:t]
        out.append(Sentence(
            block=block.index,
            start=base + s,
            end=base + e,
            text=text[s:e],
            tokens=[tok for tok, _, _ in mine],
            spans=[(base + a, base + b) for _, a, b in mine],
        ))
    return out


# TOKEN_RE as it matches in an `ascii_normal` text, whose only letters and digits are [a-z0]: the same tokens, found
# ~30% faster (a set of ASCII characters instead of Unicode's word class).
_NORMAL_TOKEN = re.compile(r"[a-z0]+(?:['\-][a-z0]+)*")


def _ascii_sentences(block: Block, spans: list[tuple[int, int]], norm: str) -> list[Sentence]:
    """`sentences_of` for a block whose tokens are slices of `norm` (`ascii_normal`): each sentence's tokens matched in
    its own span of it, the same tokens as slicing the block's (no token crosses a sentence boundary), without
    building (token, start, end) triples for the whole block first."""
    text, base, index, finditer = block.text, block.start, block.index, _NORMAL_TOKEN.finditer
    out = []
    for s, e in spans:
        found = list(finditer(norm, s, e))
        out.append(Sentence(block=index, start=base + s, end=base + e, text=text[s:e],
                            tokens=list(map(_group, found)), spans=[(base + a, base + b) for a, b in map(_span, found)]))
    return out


def segment(doc: Document) -> Document:
    """Fill `doc.sentences` from `doc.blocks`."""
    doc.sentences = [s for block in doc.blocks for s in sentences_of(block)]
    return doc


def blocks_from_text(text: str, source: str = "<text>") -> Document:
    """Plain text: one block per non-empty line."""
    blocks, pos, lines = [], 0, []
    for raw in text.splitlines():
        line = raw.strip()
        if line:
            lines.append(line)
    joined = "\n".join(lines)
    for i, line in enumerate(lines):
        blocks.append(Block(index=i, kind="paragraph", tag="", start=pos, end=pos + len(line), text=line))
        pos += len(line) + 1
    return Document(source=source, text=joined, blocks=blocks)
