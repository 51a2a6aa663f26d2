"""bench/fit_spin.py: the logistic fit recovers known weights, and the spin signal's stored weights match its
feature list (the file a refit writes)."""
from __future__ import annotations

import json

import numpy as np

from bench.fit_spin import fit_logistic
from scoring.signals import spin


def test_logistic_fit_recovers_the_weights_that_made_the_labels():
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.normal(size=(20_000, 3)), np.ones(20_000)])
    true = np.array([1.5, -2.0, 0.0, -1.0])
    y = (rng.random(20_000) < 1 / (1 + np.exp(-(x @ true)))).astype(float)
    w = fit_logistic(x, y, l2=0.0)
    assert np.allclose(w, true, atol=0.1), w


def test_ridge_shrinks_every_weight_but_the_bias():
    rng = np.random.default_rng(1)
    x = np.column_stack([rng.normal(size=(2_000, 2)), np.ones(2_000)])
    y = (x[:, 0] + rng.normal(size=2_000) > 1).astype(float)
    free, ridge = fit_logistic(x, y, l2=0.0), fit_logistic(x, y, l2=5_000.0)
    assert abs(ridge[0]) < 0.5 * abs(free[0])
    assert np.isclose(1 / (1 + np.exp(-ridge[-1])), y.mean(), atol=0.05)  # the bias still fits the base rate


def test_stored_weights_name_the_features_the_signal_computes():
    stored = json.loads((spin.Path(spin.__file__).parent.parent / "data" / "spin_weights.json").read_text())
    assert tuple(stored["features"]) == spin.FEATURES
    assert len(stored["weights"]) == len(spin.FEATURES) and 0 < stored["prior_odds"] < 1
    assert np.array_equal(spin.WEIGHTS, np.array(stored["weights"]))
