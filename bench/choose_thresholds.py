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
The built pages are scored by the default `Scorer`. A signal's threshold is the smallest value on a 0.0001
grid at which it flags at most `MAX_FLAGGED[action]` of the clean pages of *each* set: a signal that drops a
page must flag none of them (a dropped good page is lost), a signal that tags may flag 1.5% (the 3% tagged
target of issue 10 shared by the two tagging signals).

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
from scoring.report import DROP

MAX_FLAGGED = {DROP: 0.0, "tag": 0.015}  # share of each set's clean pages a signal may flag, by its action
GRID = 10_000                            # thresholds are multiples of 1 / GRID
FLOOR = 0.99                             # never below "beyond 99% of the calibration reference"


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


def threshold_for(sets: list[np.ndarray], max_flagged: float) -> float:
    """Smallest grid value >= FLOOR that flags (score >= t) at most `max_flagged` of each set."""
    t = FLOOR
    for scores in sets:
        if not len(scores):
            continue
        allowed = math.floor(max_flagged * len(scores))     # pages this set may have flagged
        ranked = np.sort(scores)[::-1]
        if allowed < len(ranked):
            above = ranked[allowed]                        # the highest score that must stay unflagged
            t = max(t, math.floor(above * GRID) / GRID + 1 / GRID)
    return round(min(t, 1.0), 4)


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
        chosen[name] = threshold_for([s[name] for s in sets.values()], MAX_FLAGGED[action])
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
        cells = "  ".join(f"{d['flagged']}/{d['pages']} ({d['max']:.4f})" for d in detail[name].values())
        print(f"{name:12s} {DEFAULT_ACTIONS[name]:6s}  {t:.4f}     {cells}")
    print(json.dumps(chosen, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
