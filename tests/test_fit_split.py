"""bench/fit_split.py: the split signal's stored weights match its feature list, and a refit on a small sample of
development articles agrees with them in sign where they carry the decision."""
from __future__ import annotations

import json

import numpy as np

from bench.fit_spin import default_bundle
from bench.fit_split import OUT, fit, fit_articles
from scoring.signals import split


def test_stored_weights_name_the_features_the_signal_computes():
    stored = json.loads(OUT.read_text(encoding="utf-8"))
    assert tuple(stored["features"]) == split.FEATURES
    assert len(stored["weights"]) == len(split.FEATURES) and 0 < stored["prior_odds"] < 1
    assert np.array_equal(split.WEIGHTS, np.array(stored["weights"]))


def test_a_refit_on_a_sample_keeps_the_sign_of_every_strong_weight():
    """Every third fitting article (news, fiction, essays), as written and broken. The weights of |w| >= 1 (the LM
    gain, a fragment ending in a function word, a very short next fragment, a plain full stop) keep their sign."""
    weights, prior_odds, _, labels = fit(fit_articles()[::3], default_bundle())
    assert 0 < prior_odds < 1 and labels.sum() > 500
    strong = [i for i, (name, w) in enumerate(zip(split.FEATURES, split.WEIGHTS)) if abs(w) >= 1 and name != "bias"]
    assert len(strong) >= 3
    flipped = [split.FEATURES[i] for i in strong if np.sign(weights[i]) != np.sign(split.WEIGHTS[i])]
    assert not flipped, flipped
