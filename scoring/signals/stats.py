"""The scoring arithmetic the signals share: clipping, the logistic link, noisy-OR evidence, the mixture page
statistic, the choice of evidence to show, and fitted logistic weights."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Callable, Iterable, TypeVar

import numpy as np

T = TypeVar("T")


def clip(x: float, lo: float, hi: float) -> float:
    """`x` bounded to [lo, hi] (a float's np.clip without numpy's cost)."""
    return lo if x < lo else hi if x > hi else x


def logistic(log_odds: float) -> float:
    """The probability of these log-odds."""
    return 1.0 / (1.0 + math.exp(-log_odds))


def noisy_or(p: float, q: float) -> float:
    """Probability that at least one of two independent pieces of evidence holds (q capped at 1)."""
    return 1.0 - (1.0 - p) * (1.0 - min(q, 1.0))


def mixture_log_likelihood_ratios(log_odds: np.ndarray, prior_odds: float, share: float) -> np.ndarray:
    """Per item, log P(item | a share `share` of the items is bad) / P(item | none is), from each item's
    log-odds of being bad (fitted with `prior_odds` bad:good, which is divided out). A signal's page statistic
    is their mean or sum; log-odds are capped at 30 so that exp stays finite."""
    ratio = np.exp(np.minimum(log_odds, 30.0)) / prior_odds
    return np.log1p(share * (ratio - 1.0))


def strongest(items: Iterable[T], strength: Callable[[T], float], limit: int, position: Callable[[T], float]
              ) -> list[T]:
    """The `limit` strongest items, in page order: the evidence a signal shows."""
    top = sorted(items, key=lambda item: -strength(item))[:limit]
    return sorted(top, key=position)


def load_weights(path: Path, features: tuple[str, ...], refit: str) -> tuple[np.ndarray, float]:
    """(weights, prior odds) of a logistic model fitted for `features` and stored as JSON (scoring/data/); `refit`
    is the command that refits them, named when the file does not fit the features."""
    fitted = json.loads(path.read_text(encoding="utf-8"))
    if tuple(fitted["features"]) != features:
        raise RuntimeError(f"{path} was fitted for other features; refit with `{refit}`")
    return np.array(fitted["weights"], dtype=np.float64), float(fitted["prior_odds"])
