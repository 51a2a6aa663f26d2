"""Experiment for issue 11 (not part of the build): would page-adaptive interpolation meet the perplexity targets?

    python -m models.adaptation_experiment     # after `make model`; ~1 min

The default model is one static mixture of our 5-gram and CMU Sphinx's trigram with one global weight (λ = 0.442
for ours), and it misses issue 11's targets: documentation ≤ 332, ABC news ≤ 500, real pages ≤ 600. This script
scores the texts of models/perplexity_table.py with both component models (KenLM binaries of .cache/model/*.arpa)
and prints the per-token perplexity of four per-token (dynamic) mixtures, all proper predictive distributions
(each weight depends only on what came before the token):

- global: p = λ p_ours + (1 - λ) p_sphinx, the card's λ;
- context buckets: λ chosen by the n-gram orders the two models matched at the *previous* token (a property of
  the context), fitted by EM on the three held-out sets the card's λ was fitted on, each weighted equally;
- causal adaptation: λ re-estimated along the page from the posterior shares of the tokens already seen
  (a prior of `PRIOR` tokens at the global λ);
- causal adaptation plus a unigram cache of the page's words so far (Kuhn & De Mori's cache model), weight
  `CACHE_WEIGHT`: p = (1 - c) p_mix + c * count(w in page so far) / (words so far).

"A page" is a run of `WINDOW` tokens: the texts are sentence lists without page boundaries.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from models.perplexity_table import CACHE, ROOT, binary, texts

GLOBAL_WEIGHT = 0.4421    # the card's mixture weight of our model (models/en/en.card.json: mixture.weights)
PRIOR = 10.0              # causal adaptation: tokens' worth of belief in the global weight at a page's start
WINDOW = 500              # tokens per "page"
CACHE_WEIGHTS = (0.03, 0.07, 0.12)
ORDERS_OURS, ORDERS_SPHINX = 5, 4  # matched orders 0 (unknown word) .. 4 (capped) and 0 .. 3: the buckets


class Scored:
    """Each token's probability under both models (0 where a model lacks the word; each model's <unk> where
    both do, as models/mix_lm.token_probabilities), the orders matched at the previous token, and the words."""

    def __init__(self, ours, sphinx, sentences: list[list[str]]):
        pa, pb, ctx_a, ctx_b, self.words = [], [], [], [], []
        for tokens in sentences:
            line = " ".join(tokens)
            prev_a = prev_b = 1
            for (la, na, oov_a), (lb, nb, oov_b) in zip(ours.full_scores(line), sphinx.full_scores(line)):
                both = oov_a and oov_b
                pa.append(10 ** la if both or not oov_a else 0.0)
                pb.append(10 ** lb if both or not oov_b else 0.0)
                ctx_a.append(prev_a)
                ctx_b.append(prev_b)
                prev_a, prev_b = (0 if oov_a else na), (0 if oov_b else nb)
            self.words += [*tokens, "</s>"]
        self.pa, self.pb = np.asarray(pa), np.asarray(pb)
        self.bucket = np.minimum(ctx_a, ORDERS_OURS - 1) * ORDERS_SPHINX + np.minimum(ctx_b, ORDERS_SPHINX - 1)


def perplexity(p: np.ndarray) -> float:
    return float(10 ** -np.mean(np.log10(np.maximum(p, 1e-99))))


def fit_buckets(sets: list[Scored], iterations: int = 100) -> np.ndarray:
    """EM for one λ per context bucket, each set weighted equally."""
    n = ORDERS_OURS * ORDERS_SPHINX
    lam = np.full(n, 0.5)
    for _ in range(iterations):
        num, den = np.zeros(n), np.zeros(n)
        for s in sets:
            weight = lam[s.bucket]
            total = weight * s.pa + (1 - weight) * s.pb
            share = np.where(total > 0, weight * s.pa / np.maximum(total, 1e-300), 0.5)
            num += np.bincount(s.bucket, weights=share / len(s.pa), minlength=n)
            den += np.bincount(s.bucket, minlength=n) / len(s.pa)
        lam = np.clip(np.where(den > 0, num / np.maximum(den, 1e-300), 0.5), 1e-4, 1 - 1e-4)
    return lam


def causal(s: Scored, cache_weight: float = 0.0) -> float:
    """Perplexity with λ adapted along each page from the tokens already seen, and an optional word cache."""
    logs = np.empty(len(s.pa))
    for start in range(0, len(s.pa), WINDOW):
        num, den, cache, seen = PRIOR * GLOBAL_WEIGHT, PRIOR, Counter(), 0
        for i in range(start, min(start + WINDOW, len(s.pa))):
            lam = num / den
            p = lam * s.pa[i] + (1 - lam) * s.pb[i]
            if seen and cache_weight:
                p = (1 - cache_weight) * p + cache_weight * cache[s.words[i]] / seen
            logs[i] = np.log10(max(p, 1e-99))
            mixed = lam * s.pa[i] + (1 - lam) * s.pb[i]
            if mixed > 0:
                num, den = num + lam * s.pa[i] / mixed, den + 1
            if s.words[i] != "</s>":
                cache[s.words[i]] += 1
                seen += 1
    return float(10 ** -np.mean(logs))


def main() -> int:
    import kenlm

    from models.build_default import heldout_sets
    from scoring.train import sentence_lines

    ours, sphinx = (kenlm.Model(str(binary(CACHE / f"{name}.arpa"))) for name in ("own", "sphinx"))
    held = heldout_sets(Path(ROOT) / "models" / "en" / "reference.txt")
    fitted = fit_buckets([Scored(ours, sphinx, [line.split() for line in sentence_lines(paras)])
                          for paras in held.values()])
    head = ["text", "tokens", "global λ", "context buckets", "causal λ"] + [f"causal λ + cache {c}" for c in
                                                                            CACHE_WEIGHTS]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for name, sentences in texts().items():
        s = Scored(ours, sphinx, sentences)
        row = [name, f"{len(s.pa):,}", perplexity(GLOBAL_WEIGHT * s.pa + (1 - GLOBAL_WEIGHT) * s.pb),
               perplexity(fitted[s.bucket] * s.pa + (1 - fitted[s.bucket]) * s.pb), causal(s)]
        row += [causal(s, c) for c in CACHE_WEIGHTS]
        print("| " + " | ".join(v if isinstance(v, str) else f"{v:,.0f}" for v in row) + " |")
    print(f"\ncontext-bucket weights of our model (rows: our matched order 0..{ORDERS_OURS - 1}, columns: Sphinx's "
          f"0..{ORDERS_SPHINX - 1}):\n{np.round(fitted.reshape(ORDERS_OURS, ORDERS_SPHINX), 2)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
