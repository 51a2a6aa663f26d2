"""Collocation strength for the spin signal, measured on development data only: `python -m bench.fit_spin_colloc`.

A spinner puts a common word where it does not belong ("huge information", "sturdy profits"): a word the model
finds surprising *in its context* although it is common, while a rare-but-right word (a name, jargon) is
surprising because it is rare. This script measures, per content word on trial, thesaurus-free collocation
quantities and how much adding them to the per-word log-odds moves the page-level results:
- the window gain of the word itself: log10 P(window with the word) - log10 P(window without it) - log10 P(word)
  (the window the trial scores: order-1 words either side), i.e. the pointwise mutual information of the word
  with its two-sided context (negative: the context does worse with the word than without it, beyond its mere
  frequency);
- the shared per-token pass's right-hand PMI (log10 P(next | ..., word) - log10 P(next)).

Data: the page measurements of bench/fit_spin_register (clean: reference text pseudo-pages, real dev pages, built
dev pages; spun: the real dev pages by WordNet, Moby, MyThes at 10/20/30%), measured again here with the extra
per-word columns (cached in bench/out/spin_colloc.pkl; `--remeasure`). Evaluation is bench.fit_spin_register's
(`evaluate`: ROC-AUC and recall at 1% FPR against the real clean dev pages, and recall at the threshold
bench.choose_thresholds would choose). Test pages are never read.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from . import fit_spin_register as reg
from .fit_spin_register import evaluate

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "out" / "spin_colloc.pkl"
EXTRA = ("window_pmi", "right_pmi", "next_order", "next_eos", "unigram", "logprob", "order")


def extras(words, ctx, signal) -> np.ndarray:
    """Per trial word the EXTRA columns."""
    lm = ctx.lm
    cands = signal.candidates(ctx)
    k = max(lm.order - 1, 1)
    score = lm.line_scorer()
    out = np.zeros((len(words), len(EXTRA)))
    for j, t in enumerate(words):
        sent, i = t.sentence, t.index
        tokens, lp, orders = sent.tokens, sent.logprobs, sent.orders
        n = len(tokens)
        u = 0.0 if t.oov else cands.unigram(t.word)
        lo, hi = max(0, i - k), min(n, i + k + 1)
        bos, eos = i < k, i + k >= n
        if t.oov:
            window = 0.0
        else:
            with_w = score(" ".join(tokens[lo:hi]), bos, eos)
            without = score(" ".join(tokens[lo:i] + tokens[i + 1:hi]), bos, eos)
            window = with_w - without - u
        if i + 1 < n:
            nxt = tokens[i + 1]
            right = lp[i + 1] - cands.unigram(nxt) if not lm.is_oov(nxt) else 0.0
            next_eos = 0.0
        else:
            right, next_eos = 0.0, 1.0
        out[j] = (window, right, orders[i + 1], next_eos, u, lp[i], orders[i])
    return out


def measurements(remeasure: bool = False) -> dict[str, list[dict]]:
    return reg.measure_with_extras(extras, len(EXTRA), CACHE, remeasure)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.fit_spin_colloc", description=__doc__.split("\n")[0])
    p.add_argument("--remeasure", action="store_true", help=f"ignore the cache {CACHE.relative_to(ROOT)}")
    args = p.parse_args(argv)
    sets = measurements(args.remeasure)
    print(f"pages: {', '.join(f'{k} {len(v)}' for k, v in sets.items())}")
    from .fit_spin_shrink import summary

    column = {name: i for i, name in enumerate(EXTRA)}

    def show(label, sets_):
        r = evaluate(sets_, (), ("text",))
        m = summary(r)
        print(f"{label:30s} threshold {r['threshold']:.6f}  mean recall@thr {m[0]:5.1%} @1% {m[1]:5.1%} AUC {m[2]:.4f}"
              "\n    " + " | ".join(f"{f[:4]}{(lv + 1) * 10}: {au:.3f} {r1:4.0%} {rt:4.0%}"
                                    for (f, lv), (au, r1, _, rt) in r["table"].items()), flush=True)

    show("none", sets)
    for name in ("window_pmi", "right_pmi"):
        for b in (0.1, 0.2, 0.3, 0.5):
            show(f"word {name} -{b} * pmi", with_word_term(sets, lambda x, j=column[name], b=b: -b * np.clip(x[:, j], -4, 4)))
            show(f"word {name} {b} * max(-pmi, 0)",
                 with_word_term(sets, lambda x, j=column[name], b=b: b * np.clip(-x[:, j], 0, 4)))
        for g in (0.02, 0.05, 0.1, 0.2):
            show(f"page {name} -{g} * mean pmi", with_page_term(sets, column[name], g))
    return 0


def with_word_term(sets, term):
    """The raw statistic recomputed with `term(extras)` added to each trial word's log-odds."""
    from scoring.signals.spin import SpinSignal

    return reg.recomputed(sets, SpinSignal(), lambda lo, r: lo + term(r["extras"].astype(float)))


def with_page_term(sets, j: int, g: float):
    """The raw statistic minus g times the page's mean PMI (column j, clipped to [-2, 2]) over its known words."""
    def mean_pmi(r):
        x = r["extras"].astype(float)
        known = x[:, EXTRA.index("unigram")] < 0 if len(x) else np.zeros(0, bool)
        return float(np.mean(np.clip(x[known, j], -2, 2))) if known.any() else 0.0

    return {k: [dict(r, raw=r["raw"] - g * mean_pmi(r)) for r in v] for k, v in sets.items()}


if __name__ == "__main__":
    sys.exit(main())
