"""scoring.lm and scoring.train against real KenLM models built with lmplz/build_binary."""
from __future__ import annotations

import json
import random
import subprocess
import sys

import numpy as np
import pytest

from scoring.lm import LanguageModel, ModelError, card_path, load_model, read_card
from scoring.normalize import tokenize
from scoring.train import TrainError, run_lmplz, sentence_lines, train_model

IN_DOMAIN = [
    "This License applies to any program or other work which contains a notice placed by the copyright holder.",
    "You may convey verbatim copies of the Program's source code as you receive it, in any medium.",
    "The source code for a work means the preferred form of the work for making modifications to it.",
]


def shuffled(tokens: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    out = tokens[:]
    while out == tokens:
        rng.shuffle(out)
    return out


def test_in_domain_text_scores_better_than_the_same_words_shuffled(tiny_model):
    lm = load_model(tiny_model)
    for sentence in IN_DOMAIN:
        tokens = tokenize(sentence)
        assert lm.score(tokens) > lm.score(shuffled(tokens, 1)) + 3, sentence


def test_perplexity_separates_real_from_shuffled(tiny_model):
    lm = load_model(tiny_model)
    real = [tokenize(s) for s in IN_DOMAIN]
    mixed = [shuffled(t, i) for i, t in enumerate(real)]
    assert lm.perplexity(real) * 3 < lm.perplexity(mixed)


def test_token_scores_are_per_token_with_end_of_sentence(tiny_model):
    lm = load_model(tiny_model)
    tokens = tokenize(IN_DOMAIN[0])
    logp, orders = lm.token_scores(tokens)
    assert logp.shape == orders.shape == (len(tokens) + 1,)
    assert np.all(logp < 0) and np.all((orders >= 1) & (orders <= lm.order))
    assert logp.sum() == pytest.approx(lm.score(tokens), abs=1e-3)
    no_eos, _ = lm.token_scores(tokens, eos=False)
    assert len(no_eos) == len(tokens)
    # Without <s>, the first word loses its sentence-start context: the totals differ.
    assert lm.score(tokens, bos=False) != pytest.approx(lm.score(tokens))


def test_unknown_words_are_oov_and_score_as_unk(tiny_model):
    lm = load_model(tiny_model)
    assert lm.is_oov("xylophonequark") and not lm.is_oov("license")
    logp, orders = lm.token_scores(["the", "xylophonequark", "program"])
    known, _ = lm.token_scores(["the", "license", "program"])
    assert orders[1] == 1                 # <unk> is a unigram
    assert logp[1] < known[1]             # an unknown word is less likely than a frequent one
    # All unknown words get the same <unk> probability.
    other, _ = lm.token_scores(["the", "zzqqvvx", "program"])
    assert other[1] == pytest.approx(logp[1])
    # the same pass counts them (the scorer's share of unknown words)
    assert lm.scored_tokens(["the", "xylophonequark", "program", "zzqqvvx"])[2] == 2
    assert lm.scored_tokens(["the", "license", "program"])[2] == 0


def test_arpa_and_binary_give_the_same_scores(tiny_model):
    arpa = tiny_model.with_suffix(".arpa")
    binary, text = load_model(tiny_model), LanguageModel(arpa)
    for sentence in IN_DOMAIN + ["completely unrelated words about bananas and the sea"]:
        tokens = tokenize(sentence)
        # the binary is 8-bit quantised: equal within quantisation error
        assert binary.score(tokens) == pytest.approx(text.score(tokens), abs=0.05 * len(tokens) + 0.1)


def test_unquantised_binary_matches_arpa_exactly(tmp_path, licence_corpus):
    out = tmp_path / "exact.bin"
    train_model(licence_corpus, out, order=3, quantize=False, keep_arpa=True, progress=lambda _: None)
    binary, text = load_model(out), LanguageModel(out.with_suffix(".arpa"))
    for sentence in IN_DOMAIN:
        tokens = tokenize(sentence)
        assert binary.score(tokens) == pytest.approx(text.score(tokens), abs=1e-4)


def test_probing_scores_exactly_as_the_unquantised_trie(tmp_path, tiny_model):
    # The default model is built as probing for speed (models/build_default.STRUCTURE): the structure must change
    # nothing but the lookups, token by token (probabilities and matched orders).
    from scoring.train import run_build_binary

    arpa = tiny_model.with_suffix(".arpa")
    run_build_binary(arpa, tmp_path / "trie.bin", quantize=False)
    run_build_binary(arpa, tmp_path / "probing.bin", quantize=False, structure="probing")
    trie, probing = LanguageModel(tmp_path / "trie.bin"), LanguageModel(tmp_path / "probing.bin")
    for sentence in IN_DOMAIN + ["completely unrelated words about bananas and the sea"]:
        tokens = tokenize(sentence)
        for got, want in zip(probing.token_scores(tokens), trie.token_scores(tokens)):
            assert got.tolist() == want.tolist()
    assert (tmp_path / "probing.bin").stat().st_size > (tmp_path / "trie.bin").stat().st_size


def test_build_binary_refuses_what_kenlm_cannot_build(tmp_path, tiny_model):
    from scoring.train import run_build_binary

    arpa = tiny_model.with_suffix(".arpa")
    with pytest.raises(ValueError, match="quantises tries only"):
        run_build_binary(arpa, tmp_path / "x.bin", quantize=True, structure="probing")
    with pytest.raises(ValueError, match="unknown KenLM structure"):
        run_build_binary(arpa, tmp_path / "x.bin", quantize=False, structure="hash")


def test_model_card_describes_the_build(tiny_model, licence_corpus):
    card = read_card(tiny_model)
    assert card["order"] == 3 and card["model"] == tiny_model.name
    assert card["corpus"]["tokens"] > 5000
    assert [s["path"] for s in card["corpus"]["sources"]] == [str(p) for p in licence_corpus]
    assert all(len(s["sha256"]) == 64 for s in card["corpus"]["sources"])
    assert "lmplz -o 3" in card["build_command"][0] and "build_binary" in card["build_command"][1]
    assert card["size_bytes"] == tiny_model.stat().st_size


def test_missing_model_names_the_file_and_the_fix(tmp_path):
    with pytest.raises(ModelError, match=r"not found: .*nope\.bin.*make model"):
        load_model(tmp_path / "nope.bin")


def test_corrupt_model_is_a_clear_error(tmp_path):
    bad = tmp_path / "corrupt.bin"
    bad.write_bytes(b"mmap me\x00" * 100)
    with pytest.raises(ModelError, match=r"cannot load language model .*corrupt\.bin"):
        LanguageModel(bad)


def test_training_refuses_a_corpus_too_small(tmp_path):
    small = tmp_path / "small.txt"
    small.write_text("Just a few words here. Not enough to estimate anything.\n")
    with pytest.raises(TrainError, match="corpus too small"):
        train_model([small], tmp_path / "small.bin", progress=lambda _: None)


def test_small_corpus_falls_back_to_discount_fallback_and_says_so(tmp_path):
    text = tmp_path / "short.jsonl"
    rows = [{"text": f"Line number {i} says the cat sat on mat {i % 7}."} for i in range(60)]
    text.write_text("\n".join(json.dumps(r) for r in rows))
    said: list[str] = []
    train_model([text], tmp_path / "short.bin", order=4, progress=said.append)
    assert any("--discount_fallback" in m for m in said)
    assert "--discount_fallback" in read_card(tmp_path / "short.bin")["build_command"][0]


def test_train_lm_console_script_and_glob(tmp_path, licence_corpus):
    out = tmp_path / "cli.bin"
    proc = subprocess.run([sys.executable, "-m", "scoring.train", "/usr/share/common-licenses/GPL-[3]",
                           "-o", str(out), "--order", "2"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "estimating a 2-gram model" in proc.stdout and out.is_file() and card_path(out).is_file()
    proc = subprocess.run([sys.executable, "-m", "scoring.train", str(tmp_path / "missing.txt"), "-o", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "corpus file not found" in proc.stderr


def test_sentencepiece_model_scores_words(tmp_path, licence_corpus):
    """A CCNet-style model: KenLM over SentencePiece pieces of the normalised text."""
    sentencepiece = pytest.importorskip("sentencepiece")
    lines = [line for p in licence_corpus for line in sentence_lines(p.open())]
    plain = tmp_path / "plain.txt"
    plain.write_text("\n".join(lines))
    sentencepiece.SentencePieceTrainer.train(input=str(plain), model_prefix=str(tmp_path / "sp"), vocab_size=400,
                                             minloglevel=2)
    sp = sentencepiece.SentencePieceProcessor(model_file=str(tmp_path / "sp.model"))
    pieces = tmp_path / "pieces.txt"
    pieces.write_text("\n".join(" ".join(sp.encode(line, out_type=str)) for line in lines))
    run_lmplz(pieces, tmp_path / "sp.arpa", 4, (0,), "200M", tmp_path, lambda _: None)
    lm = LanguageModel(tmp_path / "sp.arpa", sentencepiece=tmp_path / "sp.model")
    tokens = tokenize(IN_DOMAIN[1])
    logp, orders = lm.token_scores(tokens)
    assert len(logp) == len(tokens) + 1       # per word, not per piece
    assert logp.sum() == pytest.approx(lm.score(tokens))
    assert lm.score(tokens) > lm.score(shuffled(tokens, 3)) + 2
    assert not lm.is_oov("xylophonequark")   # its pieces spell out any word


def test_model_is_loaded_once_per_process(tiny_model):
    assert load_model(tiny_model) is load_model(tiny_model)


@pytest.mark.parametrize("text", ["Don’t stop — it’s well‐known", "l’homme a 2–3 “quoted” words…", "the ﬁrst café's",
                                  "O‘Brien′s `rock` ‒ roll"])
def test_scoring_tokens_are_the_training_tokens(text):
    """The scorer (tokenize_spans, with offsets) and the trainer (tokenize) must cut text the same way, or the
    model is asked about tokens it never saw ("don", "t" where it learned "don't")."""
    from scoring.normalize import tokenize, tokenize_spans

    spans = tokenize_spans(text)
    assert [t for t, _, _ in spans] == tokenize(text)
    assert all(text[a:b].strip() for _, a, b in spans)
