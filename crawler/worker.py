"""What runs in a scoring worker process (crawler/pool.py's ScoringPool starts them): the scorer, loaded once per
process, and the calls the pool sends it.

Nothing here imports Scrapy: a worker is started with "spawn" and imports only this module (and `scoring`), which
keeps Scrapy's and Twisted's imports (~0.2 s of CPU a worker) out of its start-up.
"""
from __future__ import annotations

import gc
import logging
import logging.handlers
import queue
from typing import Any

from scoring.config import QualityConfig
from scoring.report import PageReport

state: dict[str, Any] = {}  # this worker's scorer and log buffer, or why the scorer could not load


def score_with(scorer, kind: str, text: str, url: str) -> PageReport:
    return scorer.score_html(text, url=url) if kind == "html" else scorer.score_text(text, url)


def init_worker(config: QualityConfig, log_level: int) -> None:
    # No collection during the start-up (the scorer's imports and its load: what they allocate lives as long as
    # the worker), then gc.freeze without a collection first: what the models hold never dies, and every full
    # collection would walk it again (~0.9% of scoring's instructions, 100 built + 50 real pages, measured while
    # the synonym table was ~18.6k lists; it is tuples now, which leave tracking on their own). The start-up's
    # few hundred garbage objects are frozen with it; the collections it skips cost ~0.15 s of a worker's ~0.55 s
    # start-up. Only here, in a process that only scores: in the crawl process freezing would also freeze the
    # host's live objects, whose cycles then never die (a failed start-up's Deferred would never log its error).
    gc.disable()
    try:
        load_scorer(config, log_level)
    finally:
        gc.freeze()
        gc.enable()


def load_scorer(config: QualityConfig, log_level: int) -> None:
    from scoring.scorer import Scorer

    state["log"] = LogBuffer()
    root = logging.getLogger()
    root.addHandler(state["log"])
    root.setLevel(log_level)
    try:
        state["scorer"] = Scorer(config)
    except Exception as exc:  # reported to the crawl by worker_ready, not lost in a dead process
        state["error"] = f"{type(exc).__name__}: {exc}"


def worker_ready() -> str | None:
    return state.get("error")


def score_in_worker(kind: str, text: str, url: str) -> tuple[PageReport, list[logging.LogRecord]]:
    if "scorer" not in state:
        raise RuntimeError(state.get("error", "scorer not loaded"))
    return score_with(state["scorer"], kind, text, url), state["log"].drain()


class LogBuffer(logging.handlers.QueueHandler):
    """Keeps what a worker process logs (a worker has no log of its own) for the crawl process to log again."""

    def __init__(self) -> None:
        super().__init__(queue.SimpleQueue())

    def drain(self) -> list[logging.LogRecord]:
        records = []
        while not self.queue.empty():
            records.append(self.queue.get())
        return records
