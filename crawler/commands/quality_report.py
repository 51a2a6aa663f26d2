"""`scrapy quality-report AUDIT.jsonl... [-o report.html] [--sweep]`: reports from a crawl's audit log(s).

Several audit logs (the workers of a distributed crawl, each with its own log) are merged into one report and
one sweep: give the files, a quoted glob pattern (`'reports/*.audit.jsonl'`) or a directory.

-o writes the self-contained HTML report (what the crawl writes at spider close); --sweep prints, per
signal, how many pages each threshold would flag: the tool for tuning QUALITY_THRESHOLDS from an
exported crawl without crawling again.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ..audit import AuditPathError, audit_paths, config_differs, read_audits
from ..html_report import SWEEP_THRESHOLDS, format_sweep, render


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[options] AUDIT.jsonl [AUDIT.jsonl | 'PATTERN' | DIRECTORY ...]"

    def short_desc(self) -> str:
        return "Write the HTML quality report of one or more audit logs, or sweep thresholds over them"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-o", "--output", metavar="FILE", help="write the HTML report to FILE")
        parser.add_argument("--sweep", action="store_true",
                            help="print per signal how many pages each threshold would flag")
        parser.add_argument("--thresholds", metavar="T1,T2,...", default=None,
                            help="thresholds for --sweep (default: %s)" % ",".join(f"{t:g}" for t in SWEEP_THRESHOLDS))
        parser.add_argument("--max-pages", type=int, default=500, metavar="N",
                            help="flagged pages shown in full in the HTML report (default: 500)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give one or more audit logs (.audit.jsonl files from QUALITY_REPORT_DIR, a quoted "
                             "glob pattern or a directory)")
        if not opts.output and not opts.sweep:
            raise UsageError("nothing to do: give -o report.html and/or --sweep")
        try:
            paths = audit_paths(args)
        except AuditPathError as exc:
            raise UsageError(str(exc)) from None
        thresholds = parse_thresholds(opts.thresholds) if opts.thresholds else SWEEP_THRESHOLDS
        audit = read_audits(paths)
        for part in audit.parts or [audit]:
            if not part.pages and not part.crawl:
                raise UsageError(f"{part.path} has no audit records; is it a scrapy-quality audit log?")
        if config_differs(audit):
            print(f"warning: the {len(paths)} audit logs were written with different scoring configurations; "
                  f"thresholds and actions shown are those of {audit.path}", file=sys.stderr)
        name = str(paths[0]) if len(paths) == 1 else f"{len(paths)} audit logs (workers {', '.join(audit.workers)})"
        if opts.sweep:
            print(f"{name}: {len(audit.pages)} pages audited")
            print(format_sweep(audit, thresholds))
        if opts.output:
            out = Path(opts.output)
            out.write_text(render(audit, max_pages=opts.max_pages), encoding="utf-8")
            print(f"HTML report: {out.resolve()} ({len(audit.flagged())} flagged pages of {len(audit.pages)})")


def parse_thresholds(text: str) -> tuple[float, ...]:
    try:
        values = tuple(sorted({float(t) for t in text.split(",") if t.strip()}))
    except ValueError:
        raise UsageError(f"--thresholds must be numbers separated by commas, not {text!r}") from None
    if not values or any(not 0.0 <= t <= 1.0 for t in values):
        raise UsageError(f"--thresholds must be between 0 and 1: {text!r}")
    return values
