"""Readers for the two thesauri Debian packages beside WordNet, for the spin signal's candidate table.

- MyThes (`mythes-en-us`, LibreOffice's `th_en_US_v2.dat`): a `UTF-8` first line, then entries `word|n` followed
  by n sense lines `(pos)|term|term (similar term)|...`; a term may carry a relation in parentheses ("similar
  term", "related term", "generic term", "antonym").
- Aiksaurus (`libaiksaurus-1.2-data`, Grady Ward's Moby thesaurus regrouped): `words.dat` is the word list, each a
  NUL-terminated name (':' for a space) followed by the ids of its meanings as big-endian 16-bit numbers ending in
  0xFFFF; `meanings.dat` is the meanings in id order, each a list of word ids (the first two name the meaning and
  are members too) ending in 0xFFFF.

`entry_pairs`, `group_pairs` and `add_pairs` turn them into a table like scoring.wordnet.synonym_table's. Read by
bench.fit_spin_thesauri, which measured such unions as the spin signal's candidates and did not adopt them: the
default model's table (models.build_default.build_synonyms) is WordNet's alone.
"""
from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

MYTHES_FILE = "usr/share/mythes/th_en_US_v2.dat"
AIKSAURUS_DIR = "usr/share/aiksaurus"
_RELATION = re.compile(r"\s*\(([^)]*)\)\s*$")
END = 0xFFFF


def mythes_entries(path: Path, relations: frozenset[str] = frozenset({"", "similar term", "related term",
                                                                       "generic term"})) -> Iterator[list[str]]:
    """[head word, its terms...] per MyThes entry, all senses together, keeping the terms whose relation is one of
    `relations` ("" is a plain synonym); lowercased. Antonyms are left out by default: a spinner never uses them."""
    with Path(path).open(encoding="utf-8", errors="replace") as f:
        f.readline()  # the encoding line
        for line in f:
            head, _, count = line.rstrip("\n").rpartition("|")
            terms: list[str] = []
            for _ in range(int(count)):
                for term in f.readline().rstrip("\n").split("|")[1:]:
                    match = _RELATION.search(term)
                    relation = match.group(1) if match else ""
                    if relation in relations:
                        terms.append((term[:match.start()] if match else term).strip().lower())
            yield [head.lower(), *dict.fromkeys(terms)]


def aiksaurus_meanings(directory: Path) -> list[list[str]]:
    """The Aiksaurus meanings as lists of their words (lowercased, spaces for ':')."""
    directory = Path(directory)
    data = (directory / "words.dat").read_bytes()
    words, i = [], 0
    while i < len(data):
        end = data.index(b"\0", i)
        words.append(data[i:end].decode("latin-1").replace(":", " ").lower())
        i = end + 1
        while struct.unpack_from(">H", data, i)[0] != END:  # the word's meaning ids: not needed
            i += 2
        i += 2
    raw = (directory / "meanings.dat").read_bytes()
    meanings, current = [], []
    for (value,) in struct.iter_unpack(">H", raw):
        if value == END:
            meanings.append([words[v] for v in dict.fromkeys(current)])
            current = []
        else:
            current.append(value)
    return meanings


def entry_pairs(entries: Iterable[list[str]], forward: bool = True, reverse: bool = True) -> Iterator[tuple[str, str]]:
    """(word, candidate) pairs of single alphabetic words from head-word entries (MyThes): `forward`, the head with
    each of its terms; `reverse`, each term with the head (the reverse look-up: which word would a spinner have
    replaced to produce this one)."""
    for head, *terms in entries:
        if not head.isalpha():
            continue
        for term in terms:
            if term.isalpha() and term != head:
                if forward:
                    yield head, term
                if reverse:
                    yield term, head


def group_pairs(groups: Iterable[list[str]]) -> Iterator[tuple[str, str]]:
    """(word, candidate) pairs of single alphabetic words from groups (Aiksaurus meanings): every member with every
    other (a group is its own reverse look-up)."""
    for group in groups:
        words = [w for w in group if w.isalpha()]
        for w in words:
            for other in words:
                if other != w:
                    yield w, other


def add_pairs(table: dict[str, set[str]], pairs: Iterable[tuple[str, str]], vocabulary: set[str] | None) -> None:
    """Add the pairs whose two words are in `vocabulary` (any pair if None) to `table` (word -> candidates)."""
    for word, other in pairs:
        if vocabulary is None or (word in vocabulary and other in vocabulary):
            table.setdefault(word, set()).add(other)
