"""The tortured-phrase catalogue (scoring/data/tortured_phrases.tsv): well formed, with provenance, absent from
clean text, and read by the spin signal."""
from __future__ import annotations

import pytest

from bench.check_tortured import CATALOGUE, count, index_of, read_catalogue
from scoring.normalize import tokenize
from scoring.scorer import ModelBundle, prepare
from scoring.segment import blocks_from_text
from scoring.signals import spin
from scoring.signals.spin import SpinSignal


@pytest.fixture(scope="module")
def catalogue():
    return read_catalogue(CATALOGUE)


def test_every_entry_is_well_formed_with_a_defined_source(catalogue):
    sources, entries = catalogue
    assert len(entries) >= 600
    assert "cabanac2021" in sources and "pps" in sources
    for key, reference in sources.items():
        assert "http" in reference or "arXiv" in reference, f"source {key} has no URL: {reference}"
    for e in entries:
        assert e.source in sources, f"line {e.line}: {e.phrase!r} has source {e.source!r}, not defined in the header"
        assert e.phrase == e.phrase.strip() and e.original == e.original.strip()
        assert len(e.tokens) >= 2, f"line {e.line}: {e.phrase!r} is a single word"
        assert e.tokens != tuple(tokenize(e.original)), f"line {e.line}: {e.phrase!r} is its own established term"
    assert all(sum(e.source == key for e in entries) for key in sources), "a source key is defined but unused"


def test_no_phrase_is_listed_twice(catalogue):
    seen: dict[tuple[str, ...], int] = {}
    for e in catalogue[1]:
        assert e.tokens not in seen, f"{e.phrase!r} (line {e.line}) repeats line {seen[e.tokens]}"
        seen[e.tokens] = e.line


def test_the_signal_reads_every_entry_of_the_catalogue(catalogue):
    loaded = {(tokens, original) for options in spin.TORTURED_PHRASES.values() for tokens, original in options}
    assert loaded == {(e.tokens, e.original) for e in catalogue[1]}


def test_the_loader_takes_two_and_three_columns_and_refuses_anything_else(tmp_path):
    good = tmp_path / "good.tsv"
    good.write_text("# header\n# source x: somewhere, https://example.org\n\nfoo bar\tbaz\tx\nfoo bar qux\tquux\n",
                    encoding="utf-8")
    assert spin._load_tortured_phrases(good) == {"foo": [(("foo", "bar", "qux"), "quux"), (("foo", "bar"), "baz")]}
    for bad in ("foo bar\n", "foo bar\tbaz\tx\ty\n", "foo bar\tbaz\t\n", "foo bar\t\tx\n", "...\tbaz\tx\n"):
        path = tmp_path / "bad.tsv"
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(ValueError):
            spin._load_tortured_phrases(path)


def test_no_phrase_occurs_in_the_reference_or_the_real_pages(catalogue):
    """As the signal matches them (same tokens, within a sentence); `python -m bench.check_tortured` also reads
    the training text, the real pages' extracted and whole text and the benchmark's news articles."""
    found, _, read = count(index_of(e.tokens for e in catalogue[1]), names={"reference", "realpages-article"})
    assert read == ["reference", "realpages-article"]
    assert not found, {" ".join(p): dict(c) for p, c in found.items()}


def test_new_catalogue_phrases_are_spin_evidence(default_model, catalogue):
    by_phrase = {e.phrase: e for e in catalogue[1]}
    assert by_phrase["bosom peril"].source == "the2022" and by_phrase["gullible bayes"].source == "pps"
    text = ("Doctors at the clinic now screen mammograms for bosom peril with a gullible Bayes classifier. "
            "The hospital said the tool flagged more early cases than the radiologists did last year.")
    doc, ctx = prepare(blocks_from_text(text), ModelBundle.load("en", default_model))
    result = SpinSignal().score(doc, ctx)
    phrases = [(e.text, e.suggestion) for e in result.evidence if e.kind == "phrase"]
    assert phrases == [("bosom peril", "breast cancer"), ("gullible Bayes", "naive Bayes")]
    assert result.features["tortured_phrases"] == 2.0 and result.confidence == 1.0
