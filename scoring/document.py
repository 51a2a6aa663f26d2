"""The page as the signals see it: ordered blocks, their sentences, and LM-ready tokens.

Every offset (`start`, `end`) indexes `Document.text`, the extracted text that reports include, so
evidence can be highlighted in it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

BLOCK_KINDS = ("title", "heading", "paragraph", "list_item", "caption", "quote", "table", "other")


@dataclass
class Block:
    index: int
    kind: str                 # one of BLOCK_KINDS
    tag: str                  # HTML tag name ("" for plain text)
    start: int
    end: int
    text: str
    depth: int = 0            # DOM depth of the element
    link_density: float = 0.0  # share of the block's characters inside <a>
    hints: tuple[str, ...] = ()  # lowercased class/id/role words of the element and its ancestors
    cell: bool = False        # inside a table cell (<td>, <th>): a <p> of a data table's cell is data, not a menu
    link_host: str = ""       # the other site (host) all of its links lead to, if they lead to one


@dataclass
class Sentence:
    block: int                # index of its Block
    start: int
    end: int
    text: str
    tokens: list[str]         # normalised (scoring.normalize)
    spans: list[tuple[int, int]]  # offsets of each token in Document.text
    # Filled by the scorer once per sentence, shared by all signals:
    logprobs: np.ndarray | None = None   # log10 P(token | context), with <s> context; len(tokens) + 1 (last is </s>)
    orders: np.ndarray | None = None     # n-gram order matched for each of those
    unknown: int | None = None           # how many of its tokens the model has never seen (None: not counted)


@dataclass
class Document:
    source: str
    text: str
    blocks: list[Block] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    # What the text is: the article container's label (main-content extraction), "page" (every block),
    # "text" (plain text), or why a page has no main content.
    content: str = "text"
    no_main_content: bool = False
    chrome_blocks: int = 0    # page chrome left out of `text` (main-content extraction)
    chrome_words: int = 0

    @property
    def words(self) -> int:
        return sum(len(s.tokens) for s in self.sentences)

    def block_sentences(self, index: int) -> list[Sentence]:
        return [s for s in self.sentences if s.block == index]
