"""A bounded cache of a one-argument function in a plain dict, for per-word lookups that outlive a page."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """`function(key)`, kept in a dict that is emptied when it holds `maxsize` results (a long crawl meets words
    without end). The function must never return None.

    Not functools.lru_cache: every full garbage collection walks an lru_cache's linked list entry by entry, and
    the scorer's caches of tens of thousands of words made a full collection of the scoring process 15-20 ms
    instead of 3; a plain dict of strings and booleans is not tracked by the collector at all."""

    __slots__ = ("function", "maxsize", "results")

    def __init__(self, function: Callable[[K], V], maxsize: int):
        self.function = function
        self.maxsize = maxsize
        self.results: dict[K, V] = {}

    def __call__(self, key: K) -> V:
        value = self.results.get(key)
        if value is None:
            value = self._compute(key)
        return value

    def all(self, keys: Iterable[K]) -> list[V]:
        """The results for many keys: the cached ones looked up in one C-level pass, only the others computed."""
        keys = keys if isinstance(keys, list) else list(keys)
        try:  # (all cached, the common case: no scan of the values for a None either)
            return list(map(self.results.__getitem__, keys))
        except KeyError:
            pass
        values = list(map(self.results.get, keys))
        for i, value in enumerate(values):
            if value is None:
                values[i] = self._compute(keys[i])
        return values

    def _compute(self, key: K) -> V:
        if len(self.results) >= self.maxsize:
            self.results.clear()
        value = self.results[key] = self.function(key)
        return value
