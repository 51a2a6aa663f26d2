"""The default thresholds are what the committed script chooses from development data, and they mean it."""
from __future__ import annotations

import pytest

from bench import choose_thresholds
from scoring.config import DEFAULT_THRESHOLDS


def test_the_tail_fit_expects_the_rate_it_is_asked_for():
    """Fitted on the top tenth of 300 clean scores, the threshold for 0.1% (below the 1/301 that "flag none of
    them" gives) flags about 0.1% of fresh clean pages."""
    import numpy as np

    rng = np.random.default_rng(3)
    depth = lambda n: 4.0 + rng.exponential(0.6, n)              # noqa: E731 - tail depths of clean pages
    to_scores = lambda d: 1.0 - np.exp(-d)                        # noqa: E731
    flagged = []
    for _ in range(40):
        t = choose_thresholds.threshold_for(to_scores(depth(300)), [], 0.001)
        flagged.append(np.mean(to_scores(depth(100_000)) >= t))
    assert 0.0005 < np.median(flagged) < 0.002


def test_the_threshold_flags_no_clean_development_page():
    import numpy as np

    real = np.array([0.5] * 95 + [0.991, 0.992, 0.993, 0.995, 0.9985])
    assert choose_thresholds.threshold_for(real, [], 0.5) == 0.998501                 # the rate allows more
    assert choose_thresholds.threshold_for(real, [np.array([0.99991])], 0.5) == 0.999911  # a guard set's page
    assert choose_thresholds.threshold_for(np.array([0.2, 0.3]), [], 0.01) == choose_thresholds.FLOOR
    assert choose_thresholds.threshold_for(real, [], 0.0025) > choose_thresholds.threshold_for(real, [], 0.015)


@pytest.mark.slow
def test_configured_defaults_are_what_the_script_chooses(default_model):
    chosen, detail = choose_thresholds.choose()
    assert chosen == pytest.approx(DEFAULT_THRESHOLDS, abs=2e-6), (
        f"scoring/config.py DEFAULT_THRESHOLDS {DEFAULT_THRESHOLDS} differ from bench.choose_thresholds {chosen}: "
        "rerun `python -m bench.choose_thresholds` and update config.py")
    for name, sets in detail.items():
        for label, d in sets.items():
            assert d["pages"] >= 50, label
            assert d["flagged"] == 0, (name, label, d)


def test_leave_one_out_scores_a_reference_page_as_an_unseen_one():
    """In-sample, the top reference page sits at the top of its own calibration; left out, it lies beyond the
    rest, as an unseen page with that measurement would. Block signals are calibrated on web pages alone."""
    from scoring.scorer import ReferenceMeasurements, ReferencePage

    m = ReferenceMeasurements()
    for i in range(200):
        m.pages.append(ReferencePage(f"text#{i}", "text", 300, {"split": (i / 100, 1.0), "injection": (5.0, 1.0)}))
    for i in range(50):
        m.pages.append(ReferencePage(f"html#{i}", "html", 300, {"split": (i / 50, 1.0), "injection": (i / 50, 1.0)}))
    m.pages.append(ReferencePage("top", "html", 300, {"split": (4.0, 1.0), "injection": (4.0, 0.5)}))
    full = m.calibration()
    assert full.quantiles["injection"][-1] == 4.0          # the text pages' 5.0 is not in the block reference
    held_out = m.held_out_scores("html")
    assert set(held_out) == {f"html#{i}" for i in range(50)} | {"top"}
    assert held_out["top"]["split"] > full.score("split", 4.0)
    assert held_out["top"]["injection"] == pytest.approx(0.5 * m.calibration(exclude="top").score("injection", 4.0))
    assert held_out["top"]["injection"] > 0.5 * full.score("injection", 4.0)
