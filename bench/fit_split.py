"""Fit the split signal's per-boundary model on development data: `python -m bench.fit_split [--write]`.

The split signal (scoring/signals/split.py) judges every sentence boundary inside a block and combines the
boundary's features (`split.FEATURES`) by logistic regression into the log-odds that the boundary is broken.
This script refits those weights for the model in use, on development data only:
- the development articles of bench/fit_spin.py (built Brown press and ABC dev stories, and the article text of
  the real pages' development half, English pages), and the development half of Brown's fiction, essays and
  how-to writing (`fit_articles`: dialogue, stylistic fragments and imperative steps are clean text too);
- each once as written and once with a period inserted mid-sentence (next word capitalised) in half of its
  sentences (bench.corrupt.split at RATE);
- a boundary is positive when it falls on an inserted period; the boundaries of the unbroken articles are
  negatives too.
The fit is the L2-regularised logistic regression of bench/fit_spin.py. PRIOR_ODDS is the broken:real ratio of
the fitting boundaries, which the page statistic divides out.

`--write` stores the result in scoring/data/split_weights.json (read by the split signal at import), with the
data it came from. The weights in use were written by this script in session 16 (before, an earlier script's
fit on ABC news only; the refit raised the dev real pages' split ROC-AUC at 1/4 from 0.959 to 0.971 and stopped
the split drops of clean blogs, fiction and Wikipedia pages outside the benchmark), and refitted in session 19
with Brown's how-to, religion, government and learned sections added (dev split ROC-AUC at 1/4 0.971 unchanged, at
1/2 0.983 unchanged, recall at the threshold unchanged; mozilla/readability's ehow page, one imperative step after a
short sentence, moved from 3.5 to 4.05 tail depths below the split threshold). Any change of the weights
changes the scores: rebuild the default model's calibration afterwards (`make model`), re-choose the thresholds
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


def fit_articles() -> list:
    """bench/fit_spin.py's development articles (news), and the development half of Brown's other registers
    (`BROWN_OTHER_REGISTERS`: fiction, essays, how-to, religion, government, learned): clean text whose dialogue,
    stylistic fragments, imperative steps and abbreviations ("Starting tonight." "Towels. Shower first." "...so they
    are smaller. Place the foam oasis...") must not read as broken segmentation. (The last four came in session 19:
    before them, a how-to page's one imperative step was the model's most confident error on clean pages outside
    the benchmark.)"""
    from .data import BROWN_OTHER_REGISTERS, brown_archive, brown_articles

    return dev_articles() + [a for a in brown_articles(brown_archive(), sections=BROWN_OTHER_REGISTERS)
                             if a.split == "dev"]


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


# -- the page statistic: the mixture share and the per-block cap --------------------------------------------------
# (SplitSignal.broken_share, SplitSignal.max_block_llr): the grids tried; a cap of None is no cap
SHARES = (0.02, 0.05, 0.1, 0.2, 0.3)
BLOCK_CAPS = (None, 20.0, 10.0, 8.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.5, 1.0)
MAX_AUC_LOSS = 0.005  # no strength may lose more ROC-AUC (real clean dev pages against broken ones) than this


def block_log_odds(doc, bundle) -> list[tuple[int, list[float]]]:
    """(units, per-boundary log-odds of being broken) of every block with a boundary in one document: how many
    caps the block may take (`SplitSignal.block_caps` with a cap of 1) and its boundaries' evidence."""
    from scoring.scorer import prepare
    from scoring.signals.split import SplitSignal, boundaries, boundary_log_odds

    doc, ctx = prepare(doc, bundle)
    found, features = boundaries(doc, ctx)
    if not found:
        return []
    log_odds = boundary_log_odds(found, features)
    units = SplitSignal(max_block_llr=1.0).block_caps(doc)
    per_block: dict[int, list[float]] = {}
    for bd, z in zip(found, log_odds.tolist()):
        per_block.setdefault(bd.before.block, []).append(z)
    return [(int(units[block]), values) for block, values in per_block.items()]


def development_pages(bundle) -> tuple[dict[str, list], dict[int, list]]:
    """(clean sets, broken real pages by strength level): every clean development page the thresholds guard
    (the real pages' English dev half, the built dev pages, the held-out reference text) and the dev half's
    pages with periods inserted into their article body (bench.realpages, strengths 0, 1, 2), as block log-odds."""
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
        clean["real"].append(block_log_odds(extract(clean_page(page).html_bytes), bundle))
        if corruptible(page):
            for level in broken:
                broken[level].append(block_log_odds(extract(corrupt_page(page, "split", level).html_bytes), bundle))
    clean["built"] = [block_log_odds(extract(html), bundle) for _, html in built_dev_pages()]
    clean["reference"] = [block_log_odds(blocks_from_text(text), bundle)
                          for text in pseudo_documents(Path(QualityConfig().models["en"]).parent / "reference.txt")]
    return clean, broken


def page_statistic(pages: list[list[tuple[int, list[float]]]], share: float, cap: float | None) -> np.ndarray:
    """SplitSignal's page statistic of every page, for a mixture share and a per-block cap."""
    from scoring.signals.split import SplitSignal

    signal = SplitSignal(broken_share=share, max_block_llr=cap)
    out = []
    for blocks in pages:
        log_odds = np.array([z for _, b in blocks for z in b])
        caps = None if cap is None else {i: cap * units for i, (units, _) in enumerate(blocks)}
        out.append(signal.page_statistic(log_odds, [i for i, (_, b) in enumerate(blocks) for _ in b], caps)[0])
    return np.array(out)


def choose_page_statistic(bundle) -> tuple[float, float | None]:
    """The (share, cap) with the largest mean recall over the strengths at the strictest threshold the defaults
    may use (above every clean development page), among those losing at most MAX_AUC_LOSS ROC-AUC at any strength
    against the signal's current setting; ties keep the current setting, then the first in grid order."""
    from scoring.signals.split import SplitSignal

    from .metrics import roc_auc

    clean, broken = development_pages(bundle)
    current = (SplitSignal().broken_share, SplitSignal().max_block_llr)

    def measure(share, cap):
        tops = {name: float(page_statistic(pages, share, cap).max()) for name, pages in clean.items()}
        line = max(tops.values())
        real = page_statistic(clean["real"], share, cap)
        scored = [page_statistic(pages, share, cap) for pages in broken.values()]
        return tops, [float(np.mean(s > line)) for s in scored], [roc_auc(real, s) for s in scored]

    _, base_recalls, base_aucs = measure(*current)
    best, best_recall = current, float(np.mean(base_recalls))
    print("share  cap      max clean (real / built / reference)   recall above it at 1/4, 1/2, 1/1   "
          "ROC-AUC at 1/4, 1/2, 1/1")
    for share in SHARES:
        for cap in BLOCK_CAPS:
            tops, recalls, aucs = measure(share, cap)
            ok = all(a >= b - MAX_AUC_LOSS for a, b in zip(aucs, base_aucs))
            print(f"{share:5}  {'none' if cap is None else cap:>5}    {tops['real']:6.2f} / {tops['built']:6.2f} / "
                  f"{tops['reference']:6.2f}                 {' '.join(f'{r:.3f}' for r in recalls)}        "
                  f"{' '.join(f'{a:.3f}' for a in aucs)}{'' if ok else '  (loses ROC-AUC)'}")
            if ok and np.mean(recalls) > best_recall + 1e-9:
                best, best_recall = (share, cap), float(np.mean(recalls))
    print(f"current: share {current[0]}, cap {current[1]}; chosen: share {best[0]}, cap {best[1]} "
          f"(mean recall {np.mean(base_recalls):.3f} -> {best_recall:.3f})")
    return best


def main(argv: list[str] | None = None) -> int:
    from scoring.signals.split import FEATURES, WEIGHTS

    from .metrics import roc_auc

    parser = argparse.ArgumentParser(prog="python -m bench.fit_split", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write the weights to {OUT.relative_to(OUT.parents[2])}")
    parser.add_argument("--page-statistic", action="store_true",
                        help="choose SplitSignal.broken_share and max_block_llr on development pages instead "
                             "(prints the table)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    bundle = default_bundle()
    if args.page_statistic:
        choose_page_statistic(bundle)
        return 0
    articles = fit_articles()
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
