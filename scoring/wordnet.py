"""WordNet synonym sets, read from the database files Debian's `wordnet-base` installs.

The data files (data.noun, data.verb, data.adj, data.adv) have a documented line format (wndb(5)):
`offset lex_filenum ss_type w_cnt word lex_id [word lex_id ...] p_cnt ...`, with w_cnt in hex. We read only
the lemma lists, which is all the synonym check and the benchmark's spinner need; NLTK's reader would want a
`lexnames` file that the Debian package does not ship.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

DEFAULT_DIR = Path(os.environ.get("WORDNET_DIR", "/usr/share/wordnet"))
POS_FILES = {"n": "data.noun", "v": "data.verb", "a": "data.adj", "r": "data.adv"}


def iter_synsets(directory: Path = DEFAULT_DIR) -> Iterator[tuple[str, list[str]]]:
    """(pos, lemmas) for every synset; lemmas lowercased with '_' turned into spaces."""
    for pos, name in POS_FILES.items():
        path = Path(directory) / name
        if not path.is_file():
            raise FileNotFoundError(f"WordNet data file missing: {path} (install Debian's wordnet-base)")
        with path.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("  "):  # licence header
                    continue
                fields = line.split(" ", 4 + 2 * 64)
                count = int(fields[3], 16)
                lemmas = []
                for i in range(count):
                    word = fields[4 + 2 * i]
                    word = word.split("(")[0]  # adjective markers like "(a)"
                    lemmas.append(word.replace("_", " ").lower())
                yield pos, list(dict.fromkeys(lemmas))


def synonym_table(directory: Path = DEFAULT_DIR, vocabulary: set[str] | None = None) -> dict[str, list[str]]:
    """word -> sorted single-word synonyms (from all its synsets), optionally restricted to a vocabulary."""
    table: dict[str, set[str]] = {}
    for _, lemmas in iter_synsets(directory):
        words = [w for w in lemmas if " " not in w and w.isalpha()]
        if vocabulary is not None:
            words = [w for w in words if w in vocabulary]
        for w in words:
            others = [o for o in words if o != w]
            if others:
                table.setdefault(w, set()).update(others)
    return {w: sorted(s) for w, s in sorted(table.items())}
