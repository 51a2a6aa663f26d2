"""`make model` retrains the default model when today's segmentation would cut its training text differently."""
from __future__ import annotations

from models.build_default import STRUCTURE, stale
from scoring.train import normalised_sha256, prepare_corpus


def card_for(sha: str, structure: str = STRUCTURE) -> dict:
    return {"mixture": {}, "structure": structure, "components": {"own": {"corpus": {"sha256": sha}}}}


def test_the_fingerprint_is_the_one_training_records(tmp_path):
    train = tmp_path / "train.txt"
    train.write_text("Officials in Sacramento, Calif., met on Monday. The vote was close.\nA second paragraph.\n")
    recorded = prepare_corpus([train], tmp_path / "corpus.txt", progress=lambda _: None)["sha256"]
    assert normalised_sha256([train]) == recorded
    assert not stale(card_for(recorded), train)


def test_a_model_trained_on_other_sentences_is_stale(tmp_path):
    train = tmp_path / "train.txt"
    train.write_text("Officials in Sacramento, Calif., met on Monday. The vote was close.\n")
    # The same text as an older segmenter cut it (a sentence ending after "Calif."):
    other = tmp_path / "other.txt"
    other.write_text("Officials in Sacramento, Calif.\nmet on Monday.\nThe vote was close.\n")
    assert normalised_sha256([other]) != normalised_sha256([train])
    assert stale(card_for(normalised_sha256([other])), train)


def test_a_model_from_before_the_mixture_is_stale(tmp_path):
    train = tmp_path / "train.txt"
    train.write_text("The vote was close.\n")
    assert stale({"components": {"own": {"corpus": {"sha256": normalised_sha256([train])}}}}, train)


def test_a_model_built_in_another_kenlm_structure_is_rebuilt(tmp_path):
    # (models built before the default moved to probing have no "structure" in their card: they were tries)
    train = tmp_path / "train.txt"
    train.write_text("The vote was close.\n")
    recorded = normalised_sha256([train])
    assert not stale(card_for(recorded), train)
    assert stale(card_for(recorded, structure="trie"), train)
    card = card_for(recorded)
    del card["structure"]
    assert stale(card, train) == (STRUCTURE != "trie")
