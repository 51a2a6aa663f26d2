"""Throttled tracebacks: a failure that repeats on every page must not flood the log, nor hide its first traceback.

`FailureLog.log(exc, what)` logs the first failure of each kind (exception type and the line that raised it) at
WARNING with its traceback, the repeats at DEBUG, and one WARNING line per `every` repeats with the count so far.
"""
from __future__ import annotations

import logging
import traceback
from collections import Counter
from pathlib import Path

REPEATS_PER_WARNING = 100


def raised_at(exc: BaseException) -> str:
    """Where `exc` was raised: "signals/spin.py:120 in score" (the last frame of its traceback)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown place"
    frame = frames[-1]
    return f"{'/'.join(Path(frame.filename).parts[-2:])}:{frame.lineno} in {frame.name}"


class FailureLog:
    """Logs failures to `logger`, the first of each kind at WARNING, repeats at DEBUG (counted at WARNING)."""

    def __init__(self, logger: logging.Logger, every: int = REPEATS_PER_WARNING):
        self.logger, self.every = logger, every
        self.seen: Counter[tuple[str, str]] = Counter()

    def log(self, exc: BaseException, what: str) -> None:
        where = raised_at(exc)
        kind = (type(exc).__name__, where)
        self.seen[kind] += 1
        count = self.seen[kind]
        error = f"{type(exc).__name__}: {exc}"
        if count == 1:
            self.logger.warning("%s failed: %s (raised at %s); repeats of this failure are logged at DEBUG",
                                what, error, where, exc_info=exc)
            return
        self.logger.debug("%s failed: %s (raised at %s)", what, error, where, exc_info=exc)
        if count % self.every == 0:
            self.logger.warning("%s (raised at %s) has happened %d times; tracebacks of the repeats are at DEBUG",
                                type(exc).__name__, where, count)
