"""bench/thesauri.py reads MyThes and Aiksaurus files; bench/fit_spin_thesauri.py's extra evidence is the spin
signal's own window trial."""
from __future__ import annotations

import struct

import numpy as np
import pytest

from bench.thesauri import aiksaurus_meanings, entry_pairs, group_pairs, mythes_entries

MYTHES = """UTF-8
happy|2
(adj)|blessed (similar term)|glad (related term)|unhappy (antonym)|well off
(adj)|felicitous|fortunate (similar term)
ice cream|1
(noun)|frozen dessert (generic term)|dessert (generic term)
"""


def test_mythes_entries_keep_every_relation_but_antonyms(tmp_path):
    path = tmp_path / "th_en_US_v2.dat"
    path.write_text(MYTHES, encoding="utf-8")
    entries = list(mythes_entries(path))
    assert entries[0] == ["happy", "blessed", "glad", "well off", "felicitous", "fortunate"]
    assert entries[1] == ["ice cream", "frozen dessert", "dessert"]
    plain = list(mythes_entries(path, frozenset({""})))
    assert plain[0] == ["happy", "well off", "felicitous"]


def test_entry_pairs_look_up_both_ways_single_words_only():
    entries = [["happy", "glad", "well off"], ["ice cream", "dessert"]]
    assert set(entry_pairs(entries)) == {("happy", "glad"), ("glad", "happy")}
    assert set(entry_pairs(entries, forward=False)) == {("glad", "happy")}   # the reverse look-up alone


def test_aiksaurus_meanings_are_read_from_the_binary_files(tmp_path):
    words = [b"a:cappella", b"adagio", b"largo", b"presto"]
    word_meanings = [[0], [0], [0, 1], [1]]
    data = b"".join(w + b"\0" + struct.pack(f">{len(m) + 1}H", *m, 0xFFFF) for w, m in zip(words, word_meanings))
    (tmp_path / "words.dat").write_bytes(data)
    meanings = [[3, 2, 0, 1, 2], [2, 3]]   # the first two name the meaning (and are members too)
    (tmp_path / "meanings.dat").write_bytes(b"".join(struct.pack(f">{len(m) + 1}H", *m, 0xFFFF) for m in meanings))
    read = aiksaurus_meanings(tmp_path)
    assert read == [["presto", "largo", "a cappella", "adagio"], ["largo", "presto"]]
    assert ("largo", "presto") in set(group_pairs(read)) and ("a cappella", "largo") not in set(group_pairs(read))


def test_the_real_thesauri_when_fetched():
    from bench.fit_spin_thesauri import THESAURI
    from bench.thesauri import AIKSAURUS_DIR, MYTHES_FILE

    mythes, aiksaurus = THESAURI / "mythes-en-us" / MYTHES_FILE, THESAURI / "libaiksaurus-1.2-data" / AIKSAURUS_DIR
    if not (mythes.is_file() and aiksaurus.is_dir()):
        pytest.skip("thesauri not fetched (make thesauri)")
    happy = next(e for e in mythes_entries(mythes) if e[0] == "happy")
    assert "glad" in happy and "unhappy" not in happy
    meanings = aiksaurus_meanings(aiksaurus)
    assert len(meanings) == 2621 and any({"abandon", "waive"} <= set(m) for m in meanings)


def trial_words(default_model, text: str):
    """(the spin signal's trial words of `text`, its context, the signal, the model's synonym table)."""
    from scoring.scorer import ModelBundle, prepare
    from scoring.segment import blocks_from_text
    from scoring.signals.spin import SpinSignal

    bundle = ModelBundle.load("en", default_model)
    signal = SpinSignal()
    doc, ctx = prepare(blocks_from_text(text), bundle)
    words, _ = signal.trials(doc, ctx)
    return words, ctx, signal, bundle.synonyms


def test_extra_gain_is_the_signals_own_trial(default_model):
    """Given WordNet's own table, the script's extra trial finds the gain SpinSignal.trials found."""
    from bench.fit_spin_thesauri import other_gains

    words, ctx, signal, synonyms = trial_words(default_model, (
        "The firm documented sturdy quarterly profits final month. Its main executive said the house was ready "
        "to employ more drivers and purchase electrical vehicles for the populace."))
    extra = other_gains(synonyms)(words, ctx, signal)
    tried = [j for j, t in enumerate(words) if t.best]
    assert tried
    assert np.allclose(extra[tried, 0], [words[j].gain for j in tried], atol=1e-4)



def test_refit_statistic_is_the_signals_own(default_model):
    """With the weights in use, the script's page statistic from a stored trial matrix is the signal's."""
    from bench.fit_spin_register import Measurer
    from bench.fit_spin_thesauri import page_statistic
    from scoring.signals.spin import PRIOR_ODDS, WEIGHTS

    text = ("The firm documented sturdy quarterly profits final month. Its main executive said the house was ready "
            "to employ more drivers and purchase electrical vehicles for the populace of the metropolis.")
    row = Measurer().text(text, "spun")
    assert row is not None and row["n"] > 10
    assert page_statistic(row, WEIGHTS, PRIOR_ODDS) == pytest.approx(row["raw"], abs=1e-3)
    assert page_statistic(row, WEIGHTS * 0.5, PRIOR_ODDS) != pytest.approx(row["raw"], abs=1e-3)


def test_on_page_trial_tries_only_candidates_found_elsewhere_on_the_page(default_model):
    """Section (4) of bench/fit_spin_thesauri: a word's candidates are tried only where they occur on the page."""
    from bench.fit_spin_thesauri import other_gains

    # "purchase" has "buy" on the page; "employ" has "hire" in WordNet, but not on the page
    words, ctx, signal, synonyms = trial_words(default_model, (
        "The council will purchase electric buses this year. Residents who buy a season ticket save money, and "
        "the operator will employ more drivers for the new routes."))
    extra = other_gains(synonyms, on_page=True)(words, ctx, signal)
    row = {t.word: j for j, t in enumerate(words)}
    assert extra[row["purchase"], 1] == 1 and extra[row["buy"], 1] == 1
    assert extra[row["employ"], 1] == 0 and extra[row["employ"], 0] == 0
    assert other_gains(synonyms)(words, ctx, signal)[row["employ"], 1] == 1  # off the page, it is tried
