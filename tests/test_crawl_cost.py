"""bench/crawl_cost.py: its instruments still find the crawl's functions (a rename would leave them timing nothing)."""
from bench.crawl_cost import measure, table


def test_crawl_cost_times_scoring_audit_and_gc_in_a_real_crawl():
    runs, alone = measure(n_pages=6, rounds=1)
    off, on = runs["off"][0], runs["in-process"][0]
    assert on["scored"] == 7 and off["scored"] == 0  # the 6 articles and the index page
    assert on["scoring"] > 0 and on["audit"] > 0 and on["html_report"] > 0
    assert off["audit"] == 0 and off["startup"] > 0 and on["startup"] > 0
    assert len(alone[0]["times"]) == 6
    text = table(runs, alone, 7)
    assert "| scoring calls in the crawl process (GC inside them included) | 0.00 |" in text and "Standalone" in text
    assert runs["2 workers"][0]["workers"] > 0 and runs["2 workers"][0]["scoring"] == 0
