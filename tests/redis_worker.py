"""One worker of a distributed crawl, for tests/test_redis.py: `python redis_worker.py SPEC.json`.

Runs the project's `demo-redis` spider (crawler/spiders/demo_redis.py, a scrapy-redis RedisSpider) with the
project settings plus the spec's, in this fresh process, then writes its stats and the items that reached the
pipeline to the spec's "out" file. `start_worker` starts it in the background (several share one Redis).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter

ROOT = Path(__file__).resolve().parent.parent


class CollectPipeline:
    items: list[dict] = []

    def process_item(self, item):
        CollectPipeline.items.append(ItemAdapter(item).asdict())
        return item


def start_worker(run_dir: Path, name: str, settings: dict[str, Any]) -> tuple[subprocess.Popen, Path, Path]:
    """Start a worker in the background; returns the process, its result file and its log file."""
    run_dir.mkdir(parents=True, exist_ok=True)
    out, log = run_dir / f"{name}.result.json", run_dir / f"{name}.log"
    spec = {"settings": {"ITEM_PIPELINES": {"redis_worker.CollectPipeline": 100}, "TELNETCONSOLE_ENABLED": False,
                         "REMOTE_CONTROL_ENABLED": False, "LOG_LEVEL": "INFO", **settings},
            "out": str(out)}
    spec_path = run_dir / f"{name}.spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
           "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen([sys.executable, __file__, str(spec_path)], cwd=ROOT, env=env, stdout=fh,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return proc, out, log


def _main(spec_path: str) -> int:
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    import redis_worker  # the pipeline class the settings name, not this __main__ copy of it
    from crawler.spiders.demo_redis import DemoRedisSpider

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    settings = get_project_settings()
    settings.setdict(spec["settings"], priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(DemoRedisSpider)
    process.crawl(crawler)
    process.start()
    stats = {k: v if isinstance(v, (int, float, str)) else str(v) for k, v in crawler.stats.get_stats().items()}
    Path(spec["out"]).write_text(json.dumps({"stats": stats, "items": redis_worker.CollectPipeline.items},
                                            default=str), encoding="utf-8")
    return 1 if process.bootstrap_failed else 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1]))
