"""Convert CMU Sphinx's trie binary language model to ARPA, then to a KenLM binary.

    python -m models.sphinx_lm [--wheel-or-bin PATH] -o models/sphinx/en-us.bin [--keep-arpa] [--unk LOG10]

Source: `pocketsphinx/model/en-us/en-us.lm.bin` in the PyPI `pocketsphinx` wheel (pinned below; BSD-2-Clause,
Carnegie Mellon University), CMU Sphinx's generic US-English trigram model. Without `--wheel-or-bin` the wheel is
fetched with `pip download --no-deps pocketsphinx==VERSION -d .cache/sphinx` and the model read from the zip;
only this recipe is committed. Sphinx's own converters fail on this file (see `read_trie`), so this reads the
binary with numpy (vectorised bit unpacking), writes an ARPA file and runs KenLM's `build_binary` with the flags
of the default model (trie, 8-bit quantised probabilities and back-offs: `scoring.train.run_build_binary`).
The model card (`<model>.card.json`) records the wheel and its sha256, the licence, the counts, the commands
and the conversion time.

The binary format (pocketsphinx 5.1.1, src/lm/ngram_model_trie.c, lm_trie.c, lm_trie_quant.c, bitarr.c), all
little-endian:
  "Trie Language Model" (no NUL), uint8 order, uint32 counts[order];
  int32 (unused), float32 quantisation tables of 2^16 entries: per middle order a probability and a back-off
  table, then the highest order's probability table;
  unigrams: counts[0] + 1 records {float32 prob, float32 backoff, uint32 next};
  the n-gram memory: per middle order a bit-packed array of records
  [word: bits(counts[0])][back-off code: 16][probability code: 16][next: bits(counts[n])] plus one record that
  only ends the last `next` range, then the highest order's [word][probability code: 16]; each array is
  ((entries + 1) * bits + 7) // 8 + 8 bytes, sized from the header counts;
  int32 length, then the words, NUL-terminated, in id order.
The trie is keyed in reverse: the records under unigram w are the n-grams ending in w, each record's word is the
one before, and its `next` range holds the next word further back. Probabilities and back-offs are logmath
values, base 1.0001 (times log10(1.0001) = log10).

Dummy entries. When Sphinx builds the trie, an n-gram whose suffix is missing (SRILM-style pruning keeps
"the prime minister" but may drop "prime minister") is made reachable by inserting the missing middle entry
with probability = back-off estimate (P(minister) + bo(prime), then 16-bit quantised) and back-off 0
(`recursive_insert` in lm_trie.c). The header holds the counts *with* those entries as estimated by
`lm_trie_fix_counts`, which over-estimates them for this file: the arrays are allocated for 2,051,547 bigrams
but the unigram sentinel's `next` (the real end) is 2,051,541, and the six records past it are all zero. Sphinx's
own ARPA writer walks the trie, finds six bigrams fewer than the header says, and fails its assertion
`raw_ngram_idx == n_counts` (`sphinx_lm_convert`); without the assertion (release builds, the Python
`NGramModel.write`) it goes on to sort and print six uninitialised records: the crash and the garbage. This reader trusts the pointers and
checks that what lies past them is empty.
Dummies are not written to the ARPA. An entry is recognised as one when its back-off is exactly 0, it has
children, and its probability code is the code Sphinx's own quantiser gives the back-off estimate (replayed in
numpy, including the unsorted bins). They are not n-grams of the model, and KenLM's build_binary re-creates
every missing suffix itself (a "blank" holding the same back-off estimate, computed exactly, reported as matched
order 2 just as the dummy would be), so leaving them out loses nothing; keeping them would keep Sphinx's
quantisation of values its bins were never trained on: 1,390 of the 57,298 are off by more than 0.01 log10, up
to 1.90 (estimates below the lowest bin, -7.37, clamped to it). The ARPA's counts are then the model's own.

Unknown words. The model has no <UNK>: pocketsphinx gives an out-of-vocabulary word log-zero. KenLM needs an
<unk> unigram; it is written with `--unk` (log10, default: the smallest unigram probability of the model,
i.e. an OOV word costs what the rarest known word costs) and back-off 0, so a word after an OOV word gets its
unigram probability, as pocketsphinx does (it cuts the history at an unknown word).
"""
from __future__ import annotations

import argparse
import hashlib
import math
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from scoring.train import sha256_file

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "sphinx"
POCKETSPHINX_VERSION = "5.1.1"
MEMBER = "pocketsphinx/model/en-us/en-us.lm.bin"
LICENCE = "BSD-2-Clause (pocketsphinx LICENSE: Copyright (c) 1999-2016 Carnegie Mellon University)"
HEADER = b"Trie Language Model"
LOGMATH_TO_LOG10 = math.log10(1.0001)
QUANT_BITS = 16  # Sphinx quantises every n-gram above the unigrams to 16-bit codes (lm_trie_quant.c)


def log(msg: str) -> None:
    print(f"[sphinx-lm] {msg}", file=sys.stderr, flush=True)


# -- reading the Sphinx trie -----------------------------------------------------------------------------------
def required_bits(max_value: int) -> int:
    """bitarr_required_bits: bits needed to store 0..max_value."""
    return int(max_value).bit_length()


def read_bits(mem: np.ndarray, bit_offsets: np.ndarray, nbits: int) -> np.ndarray:
    """The `nbits`-bit fields starting at `bit_offsets` of a little-endian bit-packed byte array (vectorised
    bitarr_read_int57: 8 bytes from byte offset >> 3, shifted by offset & 7, masked)."""
    byte = (bit_offsets >> 3).astype(np.int64)
    windows = np.lib.stride_tricks.sliding_window_view(mem, 8)[byte]   # (n, 8) copy
    value = np.ascontiguousarray(windows).view("<u8").ravel()
    return (value >> (bit_offsets & 7).astype(np.uint64)) & np.uint64((1 << nbits) - 1)


@dataclass
class Level:
    """One order above the unigrams: entry i is an n-gram; `parent[i]` its entry one order down (for order 2,
    the unigram id of the predicted word), `word[i]` the word one step further back in the history."""
    order: int
    word: np.ndarray
    parent: np.ndarray
    prob_code: np.ndarray
    prob: np.ndarray                       # log10
    bo_code: np.ndarray | None = None      # None for the highest order
    bo: np.ndarray | None = None
    next: np.ndarray | None = None         # next[i]..next[i+1] = children one order up (len entries + 1)


@dataclass
class SphinxTrie:
    order: int
    header_counts: list[int]
    words: list[str]
    uni_prob: np.ndarray                   # log10
    uni_bo: np.ndarray
    uni_next: np.ndarray                   # counts[0] + 1
    uni_raw: np.ndarray                    # the unigram records as stored (float32 logmath prob, bo; next)
    levels: list[Level]
    prob_tables: list[np.ndarray]          # per order 2..N, logmath float32
    bo_tables: list[np.ndarray]            # per order 2..N-1
    notes: dict = field(default_factory=dict)

    @property
    def counts(self) -> list[int]:
        return [len(self.uni_prob)] + [len(lv.word) for lv in self.levels]


def read_trie(data: bytes) -> SphinxTrie:
    """Parse a Sphinx trie binary LM (bytes of an .lm.bin file)."""
    if not data.startswith(HEADER):
        raise ValueError("not a Sphinx trie binary LM (header 'Trie Language Model' missing)")
    pos = len(HEADER)
    order = data[pos]
    pos += 1
    if not 2 <= order <= 6:
        raise ValueError(f"unsupported n-gram order {order}")
    counts = np.frombuffer(data, "<u4", order, pos).astype(np.int64).tolist()
    pos += 4 * order + 4                   # counts, then the unused int32 of the quantiser
    table = 1 << QUANT_BITS
    prob_tables, bo_tables = [], []
    for _ in range(order - 2):
        prob_tables.append(np.frombuffer(data, "<f4", table, pos))
        bo_tables.append(np.frombuffer(data, "<f4", table, pos + 4 * table))
        pos += 8 * table
    prob_tables.append(np.frombuffer(data, "<f4", table, pos))
    pos += 4 * table
    vocab = counts[0]
    uni = np.frombuffer(data, np.dtype([("prob", "<f4"), ("bo", "<f4"), ("next", "<u4")]), vocab + 1, pos)
    pos += uni.nbytes
    word_bits = required_bits(vocab)
    levels: list[Level] = []
    # byte arrays of each order, sized from the header counts (as lm_trie_alloc_ngram does)
    mems, sizes = [], []
    for n in range(2, order + 1):
        next_bits = required_bits(counts[n]) if n < order else 0
        bits = word_bits + (2 * QUANT_BITS if n < order else QUANT_BITS) + next_bits
        size = ((counts[n - 1] + 1) * bits + 7) // 8 + 8
        mems.append((np.frombuffer(data, np.uint8, size, pos), bits, next_bits))
        sizes.append(size)
        pos += size
    (nchars,) = np.frombuffer(data, "<i4", 1, pos)
    pos += 4
    words = data[pos:pos + nchars].decode("utf-8").split("\0")[:-1]
    pos += nchars
    if pos != len(data) or len(words) != vocab:
        raise ValueError(f"layout mismatch: parsed {pos} of {len(data)} bytes, {len(words)} of {vocab} words")

    notes: dict = {"word_bits": word_bits}
    parent_next = uni["next"].astype(np.int64)
    for n, (mem, bits, next_bits) in zip(range(2, order + 1), mems):
        real = int(parent_next[-1])       # the end pointer of the order below: the true number of entries
        allocated = counts[n - 1]
        if real > allocated:
            raise ValueError(f"{n}-gram pointers run past the header count ({real} > {allocated})")
        starts = np.arange(real + 1, dtype=np.uint64) * np.uint64(bits)
        word = read_bits(mem, starts[:real], word_bits).astype(np.int32)
        if real < allocated:  # header over-counts (lm_trie_fix_counts): the tail must be empty
            if mem[((real + 1) * bits + 7) // 8:].any():
                raise ValueError(f"{allocated - real} {n}-gram records past the end pointer are not empty")
            notes[f"{n}-gram header surplus"] = allocated - real
        parent = np.repeat(np.arange(len(parent_next) - 1, dtype=np.int32), np.diff(parent_next))
        level = Level(order=n, word=word, parent=parent, prob_code=None, prob=None)
        if n < order:
            bo_code = read_bits(mem, starts[:real] + np.uint64(word_bits), QUANT_BITS).astype(np.int32)
            prob_code = read_bits(mem, starts[:real] + np.uint64(word_bits + QUANT_BITS), QUANT_BITS).astype(np.int32)
            nxt = read_bits(mem, starts + np.uint64(word_bits + 2 * QUANT_BITS), next_bits).astype(np.int64)
            if np.any(np.diff(nxt) < 0):
                raise ValueError(f"{n}-gram next pointers are not monotonic")
            level.bo_code, level.bo = bo_code, bo_tables[n - 2][bo_code].astype(np.float64) * LOGMATH_TO_LOG10
            level.next = nxt
            parent_next = nxt
        else:
            prob_code = read_bits(mem, starts[:real] + np.uint64(word_bits), QUANT_BITS).astype(np.int32)
        level.prob_code = prob_code
        level.prob = prob_tables[n - 2][prob_code].astype(np.float64) * LOGMATH_TO_LOG10
        # within each parent's range the history words are strictly increasing (binary-searched by Sphinx)
        same = level.parent[1:] == level.parent[:-1]
        if np.any(word[1:][same] <= word[:-1][same]):
            # pocketsphinx 5.1.1's en-us.lm.bin: 2 trigram ranges ("and bullhorns", "and jerri") are out of order,
            # which Sphinx's own search may then miss; the ARPA is re-sorted, so nothing is lost here
            notes[f"{n}-gram entries out of order"] = int(np.sum(word[1:][same] <= word[:-1][same]))
        levels.append(level)
    return SphinxTrie(order=order, header_counts=counts, words=words,
                      uni_prob=uni["prob"].astype(np.float64)[:vocab] * LOGMATH_TO_LOG10,
                      uni_bo=uni["bo"].astype(np.float64)[:vocab] * LOGMATH_TO_LOG10,
                      uni_next=uni["next"].astype(np.int64), uni_raw=uni[:vocab], levels=levels,
                      prob_tables=prob_tables, bo_tables=bo_tables, notes=notes)


def lower_bound(table: np.ndarray, values: np.ndarray) -> np.ndarray:
    """std::lower_bound's binary search, vectorised, step for step. Sphinx's tables are not sorted (make_bins
    sorts with a comparator that truncates differences to int), so np.searchsorted would not reproduce it."""
    first = np.zeros(len(values), np.int64)
    count = np.full(len(values), len(table), np.int64)
    while np.any(count > 0):
        step = count // 2
        it = np.minimum(first + step, len(table) - 1)
        less = (count > 0) & (table[it] < values)
        first = np.where(less, it + 1, first)
        count = np.where(less, count - step - 1, np.where(count > 0, step, 0))
    return first


def sphinx_encode(table: np.ndarray, values: np.ndarray) -> np.ndarray:
    """bins_encode of lm_trie_quant.c, vectorised (float32 arithmetic, as in C)."""
    values = values.astype(np.float32)
    above = lower_bound(table, values)
    last = len(table) - 1
    clipped = np.clip(above, 1, last)
    lower_closer = (values - table[clipped - 1]) < (table[clipped] - values)
    code = clipped - lower_closer.astype(np.int64)
    code = np.where(above == 0, 0, code)
    return np.where(above > last, last, code)


def mark_dummies(trie: SphinxTrie) -> list[np.ndarray]:
    """Boolean mask per middle level of the entries Sphinx inserted to reach higher orders (see module doc)."""
    masks = []
    # all in float32 logmath units, as recursive_insert computes: probs[j - 1] + unigrams[word].bo
    prev_prob = trie.uni_raw["prob"]
    uni_bo = trie.uni_raw["bo"]
    for lv in trie.levels[:-1]:
        n = lv.order
        estimate = prev_prob[lv.parent] + uni_bo[lv.word]
        code = sphinx_encode(trie.prob_tables[n - 2], estimate)
        has_children = np.diff(lv.next) > 0
        mask = (lv.bo == 0.0) & has_children & (code == lv.prob_code)
        masks.append(mask)
        prev_prob = trie.prob_tables[n - 2][lv.prob_code]
    masks.append(np.zeros(len(trie.levels[-1].word), bool))
    return masks


def ngram_word_ids(trie: SphinxTrie, level_index: int) -> np.ndarray:
    """(entries, n) word ids of the n-grams of a level, oldest word first (ARPA order)."""
    lv = trie.levels[level_index]
    cols = [lv.word]
    idx = lv.parent
    for lower in reversed(trie.levels[:level_index]):
        cols.append(lower.word[idx])
        idx = lower.parent[idx]
    cols.append(idx)                       # the predicted word (a unigram id)
    return np.stack(cols, axis=1).astype(np.int32)


# -- writing ARPA ----------------------------------------------------------------------------------------------
def _fmt(values: np.ndarray) -> list[str]:
    return [f"{v:.6f}" for v in values.tolist()]


def write_arpa(trie: SphinxTrie, path: Path, unk_log10: float | None = None, drop_dummies: bool = True,
               drop_backoffs: bool = False) -> dict:
    """Write the model as ARPA (n-grams sorted by word ids, oldest word first). Returns the counts written.

    `drop_backoffs` writes every back-off weight as 0: a deliberately wrong model, for showing that the
    verification test can fail."""
    words = list(trie.words)
    has_unk = any(w.lower() == "<unk>" for w in words)
    uni_prob = trie.uni_prob.copy()
    if unk_log10 is None:
        unk_log10 = float(uni_prob[np.array([w not in ("<s>",) for w in words])].min())
    masks = mark_dummies(trie) if drop_dummies else [np.zeros(len(lv.word), bool) for lv in trie.levels]
    word_arr = np.array(words, dtype=object)
    counts = [len(words) + (0 if has_unk else 1)]
    blocks = []
    for i, lv in enumerate(trie.levels):
        ids = ngram_word_ids(trie, i)
        keep = ~masks[i]
        ids = ids[keep]
        sort = np.lexsort(ids.T[::-1])
        ids = ids[sort]
        prob = lv.prob[keep][sort]
        bo = lv.bo[keep][sort] if lv.bo is not None else None
        text = word_arr[ids[:, 0]]
        for c in range(1, ids.shape[1]):
            text = text + " " + word_arr[ids[:, c]]
        blocks.append((prob, text, bo))
        counts.append(len(ids))
    with path.open("w", encoding="utf-8") as f:
        f.write("\\data\\\n" + "".join(f"ngram {n}={c}\n" for n, c in enumerate(counts, 1)) + "\n")
        f.write("\\1-grams:\n")
        bo1 = np.zeros_like(trie.uni_bo) if drop_backoffs else trie.uni_bo
        # the highest order's words need no back-off; a unigram without bigrams keeps its (zero) back-off
        f.write("".join(f"{p}\t{w}\t{b}\n" for p, w, b in zip(_fmt(uni_prob), words, _fmt(bo1))))
        if not has_unk:
            f.write(f"{unk_log10:.6f}\t<unk>\t0.000000\n")
        for n, (prob, text, bo) in enumerate(blocks, 2):
            f.write(f"\n\\{n}-grams:\n")
            if bo is None:
                f.write("".join(f"{p}\t{t}\n" for p, t in zip(_fmt(prob), text.tolist())))
            else:
                bo = np.zeros_like(bo) if drop_backoffs else bo
                f.write("".join(f"{p}\t{t}\t{b}\n" for p, t, b in zip(_fmt(prob), text.tolist(), _fmt(bo))))
        f.write("\n\\end\\\n")
    return {"arpa_counts": counts, "dummies_dropped": [int(m.sum()) for m in masks[:-1]],
            "unk_log10": round(unk_log10, 6), "unk_added": not has_unk}


# -- fetching --------------------------------------------------------------------------------------------------
def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def download_command(cache: Path = CACHE) -> list[str]:
    return [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            f"pocketsphinx=={POCKETSPHINX_VERSION}", "-d", str(cache)]


def find_wheel(cache: Path = CACHE, download: bool = True) -> Path:
    """The pinned pocketsphinx wheel in `cache`, downloaded from PyPI (pip) when missing."""
    pattern = f"pocketsphinx-{POCKETSPHINX_VERSION}-*.whl"
    found = sorted(cache.glob(pattern))
    if not found and download:
        cache.mkdir(parents=True, exist_ok=True)
        log(f"downloading pocketsphinx=={POCKETSPHINX_VERSION} from PyPI into {cache}")
        subprocess.run(download_command(cache), check=True)
        found = sorted(cache.glob(pattern))
    if not found:
        raise FileNotFoundError(f"no {pattern} in {cache}")
    return found[-1]


def read_source(path: Path | None) -> tuple[bytes, dict]:
    """(bytes of en-us.lm.bin, provenance) from a wheel, a bare .lm.bin, or (None) the pinned wheel."""
    if path is None:
        path = find_wheel()
    path = Path(path)
    if path.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(path) as z:
            data = z.read(MEMBER)
        source = {"wheel": path.name, "wheel_sha256": sha256_file(path), "member": MEMBER}
    else:
        data = path.read_bytes()
        source = {"file": path.name}
    source.update({"lm_bin_sha256": sha256_bytes(data), "lm_bin_bytes": len(data), "licence": LICENCE})
    return data, source


# -- conversion ------------------------------------------------------------------------------------------------
def convert(source: Path | None, output: Path, *, unk_log10: float | None = None, keep_arpa: bool = False,
            drop_backoffs: bool = False, quantize: bool = True, argv: list[str] | None = None) -> dict:
    """Sphinx trie binary -> ARPA -> KenLM binary `output` (+ its model card). Returns the card."""
    from scoring.lm import load_model, write_card
    from scoring.train import run_build_binary

    started = time.perf_counter()
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    data, provenance = read_source(source)
    trie = read_trie(data)
    read_s = time.perf_counter() - started
    log(f"read {provenance.get('wheel') or provenance.get('file')}: order {trie.order}, header counts "
        f"{trie.header_counts}, entries {trie.counts} ({read_s:.1f} s)")
    with tempfile.TemporaryDirectory(prefix="sphinx-lm-", dir=output.parent) as tmp:
        arpa = Path(tmp) / "model.arpa"
        written = write_arpa(trie, arpa, unk_log10=unk_log10, drop_backoffs=drop_backoffs)
        arpa_s = time.perf_counter() - started
        log(f"wrote ARPA {written['arpa_counts']} (dropped dummies {written['dummies_dropped']}; "
            f"{arpa.stat().st_size / 1e6:.0f} MB, {arpa_s:.1f} s)")
        staged = output.with_name(f".{output.name}.partial")
        try:
            if output.suffix == ".arpa":
                os.replace(arpa, staged)
                command = None
            else:
                command = run_build_binary(arpa, staged, quantize)
                command[-2:] = ["model.arpa", str(output)]
                if keep_arpa:
                    os.replace(arpa, output.with_suffix(".arpa"))
            os.replace(staged, output)
        finally:
            staged.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    model = load_model(output)
    card = {
        "format": 1,
        "language": "en",
        "model": output.name,
        "order": model.order,
        "kind": "converted: CMU Sphinx en-us trigram (pocketsphinx trie binary) -> ARPA -> KenLM",
        "source": provenance,
        "vocabulary": "the Sphinx model's own: 72,547 lowercase words, 4,548 with apostrophes, 229 hyphenated, letters with a dot (\"a.\", \"u.s.\"-style spellings), no digits; "
                      "<unk> added" if written["unk_added"] else "the Sphinx model's own",
        "normalisation": "none applied at conversion; the model sees scoring.normalize tokens when scoring, "
                         "so digits (mapped to 0) and hyphenated tokens are OOV",
        "counts": {"sphinx_header": trie.header_counts, "sphinx_trie_entries": trie.counts, "sphinx_notes": trie.notes,
                   "dummies_dropped": written["dummies_dropped"], "arpa": written["arpa_counts"]},
        "unk_log10": written["unk_log10"],
        "quantized": bool(quantize and output.suffix != ".arpa"),
        "size_bytes": output.stat().st_size,
        "build_command": ["pip " + " ".join(download_command()[3:]).replace(str(ROOT) + "/", ""),
                          "python -m models.sphinx_lm " + " ".join(argv if argv is not None else
                                                                   ["-o", str(output)])]
                         + ([" ".join(command)] if command else []),
        "build_seconds": round(seconds, 1),
        "timing_seconds": {"read_trie": round(read_s, 1), "write_arpa": round(arpa_s - read_s, 1),
                           "build_binary": round(seconds - arpa_s, 1)},
        "drop_backoffs": True if drop_backoffs else None,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "recipe": "python -m models.sphinx_lm (models/sphinx_lm.py)",
    }
    card = {k: v for k, v in card.items() if v is not None}
    write_card(output, card)
    log(f"wrote {output} ({card['size_bytes'] / 1e6:.1f} MB) and its card in {card['build_seconds']} s")
    return card


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.sphinx_lm", description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel-or-bin", type=Path, default=None,
                        help=f"a pocketsphinx wheel or an .lm.bin file (default: pocketsphinx=={POCKETSPHINX_VERSION} "
                             f"from PyPI, cached in .cache/sphinx)")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "models" / "sphinx" / "en-us.bin",
                        help="KenLM binary to write (.arpa: write ARPA only)")
    parser.add_argument("--unk", type=float, default=None,
                        help="log10 probability of <unk> (default: the smallest unigram probability)")
    parser.add_argument("--keep-arpa", action="store_true", help="also keep the ARPA beside the output")
    parser.add_argument("--no-quantize", action="store_true", help="full-precision trie")
    parser.add_argument("--drop-backoffs", action="store_true", help=argparse.SUPPRESS)  # test: a wrong model
    args = parser.parse_args(argv)
    raw_argv = list(argv) if argv is not None else sys.argv[1:]
    convert(args.wheel_or_bin, args.output, unk_log10=args.unk, keep_arpa=args.keep_arpa,
            drop_backoffs=args.drop_backoffs, quantize=not args.no_quantize, argv=raw_argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
