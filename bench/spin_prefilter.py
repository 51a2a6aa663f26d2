"""Measure the spin signal's trial prefilter on development data: `python -m bench.spin_prefilter [--cut -3 ...]`.

With `scoring.signals.spin.SpinSignal.trial_logprob_cut` set, a content word that the model already expects in its context
(log10 P(word | context) above the cut) is not put on trial against its synonyms; its gain and raw gain are then
taken to be the median of what a trial gives such words (`untried_gain`, `untried_raw_gain`). This script puts
every word on trial (no cut) over the clean article pages of the real pages' development half (bench/realpages,
English) and prints, per cut: the share of trials the cut would skip (the time the spin signal saves is about
that share of its window scorings), and the medians of the skipped words' gain and raw gain, the constants that
go with that cut. Development pages only; the test half is never read.
"""
from __future__ import annotations

import argparse
import sys

import numpy as np

from scoring.extract import extract
from scoring.scorer import prepare
from scoring.signals import spin

from .fit_spin import default_bundle


def trial_rows(pages) -> np.ndarray:
    """(log10 P(word | context), gain, raw gain) of every word put on trial on the pages, without a cut."""
    bundle = default_bundle()
    every_word = spin.SpinSignal(trial_logprob_cut=None)
    rows = []
    for page_id, html in pages:
        doc, ctx = prepare(extract(html, page_id), bundle)
        _, features = every_word.trials(doc, ctx)
        tried = features[:, spin.FEATURES.index("has_synonyms")] > 0
        rows.append(features[tried][:, [spin.FEATURES.index(c) for c in ("logprob", "gain", "raw_gain")]])
    return np.concatenate(rows) if rows else np.empty((0, 3))


def dev_pages() -> list[tuple[str, bytes]]:
    from .realpages import is_english, load_pages

    return [(p.id, p.html) for p in load_pages("dev") if is_english(p)]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.spin_prefilter", description=__doc__.split("\n")[0])
    p.add_argument("--cut", type=float, action="append", help="cuts to report (default -2.5 -3 -3.5 -4)")
    args = p.parse_args(argv)
    rows = trial_rows(dev_pages())
    print(f"{len(rows)} trials on the real pages' development half (English)")
    print("cut    trials skipped  median gain  median raw gain   (of the skipped words)")
    for cut in args.cut or (-2.5, -3.0, -3.5, -4.0):
        skipped = rows[rows[:, 0] > cut]
        if not len(skipped):
            print(f"{cut:5.1f}  none")
            continue
        print(f"{cut:5.1f}  {len(skipped) / len(rows):13.1%}  {np.median(skipped[:, 1]):11.2f}  "
              f"{np.median(skipped[:, 2]):15.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
