"""The scorer's caches that outlive a page cost the garbage collector nothing (issue 13): per-word results sit in
plain dicts (scoring.memo.Memo), which the collector leaves untracked, instead of functools.lru_cache, whose linked
list every full collection walks entry by entry; a block's lowercase words, sets the collector must walk, live in
the page's cache and go with it."""
from __future__ import annotations

import gc

from scoring import main_content
from scoring.memo import Memo
from scoring.scorer import ModelBundle, page_context
from scoring.segment import blocks_from_text, segment
from scoring.signals import injection
from scoring.signals.blocks import block_chrome
from scoring.signals.injection import InjectionSignal


def test_memo_gives_the_function_s_results_computing_each_once():
    calls = []

    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    memo = Memo(double, maxsize=100)
    assert [memo(3), memo(3), memo(4)] == [6, 6, 8]
    assert memo.all([3, 5, 4, 5]) == [6, 10, 8, 10]
    assert calls == [3, 4, 5, 5]  # (the second 5 of one `all` call was not cached yet when it was looked up)


def test_memo_stays_bounded():
    memo = Memo(str.upper, maxsize=3)
    assert memo.all(list("abcdefg")) == list("ABCDEFG")
    assert len(memo.results) <= 3
    assert memo("a") == "A"


def test_word_caches_are_not_walked_by_the_garbage_collector():
    injection.content_words("the writers wrote seven chapters about glaciers".split())
    main_content.marks_chrome("div", {"class": "share-buttons sidebar-widget"})
    gc.collect()
    for memo in (injection._CONTENT_WORD, main_content._chrome_names, main_content._chrome_token):
        assert isinstance(memo, Memo) and memo.results
        assert not gc.is_tracked(memo.results)


def test_block_words_live_in_the_page_cache(default_model):
    """The chrome cues and the promotional cues read each block's words from the page's cache, filled once."""
    ctx = page_context(ModelBundle.load("en", default_model))
    doc = segment(blocks_from_text("Share this article\nThe council approved new ferry routes on Tuesday.\n"))
    chrome = block_chrome(doc, ctx)
    cached = dict(ctx.page.lowered_words)
    assert set(cached) == {b.text for b in doc.blocks}
    InjectionSignal().block_injection(doc, ctx)
    assert ctx.page.lowered_words == cached and all(ctx.page.lowered_words[t] is cached[t] for t in cached)
    assert block_chrome(doc, None) is not chrome  # (no context: no cache, the same scores)
    assert [c.score for c in block_chrome(doc, None)] == [c.score for c in chrome]
