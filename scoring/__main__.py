"""Score files from the command line.

    python -m scoring page.html article.txt        # readable summary per file
    python -m scoring --json page.html             # one JSON object per input, one per line
    cat page.html | python -m scoring -            # "-" reads standard input (HTML unless --text)
    python -m scoring --json --workers 2 crawl.warc.gz pages.jsonl > reports.jsonl   # archives, record by record

Archives (.warc, .warc.gz, .jsonl, .jsonl.gz) are scored record by record in file order (see scoring/archive.py
for what is scored, what is skipped and how it is counted): one report per record, a `{"skipped": reason}` line
with --json for a record that could not be scored, a progress line on stderr while stdout is not a terminal,
and a summary per archive on stderr at the end. `--workers N` scores archives in N processes.

Exit status 0 when every input was read (whatever the verdicts, and whatever was skipped inside an archive),
2 for usage or configuration errors and unreadable files.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import archive
from .config import ConfigError, QualityConfig
from .lm import ModelError
from .report import PageReport, render_text


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m scoring", description="Score pages for spun text, broken sentence "
                                "splitting, injected blocks and boilerplate, with the evidence.")
    p.add_argument("files", nargs="+", metavar="FILE", help=".html/.htm (HTML), .txt (plain text, one block per "
                   "line), - for standard input, or an archive: .warc, .warc.gz, .jsonl, .jsonl.gz (JSON objects "
                   "with url and html or text)")
    p.add_argument("--json", action="store_true", help="print one JSON object per input, one per line")
    p.add_argument("--model", metavar="PATH", help="KenLM model for English (default: models/en/en.bin)")
    p.add_argument("--threshold", action="append", default=[], metavar="SIGNAL=VALUE",
                   help="flag threshold in [0, 1] for a signal (repeatable), e.g. --threshold spin=0.95")
    p.add_argument("--text", action="store_true", help="read standard input as plain text rather than HTML")
    p.add_argument("--workers", type=_workers, default=0, metavar="N",
                   help="score archive records in N worker processes (default: 0, in this process)")
    p.add_argument("--no-progress", action="store_true", help="no progress line on stderr for archives")
    return p


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes; use 0 (this process) or more")
    return n


def _config(args: argparse.Namespace) -> QualityConfig:
    thresholds = {}
    for item in args.threshold:
        name, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--threshold wants SIGNAL=VALUE, got {item!r}")
        thresholds[name.strip()] = value.strip()
    mapping: dict = {"thresholds": thresholds}
    if args.model:
        mapping["models"] = {"en": args.model}
    return QualityConfig.from_mapping(mapping)


def _score(scorer, name: str, as_text: bool) -> PageReport:
    if name == "-":
        data = sys.stdin.buffer.read()
        if as_text:
            return scorer.score_text(data.decode("utf-8", "replace"), "<stdin>")
        return scorer.score_html(data, "<stdin>")
    path = Path(name)
    data = path.read_bytes()
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return scorer.score_html(data, str(path))
    return scorer.score_text(data.decode("utf-8", "replace"), str(path))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = _config(args).validate()
        scorer = None
        if args.workers == 0 or not all(archive.is_archive(n) for n in args.files):
            from .scorer import Scorer

            scorer = Scorer(config)
    except (ConfigError, ModelError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    status = 0
    try:
        for names in _groups(args.files):
            if archive.is_archive(names[0]):
                status = max(status, _score_archives(names, config, scorer, args))
                continue
            for name in names:
                try:
                    report = _score(scorer, name, args.text)
                except OSError as exc:
                    print(f"error: cannot read {name}: {exc.strerror or exc}", file=sys.stderr)
                    status = 2
                    continue
                print(json.dumps(report.to_dict(), ensure_ascii=False) if args.json else render_text(report),
                      flush=True)
    except BrokenPipeError:  # `| head`: the reader has seen enough
        sys.stderr.close()
    return status


def _groups(names: list[str]) -> list[list[str]]:
    """Consecutive archives form one group (one worker pool, one progress line); other files one each."""
    groups: list[list[str]] = []
    for name in names:
        if groups and archive.is_archive(name) and archive.is_archive(groups[-1][0]):
            groups[-1].append(name)
        else:
            groups.append([name])
    return groups


def _score_archives(names: list[str], config: QualityConfig, scorer, args: argparse.Namespace) -> int:
    try:
        archive.run(names, config, workers=args.workers, as_json=args.json, scorer=scorer,
                    progress=False if args.no_progress else None)
    except BrokenPipeError:
        raise
    except OSError as exc:
        print(f"error: cannot read {exc.filename or names[0]}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except archive.WorkerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0

if __name__ == "__main__":
    sys.exit(main())
