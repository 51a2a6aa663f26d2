"""`scrapy score FILE|URL ...`: score pages with the project's quality settings and print the verdicts.

Files ending in .html/.htm are scored as HTML, anything else as plain text (one block per line). URLs are
fetched with Scrapy's own downloader (redirects, compression and encodings as in a crawl) and scored
the way the scoring middleware would. `--json` prints one PageReport per input, one per line.

Archives (.warc, .warc.gz, .jsonl, .jsonl.gz) are scored record by record, after the other inputs, with
`scoring.archive` (one report per record in file order, skipped records counted and summarised on stderr,
a progress line while stdout is not a terminal): `scrapy score --json --workers 2 crawl.warc.gz > out.jsonl`.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import scrapy
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from w3lib.url import is_url

from scoring import archive
from scoring.config import ConfigError
from scoring.report import PageReport, render_text
from scoring.scorer import Scorer

from ..options import scoring_config
from ..pool import score_kind

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


class Command(ScrapyCommand):
    requires_project = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[options] FILE|URL ..."

    def short_desc(self) -> str:
        return "Score pages for spun text, broken sentence splitting, injected ads and boilerplate"

    def long_desc(self) -> str:
        return (self.short_desc() + ". Uses the QUALITY_* settings of the project (and -s overrides); .html files "
                "are scored as HTML, other files as plain text, URLs are fetched with Scrapy.")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--json", action="store_true", help="print one JSON report per input, one per line")
        parser.add_argument("--evidence", type=int, default=5, metavar="N",
                            help="evidence lines per signal in the text report (default: 5)")
        parser.add_argument("--workers", type=int, default=0, metavar="N",
                            help="score archive records (.warc[.gz], .jsonl[.gz]) in N worker processes "
                                 "(default: 0, in this process)")
        parser.add_argument("--no-progress", action="store_true", help="no progress line on stderr for archives")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give at least one FILE or URL")
        if opts.workers < 0:
            raise UsageError(f"--workers {opts.workers}: use 0 (score in this process) or more worker processes")
        archives = [a for a in args if archive.is_archive(a) and not is_url(a)]
        others = [a for a in args if a not in archives]
        try:
            config = scoring_config(self.settings)
            scorer = Scorer(config) if others or opts.workers == 0 else None
        except (ConfigError, OSError, RuntimeError) as exc:  # bad settings, missing or corrupt model
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = 2
            return
        if others:
            self._score_inputs(scorer, others, opts)
        if archives:
            self._score_archives(scorer, archives, config, opts)

    def _score_inputs(self, scorer: Scorer, args: list[str], opts: argparse.Namespace) -> None:
        urls = [a for a in args if is_url(a)]
        results: dict[str, PageReport | str] = {}
        for arg in args:
            if arg not in urls:
                results[arg] = score_file(scorer, Path(arg))
        if urls:
            results.update(self._fetch_and_score(scorer, urls))
        for arg in args:
            result = results.get(arg, "not fetched")
            if isinstance(result, str):
                self.exitcode = 1
                if opts.json:
                    print(json.dumps({"source": arg, "error": result}, ensure_ascii=False))
                else:
                    print(f"{arg}: error: {result}")
            else:
                print(result.to_json() if opts.json else render_text(result, opts.evidence))

    def _score_archives(self, scorer: Scorer | None, paths: list[str], config, opts: argparse.Namespace) -> None:
        sys.stdout.flush()
        try:
            archive.run(paths, config, workers=opts.workers, as_json=opts.json, scorer=scorer,
                        evidence=opts.evidence,
                        progress=False if opts.no_progress else None)
        except BrokenPipeError:
            sys.stderr.close()
        except OSError as exc:
            print(f"error: cannot read {exc.filename or paths[0]}: {exc.strerror or exc}", file=sys.stderr)
            self.exitcode = 1
        except archive.WorkerError as exc:
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = 2

    def _fetch_and_score(self, scorer: Scorer, urls: list[str]) -> dict[str, PageReport | str]:
        results: dict[str, PageReport | str] = {}
        assert self.crawler_process is not None
        self.crawler_process.crawl(ScoreSpider, urls=urls, scorer=scorer, results=results)
        self.crawler_process.start()
        return results


def score_file(scorer: Scorer, path: Path) -> PageReport | str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}"
    if path.suffix.lower() in HTML_SUFFIXES:
        return scorer.score_html(data, url=str(path))
    return scorer.score_text(data.decode("utf-8", "replace"), str(path))


class ScoreSpider(scrapy.Spider):
    """Fetches the given URLs once each and scores them in the callback (no audit log, no items)."""

    name = "quality-score"
    # The command scores by itself: the project's middlewares (and their audit log) stay out of it.
    custom_settings = {"QUALITY_ENABLED": False, "ROBOTSTXT_OBEY": False, "HTTPERROR_ALLOW_ALL": True}

    def __init__(self, urls: list[str], scorer: Scorer, results: dict[str, Any], **kwargs: Any):
        super().__init__(**kwargs)
        self.urls, self.scorer, self.results = urls, scorer, results

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True,
                                 cb_kwargs={"arg": url})

    def parse(self, response: scrapy.http.Response, arg: str) -> None:
        kind, skip = score_kind(response.request, response, self.scorer.config.max_bytes)
        if kind is None:
            content_type = response.headers.get("Content-Type", b"").decode("latin-1")
            self.results[arg] = f"not scored ({skip}: HTTP {response.status}, {content_type or 'no Content-Type'})"
        elif kind == "html":
            self.results[arg] = self.scorer.score_html(response.text, url=response.url)
        else:
            self.results[arg] = self.scorer.score_text(response.text, response.url)

    def failed(self, failure) -> None:
        arg = failure.request.cb_kwargs.get("arg", failure.request.url)
        self.results[arg] = f"fetch failed: {failure.getErrorMessage()}"

