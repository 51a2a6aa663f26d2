"""Fit the spin signal's per-word model on development data: `python -m bench.fit_spin [--write]`.

The spin signal (scoring/signals/spin.py) puts every content word on trial and combines the trial's features
(`spin.FEATURES`) by logistic regression into the log-odds that a spinner swapped the word in. This script
refits those weights for the model in use, on development data only:
- the built benchmark's development articles (bench/data.py: Brown press and ABC stories of the dev split) and
  the article text of the real pages' development half (bench/realpages, English pages);
- each spun at 20% of its content words by the WordNet and LibreOffice MyThes families (bench/spinners.py).
  The Moby family is kept out of the fit so that the benchmark keeps a spinner the detector neither reads nor
  was fitted on, and the held-out phrase family is test-only by construction;
- a trial word is positive when its span overlaps a swapped span; the words of the unspun articles are
  negatives too (clean text, not only the untouched words of a spun page).
The fit is L2-regularised logistic regression (Newton's method; numpy). PRIOR_ODDS is the swapped:kept ratio of
the fitting words, which the page statistic divides out.

`--write` stores the result in scoring/data/spin_weights.json (read by the spin signal at import), with the
data it came from. Rebuild the default model's calibration afterwards (`make model`), then re-choose the
thresholds (`python -m bench.choose_thresholds`) and compare `python -m bench.run --split dev --sections realpages`.

Measured 2026-11-26 with the mixed default model, and not adopted: the refit raises the word-level ROC-AUC
(WordNet 0.790 -> 0.804, MyThes 0.756 -> 0.773) but lowers the page-level recall at 1% FPR on the real pages'
dev half (spin 10%: 78% -> 37%; Moby 20%: 84% -> 46%; MyThes 20%: 88% -> 62%): the page statistic depends on how
clean pages' words spread in the tail, which a per-word fit does not see. The weights in use are still the first
fit's (see the JSON's `fitted_by`). Fitting them for the page statistic itself (bench/fit_spin_pages.py) was
measured too and does not carry over between halves of the development pages.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "scoring" / "data" / "spin_weights.json"
FAMILIES = ("wordnet", "mythes")   # fitted on; "moby" stays unseen, "phrase" and "rewriter" are test-only
RATE = 0.2
L2 = 1.0                           # ridge penalty on every weight but the bias
SEED = 0


def dev_articles() -> list:
    """Development articles: built (Brown press, ABC) and the real pages' dev-half article text."""
    from .data import Article, load_articles
    from .realpages import is_english, load_pages

    built = [a for a in load_articles() if a.split == "dev"]
    real = [Article(p.id, "realpages", "", [line.strip() for line in p.article.splitlines() if line.strip()])
            for p in load_pages("dev") if is_english(p)]
    return built + real


def word_rows(article, family: str, bundle, signal) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels (1 = swapped) of every content word on trial (by `signal`, a SpinSignal) in the spun
    article, scored with the model `bundle`."""
    from scoring.scorer import prepare
    from scoring.segment import blocks_from_text

    from .spinners import spin

    if family == "clean":
        paragraphs, parts = list(article.paragraphs), []
    else:
        rng = random.Random(f"{SEED}:{article.id}:{family}")
        parts, _ = spin(article, RATE, rng, family, split="dev")
        paragraphs = [p.texts[0] for p in parts]
    doc, ctx = prepare(blocks_from_text("\n".join(paragraphs)), bundle)
    truth = truth_spans(doc.text, parts, paragraphs)
    words, features = signal.trials(doc, ctx)
    labels = np.array([any(a < t.sentence.spans[t.index][1] and t.sentence.spans[t.index][0] < b for a, b in truth)
                       for t in words], dtype=np.float64)
    return features, labels


def truth_spans(text: str, parts, paragraphs: list[str]) -> list[tuple[int, int]]:
    """The corrupted spans of the `parts` (bench.corrupt.Part, one per paragraph) as offsets into the page `text`."""
    truth, pos = [], 0
    for part, paragraph in zip(parts, paragraphs):
        at = text.find(paragraph, pos)
        if at < 0:  # a paragraph the text loader reshaped (stripped): its spans cannot be located, leave it out
            continue
        truth += [(at + s, at + e) for _, s, e in part.spans]
        pos = at + len(paragraph)
    return truth


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2, iterations: int = 50) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method; the last column is the bias (not penalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w


def default_bundle():
    """The default English model with its calibration and synonym table."""
    from scoring.config import QualityConfig
    from scoring.scorer import ModelBundle

    return ModelBundle.load("en", QualityConfig().models["en"])


def main(argv: list[str] | None = None) -> int:
    from scoring.signals.spin import FEATURES, WEIGHTS, SpinSignal

    from .metrics import roc_auc

    parser = argparse.ArgumentParser(prog="python -m bench.fit_spin", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write the weights to {OUT.relative_to(OUT.parents[2])}")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    bundle = default_bundle()
    signal = SpinSignal()
    articles = dev_articles()
    xs, ys, fams = [], [], []
    for article in articles:
        for family in ("clean", *FAMILIES):
            x, y = word_rows(article, family, bundle, signal)
            xs.append(x)
            ys.append(y)
            fams += [family] * len(y)
    x, y, fams = np.vstack(xs), np.concatenate(ys), np.array(fams)
    weights = fit_logistic(x, y)
    prior_odds = float(y.sum() / (len(y) - y.sum()))
    print(f"{len(articles)} dev articles x {len(FAMILIES)} families: {len(y):,} content words on trial, "
          f"{int(y.sum()):,} swapped; {time.perf_counter() - started:.0f} s")
    print("word-level ROC-AUC on the fitting words (in-sample), old weights -> new:")
    for family in FAMILIES:
        m = fams == family
        print(f"  {family:8s} {roc_auc(x[m & (y == 0)] @ WEIGHTS, x[m & (y == 1)] @ WEIGHTS):.3f} -> "
              f"{roc_auc(x[m & (y == 0)] @ weights, x[m & (y == 1)] @ weights):.3f}")
    print_weight_changes(FEATURES, WEIGHTS, weights, width=22)
    if args.write:
        write_weights(OUT, "fit_spin", FEATURES, weights, prior_odds, bundle, digits=4, data={
            "articles": len(articles), "families": list(FAMILIES), "rate": RATE, "seed": SEED,
            "words": int(len(y)), "swapped": int(y.sum()), "l2": L2})
    return 0


def print_weight_changes(features, old, new, width: int) -> None:
    for name, before, after in zip(features, old, new):
        print(f"  {name:{width}s} {before:+.3f} -> {after:+.3f}")


def write_weights(out: Path, script: str, features, weights, prior_odds: float, bundle, digits: int,
                  data: dict) -> None:
    """A signal's fitted logistic weights as data beside its code (read by scoring.signals.stats.load_weights)."""
    out.write_text(json.dumps({
        "features": list(features),
        "weights": [round(float(w), digits) for w in weights],
        "prior_odds": round(prior_odds, 4),
        "fitted_by": f"python -m bench.{script} --write (bench/{script}.py)",
        "data": data,
        "model": bundle.card.get("model"), "model_created": bundle.card.get("created"),
    }, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    sys.exit(main())
