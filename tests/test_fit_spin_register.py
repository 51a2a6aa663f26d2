"""bench/fit_spin_register.py: its offline scan of the mixture share recomputes exactly the statistic the spin signal
computes, and its choice of share avoids a knife edge."""
from __future__ import annotations

import numpy as np
import pytest

from bench.fit_spin_register import MAX_AUC_LOSS, choose_share, with_share
from scoring.scorer import ModelBundle, prepare
from scoring.segment import blocks_from_text
from scoring.signals.spin import WEIGHTS, SpinSignal

CLEAN = ("The city council approved a new budget on Tuesday after a long debate about road repairs and public "
         "transport. The mayor said the plan would reduce traffic in the centre and improve safety for children "
         "walking to school.\nThe company that runs the bus network reported strong quarterly profits last month. "
         "Its chief executive said the firm was ready to hire more drivers and buy electric vehicles.")
SPUN = ("The city council sanctioned a fresh budget on Tuesday after a prolonged argument about road repairs and "
        "populace transport. The mayor said the design would trim traffic in the midpoint and better safety for "
        "children walking to school.\nThe firm that runs the bus network documented sturdy quarterly profits final "
        "month. Its main executive said the house was ready to employ more drivers and purchase electrical vehicles.")


@pytest.fixture(scope="module")
def bundle(default_model) -> ModelBundle:
    return ModelBundle.load("en", default_model)


def measured(text: str, bundle: ModelBundle, share: float) -> dict:
    signal = SpinSignal(spun_share=share)
    doc, ctx = prepare(blocks_from_text(text), bundle)
    _, features = signal.trials(doc, ctx)
    doc, ctx = prepare(blocks_from_text(text), bundle)
    result = signal.score(doc, ctx)
    return {"raw": result.features["raw"], "rewrite_llr": result.features["rewrite_llr"],
            "log_odds": (features @ WEIGHTS).astype(np.float32), "n": len(features)}


@pytest.mark.parametrize("text", [CLEAN, SPUN])
def test_share_scan_recomputes_the_signal_statistic(text, bundle):
    # (0.01, not the default 0.03: with the sharpened log-odds the spun text's statistic is about equal at 0.03 and 0.3)
    low, high = measured(text, bundle, 0.01), measured(text, bundle, 0.3)
    assert abs(low["raw"] - high["raw"]) > 0.05          # the share matters ...
    assert with_share({"x": [low]}, 0.3)["x"][0]["raw"] == pytest.approx(high["raw"], abs=1e-4)  # ... as recomputed
    assert with_share({"x": [high]}, 0.01)["x"][0]["raw"] == pytest.approx(low["raw"], abs=1e-4)


def _result(recall_at_threshold: float, auc: float = 0.95) -> dict:
    return {"table": {("moby", 0): (auc, 0.5, 0.8, recall_at_threshold), ("wordnet", 0): (auc, 0.8, 0.9, 0.5)}}


def test_choice_avoids_a_knife_edge_and_auc_losses():
    # mean recall at threshold (with a second row at 0.5): 0.25, 0.7, 0.55, 0.6, 0.7, 0.6, 0.4
    results = {0.01: _result(0.0), 0.02: _result(0.9), 0.03: _result(0.6), 0.05: _result(0.7),
               0.1: _result(0.9, auc=0.95 - 2 * MAX_AUC_LOSS), 0.15: _result(0.7), 0.2: _result(0.3)}
    chosen, robust = choose_share(results, current=0.15)
    # 0.02 is best alone but next to a share that drops nothing; 0.1 would be best but loses ROC-AUC
    assert robust[0.02] == pytest.approx(0.25) and robust[0.1] == pytest.approx(0.6)
    assert chosen == 0.03 and robust[0.03] == pytest.approx(0.55)
