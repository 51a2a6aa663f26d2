"""`scrapy quality-report AUDIT.jsonl [-o report.html] [--sweep]`: reports from a crawl's audit log.

-o writes the self-contained HTML report (what the crawl writes at spider close); --sweep prints, per
signal, how many pages each threshold would flag: the tool for tuning QUALITY_THRESHOLDS from an
exported crawl without crawling again.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ..audit import read_audit
from ..html_report import SWEEP_THRESHOLDS, format_sweep, render


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[options] AUDIT.jsonl"

    def short_desc(self) -> str:
        return "Write the HTML quality report of an audit log, or sweep thresholds over it"

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
        if len(args) != 1:
            raise UsageError("give exactly one audit log (a .audit.jsonl file from QUALITY_REPORT_DIR)")
        if not opts.output and not opts.sweep:
            raise UsageError("nothing to do: give -o report.html and/or --sweep")
        path = Path(args[0])
        if not path.is_file():
            raise UsageError(f"audit log not found: {path}")
        thresholds = parse_thresholds(opts.thresholds) if opts.thresholds else SWEEP_THRESHOLDS
        audit = read_audit(path)
        if not audit.pages and not audit.crawl:
            raise UsageError(f"{path} has no audit records; is it a scrapy-quality audit log?")
        if opts.sweep:
            print(f"{path}: {len(audit.pages)} pages audited")
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
