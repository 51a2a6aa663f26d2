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


def verb_only_forms(directory: Path = DEFAULT_DIR) -> list[str]:
    """Single words WordNet knows only as verbs ("operate", "explains"; not "costs" or "bridge", nouns too), in
    their base, third-person -s and irregular forms (verb.exc), sorted. The split signal's "fragment without a
    verb" cue reads them (scoring/data/verb_forms.txt, written by `python -m scoring.wordnet verbs`): a
    fragment holding one is a clause, not a noun phrase cut from a sentence."""
    pos_of: dict[str, set[str]] = {}
    for pos, lemmas in iter_synsets(directory):
        for lemma in lemmas:
            if lemma.isalpha():
                pos_of.setdefault(lemma, set()).add(pos)
    verbs = {w for w, kinds in pos_of.items() if kinds == {"v"}}
    forms = set(verbs) | {_third_person(v) for v in verbs}
    path = Path(directory) / "verb.exc"
    if not path.is_file():
        raise FileNotFoundError(f"WordNet exception list missing: {path} (install Debian's wordnet-base)")
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].isalpha() and parts[1] in verbs:
            forms.add(parts[0])
    # a form that is also a noun, adjective or adverb ("left", "means") says nothing
    return sorted(f for f in forms if pos_of.get(f, {"v"}) == {"v"})


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "x", "z", "ch", "sh")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


VERB_FORMS_HEADER = """\
# Words WordNet 3.0 knows only as verbs, in base, -s and irregular forms: the split signal's verb cue.
# Written by `python -m scoring.wordnet verbs` from Debian's wordnet-base (scoring/wordnet.py, verb_only_forms).
# Derived from WordNet 3.0, under its licence:
#
# Permission to use, copy, modify and distribute this software and database and its documentation for any
# purpose and without fee or royalty is hereby granted, provided that you agree to comply with the following
# copyright notice and statements, including the disclaimer, and that the same appear on ALL copies of the
# software, database and documentation, including modifications that you make for internal use or for
# distribution.
#
# WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved.
#
# THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR
# WARRANTIES, EXPRESS OR IMPLIED.  BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON UNIVERSITY MAKES NO
# REPRESENTATIONS OR WARRANTIES OF MERCHANTABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF THE
# LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS,
# TRADEMARKS OR OTHER RIGHTS.
#
# The name of Princeton University or Princeton may not be used in advertising or publicity pertaining to
# distribution of the software and/or database.  Title to copyright in this software, database and any
# associated documentation shall at all times remain with Princeton University and LICENSEE agrees to preserve
# same.
"""


if __name__ == "__main__":  # python -m scoring.wordnet verbs: rewrite scoring/data/verb_forms.txt
    import sys

    if sys.argv[1:] != ["verbs"]:
        sys.exit("usage: python -m scoring.wordnet verbs")
    out = Path(__file__).resolve().parent / "data" / "verb_forms.txt"
    words = verb_only_forms()
    out.write_text(VERB_FORMS_HEADER + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{out}: {len(words)} words")
