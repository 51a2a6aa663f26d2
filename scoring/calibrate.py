"""Calibration: raw signal measurements become scores in [0, 1] against clean reference text.

When a model is built, every signal is run over pseudo-pages of clean reference text (held out from the
model's training text) scored by that very model; the quantiles of each signal's raw measurement are
stored in the model card. A page's score for a signal is then the share of clean reference pages whose
raw measurement is below the page's, so a threshold of 0.99 means "more extreme than 99% of clean text"
whichever model is loaded. Past the largest reference value the score keeps rising smoothly towards 1,
so that ranking (and ROC-AUC) is kept in the tail.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

QUANTILES = np.linspace(0.0, 1.0, 101)


@dataclass
class Calibration:
    # signal name -> 101 quantiles (0%..100%) of its raw measurement on clean reference pages
    quantiles: dict[str, list[float]] = field(default_factory=dict)

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
            # the top 1% and beyond: 0.99 .. 1.0, still rising so that ranking is kept
            spread = max(float(qs[75] - qs[25]), float(qs[-1] - q99), 0.05)  # floor: raw values are ~unit scale
            return float(1.0 - 0.01 * math.exp(-(raw - q99) / spread))
        # share of clean reference pages below raw (linear between stored quantiles)
        return float(np.interp(raw, qs[:100], QUANTILES[:100], left=0.0))

    @classmethod
    def fit(cls, raw_by_signal: dict[str, list[float]]) -> "Calibration":
        return cls({
            name: [float(v) for v in np.quantile(np.asarray(values, dtype=float), QUANTILES)]
            for name, values in raw_by_signal.items() if values
        })

    def to_dict(self) -> dict:
        return {"quantiles": self.quantiles}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Calibration":
        return cls(dict((data or {}).get("quantiles", {})))
