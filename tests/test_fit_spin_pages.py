"""bench/fit_spin_pages.py: its vectorised page statistic is the spin signal's own, for any weights."""
from __future__ import annotations

import numpy as np
import pytest

from bench.fit_spin_pages import PageStatistic, with_weights
from scoring.scorer import ModelBundle, prepare
from scoring.segment import blocks_from_text
from scoring.signals.spin import WEIGHTS, SpinSignal, in_tortured_phrases, tortured_phrases

TEXTS = [
    "The city council approved a new budget on Tuesday after a long debate about road repairs and public transport. "
    "The mayor said the plan would reduce traffic in the centre.",
    "The firm documented sturdy quarterly profits final month. Researchers in counterfeit consciousness built a "
    "colossal information framework due to the fact that the main executive wanted it.",
]


@pytest.fixture(scope="module")
def rows(default_model) -> list[dict]:
    bundle, signal, out = ModelBundle.load("en", default_model), SpinSignal(), []
    for text in TEXTS:
        doc, ctx = prepare(blocks_from_text(text), bundle)
        words, features = signal.trials(doc, ctx)
        in_phrase, untried = in_tortured_phrases(words, tortured_phrases(doc))
        doc, ctx = prepare(blocks_from_text(text), bundle)
        result = signal.score(doc, ctx)
        out.append({"n": len(words), "features": features.astype(np.float32), "in_phrase": in_phrase,
                    "untried": untried, "rewrite_llr": result.features["rewrite_llr"], "raw": result.features["raw"]})
    return out


def test_the_current_weights_give_the_signals_statistic(rows):
    assert rows[1]["untried"] or rows[1]["in_phrase"].any()     # the tortured-phrase path is exercised
    assert with_weights({"x": rows}, WEIGHTS)["x"][0]["raw"] == pytest.approx(rows[0]["raw"], abs=1e-5)
    assert PageStatistic(rows)(WEIGHTS) == pytest.approx([r["raw"] for r in rows], abs=1e-5)


def test_other_weights_give_what_the_signal_would_compute(rows):
    other = WEIGHTS + np.random.default_rng(0).normal(0, 0.3, len(WEIGHTS))
    one_by_one = [r["raw"] for r in with_weights({"x": rows}, other)["x"]]
    assert PageStatistic(rows)(other) == pytest.approx(one_by_one, rel=1e-9)
    assert one_by_one != pytest.approx([r["raw"] for r in rows], abs=1e-3)   # the weights matter
