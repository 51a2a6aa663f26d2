"""Unknown and malformed inflections as spin evidence, on development data only: `python -m bench.fit_spin_inflections`.

A spinner re-inflects a thesaurus entry blindly ("outing" for a verb in -ed gives "outinged", "sales" in a plural
slot "salesed"), so among the words the LM has never seen, spun pages hold far more inflections of a known word
than clean ones. Two per-word flags, for words unknown to the LM only:
- unknown inflection: a suffix rule of the spin signal (`spin._base_forms`) leads to a base the LM knows;
- malformed inflection: every base the suffix rules find in WordNet is of a part of speech that does not take
  that suffix (-s/-es: noun or verb; -ed/-ing: verb; -ly: adjective), the word occurs once on the page, and at
  least one such base exists.
Each is added to the trial word's log-odds (b * flag) and the page statistic recomputed by SpinSignal.page_statistic
itself; bench.fit_spin_register's `evaluate` gives per family x rate the ROC-AUC and recall at 1% FPR against the
real clean dev pages and the recall at the threshold bench.choose_thresholds would choose (calibration refitted,
reference pages leave-one-out, built pages as guards). Data: bench.fit_spin_register's measurements (all
development; WordNet, Moby and MyThes at 10/20/30%), with the flags as an extra column, cached in
bench/out/spin_inflections.pkl (`--remeasure`).

Measured 2026-11-27 (after "a synonym on the page" read all synonyms) and not adopted. On the dev pages' words:
unknown inflections 42 of 21.8k words of the real clean pages, 138 of 30.6k of the built (1961 Brown) pages, 109 of
66k of the reference text, 2275 of 200k of the spun pages; malformed singletons 4 / 4 / 12 / 889. Adding b to a malformed singleton's log-odds: b = 1: recall at
1% FPR Moby 10% 59% -> 67%, MyThes 10% 68% -> 73%, Moby 20% 93% -> 95%, mean 90.0% -> 91.5%, every ROC-AUC held or
rose (Moby 10% 0.946 -> 0.957); b = 2: Moby 10% 77%, MyThes 10% 74%, mean 92.8%, worst ROC-AUC change -0.0004. But
the mean recall at the re-chosen threshold falls (58.8% -> 56.5% at b = 1, 50.8% at b = 2): the drop threshold is
bound by the built Brown pages, and an architecture review's 'pedimented', 'colonnaded' (WordNet knows 'pediment',
'colonnade' as nouns only) lift the highest of them (threshold 0.999509 -> 0.999720 at b = 1); the reference
text's 'canyoning' (16 times on one page, hence the singleton condition), 'millennials', 'creatives' are the clean
cases. The unknown-inflection flag alone does the same with more clean words (b = 1: Moby 10% 73% at 1% FPR,
recall at threshold 51.1%). Adopting either would trade recall at the drop threshold for recall at 1% FPR: a
choice for the project, and it needs the parts of speech in the model's files (the scorer does not read WordNet).
"""
from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

import numpy as np

from . import fit_spin_register as reg
from .fit_spin_register import evaluate

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "out" / "spin_inflections.pkl"
EXTRA = ("unknown_inflection", "malformed_inflection")
# suffix -> the parts of speech (WordNet data files: n, v, a, r) that take it
TAKES = {"s": {"n", "v"}, "es": {"n", "v"}, "ies": {"n", "v"}, "ed": {"v"}, "ied": {"v"}, "ing": {"v"}, "ly": {"a"}}


@functools.cache
def parts_of_speech() -> dict[str, frozenset[str]]:
    """WordNet lemma -> its parts of speech (single words)."""
    from scoring.wordnet import iter_synsets

    table: dict[str, set[str]] = {}
    for pos, lemmas in iter_synsets():
        for lemma in lemmas:
            table.setdefault(lemma, set()).add(pos)
    return {lemma: frozenset(p) for lemma, p in table.items()}


def bases(word: str) -> list[tuple[str, str]]:
    """(suffix, base) pairs the suffix rules find, as spin._base_forms strips them."""
    rules = []
    if word.endswith("ies"):
        rules.append(("ies", word[:-3] + "y"))
    if word.endswith("es"):
        rules.append(("es", word[:-2]))
    if word.endswith("s") and not word.endswith("ss"):
        rules.append(("s", word[:-1]))
    if word.endswith("ied"):
        rules.append(("ied", word[:-3] + "y"))
    if word.endswith("ed"):
        rules += [("ed", word[:-2]), ("ed", word[:-1])]
        if len(word) > 4 and word[-3] == word[-4]:
            rules.append(("ed", word[:-3]))
    if word.endswith("ing"):
        rules += [("ing", word[:-3]), ("ing", word[:-3] + "e")]
        if len(word) > 5 and word[-4] == word[-5]:
            rules.append(("ing", word[:-4]))
    if word.endswith("ly") and len(word) > 4:
        rules.append(("ly", word[:-2]))
    return rules


def malformed(word: str, pos: dict[str, frozenset[str]]) -> bool:
    """Every base WordNet knows is of a part of speech that does not take the suffix (and there is one)."""
    verdicts = [bool(pos[base] & TAKES[suffix]) for suffix, base in bases(word) if base in pos]
    return bool(verdicts) and not any(verdicts)


def extras(words, ctx) -> np.ndarray:
    """Per trial word the EXTRA columns (0 for a word the LM knows)."""
    pos = parts_of_speech()
    counts: dict[str, int] = {}
    for t in words:
        counts[t.word] = counts.get(t.word, 0) + 1
    out = np.zeros((len(words), len(EXTRA)))
    for j, t in enumerate(words):
        if t.oov:
            out[j, 0] = any(not ctx.lm.is_oov(base) for _, base in bases(t.word))
            out[j, 1] = counts[t.word] == 1 and malformed(t.word, pos)
    return out


def measurements(remeasure: bool = False) -> dict[str, list[dict]]:
    return reg.measure_with_extras(lambda words, ctx, signal: extras(words, ctx), len(EXTRA), CACHE, remeasure)


def with_flag(sets: dict[str, list[dict]], column: int, b: float) -> dict[str, list[dict]]:
    """The raw statistic recomputed with b added to the log-odds of each trial word whose flag `column` is set."""
    from scoring.signals.spin import SpinSignal

    return reg.recomputed(sets, SpinSignal(), lambda lo, r: lo + b * r["extras"][:, column])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.fit_spin_inflections", description=__doc__.split("\n")[0])
    p.add_argument("--remeasure", action="store_true", help=f"ignore the cache {CACHE.relative_to(ROOT)}")
    args = p.parse_args(argv)
    sets = measurements(args.remeasure)
    print(f"pages: {', '.join(f'{k} {len(v)}' for k, v in sets.items())}")
    for kind in ("html", "built", "text", "bench_spun"):
        flags = [int(sum(r["extras"][:, j].sum() for r in sets[kind])) for j in range(len(EXTRA))]
        print(f"{kind:10s} words {sum(r['n'] for r in sets[kind]):7d}  "
              + "  ".join(f"{name} {n}" for name, n in zip(EXTRA, flags)))
    base = evaluate(sets, (), ())
    reg.print_result("none", base)
    for j, name in enumerate(EXTRA):
        for b in (0.5, 1.0, 2.0, 3.0):
            reg.print_result(f"{name[:18]} +{b}", evaluate(with_flag(sets, j, b), (), ()), base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
