"""Train a word-level KenLM model with KenLM's own lmplz and build_binary, and write its model card.

    train-lm CORPUS... -o models/xx/xx.bin [--order 5] [--prune 0 0 1] [--memory 1G]

CORPUS: text files (.txt, optionally .gz/.bz2: each line a paragraph), JSONL files (field "text"), or globs.
Text is split into sentences and normalised exactly as the scorer does (scoring.segment, scoring.normalize),
one sentence per line, so the model sees what it will be asked about.
"""
from __future__ import annotations

import argparse
import bz2
import glob
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from .lm import ModelError, load_model, write_card
from .normalize import NORMALISATION, tokenize
from .segment import split_sentences

ROOT = Path(__file__).resolve().parent.parent
KENLM_BIN = Path(os.environ.get("KENLM_BIN", ROOT / ".cache" / "kenlm" / "bin"))
MIN_TOKENS = 200  # below this, n-gram estimates are meaningless: refuse
FALLBACK_HINT = "BadDiscountException"


class TrainError(RuntimeError):
    pass


def tool(name: str) -> Path:
    """Path of a KenLM tool (lmplz, build_binary): $KENLM_BIN, .cache/kenlm/bin, or PATH."""
    for candidate in (KENLM_BIN / name, shutil.which(name)):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise TrainError(f"KenLM's {name} not found in {KENLM_BIN} or on PATH; build it with `make kenlm`")


def expand_inputs(inputs: Sequence[str | os.PathLike]) -> list[Path]:
    paths: list[Path] = []
    for item in inputs:
        matches = sorted(glob.glob(str(item), recursive=True)) or [str(item)]
        for m in matches:
            p = Path(m)
            if not p.is_file():
                raise TrainError(f"corpus file not found: {p}")
            paths.append(p)
    if not paths:
        raise TrainError("no corpus files given")
    return paths


def _open_text(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    if path.suffix == ".bz2":
        return bz2.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open(encoding="utf-8", errors="replace")


def iter_paragraphs(path: Path) -> Iterator[str]:
    jsonl = ".jsonl" in path.suffixes or ".json" in path.suffixes
    with _open_text(path) as f:
        for line in f:
            if jsonl:
                line = line.strip()
                if not line:
                    continue
                try:
                    text = json.loads(line).get("text", "")
                except (ValueError, AttributeError):
                    raise TrainError(f"{path}: not JSON lines with a 'text' field: {line[:60]!r}")
                yield from text.splitlines()
            else:
                yield line


def sentence_lines(paragraphs: Iterable[str]) -> Iterator[str]:
    """Normalised sentences, one per line, as the model will be trained."""
    for para in paragraphs:
        for start, end in split_sentences(para.strip()):
            tokens = tokenize(para[start:end])
            if tokens:
                yield " ".join(tokens)


def normalised_sha256(paths: Iterable[Path]) -> str:
    """sha256 of the sentences `prepare_corpus` would write for `paths`, without writing them: a model's card
    records it, so a build can tell that a change to segmentation or normalisation made its model stale."""
    h = hashlib.sha256()
    for path in paths:
        for line in sentence_lines(iter_paragraphs(path)):
            h.update(line.encode("utf-8") + b"\n")
    return h.hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def prepare_corpus(paths: list[Path], out: Path, progress: Callable[[str], None]) -> dict:
    sources, sentences, tokens = [], 0, 0
    with out.open("w", encoding="utf-8") as f:
        for path in paths:
            words = 0
            for line in sentence_lines(iter_paragraphs(path)):
                f.write(line + "\n")
                n = line.count(" ") + 1
                words += n
                sentences += 1
            tokens += words
            sources.append({"path": str(path), "tokens": words, "sha256": sha256_file(path)})
            progress(f"  {path.name}: {words:,} tokens")
    return {"sources": sources, "sentences": sentences, "tokens": tokens, "sha256": sha256_file(out)}


def run_lmplz(corpus: Path, arpa: Path, order: int, prune: Sequence[int], memory: str, tmp: Path,
              progress: Callable[[str], None]) -> list[str]:
    cmd = [str(tool("lmplz")), "-o", str(order), "-S", memory, "-T", str(tmp)]
    if any(prune):
        cmd += ["--prune", *map(str, prune)]
    with corpus.open("rb") as src, arpa.open("wb") as dst:
        proc = subprocess.run(cmd, stdin=src, stdout=dst, stderr=subprocess.PIPE)
    if proc.returncode != 0 and FALLBACK_HINT in proc.stderr.decode(errors="replace"):
        progress("  lmplz could not estimate discounts on this small corpus: retrying with --discount_fallback")
        cmd.append("--discount_fallback")
        with corpus.open("rb") as src, arpa.open("wb") as dst:
            proc = subprocess.run(cmd, stdin=src, stdout=dst, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise TrainError("lmplz failed: " + " | ".join(tail))
    return cmd


def run_build_binary(arpa: Path, output: Path, quantize: bool, structure: str = "trie") -> list[str]:
    """KenLM's build_binary. A trie with 8-bit quantisation is the smallest and still mmaps instantly; probing (a
    hash table per order, no quantisation) is faster to query and, for the default model, 3.4x the trie's size
    (111 vs 33 MB: models/en/README.md measures both)."""
    if structure not in ("trie", "probing"):
        raise ValueError(f"unknown KenLM structure {structure!r}: 'trie' or 'probing'")
    if structure == "probing" and quantize:
        raise ValueError("KenLM quantises tries only: build probing with quantize=False")
    cmd = [str(tool("build_binary")), "-s"]
    cmd += ["-q", "8", "-b", "8", "trie"] if quantize else [structure]
    cmd += [str(arpa), str(output)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise TrainError("build_binary failed: " + proc.stderr.decode(errors="replace").strip()[-300:])
    return cmd


def train_model(inputs: Sequence[str | os.PathLike], output: str | os.PathLike, *, order: int = 5,
                prune: Sequence[int] = (0,), memory: str = "1G", quantize: bool = True, language: str = "en",
                keep_arpa: bool = False, progress: Callable[[str], None] = print) -> dict:
    """Build `output` (a KenLM binary, or ARPA if it ends in .arpa) and its card; return the card."""
    started = time.perf_counter()
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    paths = expand_inputs(inputs)
    with tempfile.TemporaryDirectory(prefix="train-lm-") as tmpdir:
        tmp = Path(tmpdir)
        progress(f"normalising {len(paths)} file(s) into sentences")
        corpus_path = tmp / "corpus.txt"
        corpus = prepare_corpus(paths, corpus_path, progress)
        if corpus["tokens"] < MIN_TOKENS:
            raise TrainError(f"corpus too small to estimate a language model: {corpus['tokens']} tokens "
                             f"(need at least {MIN_TOKENS}; a useful model wants millions)")
        progress(f"estimating a {order}-gram model on {corpus['tokens']:,} tokens with lmplz")
        arpa = tmp / "model.arpa"
        commands = [run_lmplz(corpus_path, arpa, order, prune, memory, tmp, progress)]
        # Build beside the output, then rename over it: a crawl that has the old model mapped keeps its
        # inode (rewriting the file in place would kill that crawl with SIGBUS).
        staged = output.with_name(f".{output.name}.partial")
        try:
            if output.suffix == ".arpa":
                shutil.copy(arpa, staged)
            else:
                progress("converting to KenLM binary (trie" + (", 8-bit quantised)" if quantize else ")"))
                commands.append(run_build_binary(arpa, staged, quantize))
                commands[-1][-1] = str(output)  # the card records the command as if run on the output
                if keep_arpa:
                    shutil.copy(arpa, output.with_suffix(".arpa"))
            os.replace(staged, output)
        finally:
            staged.unlink(missing_ok=True)
    load_started = time.perf_counter()
    try:
        model = load_model(output)
    except ModelError as exc:
        raise TrainError(str(exc)) from exc
    card = {
        "format": 1,
        "language": language,
        "model": output.name,
        "order": model.order,
        "normalisation": NORMALISATION,
        "pruning": list(prune),
        "quantized": bool(quantize and output.suffix != ".arpa"),
        "size_bytes": output.stat().st_size,
        "corpus": corpus,
        "build_command": [" ".join(c) for c in commands],
        "build_seconds": round(load_started - started, 1),
        "load_seconds": round(time.perf_counter() - load_started, 4),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_card(output, card)
    progress(f"wrote {output} ({card['size_bytes'] / 1e6:.1f} MB) and its card in {card['build_seconds']} s")
    return card


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="train-lm", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(args)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", nargs="+", help="text/JSONL files or globs")
    parser.add_argument("-o", "--output", required=True, help="model path (.bin for KenLM binary, .arpa for ARPA)")
    parser.add_argument("--order", type=int, default=5)
    parser.add_argument("--prune", type=int, nargs="+", default=[0], help="lmplz --prune counts per order")
    parser.add_argument("--memory", default="1G", help="lmplz -S (default 1G; lmplz's own default is 80%% of RAM)")
    parser.add_argument("--no-quantize", action="store_true", help="full-precision trie")
    parser.add_argument("--language", default="en")


def run(args: argparse.Namespace) -> int:
    try:
        train_model(args.corpus, args.output, order=args.order, prune=args.prune, memory=args.memory,
                    quantize=not args.no_quantize, language=args.language)
    except TrainError as exc:
        print(f"train-lm: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
