"""`scrapy train-lm CORPUS... -o MODEL`: the same as the `train-lm` console script (scoring.train)."""
from __future__ import annotations

import argparse
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from scoring import train


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "CORPUS... -o MODEL [--order N] [--prune N...] [--memory SIZE]"

    def short_desc(self) -> str:
        return "Train a KenLM language model (lmplz + build_binary) and write its model card"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        train.add_arguments(parser)
        # Scrapy hands positional arguments over separately; the corpus arrives in `args`.
        for action in parser._actions:
            if action.dest == "corpus":
                action.nargs, action.default = "*", []

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        opts.corpus = list(opts.corpus or []) + list(args)
        if not opts.corpus:
            raise UsageError("give at least one corpus file (text, .gz, .bz2 or JSONL with a 'text' field)")
        self.exitcode = train.run(opts)
