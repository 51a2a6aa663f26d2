"""models/mix_lm.py: two real KenLM models (lmplz on two different texts, different orders) mixed into one ARPA.

The checks are properties the mixture must have whatever the weight: each listed n-gram is the weighted sum of
the two models' probabilities, every context's distribution sums to one over the joint vocabulary (which fails
if a back-off weight is wrong), KenLM reads the written ARPA and agrees with it, and EM finds the weight that
the held-out text prefers.
"""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from models import mix_lm
from scoring.train import sentence_lines, train_model

GPL = Path("/usr/share/common-licenses/GPL-3")
APACHE = Path("/usr/share/common-licenses/Apache-2.0")
WEIGHT = 0.3


def _paragraphs(path: Path) -> list[str]:
    return [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    """Model A: 3-gram on 9/10 of the GPL; model B: bigram on 9/10 of the Apache licence; the rest held out."""
    tmp = tmp_path_factory.mktemp("mix")
    held = {}
    models = []
    for name, path, order in (("a", GPL, 3), ("b", APACHE, 2)):
        paras = _paragraphs(path)
        train = [p for i, p in enumerate(paras) if i % 10]
        held[name] = [p for i, p in enumerate(paras) if not i % 10]
        (tmp / f"{name}.txt").write_text("\n".join(train), encoding="utf-8")
        train_model([tmp / f"{name}.txt"], tmp / f"{name}.arpa", order=order, progress=lambda _: None)
        models.append(mix_lm.read_arpa(tmp / f"{name}.arpa"))
    a, b = models
    return tmp, a, b, mix_lm.mix(a, b, WEIGHT, progress=lambda _: None), held


def test_listed_ngrams_are_the_weighted_sum(parts):
    _, a, b, mixed, _ = parts
    assert a.order == 3 and b.order == 2 and mixed.order == 3
    assert mixed.vocab == a.vocab | b.vocab
    rng = random.Random(1)
    for key in rng.sample(sorted(k for k in mixed.entries if "<s>" not in k[-1:]), 500):
        pa, pb = a.logprob(key), b.logprob(key)
        expected = WEIGHT * (10 ** pa if pa is not None else 0) + (1 - WEIGHT) * (10 ** pb if pb is not None else 0)
        assert 10 ** mixed.entries[key][0] == pytest.approx(expected, rel=1e-9), key


def test_every_context_sums_to_one(parts):
    _, a, b, mixed, _ = parts
    words = sorted(w for w in mixed.vocab if w != "<s>")
    contexts = [k for k in mixed.entries if len(k) < mixed.order]
    rng = random.Random(2)
    picked = rng.sample(contexts, 40) + [("<s>",), ("the", "license"), ("zebra",)]  # listed, and not listed
    for context in picked:
        total = sum(10 ** mixed.logprob((*context, w)) for w in words)
        assert total == pytest.approx(1.0, abs=1e-4), context


def test_kenlm_reads_the_written_arpa_and_agrees(parts):
    import kenlm

    tmp, _, _, mixed, held = parts
    arpa = tmp / "mixed.arpa"
    counts = mix_lm.write_arpa(mixed, arpa)
    assert counts == {n: sum(len(k) == n for k in mixed.entries) for n in (1, 2, 3)}
    model = kenlm.Model(str(arpa))
    for line in sentence_lines(held["a"][:5] + held["b"][:5]):
        tokens = line.split()
        words = ["<s>", *(t if t in mixed.vocab else "<unk>" for t in tokens), "</s>"]
        ours = [mixed.logprob(tuple(words[max(0, i - 2):i + 1])) for i in range(1, len(words))]
        theirs = [s[0] for s in model.full_scores(line, bos=True, eos=True)]
        assert np.allclose(ours, theirs, atol=1e-5), line


def test_em_weight_follows_the_held_out_text(parts):
    _, a, b, _, held = parts

    def probs(paras):
        return mix_lm.token_probabilities(a, b, (s.split() for s in sentence_lines(paras)))

    w_a, _ = mix_lm.fit_weight({"a": probs(held["a"])})
    w_b, _ = mix_lm.fit_weight({"b": probs(held["b"])})
    assert w_a > 0.5 > w_b
    both = {"a": probs(held["a"]), "b": probs(held["b"])}
    w, path = mix_lm.fit_weight(both)
    assert w_b < w < w_a and len(path) > 2

    def mean_log_ppl(weight):  # the objective EM climbs: both sets weighted equally
        return sum(np.log(mix_lm.perplexity(pa, pb, weight)) for pa, pb in both.values())

    assert mean_log_ppl(w) <= min(mean_log_ppl(max(w - 0.1, 0.01)), mean_log_ppl(min(w + 0.1, 0.99)))


def test_command_line_builds_a_binary_in_place_of_the_old_one(parts):
    """`python -m models.mix_lm A B -o OUT`: the binary is built beside OUT and renamed over it, leaving no
    scratch file and never writing OUT.arpa next to a user's file."""
    import kenlm

    tmp, _, _, _, _ = parts
    out = tmp / "out" / "mixed.bin"
    out.parent.mkdir()
    out.write_bytes(b"the previous model")
    keep = out.with_suffix(".arpa")
    keep.write_text("a user's own file")
    assert mix_lm.main([str(tmp / "a.arpa"), str(tmp / "b.arpa"), "-o", str(out), "--weight", "0.5"]) == 0
    assert kenlm.Model(str(out)).order == 3
    assert keep.read_text() == "a user's own file"
    assert sorted(p.name for p in out.parent.iterdir()) == ["mixed.arpa", "mixed.bin"]
