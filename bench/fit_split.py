"""Fit the split signal's per-boundary model on development data: `python -m bench.fit_split [--write]`.

The split signal (scoring/signals/split.py) judges every sentence boundary inside a block and combines the
boundary's features (`split.FEATURES`) by logistic regression into the log-odds that the boundary is broken.
This script refits those weights for the model in use, on development data only:
- the development articles of bench/fit_spin.py (built Brown press and ABC dev stories, and the article text of
  the real pages' development half, English pages);
- each once as written and once with a period inserted mid-sentence (next word capitalised) in half of its
  sentences (bench.corrupt.split at RATE), as the first fit's data had;
- a boundary is positive when it falls on an inserted period; the boundaries of the unbroken articles are
  negatives too.
The fit is the L2-regularised logistic regression of bench/fit_spin.py. PRIOR_ODDS is the broken:real ratio of
the fitting boundaries, which the page statistic divides out.

`--write` stores the result in scoring/data/split_weights.json (read by the split signal at import), with the
data it came from. The weights in use are the first fit's (the JSON's `fitted_by`): any change of them changes
the scores, so rebuild the default model's calibration afterwards (`make model`), re-choose the thresholds
(`python -m bench.choose_thresholds`) and compare `python -m bench.run --split dev --sections realpages`.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

from .fit_spin import L2, SEED, default_bundle, dev_articles, fit_logistic, print_weight_changes, truth_spans, \
    write_weights

OUT = Path(__file__).resolve().parent.parent / "scoring" / "data" / "split_weights.json"
RATE = 0.5  # share of an article's sentences broken by an inserted period


def boundary_rows(article, broken: bool, bundle) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels (1 = broken) of every boundary the split signal judges in the article, as written or
    with periods inserted, scored with the model `bundle`."""
    from scoring.scorer import prepare
    from scoring.segment import blocks_from_text
    from scoring.signals.split import boundaries

    from .corrupt import split

    if broken:
        parts, _ = split(article, RATE, random.Random(f"{SEED}:{article.id}:split"))
        paragraphs = [p.texts[0] for p in parts]
    else:
        parts, paragraphs = [], list(article.paragraphs)
    doc, ctx = prepare(blocks_from_text("\n".join(paragraphs)), bundle)
    truth = truth_spans(doc.text, parts, paragraphs)
    found, features = boundaries(doc, ctx)
    # a boundary spans the end of the fragment before to the first word after; an inserted period sits there
    labels = np.array([any(a < bd.after.spans[0][1] and bd.before.spans[-1][1] < b for a, b in truth)
                       for bd in found], dtype=np.float64)
    return features, labels


def fit(articles, bundle) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """(weights, prior odds, features, labels) fitted on the boundaries of the articles, clean and broken."""
    xs, ys = [], []
    for article in articles:
        for broken in (False, True):
            x, y = boundary_rows(article, broken, bundle)
            xs.append(x)
            ys.append(y)
    x, y = np.vstack(xs), np.concatenate(ys)
    return fit_logistic(x, y), float(y.sum() / (len(y) - y.sum())), x, y


# -- the per-block cap of the page statistic (SplitSignal.max_block_llr) ------------------------------------------
BLOCK_CAPS = (None, 20.0, 10.0, 8.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.5, 1.0)  # the grid tried; None: no cap


def block_llrs(doc, bundle) -> list[tuple[int, list[float]]]:
    """(units, per-boundary log-likelihood ratios) of every block with a boundary in one document: its share of
    the page statistic and how many caps it may take (`SplitSignal.block_caps` with a cap of 1)."""
    from scoring.scorer import prepare
    from scoring.signals.split import PRIOR_ODDS, WEIGHTS, SplitSignal, boundaries
    from scoring.signals.stats import mixture_log_likelihood_ratios

    doc, ctx = prepare(doc, bundle)
    found, features = boundaries(doc, ctx)
    if not found:
        return []
    llrs = mixture_log_likelihood_ratios(features @ WEIGHTS, PRIOR_ODDS, SplitSignal().broken_share)
    units = SplitSignal(max_block_llr=1.0).block_caps(doc)
    per_block: dict[int, list[float]] = {}
    for bd, llr in zip(found, llrs.tolist()):
        per_block.setdefault(bd.before.block, []).append(llr)
    return [(int(units[block]), values) for block, values in per_block.items()]


def development_pages(bundle) -> tuple[dict[str, list], dict[int, list]]:
    """(clean sets, broken real pages by strength level): every clean development page the thresholds guard
    (the real pages' English dev half, the built dev pages, the held-out reference text) and the dev half's
    pages with periods inserted into their article body (bench.realpages, strengths 0, 1, 2), as block LLRs."""
    from scoring.config import QualityConfig
    from scoring.extract import extract
    from scoring.segment import blocks_from_text
    from scoring.scorer import pseudo_documents

    from .choose_thresholds import built_dev_pages
    from .realpages import clean_page, corrupt_page, corruptible, is_english, load_pages

    clean: dict[str, list] = {"real": [], "built": [], "reference": []}
    broken: dict[int, list] = {0: [], 1: [], 2: []}
    for page in load_pages("dev"):
        if not is_english(page):
            continue
        clean["real"].append(block_llrs(extract(clean_page(page).html_bytes), bundle))
        if corruptible(page):
            for level in broken:
                broken[level].append(block_llrs(extract(corrupt_page(page, "split", level).html_bytes), bundle))
    clean["built"] = [block_llrs(extract(html), bundle) for _, html in built_dev_pages()]
    clean["reference"] = [block_llrs(blocks_from_text(text), bundle)
                          for text in pseudo_documents(Path(QualityConfig().models["en"]).parent / "reference.txt")]
    return clean, broken


def page_statistic(pages: list[list[tuple[int, list[float]]]], cap: float | None) -> np.ndarray:
    from scoring.signals.split import block_capped_sum

    return np.array([block_capped_sum(np.array([v for _, b in blocks for v in b]),
                                      [i for i, (_, b) in enumerate(blocks) for _ in b],
                                      None if cap is None else {i: cap * units for i, (units, _) in enumerate(blocks)})[0]
                     for blocks in pages])


def choose_block_cap(bundle) -> float | None:
    """The cap with the largest mean recall over the strengths at the strictest threshold the defaults may use
    (above every clean development page); ties go to the weaker cap (the larger, then none)."""
    clean, broken = development_pages(bundle)
    best, best_recall = None, -1.0
    print("cap      max clean (real / built / reference)   recall above it at strengths 1/4, 1/2, 1/1")
    for cap in BLOCK_CAPS:
        tops = {name: float(page_statistic(pages, cap).max()) for name, pages in clean.items()}
        line = max(tops.values())
        recalls = [float(np.mean(page_statistic(pages, cap) > line)) for pages in broken.values()]
        print(f"{'none' if cap is None else cap:>5}    {tops['real']:6.2f} / {tops['built']:6.2f} / "
              f"{tops['reference']:6.2f}                 {' '.join(f'{r:.3f}' for r in recalls)}")
        if np.mean(recalls) > best_recall + 1e-9:
            best, best_recall = cap, float(np.mean(recalls))
    print(f"chosen: {best}")
    return best


def main(argv: list[str] | None = None) -> int:
    from scoring.signals.split import FEATURES, WEIGHTS

    from .metrics import roc_auc

    parser = argparse.ArgumentParser(prog="python -m bench.fit_split", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write the weights to {OUT.relative_to(OUT.parents[2])}")
    parser.add_argument("--block-cap", action="store_true",
                        help="choose SplitSignal.max_block_llr on development pages instead (prints the table)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    bundle = default_bundle()
    if args.block_cap:
        choose_block_cap(bundle)
        return 0
    articles = dev_articles()
    weights, prior_odds, x, y = fit(articles, bundle)
    print(f"{len(articles)} dev articles, clean and broken: {len(y):,} boundaries, {int(y.sum()):,} broken; "
          f"{time.perf_counter() - started:.0f} s")
    print(f"boundary-level ROC-AUC on the fitting boundaries (in-sample), old weights -> new: "
          f"{roc_auc(x[y == 0] @ WEIGHTS, x[y == 1] @ WEIGHTS):.3f} -> {roc_auc(x[y == 0] @ weights, x[y == 1] @ weights):.3f}")
    print_weight_changes(FEATURES, WEIGHTS, weights, width=24)
    if args.write:
        write_weights(OUT, "fit_split", FEATURES, weights, prior_odds, bundle, digits=3, data={
            "articles": len(articles), "rate": RATE, "seed": SEED, "boundaries": int(len(y)), "broken": int(y.sum()),
            "l2": L2})
    return 0


if __name__ == "__main__":
    sys.exit(main())
