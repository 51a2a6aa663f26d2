"""Detection and localisation metrics (numpy only).

- ROC-AUC by the rank statistic (Mann-Whitney U), ties counted half.
- Recall at a false-positive rate: the threshold is the clean pages' score quantile, a page is flagged when
  its score is strictly above it, so the measured FPR never exceeds the target (ties at the threshold stay
  unflagged; the FPR actually reached is reported next to the recall).
- Evidence localisation: an evidence span is correct when it overlaps a ground-truth span; precision is
  the share of evidence spans that are correct, recall the share of truth spans that some evidence overlaps.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def roc_auc(negatives, positives) -> float:
    """P(score of a random positive > score of a random negative), ties counting one half."""
    neg = np.asarray(negatives, dtype=float)
    pos = np.asarray(positives, dtype=float)
    if not len(neg) or not len(pos):
        return float("nan")
    scores = np.concatenate([neg, pos])
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    # average ranks over ties
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2.0 + 1.0
    ranks[order] = np.repeat(avg, counts)
    u = ranks[len(neg):].sum() - len(pos) * (len(pos) + 1) / 2.0
    return float(u / (len(neg) * len(pos)))


@dataclass
class OperatingPoint:
    threshold: float
    recall: float
    fpr: float          # reached on the negatives (<= the target)


def recall_at_fpr(negatives, positives, fpr: float) -> OperatingPoint:
    """Recall of `score > t` where t is the (1 - fpr) quantile of the negatives' scores."""
    neg = np.sort(np.asarray(negatives, dtype=float))
    pos = np.asarray(positives, dtype=float)
    if not len(neg) or not len(pos):
        return OperatingPoint(float("nan"), float("nan"), float("nan"))
    allowed = int(np.floor(fpr * len(neg) + 1e-9))  # negatives that may lie above the threshold
    threshold = float(neg[len(neg) - allowed - 1]) if allowed < len(neg) else float("-inf")
    return OperatingPoint(threshold, float((pos > threshold).mean()), float((neg > threshold).mean()))


def rates_at(negatives, positives, threshold: float) -> tuple[float, float]:
    """(recall, fpr) of the rule `score >= threshold` (the scorer's own flag rule)."""
    neg = np.asarray(negatives, dtype=float)
    pos = np.asarray(positives, dtype=float)
    recall = float((pos >= threshold).mean()) if len(pos) else float("nan")
    fpr = float((neg >= threshold).mean()) if len(neg) else float("nan")
    return recall, fpr


def rates_of_flags(neg_flags, pos_flags) -> tuple[float, float]:
    """(recall, fpr) of a boolean detector (e.g. a datatrove filter's drop decision)."""
    neg = np.asarray(neg_flags, dtype=bool)
    pos = np.asarray(pos_flags, dtype=bool)
    return (float(pos.mean()) if len(pos) else float("nan"), float(neg.mean()) if len(neg) else float("nan"))


@dataclass
class Localisation:
    evidence: int = 0            # evidence spans reported
    evidence_hits: int = 0       # of those, overlapping some truth span
    truth: int = 0               # truth spans
    truth_found: int = 0         # of those, overlapped by some evidence span

    def add(self, evidence: list[tuple[int, int]], truth: list[tuple[int, int]]) -> None:
        ev, tr = list(evidence), list(truth)
        self.evidence += len(ev)
        self.truth += len(tr)
        self.evidence_hits += sum(_overlaps_any(e, tr) for e in ev)
        self.truth_found += sum(_overlaps_any(t, ev) for t in tr)

    @property
    def precision(self) -> float:
        return self.evidence_hits / self.evidence if self.evidence else float("nan")

    @property
    def recall(self) -> float:
        return self.truth_found / self.truth if self.truth else float("nan")


def _overlaps_any(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    """Does `span` overlap one of `others`? A zero-width span (a boundary position p) counts as [p, p+1)."""
    s, e = span[0], max(span[1], span[0] + 1)
    return any(s < max(oe, os_ + 1) and os_ < e for os_, oe in others)
