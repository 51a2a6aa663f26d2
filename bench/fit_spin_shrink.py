"""Shrink the spin page statistic of short pages, chosen on development data only: `python -m bench.fit_spin_shrink`.

The spin signal's raw statistic was the mean, over a page's content words, of each word's mixture log-likelihood
ratio ("a share spun_share of the words is spun" vs "clean"). On a short page that mean rests on a few words, so
one rare-but-right word puts a clean page in the tail that sets the drop threshold (issue: spin by thesauri the
detector does not read; the threshold was set by a 110-word Brown sports page with 'versatile', 'springing',
'ringsiders'). SpinSignal.page_statistic now takes the mean over the words plus K pseudo-words whose ratio is
A times the median mean ratio of the clean reference pages (C): (sum + K * A * C) / (n + K). K = 0 is the old mean.

Data: bench.fit_spin_register's page measurements (its cache bench/out/spin_register.pkl; `--remeasure`), all
development: clean reference text pseudo-pages and real dev pages (the calibration reference), built dev pages
(a guard of the threshold), and the real dev pages spun by WordNet, Moby and MyThes at 10/20/30% (the phrase and
rewriter families are test-only and never built here). Each grid point is evaluated by bench.fit_spin_register's
`evaluate`: ROC-AUC and recall at 1% FPR against the real clean dev pages and recall at the threshold that
bench.choose_thresholds would choose (calibration refitted, reference pages leave-one-out). The same on two halves
of the spun pages (by page id), as a check that a gain is not carried by a few pages.

The choice (`choose`): among grid points that lose at most MAX_AUC_LOSS ROC-AUC on every family x rate and no mean
recall at 1% FPR against K = 0, the one whose mean recall at its threshold is best in the worst case over itself
and its grid neighbours (a point next to one that does badly sits on a knife edge of the clean maxima); points
within TIE of that best are a tie, which the higher mean ROC-AUC breaks.

Measured 2026-11-27 with the default model (spun_share 0.03; C = -0.0214): K = 75, A = 0.5 (shrink_to -0.0107)
chosen (tied at 55.4% worst-case with K = 50, A = 0.75, whose mean ROC-AUC is 0.959); mean over WordNet/Moby/MyThes
x 10/20/30% of recall at the threshold 50.5% -> 56.0%, of recall at 1% FPR 83.1% -> 83.6%, of ROC-AUC
0.956 -> 0.969, and on each half of the spun pages all three rise (half 0: 54.3/90.1/0.985 -> 60.5/90.4/0.988;
half 1: 46.8/76.3/0.928 -> 51.7/76.9/0.951). Moby 20%: ROC-AUC 0.956 -> 0.970, recall at threshold 27% -> 38%;
MyThes 20%: 0.961 -> 0.972, 49% -> 56%.

Tried in the same session and not adopted (bench.fit_spin_colloc measures it): collocation strength, thesaurus-free:
per word the window PMI (log10 P(window with the word) - log10 P(window without it) - log10 P(word)) and the
right-hand PMI of the next token. Added to the word log-odds (-b * clipped PMI, b 0.1-0.5) or as a page term
(mean clipped PMI) it lowered the mean recall at threshold (50.5% -> 37-51%); fitted on words (offset logistic
regression on top of the current log-odds, dev articles spun by WordNet and MyThes at 20%) it moved the word-level
ROC-AUC by at most 0.003 on any family, Moby included: the existing features (left-context PMI, backoff orders,
the next token's log-probability) already carry it.
"""
from __future__ import annotations

import argparse
import hashlib
import sys

import numpy as np

from .fit_spin_register import evaluate, measurements

WORDS = (0, 25, 50, 75, 100, 150)          # K
TOWARDS = (0.0, 0.25, 0.5, 0.75, 1.0)      # A
MAX_AUC_LOSS = 0.005
TIE = 0.002   # robust recalls this close are a tie (one page of one family x rate moves the mean 0.15%)


def clean_median(sets: dict[str, list[dict]], share: float) -> float:
    """C: the median over the clean reference pages (text pseudo-pages, real dev pages) of their words' mean
    mixture log-likelihood ratio (the unshrunk statistic's per-word mean, without the rewrite term)."""
    from scoring.signals.spin import PRIOR_ODDS
    from scoring.signals.stats import mixture_log_likelihood_ratios

    means = [float(np.mean(mixture_log_likelihood_ratios(r["log_odds"].astype(float), PRIOR_ODDS, share)))
             for kind in ("text", "html") for r in sets[kind] if len(r["log_odds"])]
    return float(np.median(means))


def with_shrink(sets: dict[str, list[dict]], words: float, towards: float) -> dict[str, list[dict]]:
    """The measurements with the raw statistic recomputed by SpinSignal.page_statistic itself for shrink_words
    `words` and shrink_to `towards`, from the stored per-word log-odds."""
    from scoring.signals.spin import SpinSignal

    signal = SpinSignal(shrink_words=words, shrink_to=towards)

    def raw(r):
        lo = r["log_odds"].astype(float)
        return signal.page_statistic(lo, r["rewrite_llr"], r["n"]) if len(lo) else r["raw"]

    return {k: [dict(r, raw=raw(r)) for r in v] for k, v in sets.items()}


def half(sets: dict[str, list[dict]], h: int) -> dict[str, list[dict]]:
    """The sets with only the spun pages of one half of the real dev pages (by page id)."""
    def page(r):
        return int(hashlib.sha1(r["id"].split(".")[0].encode()).hexdigest(), 16) % 2
    return dict(sets, bench_spun=[r for r in sets["bench_spun"] if page(r) == h])


def summary(result: dict) -> tuple[float, float, float]:
    """(mean recall at threshold, mean recall at 1% FPR, mean ROC-AUC) over family x rate."""
    t = result["table"].values()
    return float(np.mean([v[3] for v in t])), float(np.mean([v[1] for v in t])), float(np.mean([v[0] for v in t]))


def choose(results: dict[tuple[float, float], dict]) -> tuple[tuple[float, float], dict]:
    """The (K, A) to use (see the module's docstring) and each point's worst-case recall over its neighbours."""
    base = results[(0, 0.0)]
    base_r1 = summary(base)[1]
    allowed = {key for key, r in results.items()
               if min(r["table"][c][0] - base["table"][c][0] for c in base["table"]) >= -MAX_AUC_LOSS
               and summary(r)[1] >= base_r1}

    def neighbours(key):
        k, a = key
        i, j = WORDS.index(k), TOWARDS.index(a)
        keys = [(WORDS[i + di], TOWARDS[j + dj]) for di, dj in ((0, 0), (-1, 0), (1, 0), (0, -1), (0, 1))
                if 0 <= i + di < len(WORDS) and 0 <= j + dj < len(TOWARDS)]
        return [x for x in keys if x in results]

    robust = {key: min(summary(results[x])[0] for x in neighbours(key)) for key in results}
    best = max(robust[key] for key in allowed)
    near = [key for key in sorted(allowed) if robust[key] >= best - TIE]
    return max(near, key=lambda key: summary(results[key])[2]), robust


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.fit_spin_shrink", description=__doc__.split("\n")[0])
    p.add_argument("--remeasure", action="store_true", help="measure the pages again (bench.fit_spin_register)")
    args = p.parse_args(argv)
    from scoring.signals.spin import SpinSignal

    share = SpinSignal().spun_share
    sets = measurements(args.remeasure)
    c = clean_median(sets, share)
    print(f"pages: {', '.join(f'{k} {len(v)}' for k, v in sets.items())}; spun_share {share}; C = {c:.4f}")
    results = {}
    for k in WORDS:
        for a in TOWARDS:
            if k == 0 and a:
                continue
            shrunk = with_shrink(sets, k, round(a * c, 4))
            results[(k, a)] = r = evaluate(shrunk, (), ("text",))
            m, h0, h1 = summary(r), summary(evaluate(half(shrunk, 0), (), ("text",))), \
                summary(evaluate(half(shrunk, 1), (), ("text",)))
            print(f"K {k:3d} A {a:.2f} (shrink_to {a * c:+.4f}) threshold {r['threshold']:.6f}  mean recall@thr "
                  f"{m[0]:5.1%} @1% {m[1]:5.1%} AUC {m[2]:.4f} | half 0: {h0[0]:5.1%} {h0[1]:5.1%} {h0[2]:.4f} | "
                  f"half 1: {h1[0]:5.1%} {h1[1]:5.1%} {h1[2]:.4f}", flush=True)
            print("    " + " | ".join(f"{f[:4]}{(lv + 1) * 10}: {au:.3f} {r1:4.0%} {rt:4.0%}"
                                      for (f, lv), (au, r1, _, rt) in r["table"].items()))
    for a in TOWARDS[1:]:   # (K = 0 does not depend on A)
        results[(0, a)] = results[(0, 0.0)]
    (k, a), robust = choose(results)
    print(f"chosen: shrink_words = {k}, shrink_to = {round(a * c, 4)} (A = {a}; worst-case mean recall at threshold "
          f"over itself and its grid neighbours {robust[(k, a)]:.1%}; K = 0: {robust[(0, 0.0)]:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
