"""bench/fit_spin_inflections.py: a malformed inflection is one whose every WordNet base refuses the suffix."""
from __future__ import annotations

import pytest

from bench.fit_spin_inflections import bases, malformed, parts_of_speech


@pytest.mark.parametrize("word", ["outinged", "salesed", "capitalizationed", "intelligencing"])
def test_a_verb_suffix_on_a_noun_is_malformed(word):
    assert malformed(word, parts_of_speech())


@pytest.mark.parametrize("word", ["birches", "tints", "regressing", "bunkered", "xyzzyed", "river"])
def test_a_real_inflection_or_an_unknown_base_is_not(word):
    assert not malformed(word, parts_of_speech())


def test_bases_strip_the_spin_signals_suffixes():
    assert ("ies", "library") in bases("libraries")
    assert ("ing", "stop") in bases("stopping")
    assert ("ed", "hope") in bases("hoped")
