"""Score files from the command line.

    python -m scoring page.html article.txt        # readable summary per file
    python -m scoring --json page.html             # one JSON object per input, one per line
    cat page.html | python -m scoring -            # "-" reads standard input (HTML unless --text)

Exit status 0 when every input was scored (whatever the verdict), 2 for usage or configuration errors.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .config import ConfigError, QualityConfig
from .lm import ModelError
from .report import PageReport

EVIDENCE_SHOWN = 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m scoring", description="Score pages for spun text, broken sentence "
                                "splitting, injected blocks and boilerplate, with the evidence.")
    p.add_argument("files", nargs="+", metavar="FILE", help=".html/.htm (HTML), .txt (plain text, one block per "
                   "line), or - for standard input")
    p.add_argument("--json", action="store_true", help="print one JSON object per input, one per line")
    p.add_argument("--model", metavar="PATH", help="KenLM model for English (default: models/en/en.bin)")
    p.add_argument("--threshold", action="append", default=[], metavar="SIGNAL=VALUE",
                   help="flag threshold in [0, 1] for a signal (repeatable), e.g. --threshold spin=0.95")
    p.add_argument("--text", action="store_true", help="read standard input as plain text rather than HTML")
    return p


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


def summary(report: PageReport) -> str:
    """A few readable lines: verdict, then each signal's score and its strongest evidence."""
    head = (f"{report.source}: {report.action.upper()}"
            f" [{', '.join(report.flags) or 'no flags'}] status={report.status} language={report.language}"
            f" ({report.language_prob:.2f}) words={report.words} {report.seconds * 1000:.0f} ms")
    lines = [head]
    if report.content:
        lines.append(f"  scored: {report.content} (chrome left out: {report.chrome_words} words, "
                     f"{report.chrome_blocks} blocks inside the article)")
    if report.error:
        lines.append(f"  note: {report.error}")
    for name, sig in report.signals.items():
        mark = " FLAGGED" if name in report.flags else ""
        lines.append(f"  {name:<12} {sig.score:.3f}{mark}  (raw {sig.features.get('raw', 0.0):.3g}, "
                     f"confidence {sig.confidence:.2f}, {len(sig.evidence)} evidence)")
        for e in sorted(sig.evidence, key=lambda e: -e.weight)[:EVIDENCE_SHOWN]:
            text = " ".join(e.text.split())
            text = text if len(text) <= 70 else text[:67] + "..."
            hint = f" -> {e.suggestion!r}" if e.suggestion else ""
            lines.append(f"      [{e.start}:{e.end}] {text!r}{hint}: {e.reason}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        from .scorer import Scorer

        scorer = Scorer(_config(args))
    except (ConfigError, ModelError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    status = 0
    for name in args.files:
        try:
            report = _score(scorer, name, args.text)
        except OSError as exc:
            print(f"error: cannot read {name}: {exc.strerror or exc}", file=sys.stderr)
            status = 2
            continue
        try:
            print(json.dumps(report.to_dict(), ensure_ascii=False) if args.json else summary(report), flush=True)
        except BrokenPipeError:  # `| head`: the reader has seen enough
            sys.stderr.close()
            return status
    return status


if __name__ == "__main__":
    sys.exit(main())
