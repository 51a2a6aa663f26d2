"""Calibration: raw signal measurements become scores in [0, 1] against clean reference text.

When a model is built, every signal is run over pseudo-pages of clean reference text (held out from the
model's training text) scored by that very model; the quantiles of each signal's raw measurement are
stored in the model card. A page's score for a signal is then the share of clean reference pages whose
raw measurement is below the page's, so a threshold of 0.99 means "more extreme than 99% of clean text"
whichever model is loaded.

Beyond the 99th percentile the share is extrapolated: the top 5% of the reference is taken to have an
exponential tail (peaks over a threshold, the generalised Pareto law with shape 0) whose scale is the mean
excess of those pages over the 95th percentile (its maximum-likelihood estimate), or the top decile's spread
when that is larger (`tail_scale`: discrete raw values tie). A score of 0.999 then means
"as rare as one clean page in a thousand" by that tail, and the score keeps rising towards 1, so ranking
(and ROC-AUC) is kept. The old tail took its scale from the gap between the largest reference value and the
99th percentile, so it moved with one page (removing one bibliography page moved built-page scores by 0.007);
here the largest page is one of ~30.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

QUANTILES = np.linspace(0.0, 1.0, 101)
TAIL_FROM = 0.95         # quantile from which the reference's tail is fitted
MIN_TAIL_SCALE = 0.01    # raw units: a reference whose top 5% is flat (all zero) still ranks what lies beyond


@dataclass
class Calibration:
    # signal name -> 101 quantiles (0%..100%) of its raw measurement on clean reference pages
    quantiles: dict[str, list[float]] = field(default_factory=dict)
    # signal name -> scale of the exponential tail beyond the 95th percentile (cards from before it: estimated
    # from the stored 95th..99th percentiles)
    tail_scales: dict[str, float] = field(default_factory=dict)

    def score(self, signal: str, raw: float) -> float:
        """Calibrated score of a raw measurement (higher raw = more suspicious)."""
        if raw is None or not math.isfinite(raw):
            return 0.0
        q = self.quantiles.get(signal)
        if not q:
            # Uncalibrated (e.g. while the calibration itself is being built): a monotone squash.
            return float(1.0 - math.exp(-max(raw, 0.0)))
        qs = np.asarray(q)
        if raw <= qs[0]:
            return 0.0
        q99 = float(qs[99])
        if raw >= q99:
            # the top 1% and beyond: 0.99 .. 1.0 by the fitted tail, still rising so that ranking is kept
            scale = self.tail_scales.get(signal) or quantile_tail_scale(qs)
            return float(1.0 - 0.01 * math.exp(-(raw - q99) / scale))
        # share of clean reference pages below raw (linear between stored quantiles)
        return float(np.interp(raw, qs[:100], QUANTILES[:100], left=0.0))

    @classmethod
    def fit(cls, raw_by_signal: dict[str, list[float]]) -> "Calibration":
        values = {name: np.asarray(v, dtype=float) for name, v in raw_by_signal.items() if len(v)}
        return cls({name: [float(q) for q in np.quantile(v, QUANTILES)] for name, v in values.items()},
                   {name: tail_scale(v) for name, v in values.items()})

    def to_dict(self) -> dict:
        return {"quantiles": self.quantiles, "tail_scales": self.tail_scales}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Calibration":
        data = data or {}
        return cls(dict(data.get("quantiles", {})), dict(data.get("tail_scales", {})))


def tail_scale(values: np.ndarray) -> float:
    """The exponential tail's scale: the mean excess over the 95th percentile of the values beyond it (its
    maximum-likelihood estimate), or the spread of the top decile when that is larger.

    The spread, (q99 - q90) / ln 10, estimates the same scale for an exponential tail. It guards a reference
    whose raw values are discrete: the block signals count chrome blocks, so many clean pages tie at the 95th
    percentile, and the one or two pages beyond it made the mean excess 0.01 or 1.0 depending on which page
    was held out (a page left out scored 0.99999999 against the rest)."""
    start, q90, q99 = (float(q) for q in np.quantile(values, (TAIL_FROM, 0.90, 0.99)))
    beyond = values[values > start]
    mean_excess = float(np.mean(beyond - start)) if len(beyond) else 0.0
    return max(mean_excess, (q99 - q90) / math.log(10.0), MIN_TAIL_SCALE)


def quantile_tail_scale(qs: np.ndarray) -> float:
    """The tail scale from stored percentiles 95..99 alone (least squares; a p-quantile of the tail is
    q95 + scale * ln(0.05 / (1 - p)))."""
    first = round(TAIL_FROM * 100)
    depth = np.log((1.0 - TAIL_FROM) / (1.0 - QUANTILES[first:100]))
    excess = np.asarray(qs[first:100], dtype=float) - float(qs[first])
    return max(float(excess @ depth / (depth @ depth)), MIN_TAIL_SCALE)
