"""Perplexity and OOV rate of a word-level KenLM model on text or HTML files, tokenised as the scorer does.

    python -m scoring.perplexity [--model PATH] [--json] [--split-oov] FILE...
    python -m scoring.lm perplexity ...                   (the same)

`.txt` (and any other non-HTML file): one paragraph per line. `.html`/`.htm`: the page's main content
(`scoring.extract.extract(html).text`, the text the scorer scores), split into lines. Each line is split into
sentences (scoring.segment) and tokenised (scoring.normalize) exactly as the scorer does, and each sentence is
scored with <s> ... </s>. Perplexity is per token including </s>: 10 ** (-sum log10 P / (tokens + sentences)).
OOV tokens (not in the model's vocabulary) are scored as the model's <unk>; `perplexity_in_vocabulary` leaves them
out of both the sum and the count (SRILM's convention), which compares models whose <unk> costs differ.

`--split-oov` (an experiment, not what the scorer does): an OOV token that the model knows in pieces is scored as
the pieces ("well-known" -> "well known", "obama's" -> "obama 's"); the count stays the original tokens', so
perplexities stay comparable.

--json prints one object per file: source, tokens, sentences, oov (rate), oov_tokens, perplexity,
perplexity_in_vocabulary.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@dataclass
class Perplexity:
    source: str
    tokens: int            # word tokens (without </s>)
    sentences: int
    oov: float             # OOV tokens / tokens
    oov_tokens: int
    perplexity: float      # per token including </s>; OOV scored as <unk>
    perplexity_in_vocabulary: float  # OOV tokens left out of sum and count

    def line(self) -> str:
        return (f"{self.source}: {self.tokens:,} tokens in {self.sentences:,} sentences, OOV {self.oov:.2%}, "
                f"perplexity {self.perplexity:,.1f} (in-vocabulary {self.perplexity_in_vocabulary:,.1f})")


def sentences_of_text(text: str) -> list[list[str]]:
    """Token lists of the sentences of plain text (one block per line), as the scorer tokenises them."""
    from .segment import blocks_from_text, segment

    return [s.tokens for s in segment(blocks_from_text(text)).sentences if s.tokens]


def text_of_file(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix.lower() in HTML_SUFFIXES:
        from .extract import extract

        return extract(data, str(path)).text
    return data.decode("utf-8", "replace")


def split_oov(tokens: list[str], known) -> list[list[str]]:
    """Per token, what is scored: the token itself, or its pieces when it is OOV and every piece is known."""
    out = []
    for tok in tokens:
        pieces = [tok]
        if not known(tok):
            if "-" in tok:
                pieces = [p for p in tok.split("-") if p]
            elif "'" in tok:
                head, _, tail = tok.rpartition("'")
                pieces = [head, "'" + tail] if head else [tok]
            if not pieces or not all(known(p) for p in pieces):
                pieces = [tok]
        out.append(pieces)
    return out


def measure(model, sentences: Iterable[list[str]], source: str = "<text>", split: bool = False) -> Perplexity:
    """Perplexity of a kenlm.Model (or scoring.lm.LanguageModel) on tokenised sentences."""
    km = getattr(model, "_model", model)
    known = km.__contains__
    total = total_iv = 0.0
    tokens = oov = n_sent = 0
    for sent in sentences:
        if not sent:
            continue
        n_sent += 1
        tokens += len(sent)
        if split:
            groups = split_oov(sent, known)
            flat = [p for g in groups for p in g]
            scores = [s[0] for s in km.full_scores(" ".join(flat), bos=True, eos=True)]
            per_token, i = [], 0
            for g in groups:
                per_token.append((sum(scores[i:i + len(g)]), len(g) == 1 and not known(g[0])))
                i += len(g)
            per_token.append((scores[-1], False))
        else:
            per_token = [(p, is_oov) for p, _, is_oov in km.full_scores(" ".join(sent), bos=True, eos=True)]
        for logp, is_oov in per_token:
            total += logp
            if is_oov:
                oov += 1
            else:
                total_iv += logp
    count = tokens + n_sent
    return Perplexity(
        source=source, tokens=tokens, sentences=n_sent, oov=oov / tokens if tokens else 0.0, oov_tokens=oov,
        perplexity=math.pow(10.0, -total / count) if count else float("nan"),
        perplexity_in_vocabulary=math.pow(10.0, -total_iv / (count - oov)) if count > oov else float("nan"))


def measure_files(model, paths: Sequence[Path], split: bool = False) -> list[Perplexity]:
    return [measure(model, sentences_of_text(text_of_file(p)), str(p), split) for p in paths]


def main(argv: Sequence[str] | None = None) -> int:
    from .lm import DEFAULT_MODEL, ModelError, load_model

    parser = argparse.ArgumentParser(prog="python -m scoring.perplexity", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help=".txt (a paragraph per line) or .html files")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help=f"KenLM model (default {DEFAULT_MODEL})")
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    parser.add_argument("--split-oov", action="store_true",
                        help="score an OOV token as its known pieces (hyphens, 's); an experiment")
    args = parser.parse_args(argv)
    missing = [p for p in args.files if not p.is_file()]
    if missing:
        print(f"perplexity: no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    try:
        model = load_model(args.model)
    except ModelError as exc:
        print(f"perplexity: {exc}", file=sys.stderr)
        return 2
    if model._sp is not None:
        print("perplexity: SentencePiece models are not supported here (word-level KenLM only)", file=sys.stderr)
        return 2
    for result in measure_files(model, args.files, args.split_oov):
        if args.json:  # NaN (no tokens) is not JSON: null
            print(json.dumps({k: (None if isinstance(v, float) and math.isnan(v) else v)
                              for k, v in asdict(result).items()}))
        else:
            print(result.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
