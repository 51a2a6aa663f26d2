"""bench.soak's verdict: RSS growth beyond the baseline's, or the plugin's own objects piling up, is a leak; the
plugin's bounded caches filling and Scrapy's heap moving Python's block count up and down are not."""
from bench.soak import MAX_OBJECT_GROWTH, robust_slope, summarise, verdict


def crawl(blocks_per_page: float = 10.0, objects_per_page: float = 0.0, release_at: int | None = None,
          rss_mb_per_page: float = 0.0, plugin: bool = True) -> dict:
    samples = []
    for pages in range(1000, 20_001, 1000):
        blocks = 500_000 + blocks_per_page * pages
        if release_at is not None and pages >= release_at:
            blocks -= 120_000  # Scrapy lets go of a heap of objects once
        samples.append({"pages": pages, "rss_kb": int(200_000 + 1024 * rss_mb_per_page * pages),
                        "workers_rss_kb": [], "py_blocks": int(blocks),
                        "plugin_objects": int(300 + objects_per_page * pages) if plugin else 0,
                        "cache_entries": 3 * pages if plugin else 0})
    return summarise({"samples": samples, "responses": 20_000, "seconds": 100.0, "finish_reason": "finished"})


def test_robust_slope_ignores_one_release_step():
    xs = list(range(20))
    ys = [10.0 * x - (500.0 if x >= 17 else 0.0) for x in xs]
    assert abs(robust_slope(xs, ys) - 10.0) < 1.0


def test_caches_filling_and_scrapys_heap_are_not_a_leak():
    off = crawl(release_at=18_000, plugin=False)
    on = crawl(blocks_per_page=14, release_at=5_000)  # more blocks (the caches), released at another time
    assert on["cache_entries_end"] == 60_000
    assert verdict(on, off)["flat"]


def test_the_plugins_objects_piling_up_are_a_leak():
    off = crawl(plugin=False)
    on = crawl(objects_per_page=1)  # one report kept per page
    assert on["plugin_objects_end"] - on["plugin_objects_warm"] >= MAX_OBJECT_GROWTH
    assert not verdict(on, off)["flat"]


def test_rss_growth_beyond_the_baseline_is_a_leak():
    off = crawl(plugin=False)
    on = crawl(rss_mb_per_page=0.001)  # 1 KB a page: +18 MB over 18,000 pages
    assert not verdict(on, off)["flat"]
