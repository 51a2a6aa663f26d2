"""Calibration: a raw measurement becomes the share of clean reference pages it exceeds, with a fitted tail."""
from __future__ import annotations

import numpy as np
import pytest

from scoring.calibrate import Calibration, quantile_tail_scale, tail_scale


def exponential_reference(n: int, scale: float, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).exponential(scale, n)


def test_the_tail_scale_is_the_mean_excess_beyond_the_95th_percentile():
    values = exponential_reference(20_000, 0.7)
    assert tail_scale(values) == pytest.approx(0.7, rel=0.05)
    assert quantile_tail_scale(np.quantile(values, np.linspace(0, 1, 101))) == pytest.approx(0.7, rel=0.05)


def test_a_score_beyond_the_reference_is_the_rarity_the_fitted_tail_gives():
    """Fitted on 2,000 clean pages, a measurement as rare as 1 in 10,000 (true law) scores about 0.9999: within
    a factor of 2, the scale being fitted on 100 pages."""
    reference = exponential_reference(2_000, 1.0)
    calibration = Calibration.fit({"split": reference.tolist()})
    for rarity in (1e-3, 1e-4, 1e-5):
        raw = -np.log(rarity)                       # the exponential law's (1 - rarity)-quantile
        assert abs(np.log((1.0 - calibration.score("split", raw)) / rarity)) < np.log(2.0)
    scores = [calibration.score("split", raw) for raw in np.linspace(0, 30, 200)]
    assert all(a < b for a, b in zip(scores, scores[1:]) if b < 1.0)    # still rising: ranking is kept


def test_the_largest_reference_page_moves_the_tail_far_less_than_it_moved_the_old_one():
    """One more page far out (9 scales; 600 others reach about 7) changes the fitted tail scale by about 20%; the
    old tail's scale, the gap between the largest value and the 99th percentile, changed several times more."""
    new_change, old_change = [], []
    for seed in range(20):
        reference = exponential_reference(600, 1.0, seed)
        outlier = np.append(reference, 9.0)
        new_change.append(tail_scale(outlier) / tail_scale(reference) - 1.0)
        gap = [v.max() - np.quantile(v, 0.99) for v in (outlier, reference)]
        old_change.append(gap[0] / gap[1] - 1.0)
    assert np.median(new_change) < 0.3
    assert np.median(old_change) > 3 * np.median(new_change)


def test_a_card_without_tail_scales_estimates_them_from_its_quantiles():
    reference = exponential_reference(5_000, 0.5)
    fitted = Calibration.fit({"spin": reference.tolist()})
    old_card = Calibration.from_dict({"quantiles": fitted.quantiles})
    assert old_card.tail_scales == {}
    assert old_card.score("spin", 5.0) == pytest.approx(fitted.score("spin", 5.0), abs=1e-4)
    assert Calibration.from_dict(fitted.to_dict()) == fitted


def test_a_flat_reference_still_ranks_what_lies_beyond_it():
    calibration = Calibration.fit({"boilerplate": [0.0] * 500})
    assert 0.99 < calibration.score("boilerplate", 0.01) < calibration.score("boilerplate", 0.02) < 1.0


def test_a_reference_of_tied_counts_keeps_a_tail_when_its_top_page_is_held_out():
    """Chrome-block counts: most clean pages 0, a few 0.3..1.0, four tied at one block (1.0), one page at 1.5.
    Held out, the top page must not lie "beyond everything" (the excess of the ties over the 95th percentile
    is a rounding); the top decile's spread gives the tail its scale."""
    rest = [0.0] * 60 + [0.3, 0.5, 0.6, 0.67, 0.7, 0.8, 0.9, 0.94, 1.0, 1.0, 1.0, 1.0]
    values = np.asarray(rest)
    start = np.quantile(values, 0.95)
    assert np.mean(values[values > start] - start) < 0.05   # what the mean excess alone would take as the scale
    assert tail_scale(values) > 0.1
    held_out = Calibration.fit({"boilerplate": rest}).score("boilerplate", 1.5)
    assert 0.99 < held_out < 0.9999
