"""Choose the default per-signal thresholds from development data only: `python -m bench.choose_thresholds`.

Reads the clean pages of the development sets, never a test page:
- the real article pages' development half (bench/realpages, English pages only);
- the calibration reference text (models/en/reference.txt, held out from the model's training text);
- the built news pages' development split (bench/data.py: Brown press and ABC stories, never the calibration
  stories), rendered as HTML by bench/pages.py.
The first two are also the calibration's own reference, so their pages are scored *leave-one-out*: each
against a calibration fitted without it (`scoring.scorer.ReferenceMeasurements.held_out_scores`), as an unseen
page is. In-sample, a reference page can never be beyond the top of the reference, so thresholds chosen on
in-sample scores sit just above the development maximum and flag unseen clean pages more often than they say
(the last in-sample choice dropped 4 of 96 test-half pages after dropping none of the development half).
The built pages are scored by the default `Scorer`.

A threshold must hold on pages nobody has seen, and a sample of n clean pages cannot show a rate below about
1/(n + 1): an unseen page lies beyond the highest of n with that probability. So each set's tail is
extrapolated: scores become "tail depths" z = -ln(1 - score) (linear in the raw measurement beyond the
calibration's 99th percentile), the top tenth of the real pages' depths is fitted with an exponential tail
(peaks over a threshold), and the threshold is the depth at which that tail expects `MAX_UNSEEN_RATE[action]`
of unseen real pages: a quarter of one percent for a signal that drops (issue 10's 0.5% of real pages
dropped, shared by two signals), 1.5% for one that tags (its 3% tagged, shared by two). The other two sets are
guards: the threshold flags no clean page of any set, whatever the fit says. It is rounded up to a grid of
1e-6 and never below FLOOR.

Prints the thresholds as JSON (`--json`) or as a table with what each flags on each set. scoring/config.py's
DEFAULT_THRESHOLDS are this script's output; tests/test_thresholds.py checks that they still are.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

from scoring.config import DEFAULT_ACTIONS, SIGNAL_NAMES, QualityConfig
from scoring.report import DROP, TAG

MAX_UNSEEN_RATE = {DROP: 0.0025, TAG: 0.015}  # share of unseen clean pages a signal may flag, by its action
TAIL_SHARE, MIN_TAIL = 0.1, 5                  # the top tenth of a set (at least 5 pages) is its tail
GRID = 1_000_000                               # thresholds are multiples of 1 / GRID
FLOOR = 0.99                                   # never below "beyond 99% of the calibration reference"


def real_dev_pages() -> list[tuple[str, bytes]]:
    """The pages the default model is calibrated on (models/build_default.calibration_pages)."""
    from models.build_default import calibration_pages

    return list(calibration_pages())


def built_dev_pages() -> list[tuple[str, str]]:
    from .corrupt import clean
    from .data import load_articles
    from .pages import render_html

    return [(a.id, render_html(clean(a))) for a in load_articles() if a.split == "dev"]


def clean_scores(pages, scorer) -> dict[str, np.ndarray]:
    """Each signal's score on every page the scorer judged (scored or too short; not other statuses)."""
    scores: dict[str, list[float]] = {name: [] for name in SIGNAL_NAMES}
    for page_id, html in pages:
        report = scorer.score_html(html, page_id)
        if report.status not in ("scored", "too_short"):
            continue
        for name in SIGNAL_NAMES:
            scores[name].append(report.signals[name].score if name in report.signals else 0.0)
    return {name: np.asarray(v) for name, v in scores.items()}


def held_out_scores(measurements, kind: str) -> dict[str, np.ndarray]:
    """Leave-one-out scores of the reference pages of `kind` ("html" or "text"), per signal."""
    by_page = measurements.held_out_scores(kind)
    return {name: np.asarray([scores.get(name, 0.0) for scores in by_page.values()]) for name in SIGNAL_NAMES}


def tail_depth(scores: np.ndarray) -> np.ndarray:
    """-ln(1 - score): how far into the clean tail a score lies (1 at 0.63, 4.6 at 0.99, 6.9 at 0.999)."""
    return -np.log1p(-np.minimum(np.asarray(scores, dtype=float), 1.0 - 1e-15))


def extrapolated_depth(depths: np.ndarray, rate: float) -> float:
    """The depth that unseen pages of this set exceed with probability `rate`, by an exponential tail.

    Peaks over a threshold: with u the (k+1)-th largest of n depths, P(Z > u + x) = k/n * exp(-x / scale),
    the scale being the mean excess of the top k over u (its maximum-likelihood estimate). Never below the
    set's own maximum: a threshold that flags a development page is already known to be too low.
    """
    ranked = np.sort(depths)[::-1]
    n = len(ranked)
    k = min(max(MIN_TAIL, math.ceil(TAIL_SHARE * n)), n - 1)
    if k < 1:
        return float(ranked[0]) if n else 0.0
    u = float(ranked[k])
    scale = float(np.mean(ranked[:k] - u))
    return max(u + scale * math.log(max(k / (n * rate), 1.0)), float(ranked[0]))


def threshold_for(real: np.ndarray, guards: list[np.ndarray], rate: float) -> float:
    """Smallest grid value >= FLOOR beyond the real pages' extrapolated depth for `rate` and beyond every
    clean page of the guard sets."""
    depths = [extrapolated_depth(tail_depth(real), rate)] if len(real) else []
    depths += [float(tail_depth(scores).max()) for scores in guards if len(scores)]
    above = math.floor((1.0 - math.exp(-max(depths, default=0.0))) * GRID + 1) / GRID   # the next grid value
    return min(max(FLOOR, above), 1.0)


def choose(scorer=None) -> tuple[dict[str, float], dict]:
    from scoring.scorer import Scorer, measure_reference

    config = QualityConfig()
    scorer = scorer or Scorer(config)
    model = Path(config.models["en"])
    measurements = measure_reference(model, model.parent / "reference.txt", progress=None, pages=real_dev_pages())
    sets = {"real pages (dev half, English, leave-one-out)": held_out_scores(measurements, "html"),
            "reference text (leave-one-out)": held_out_scores(measurements, "text"),
            "built pages (dev split)": clean_scores(built_dev_pages(), scorer)}
    chosen, detail = {}, {}
    for name in SIGNAL_NAMES:
        action = DEFAULT_ACTIONS[name]
        real, *guards = (s[name] for s in sets.values())
        chosen[name] = threshold_for(real, guards, MAX_UNSEEN_RATE[action])
        detail[name] = {label: {"pages": int(len(s[name])), "flagged": int((s[name] >= chosen[name]).sum()),
                                "max": float(s[name].max()) if len(s[name]) else None}
                        for label, s in sets.items()}
    return chosen, detail


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.choose_thresholds", description=__doc__.split("\n")[0])
    p.add_argument("--json", action="store_true", help="print only {signal: threshold}")
    args = p.parse_args(argv)
    chosen, detail = choose()
    if args.json:
        print(json.dumps(chosen, sort_keys=True))
        return 0
    print("signal       action  threshold  " + "  ".join(f"{label}: flagged/pages (max)" for label in
                                                          next(iter(detail.values()))))
    for name, t in chosen.items():
        cells = "  ".join(f"{d['flagged']}/{d['pages']} ({d['max']:.6f})" for d in detail[name].values())
        print(f"{name:12s} {DEFAULT_ACTIONS[name]:6s}  {t:.6f}   {cells}")
    print(json.dumps(chosen, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
