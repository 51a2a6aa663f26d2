"""bench.soak's verdict: growth the plugin's bounded word caches explain is not a leak; growth outside them is,
and one release step of Scrapy's heap in the baseline does not decide either way."""
from bench.soak import robust_slope, summarise, verdict


def crawl(blocks_per_page: float, cache_entries_per_page: float = 0.0, release_at: int | None = None,
          rss_mb_per_page: float = 0.0) -> dict:
    samples = []
    for pages in range(1000, 20_001, 1000):
        blocks = 500_000 + blocks_per_page * pages
        if release_at is not None and pages >= release_at:
            blocks -= 120_000  # Scrapy lets go of a heap of objects once
        entries = int(cache_entries_per_page * pages)
        samples.append({"pages": pages, "rss_kb": int(200_000 + 1024 * rss_mb_per_page * pages),
                        "workers_rss_kb": [], "py_blocks": int(blocks + 1.25 * entries), "cache_entries": entries})
    samples[-1]["cache_blocks"] = int(1.25 * samples[-1]["cache_entries"])
    return summarise({"samples": samples, "responses": 20_000, "seconds": 100.0, "finish_reason": "finished"})


def test_robust_slope_ignores_one_release_step():
    xs = list(range(20))
    ys = [10.0 * x - (500.0 if x >= 17 else 0.0) for x in xs]
    assert abs(robust_slope(xs, ys) - 10.0) < 1.0


def test_cache_growth_is_not_a_leak():
    off = crawl(blocks_per_page=10, release_at=18_000)
    on = crawl(blocks_per_page=10, cache_entries_per_page=3, release_at=17_000)
    assert on["cache_blocks_per_entry"] == 1.25
    assert verdict(on, off)["flat"]


def test_growth_outside_the_caches_is_a_leak():
    off = crawl(blocks_per_page=10, release_at=18_000)
    on = crawl(blocks_per_page=16, cache_entries_per_page=3, release_at=17_000)
    assert not verdict(on, off)["flat"]


def test_rss_growth_beyond_the_baseline_is_a_leak():
    off = crawl(blocks_per_page=10)
    on = crawl(blocks_per_page=10, rss_mb_per_page=0.001)  # 1 KB a page: +18 MB over 18,000 pages
    assert not verdict(on, off)["flat"]
