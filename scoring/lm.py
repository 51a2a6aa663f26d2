"""The n-gram language model: KenLM, loaded once per process, queried per token.

Word-level models (ours, built by `scoring.train`) see the tokens of `scoring.normalize`. CCNet-style
models see SentencePiece pieces of the same normalised text; their per-piece scores are summed back to
words so that every signal works in words whichever model is loaded.
"""
from __future__ import annotations

import functools
import math
import os
from pathlib import Path

import numpy as np

from .config import BUILD_HINT, DEFAULT_MODEL  # noqa: F401  (DEFAULT_MODEL: scoring.lm's public name too)


class ModelError(RuntimeError):
    """A language model that cannot be used; the message names the file and how to fix it."""


class LanguageModel:
    def __init__(self, path: str | os.PathLike, sentencepiece: str | os.PathLike | None = None):
        import kenlm  # imported here so that `scoring` imports without the compiled module

        self.path = Path(path)
        if not self.path.is_file():
            raise ModelError(f"language model file not found: {self.path}; {BUILD_HINT}")
        config = kenlm.Config()
        config.show_progress = False
        try:
            self._model = kenlm.Model(str(self.path), config)
        except (OSError, RuntimeError, ValueError) as exc:  # kenlm raises OSError on a corrupt file
            raise ModelError(f"cannot load language model {self.path} ({exc}); {BUILD_HINT}") from exc
        self.order: int = self._model.order
        self._sp = None
        if sentencepiece is not None:
            self._sp = _load_sentencepiece(Path(sentencepiece))

    @property
    def name(self) -> str:
        return self.path.name

    def __reduce__(self):  # worker processes reload from the path (binary models mmap instantly)
        return (load_model, (str(self.path), self._sp and self._sp_path))

    # -- queries ------------------------------------------------------------------------------
    def score_line(self, line: str, bos: bool = True, eos: bool = True) -> float:
        """Total log10 probability of a space-joined token line (word-level models only: fast path)."""
        if self._sp is not None:
            return float(self.token_scores(line.split(), bos=bos, eos=eos)[0].sum())
        return self._model.score(line, bos=bos, eos=eos)

    def line_scorer(self):
        """`score_line` without the wrapper's call overhead: kenlm's own Model.score for word-level models.

        Signals that score thousands of short windows per page use this (it halves their time)."""
        return self.score_line if self._sp is not None else self._model.score

    def bytes_scorer(self):
        """kenlm's own Model.score taking a UTF-8 encoded line (bytes skip its encoding step), for word-level
        models; None for SentencePiece ones. The same float as `score_line` of the decoded line."""
        return None if self._sp is not None else self._model.score

    def score(self, tokens: list[str], bos: bool = True, eos: bool = True) -> float:
        return self.score_line(" ".join(tokens), bos=bos, eos=eos)

    def token_scores(self, tokens: list[str], bos: bool = True, eos: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Per-token log10 probabilities and matched n-gram orders (plus one entry for </s> if eos).

        An order of 0 would never occur: unknown words match the unigram <unk> (order 1); `is_oov`
        tells them apart.
        """
        logp, orders, _ = self.scored_tokens(tokens, bos, eos)
        return logp, orders

    def scored_tokens(self, tokens: list[str], bos: bool = True, eos: bool = True
                      ) -> tuple[np.ndarray, np.ndarray, int | None]:
        """`token_scores` and how many of the tokens the model has never seen, counted in the same pass (None for
        a SentencePiece model, whose pieces spell out any word)."""
        if self._sp is None:
            logp, orders = [], []  # (two appends a token: 10% faster than tuple() and zip(*))
            unknown = 0
            for p, order, oov in self._model.full_scores(" ".join(tokens), bos, eos):
                logp.append(p)
                orders.append(order)
                unknown += oov
            return np.array(logp, dtype=np.float64), np.array(orders, dtype=np.int32), unknown
        return *self._piece_scores(tokens, bos, eos), None

    def ngram_orders(self, line: str, bos: bool = True, eos: bool = True) -> list[int] | None:
        """The n-gram order each token of a space-joined token line matched (plus </s> if eos), for word-level
        models; None for SentencePiece ones, whose pieces are not the line's words."""
        if self._sp is not None:
            return None
        return [order for _, order, _ in self._model.full_scores(line, bos=bos, eos=eos)]

    def is_oov(self, word: str) -> bool:
        """Whether the model has never seen the word: never for a SentencePiece model, whose pieces spell out any
        word (its vocabulary holds pieces, not words)."""
        return self._sp is None and word not in self._model

    def perplexity(self, sentences: list[list[str]]) -> float:
        """Perplexity over sentences (each scored with <s> and </s>), per token including </s>."""
        total, count = 0.0, 0
        for tokens in sentences:
            total += self.score(tokens)
            count += len(tokens) + 1
        return math.pow(10.0, -total / count) if count else float("nan")

    # -- SentencePiece models ---------------------------------------------------------------------
    def _piece_scores(self, tokens: list[str], bos: bool, eos: bool) -> tuple[np.ndarray, np.ndarray]:
        word_of_piece, pieces = [], []
        for i, word in enumerate(tokens):
            for piece in self._sp.encode(word, out_type=str):
                pieces.append(piece)
                word_of_piece.append(i)
        scores = list(self._model.full_scores(" ".join(pieces), bos=bos, eos=eos))
        n = len(tokens) + (1 if eos else 0)
        logp = np.zeros(n)
        orders = np.full(n, 1 << 30, dtype=np.int32)
        for (prob, order, _), i in zip(scores, word_of_piece + ([len(tokens)] if eos else [])):
            logp[i] += prob
            orders[i] = min(orders[i], order)
        return logp, orders


def _load_sentencepiece(path: Path):
    import sentencepiece

    if not path.is_file():
        raise ModelError(f"SentencePiece model not found: {path}")
    try:
        return sentencepiece.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as exc:
        raise ModelError(f"cannot load SentencePiece model {path} ({exc})") from exc


@functools.lru_cache(maxsize=8)
def _cached(path: str, sentencepiece: str | None, mtime: float) -> LanguageModel:
    model = LanguageModel(path, sentencepiece)
    model._sp_path = sentencepiece
    return model


def load_model(path: str | os.PathLike, sentencepiece: str | os.PathLike | None = None) -> LanguageModel:
    """The model at `path`, loaded once per process (reloaded if the file changed)."""
    p = Path(path)
    if not p.is_file():
        raise ModelError(f"language model file not found: {p}; {BUILD_HINT}")
    return _cached(str(p.resolve()), str(sentencepiece) if sentencepiece else None, p.stat().st_mtime)


# -- model cards ------------------------------------------------------------------------------------


def card_path(model_path: str | os.PathLike) -> Path:
    """The model card sits beside the model: models/en/en.bin -> models/en/en.card.json."""
    return Path(model_path).with_suffix(".card.json")


def read_card(model_path: str | os.PathLike) -> dict:
    """The model's card, or {} if it has none (a model the user brought without one)."""
    import json

    path = card_path(model_path)
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"model card {path} is unreadable ({exc}); rebuild it with `make model`") from exc


def write_card(model_path: str | os.PathLike, card: dict) -> Path:
    import json

    path = card_path(model_path)
    path.write_text(json.dumps(card, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":  # python -m scoring.lm perplexity [--model PATH] [--json] FILE...
    import sys

    if sys.argv[1:2] != ["perplexity"]:
        sys.exit("usage: python -m scoring.lm perplexity [--model PATH] [--json] FILE...")
    from scoring.perplexity import main as _perplexity

    sys.exit(_perplexity(sys.argv[2:]))
