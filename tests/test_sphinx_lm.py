"""The converted CMU Sphinx model (models/sphinx_lm.py) against pocketsphinx's own probabilities.

pocketsphinx is a test-only dependency (the `test` extra). `NGramModel.prob([w, h1, h2])` is log P(w | h2 h1) in
integer logmath units (base 1.0001, truncated toward zero: an error below 1 unit = 4.3e-5 log10); an unknown
predicted word gets log-zero, and an unknown history word cuts the history there.

Bound, per query: the converted model is a KenLM trie with 8-bit quantisation (-q 8 -b 8, as the default
model). KenLM stores unigrams exactly and replaces every bigram/trigram probability and every non-zero bigram
back-off by the centre of its bin (256 equal-count bins of that order's values, centre = their mean; back-offs:
254 bins plus exact 0). So a query's KenLM answer differs from the exact value by at most the sum of the
quantisation errors of the (at most two) quantised values it adds up: the probability it lands on and the
bigram back-off it charges. The test recomputes those bins exactly as KenLM does (lm/quantize.cc MakeBins and
Bins::Encode) from the values the converter writes, and evaluates the back-off recursion of the ARPA model in
numpy to know which values a query uses:
    bound = |q(prob) - prob| + |q(bo) - bo| + 2e-4
(2e-4 covers pocketsphinx's truncation to integer logmath, the ARPA's 6 decimals and float32 sums.)
Where pocketsphinx lands on a "dummy" entry of its trie (a missing suffix it filled with its own 16-bit-quantised
back-off estimate; the converter leaves those out and KenLM recomputes them exactly), the bound adds that
dummy's own Sphinx quantisation error, computed from the trie.

The test can fail: it also checks that the bound is tight enough to see missing back-off weights (most
backed-off queries would break it) and that the exact recursion agrees with pocketsphinx to 1e-4.
"""
from __future__ import annotations

import math
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

pocketsphinx = pytest.importorskip("pocketsphinx")
kenlm = pytest.importorskip("kenlm")

from models import sphinx_lm  # noqa: E402
from scoring.lm import read_card  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "sphinx"
N_QUERIES = 120_000
LOGMATH = math.log10(1.0001)
SLACK = 2e-4


@pytest.fixture(scope="session")
def sphinx_files():
    """(pocketsphinx's en-us.lm.bin, the converted KenLM model) cached in .cache/sphinx; rebuilt when the
    converter changed."""
    wheel = sphinx_lm.find_wheel(CACHE)
    lm_bin = CACHE / "en-us.lm.bin"
    if not lm_bin.is_file():
        with zipfile.ZipFile(wheel) as z:
            lm_bin.write_bytes(z.read(sphinx_lm.MEMBER))
    model = CACHE / "test" / "en-us.bin"
    if not model.is_file() or model.stat().st_mtime < Path(sphinx_lm.__file__).stat().st_mtime:
        sphinx_lm.convert(wheel, model, argv=["--wheel-or-bin", str(wheel), "-o", str(model)])
    return lm_bin, model


# -- the model as written to ARPA, as numpy lookup tables --------------------------------------------------
class Reference:
    def __init__(self, trie: sphinx_lm.SphinxTrie, unk_log10: float):
        self.V = V = len(trie.words)
        self.words = trie.words
        r6 = lambda a: np.round(a, 6)  # noqa: E731  (the ARPA's 6 decimals)
        self.p1, self.bo1 = r6(trie.uni_prob), r6(trie.uni_bo)
        dummy = sphinx_lm.mark_dummies(trie)[0]
        big, tri = trie.levels
        ids2 = sphinx_lm.ngram_word_ids(trie, 0)           # (v, w)
        keys2 = ids2[:, 0].astype(np.int64) * V + ids2[:, 1]
        real = ~dummy
        order = np.argsort(keys2[real])
        self.k2 = keys2[real][order]
        self.p2 = r6(big.prob[real][order])
        self.bo2 = r6(big.bo[real][order])
        # dummies: the value pocketsphinx holds vs the exact back-off estimate KenLM computes
        self.kd = np.sort(keys2[dummy])
        order_d = np.argsort(keys2[dummy])
        exact_d = (self.p1[ids2[dummy, 1]] + self.bo1[ids2[dummy, 0]])[order_d]
        self.dummy_err = np.abs(big.prob[dummy][order_d] - exact_d)
        ids3 = sphinx_lm.ngram_word_ids(trie, 1)           # (u, v, w)
        keys3 = (ids3[:, 0].astype(np.int64) * V + ids3[:, 1]) * V + ids3[:, 2]
        order3 = np.argsort(keys3)
        self.k3, self.p3 = keys3[order3], r6(tri.prob[order3])
        self.ids2_real, self.ids3 = ids2[real], ids3
        # KenLM's 8-bit bins (trie -q 8 -b 8); bigram probabilities include the blanks KenLM adds
        blanks = (self.p1[ids2[dummy, 1]].astype(np.float32) + self.bo1[ids2[dummy, 0]].astype(np.float32))
        self.q_p2 = kenlm_bins(np.concatenate([self.p2, blanks]), 256, 0)
        self.q_bo2 = kenlm_bins(self.bo2[self.bo2 != 0], 254, 2)
        self.q_p3 = kenlm_bins(self.p3, 256, 0)
        self.unk = unk_log10
        same = tri.parent[1:] == tri.parent[:-1]
        bad = np.nonzero(same & (tri.word[1:] <= tri.word[:-1]))[0]
        ranges = [(big.next[tri.parent[i]], big.next[tri.parent[i] + 1]) for i in bad]
        self.unsorted_keys = np.unique(np.concatenate(
            [np.zeros(0, np.int64)] +
            [((ids3[a:b, 0].astype(np.int64) * V + ids3[a:b, 1]) * V + ids3[a:b, 2]) for a, b in ranges]))

    def unsorted(self, u, v, w) -> np.ndarray:
        """Queries that land on a trigram in a range Sphinx stored out of order."""
        key = (np.maximum(u, 0).astype(np.int64) * self.V + np.maximum(v, 0)) * self.V + w
        return np.isin(key, self.unsorted_keys) & (u >= 0) & (v >= 0)

    @staticmethod
    def find(keys: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        i = np.clip(np.searchsorted(keys, query), 0, len(keys) - 1)
        return keys[i] == query, i

    def evaluate(self, u: np.ndarray, v: np.ndarray, w: np.ndarray):
        """Exact log10 P(w | u v) of the ARPA model (u = -1: context v only; v = -1: no context), the
        KenLM quantisation bound and the Sphinx dummy allowance, per query."""
        V = self.V
        has_v, has_u = v >= 0, (u >= 0) & (v >= 0)
        uu, vv = np.maximum(u, 0), np.maximum(v, 0)
        f3, i3 = self.find(self.k3, (uu.astype(np.int64) * V + vv) * V + w)
        f3 &= has_u
        f2, i2 = self.find(self.k2, vv.astype(np.int64) * V + w)
        f2 &= has_v
        fd, idd = self.find(self.kd, vv.astype(np.int64) * V + w)
        fd &= has_v
        fc, ic = self.find(self.k2, uu.astype(np.int64) * V + vv)  # context bigram (its back-off)
        fc &= has_u
        bo_ctx = np.where(fc, self.bo2[ic], 0.0)
        lower = np.where(f2, self.p2[i2], self.p1[w] + np.where(has_v, self.bo1[vv], 0.0))
        exact = np.where(f3, self.p3[i3], lower + np.where(f3, 0.0, bo_ctx))
        err_prob = np.where(f3, quant_error(self.q_p3, self.p3[i3], 0),
                            np.where(f2, quant_error(self.q_p2, self.p2[i2], 0),
                                     np.where(fd, quant_error(self.q_p2, lower, 0), 0.0)))
        err_bo = np.where(~f3 & fc & (bo_ctx != 0), quant_error(self.q_bo2, bo_ctx, 2), 0.0)
        dummy = np.where(fd & ~f3, self.dummy_err[idd], 0.0)
        return exact, err_prob + err_bo, dummy, np.where(f3, 3, np.where(f2 | fd, 2, 1))


def kenlm_bins(values: np.ndarray, bins: int, reserved: int) -> np.ndarray:
    """lm/quantize.cc MakeBins: sort, equal-count bins, centre = mean; `reserved` leading slots (back-offs)."""
    values = np.sort(values.astype(np.float32))
    edges = (len(values) * np.arange(bins + 1, dtype=np.int64)) // bins
    sums = np.add.reduceat(values.astype(np.float64), edges[:-1])
    counts = np.diff(edges)
    centres = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan).astype(np.float32)
    centres = np.maximum.accumulate(np.nan_to_num(centres, nan=-np.inf))  # empty bin: the previous centre
    return np.concatenate([np.zeros(reserved, np.float32), centres])


def quant_error(table: np.ndarray, values: np.ndarray, reserved: int) -> np.ndarray:
    """|decode(encode(value)) - value| with Bins::Encode (nearest centre, lower_bound from `reserved`)."""
    values = np.asarray(values, np.float32)
    body = table[reserved:]
    above = np.searchsorted(body, values, side="left")
    hi = np.clip(above, 1, len(body) - 1)
    code = hi - ((values - body[hi - 1]) < (body[hi] - values))
    code = np.where(above == 0, 0, np.where(above >= len(body), len(body) - 1, code))
    return np.abs(body[code].astype(np.float64) - values)


def draw_queries(ref: Reference, rng: np.random.Generator, n: int):
    """(u, v, w, kind): u/v = -1 for a shorter context. Word ids index ref.words."""
    words = ref.words
    bos = words.index("<s>")
    normal = np.array([w not in ("<s>",) for w in words])
    vocab = np.nonzero(normal)[0]
    per = n // 6
    parts = []
    t = ref.ids3[rng.integers(0, len(ref.ids3), per)]                     # seen trigrams
    parts.append((t[:, 0], t[:, 1], t[:, 2], "seen trigram"))
    b = ref.ids2_real[rng.integers(0, len(ref.ids2_real), per)]           # seen bigram, context v only
    parts.append((np.full(per, -1), b[:, 0], b[:, 1], "seen bigram"))
    b = ref.ids2_real[rng.integers(0, len(ref.ids2_real), per)]           # seen bigram behind a random u
    parts.append((rng.choice(vocab, per), b[:, 0], b[:, 1], "bigram under random trigram context"))
    t = ref.ids3[rng.integers(0, len(ref.ids3), per)]                     # context of a seen trigram, new w
    parts.append((t[:, 0], t[:, 1], rng.choice(vocab, per), "seen context, random word"))
    parts.append((rng.choice(vocab, per), rng.choice(vocab, per), rng.choice(vocab, per), "random trigram"))
    m = n - 5 * per                                                     # sentence starts, short contexts
    u = np.where(rng.random(m) < 0.5, bos, -1)
    parts.append((u, rng.choice(vocab, m), rng.choice(vocab, m), "after <s> / bigram context"))
    u, v, w = (np.concatenate([p[i] for p in parts]).astype(np.int64) for i in range(3))
    kind = np.concatenate([[p[3]] * len(p[0]) for p in parts])
    return u, v, w, kind


def kenlm_last(model, context: list[str], word: str) -> tuple[float, int]:
    """log10 P(word | context) from kenlm's full_scores (context may start with <s>)."""
    bos = bool(context) and context[0] == "<s>"
    text = " ".join((context[1:] if bos else context) + [word])
    prob, length, _ = list(model.full_scores(text, bos=bos, eos=False))[-1]
    return prob, length


def test_converted_model_agrees_with_pocketsphinx(sphinx_files):
    lm_bin, model_path = sphinx_files
    started = time.perf_counter()
    trie = sphinx_lm.read_trie(lm_bin.read_bytes())
    card = read_card(model_path)
    ref = Reference(trie, card["unk_log10"])
    ps = pocketsphinx.NGramModel.readfile(str(lm_bin))
    config = kenlm.Config()
    config.show_progress = False
    km = kenlm.Model(str(model_path), config)
    rng = np.random.default_rng(20261126)
    u, v, w, kind = draw_queries(ref, rng, N_QUERIES)
    words = ref.words
    ours = np.empty(len(w))
    oracle = np.empty(len(w))
    lengths = np.empty(len(w), np.int64)
    for i, (a, b, c) in enumerate(zip(u.tolist(), v.tolist(), w.tolist())):
        ctx = [words[x] for x in (a, b) if x >= 0]
        ours[i], lengths[i] = kenlm_last(km, ctx, words[c])
        oracle[i] = ps.prob([words[c]] + ctx[::-1]) * LOGMATH
    exact, bound, dummy, matched = ref.evaluate(u, v, w)
    allowed = bound + dummy + SLACK

    # the exact back-off recursion over the converted values is pocketsphinx, to its integer rounding
    # pocketsphinx's own search misses the trigrams of the two out-of-order ranges of its file ("<s> and jerri"):
    # there the converted model is compared with the exact value instead
    missed = ref.unsorted(u, v, w)
    oracle = np.where(missed, exact, oracle)
    assert np.abs(exact - oracle)[dummy == 0].max() < 1e-4
    diff = np.abs(ours - oracle)
    # KenLM reports the order the recursion lands on (a filled-in suffix counts as 2 in both)
    assert np.mean(lengths == matched) > 0.999
    bad = diff > allowed
    report = {k: (int((kind == k).sum()), float(diff[kind == k].max()), float(diff[kind == k].mean()))
              for k in np.unique(kind)}
    print(f"\n{len(w):,} queries in {time.perf_counter() - started:.1f} s: |KenLM - pocketsphinx| max "
          f"{diff.max():.4f}, mean {diff.mean():.5f}; per-query bound: median {np.median(allowed):.4f}, "
          f"max {allowed.max():.4f}; over bound: {int(bad.sum())}; via Sphinx dummies: {int((dummy > 0).sum())}; "
          f"exact recursion vs pocketsphinx: max {np.abs(exact - oracle)[dummy == 0].max():.2e}")
    for k, (count, mx, mean) in report.items():
        print(f"  {k:38s} {count:7,d}  max {mx:.4f}  mean {mean:.5f}")
    assert len(w) >= 100_000
    assert not bad.any(), [(words[a] if a >= 0 else "", words[b] if b >= 0 else "", words[c], ours[i], oracle[i],
                            allowed[i]) for i, (a, b, c) in enumerate(zip(u, v, w)) if bad[i]][:10]
    assert diff.mean() < 0.01

    # ... and tight enough to catch a conversion that dropped the back-off weights
    backed_off = (matched < np.where(u >= 0, 3, np.where(v >= 0, 2, 1)))
    no_bo = exact.copy()
    # what a model without back-offs would answer: the lower-order probability alone
    lower_only, _, _, _ = ref.evaluate(np.where(matched >= 3, u, -1), np.where(matched >= 2, v, -1), w)
    no_bo[backed_off] = lower_only[backed_off]
    caught = np.abs(no_bo - oracle) > allowed
    print(f"  without back-off weights: {caught[backed_off].mean():.1%} of {int(backed_off.sum()):,} backed-off queries "
          f"over the bound, mean |diff| {np.abs(no_bo - oracle)[backed_off].mean():.3f}")
    assert caught[backed_off].mean() > 0.5 and np.abs(no_bo - oracle).mean() > 20 * diff.mean()


def test_unknown_words(sphinx_files):
    _, model_path = sphinx_files
    card = read_card(model_path)
    config = kenlm.Config()
    config.show_progress = False
    km = kenlm.Model(str(model_path), config)
    lm_bin, _ = sphinx_files
    ps = pocketsphinx.NGramModel.readfile(str(lm_bin))
    for oov in ("xqzzyv", "0000", "non-existent-word"):
        assert oov not in km
        prob, length, is_oov = list(km.full_scores(oov, bos=False, eos=False))[-1]
        assert is_oov and length == 1 and prob == pytest.approx(card["unk_log10"], abs=1e-5)
        assert ps.prob([oov]) * LOGMATH < -1000  # log-zero in pocketsphinx
        # after an unknown word pocketsphinx cuts the history; KenLM's <unk> context has back-off 0
        for word in ("the", "minister", "house"):
            ours = list(km.full_scores(f"{oov} {word}", bos=False, eos=False))[-1][0]
            assert ours == pytest.approx(ps.prob([word, oov]) * LOGMATH, abs=2e-4)


def test_card_and_counts(sphinx_files):
    _, model_path = sphinx_files
    card = read_card(model_path)
    counts = card["counts"]
    assert counts["sphinx_header"] == [72547, 2051547, 1669625]
    assert counts["sphinx_trie_entries"] == [72547, 2051541, 1669625]   # the header over-counts bigrams by 6
    assert counts["arpa"][1] == counts["sphinx_trie_entries"][1] - counts["dummies_dropped"][0]
    assert counts["arpa"][0] == 72547 + 1                              # <unk> added
    assert card["source"]["wheel"].startswith(f"pocketsphinx-{sphinx_lm.POCKETSPHINX_VERSION}-")
    assert len(card["source"]["wheel_sha256"]) == 64 and "BSD-2-Clause" in card["source"]["licence"]
    assert card["order"] == 3 and card["quantized"]
