"""Mix two back-off n-gram models into one ARPA model by linear interpolation, then KenLM's `build_binary`.

    python -m models.mix_lm A.arpa B.arpa --weight 0.55 -o mixed.bin      # weight of A
    python -m models.mix_lm A.arpa B.arpa --fit HELDOUT.txt... -o mixed.bin   # weight fitted by EM first

This is SRILM's static interpolation (`ngram -mix-lm`), written out because KenLM has no mixing tool of its own
(`interpolate` needs the training counts of both models, and CMU Sphinx's model is only available as a model):

- every n-gram either model lists is listed in the mixture, with p(w|h) = λ pA(w|h) + (1 - λ) pB(w|h), each
  model's probability found by its own back-off when it does not list the n-gram. A word a model does not know
  has probability 0 in that model, so the mixture stays normalised over the union of the vocabularies
  (`<unk>` is mixed like any word);
- every context's back-off weight is recomputed so that its distribution sums to one:
  bow(h) = (1 - Σ p(w|h)) / (1 - Σ p(w|h')), the sums over the words listed after h, h' = h without its first word;
- a context that an n-gram needs but no model lists (Sphinx prunes some bigrams under its trigrams) is added,
  with its mixed probability, so that it can carry its back-off weight.

For n-grams neither model lists, the result backs off in the mixture rather than in each model separately,
so it differs slightly from per-token ("dynamic") interpolation; `fit_weight` reports both perplexities.

The weight is fitted by EM on held-out text (per-token dynamic interpolation, each held-out set weighted equally
whatever its length): λ <- mean over tokens of λ pA / (λ pA + (1 - λ) pB).
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

LOG_ZERO = -99.0          # ARPA's "never": <s> as a predicted word
MIN_MASS = 1e-12          # floor of a context's left-over probability mass (rounding in the sources)


def log(msg: str) -> None:
    print(f"[mix-lm] {msg}", file=sys.stderr, flush=True)


@dataclass
class ArpaModel:
    """An ARPA back-off model in memory: n-gram (tuple of words) -> [log10 prob, log10 back-off]."""
    order: int
    entries: dict[tuple[str, ...], list[float]] = field(default_factory=dict)
    vocab: set[str] = field(default_factory=set)

    def logprob(self, ngram: tuple[str, ...]) -> float | None:
        """log10 p(w | h) by the ARPA back-off rule; None when w is unknown to this model."""
        if ngram[-1] not in self.vocab:
            return None
        ngram = ngram[-self.order:]
        backoff = 0.0
        while True:
            entry = self.entries.get(ngram)
            if entry is not None:
                return backoff + entry[0]
            context = self.entries.get(ngram[:-1])
            if context is not None:
                backoff += context[1]
            ngram = ngram[1:]

    def perplexity(self, sentences: Iterable[list[str]]) -> float:
        """Per-token perplexity (</s> included) of this model alone; an unknown word costs its <unk>."""
        total, count = 0.0, 0
        for tokens in sentences:
            words = ["<s>", *(w if w in self.vocab else "<unk>" for w in tokens), "</s>"]
            for i in range(1, len(words)):
                total += self.logprob(tuple(words[max(0, i - self.order + 1):i + 1]))
                count += 1
        return 10.0 ** (-total / count) if count else float("nan")


def read_arpa(path: str | Path) -> ArpaModel:
    """Parse an ARPA file (as lmplz and models.sphinx_lm write it)."""
    entries: dict[tuple[str, ...], list[float]] = {}
    intern = sys.intern
    order = 0
    with open(path, encoding="utf-8") as f:
        n = 0
        for line in f:
            if line.startswith("\\"):
                if line.endswith("-grams:\n"):
                    n = int(line[1:line.index("-")])
                    order = max(order, n)
                elif line.startswith("\\end\\"):
                    break
                continue
            if not n or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            words = tuple(intern(w) for w in parts[1].split(" "))
            entries[words] = [float(parts[0]), float(parts[2]) if len(parts) > 2 else 0.0]
    vocab = {k[0] for k in entries if len(k) == 1}
    if not order or "<unk>" not in vocab:
        raise ValueError(f"{path}: not an ARPA model with <unk> (order {order}, {len(vocab)} words)")
    return ArpaModel(order, entries, vocab)


def mixed_logprob(a: ArpaModel, b: ArpaModel, weight: float, ngram: tuple[str, ...]) -> float:
    """log10 of λ pA + (1 - λ) pB for one n-gram (a word unknown to a model has probability 0 there)."""
    if ngram[-1] == "<s>":
        return LOG_ZERO
    pa, pb = a.logprob(ngram), b.logprob(ngram)
    total = (weight * 10.0 ** pa if pa is not None else 0.0) + ((1 - weight) * 10.0 ** pb if pb is not None else 0.0)
    if total <= 0.0:  # unknown to both (cannot happen for listed n-grams: each model knows its own words)
        return mixed_logprob(a, b, weight, ("<unk>",))
    return math.log10(total)


def mix(a: ArpaModel, b: ArpaModel, weight: float, progress=log) -> ArpaModel:
    """The interpolated model: weight on `a`, 1 - weight on `b` (see the module docstring)."""
    order = max(a.order, b.order)
    by_order: list[set[tuple[str, ...]]] = [set() for _ in range(order + 1)]
    for source in (a, b):
        for key in source.entries:
            by_order[len(key)].add(key)
    for n in range(order, 1, -1):  # every listed n-gram's context must be listed to carry its back-off
        by_order[n - 1].update(key[:-1] for key in by_order[n])
    mixed = ArpaModel(order, {}, a.vocab | b.vocab)
    for n in range(1, order + 1):
        started = time.perf_counter()
        for key in by_order[n]:
            mixed.entries[key] = [mixed_logprob(a, b, weight, key), 0.0]
        if n > 1:
            _set_backoffs(mixed, by_order[n])
        progress(f"order {n}: {len(by_order[n]):,} n-grams ({time.perf_counter() - started:.1f} s)")
    return mixed


def _set_backoffs(model: ArpaModel, ngrams: Iterable[tuple[str, ...]]) -> None:
    """Back-off weights of the contexts of `ngrams` (all of one order), from the model's lower orders."""
    listed: dict[tuple[str, ...], float] = {}
    lower: dict[tuple[str, ...], float] = {}
    for key in ngrams:
        context = key[:-1]
        listed[context] = listed.get(context, 0.0) + 10.0 ** model.entries[key][0]
        lower[context] = lower.get(context, 0.0) + 10.0 ** model.logprob(key[1:])
    for context, mass in listed.items():
        left, left_lower = max(1.0 - mass, MIN_MASS), max(1.0 - lower[context], MIN_MASS)
        model.entries[context][1] = math.log10(left / left_lower)


def write_arpa(model: ArpaModel, path: str | Path) -> dict[int, int]:
    counts = {n: 0 for n in range(1, model.order + 1)}
    for key in model.entries:
        counts[len(key)] += 1
    with open(path, "w", encoding="utf-8") as f:
        f.write("\\data\\\n")
        for n, c in counts.items():
            f.write(f"ngram {n}={c}\n")
        for n in range(1, model.order + 1):
            f.write(f"\n\\{n}-grams:\n")
            for key, (logp, bow) in model.entries.items():
                if len(key) != n:
                    continue
                if n < model.order:
                    f.write(f"{logp:.6f}\t{' '.join(key)}\t{bow:.6f}\n")
                else:
                    f.write(f"{logp:.6f}\t{' '.join(key)}\n")
        f.write("\n\\end\\\n")
    return counts


# -- the weight -------------------------------------------------------------------------------------------------
def token_probabilities(a: ArpaModel, b: ArpaModel, sentences: Iterable[list[str]]) -> tuple[list[float], list[float]]:
    """Each token's (and each </s>'s) probability under a and under b; 0 where the model lacks the word,
    except that a word both lack is priced as each model's <unk>."""
    pa_all, pb_all = [], []
    order = max(a.order, b.order)
    for tokens in sentences:
        words = ["<s>", *tokens, "</s>"]
        for i in range(1, len(words)):
            ngram = tuple(words[max(0, i - order + 1):i + 1])
            pa, pb = a.logprob(ngram), b.logprob(ngram)
            if pa is None and pb is None:
                unk = (*ngram[:-1], "<unk>")
                pa, pb = a.logprob(unk), b.logprob(unk)
            pa_all.append(10.0 ** pa if pa is not None else 0.0)
            pb_all.append(10.0 ** pb if pb is not None else 0.0)
    return pa_all, pb_all


def fit_weight(sets: dict[str, tuple[list[float], list[float]]], iterations: int = 200, tol: float = 1e-6
               ) -> tuple[float, list[float]]:
    """EM for λ over held-out sets of (pA, pB) per token, each set weighted equally. Returns λ and its path."""
    import numpy as np

    arrays = [(np.asarray(pa), np.asarray(pb)) for pa, pb in sets.values()]
    weight, path = 0.5, [0.5]
    for _ in range(iterations):
        shares = []
        for pa, pb in arrays:
            total = weight * pa + (1 - weight) * pb
            shares.append(float(np.mean(weight * pa / total)))
        new = sum(shares) / len(shares)
        path.append(new)
        if abs(new - weight) < tol:
            weight = new
            break
        weight = new
    return weight, path


def perplexity(pa: Sequence[float], pb: Sequence[float], weight: float) -> float:
    """Per-token perplexity of the dynamic (per-token) mixture, from `token_probabilities`."""
    import numpy as np

    p = weight * np.asarray(pa) + (1 - weight) * np.asarray(pb)
    return float(10.0 ** -np.mean(np.log10(np.maximum(p, 1e-99))))


def main(argv: list[str] | None = None) -> int:
    from scoring.train import run_build_binary, sentence_lines

    parser = argparse.ArgumentParser(prog="python -m models.mix_lm", description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path, help="ARPA model A")
    parser.add_argument("b", type=Path, help="ARPA model B")
    parser.add_argument("-o", "--output", type=Path, required=True, help=".arpa, or a KenLM binary")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--weight", type=float, help="weight of A in [0, 1]")
    group.add_argument("--fit", nargs="+", type=Path, metavar="TEXT", help="held-out text files (one set each)")
    args = parser.parse_args(argv)
    a, b = read_arpa(args.a), read_arpa(args.b)
    weight = args.weight
    if args.fit:
        sets = {}
        for path in args.fit:
            with path.open(encoding="utf-8") as f:
                sets[path.name] = token_probabilities(a, b, (line.split() for line in sentence_lines(f)))
        weight, _ = fit_weight(sets)
        log(f"EM weight of A: {weight:.4f}")
    mixed = mix(a, b, weight)
    # Built in a scratch directory beside the output, then renamed into place: a failed build leaves the old
    # file whole, and a crawl that has the old model mmapped keeps reading it (never an overwrite in place).
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.output.parent, prefix=".mix-") as scratch:
        arpa = Path(scratch) / "mixed.arpa"
        write_arpa(mixed, arpa)
        staged = arpa
        if args.output.suffix != ".arpa":
            staged = Path(scratch) / "mixed.bin"
            run_build_binary(arpa, staged, quantize=True)
        os.replace(staged, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
