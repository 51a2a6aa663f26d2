"""QUALITY_* settings, the policy file, the add-on, and what a misconfiguration says at start-up."""
from __future__ import annotations

import ast
import asyncio
import json
import logging
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.addon import ITEM_MIDDLEWARE_PRIORITY, SCORING_MIDDLEWARE_PRIORITY, QualityAddon
from crawler import middlewares, options as crawler_options
from crawler.audit_trail import AuditTrail, check_writable, report_stem
from crawler.middlewares import QualityItemMiddleware, QualityScoringMiddleware
from crawler.options import (AUTO_MAX_WORKERS, DEFAULTS, QualityOptions, cgroup_cpu_quota, resolve_workers,
                             usable_cpus)
from crawler import pool as pool_module
from crawler import worker as worker_module
from crawler.pool import ScoringPool
from scoring.config import DEFAULT_THRESHOLDS, ConfigError, QualityConfig
from scoring.report import UNSCORED, PageReport

ROOT = Path(__file__).resolve().parent.parent


def options(tmp_path: Path | None = None, **values) -> QualityOptions:
    return QualityOptions.from_settings(Settings(values))


# -- the add-on ------------------------------------------------------------------------------------------------------
def test_addon_adds_both_middlewares_at_documented_priorities():
    settings = Settings()
    QualityAddon().update_settings(settings)
    assert settings.getdict("DOWNLOADER_MIDDLEWARES") == {QualityScoringMiddleware: SCORING_MIDDLEWARE_PRIORITY}
    assert settings.getdict("SPIDER_MIDDLEWARES") == {QualityItemMiddleware: ITEM_MIDDLEWARE_PRIORITY}
    documented = (ROOT / "crawler" / "settings.py").read_text(encoding="utf-8")
    assert f'["crawler.middlewares.QualityScoringMiddleware"] = {SCORING_MIDDLEWARE_PRIORITY}' in documented
    assert f'["crawler.middlewares.QualityItemMiddleware"] = {ITEM_MIDDLEWARE_PRIORITY}' in documented


def test_addon_keeps_a_project_choice():
    settings = Settings({"DOWNLOADER_MIDDLEWARES": {"crawler.middlewares.QualityScoringMiddleware": None},
                         "SPIDER_MIDDLEWARES": {"crawler.middlewares.QualityItemMiddleware": 123}})
    QualityAddon().update_settings(settings)
    assert settings.getdict("DOWNLOADER_MIDDLEWARES") == {"crawler.middlewares.QualityScoringMiddleware": None}
    assert settings.getdict("SPIDER_MIDDLEWARES") == {"crawler.middlewares.QualityItemMiddleware": 123}


def test_scoring_middleware_sits_between_compression_and_retry():
    base = Settings().getdict("DOWNLOADER_MIDDLEWARES_BASE")
    priority = {path.rsplit(".", 1)[-1]: p for path, p in base.items()}
    assert priority["RetryMiddleware"] > SCORING_MIDDLEWARE_PRIORITY  # sees final responses only
    assert priority["HttpCompressionMiddleware"] > SCORING_MIDDLEWARE_PRIORITY  # sees decompressed bodies
    assert priority["RedirectMiddleware"] > SCORING_MIDDLEWARE_PRIORITY


# -- defaults and precedence -----------------------------------------------------------------------------------------
def documented_defaults() -> dict[str, object]:
    text = (ROOT / "crawler" / "settings.py").read_text(encoding="utf-8")
    return {m.group(1): ast.literal_eval(m.group(2))
            for m in re.finditer(r"^# (QUALITY_[A-Z_]+) = (.+)$", text, re.MULTILINE)}


def test_documented_defaults_are_the_real_defaults():
    documented = documented_defaults()
    engine = QualityConfig()
    real = {**DEFAULTS, "QUALITY_SIGNALS": list(engine.signals), "QUALITY_THRESHOLDS": engine.thresholds,
            "QUALITY_ACTIONS": engine.actions, "QUALITY_MIN_WORDS": engine.min_words,
            "QUALITY_MAX_BYTES": engine.max_bytes, "QUALITY_MAX_TOKENS": engine.max_tokens,
            "QUALITY_MAX_UNKNOWN_SHARE": engine.max_unknown_share}
    assert set(documented) == set(real) | {"QUALITY_MODELS"}
    for name, value in real.items():
        assert documented[name] == value, name
    assert Path(engine.models["en"]).relative_to(ROOT).as_posix() == documented["QUALITY_MODELS"]["en"]
    opts = options(QUALITY_REPORT_DIR=None)
    assert (opts.item_field, opts.drop_at_download, opts.workers, str(opts.report_dir)) == \
        (DEFAULTS["QUALITY_ITEM_FIELD"], False, 0, "reports")


def test_disabled_raises_not_configured():
    for value in (False, "False", "0"):
        with pytest.raises(NotConfigured):
            options(QUALITY_ENABLED=value)


def write_policy(tmp_path: Path, model: Path) -> Path:
    (tmp_path / "models").mkdir(exist_ok=True)
    (tmp_path / "models" / "en.bin").write_bytes(model.read_bytes())
    policy = tmp_path / "policy.toml"
    policy.write_text('min_words = 20\nsignals = ["spin", "split"]\n[thresholds]\nspin = 0.5\nsplit = 0.6\n'
                      '[actions]\nsplit = "tag"\n[models]\nen = "models/en.bin"\n', encoding="utf-8")
    return policy


def test_policy_file_then_settings_then_command_line(tmp_path, default_model):
    policy = write_policy(tmp_path, default_model)
    settings = Settings({"QUALITY_POLICY": str(policy)})
    config = QualityOptions.from_settings(settings).config
    assert config.thresholds["spin"] == 0.5 and config.thresholds["split"] == 0.6
    assert config.thresholds["injection"] == DEFAULT_THRESHOLDS["injection"]  # not in the policy: the default
    assert config.actions["split"] == "tag" and config.actions["spin"] == "drop"
    assert config.min_words == 20 and config.signals == ("spin", "split")
    assert config.models["en"] == str(tmp_path / "models" / "en.bin")  # relative to the policy file

    settings.set("QUALITY_THRESHOLDS", {"split": 0.7}, "project")  # merges per key over the policy
    settings.set("QUALITY_MIN_WORDS", 30, "project")
    settings.set("QUALITY_MAX_UNKNOWN_SHARE", "0.4", "project")
    config = QualityOptions.from_settings(settings).config
    assert (config.thresholds["spin"], config.thresholds["split"], config.min_words) == (0.5, 0.7, 30)
    assert config.max_unknown_share == 0.4

    settings.set("QUALITY_THRESHOLDS", '{"spin": 0.8}', "cmdline")  # -s replaces the project's value
    settings.set("QUALITY_SIGNALS", "spin,split,injection", "cmdline")
    config = QualityOptions.from_settings(settings).config
    assert (config.thresholds["spin"], config.thresholds["split"]) == (0.8, 0.6)
    assert config.signals == ("spin", "split", "injection")


def test_command_line_overrides_the_policy(tmp_path, default_model):
    policy = write_policy(tmp_path, default_model)
    page = ROOT / "crawler" / "demo_site" / "articles" / "footbridge-split.html"
    cmd = [sys.executable, "-m", "scrapy", "score", "--json", str(page), "-s", f"QUALITY_POLICY={policy}"]
    runs = [subprocess.run(cmd + extra, cwd=ROOT, capture_output=True, text=True, timeout=120)
            for extra in ([], ["-s", "QUALITY_SIGNALS=split", "-s", 'QUALITY_ACTIONS={"split": "drop"}'])]
    policy_only, overridden = (json.loads(r.stdout) for r in runs)
    assert set(policy_only["signals"]) == {"spin", "split"}
    assert set(overridden["signals"]) == {"split"}
    assert "split" in overridden["flags"] and overridden["action"] == "drop"  # the policy said "tag"
    if "split" in policy_only["flags"]:
        assert policy_only["action"] in ("tag", "drop")


# -- what a bad configuration says --------------------------------------------------------------------------------
@pytest.mark.parametrize("values, message", [
    ({"QUALITY_THRESHOLDS": {"spni": 0.9}}, "unknown signal 'spni' in thresholds; known signals: spin, split"),
    ({"QUALITY_ACTIONS": {"injecton": "tag"}}, "unknown signal 'injecton' in actions"),
    ({"QUALITY_SIGNALS": "spin,boilerplat"}, "unknown signal 'boilerplat' in signals"),
    ({"QUALITY_THRESHOLDS": {"spin": 1.5}}, "threshold for 'spin' is 1.5; use a number between 0 and 1"),
    ({"QUALITY_THRESHOLDS": {"split": -0.1}}, "threshold for 'split' is -0.1; use a number between 0 and 1"),
    ({"QUALITY_THRESHOLDS": {"split": "high"}}, "threshold for 'split' is 'high'; use a number between 0 and 1"),
    ({"QUALITY_THRESHOLDS": "{not json"}, "QUALITY_THRESHOLDS must be a dict (JSON on the command line"),
    ({"QUALITY_ACTIONS": {"spin": "delete"}}, "unknown action 'delete' for 'spin'; use one of: keep, tag, drop"),
    ({"QUALITY_MIN_WORDS": "many"}, "min_words is 'many'; use a positive whole number"),
    ({"QUALITY_MAX_UNKNOWN_SHARE": "most"}, "max_unknown_share is 'most'; use a number above 0 and at most 1"),
    ({"QUALITY_MAX_UNKNOWN_SHARE": "1.5"}, "max_unknown_share is 1.5; use a share of the words above 0"),
    ({"QUALITY_MODELS": {"en": "/nonexistent/en.bin"}},
     "language model for 'en' not found: /nonexistent/en.bin; build the default model with `make model`"),
    ({"QUALITY_POLICY": "/nonexistent/policy.toml"}, "QUALITY_POLICY file not found: /nonexistent/policy.toml"),
    ({"QUALITY_WORKERS": -1}, "QUALITY_WORKERS is -1; use 0 (score in the crawl process), a positive number of "
                              'worker processes or "auto"'),
    ({"QUALITY_WORKERS": "automatic"}, "QUALITY_WORKERS is 'automatic'; use 0"),
    ({"QUALITY_WORKERS": "1.5"}, "QUALITY_WORKERS is '1.5'; use 0"),
    ({"QUALITY_WORKERS": 2.5}, "QUALITY_WORKERS is 2.5; use 0"),
    ({"QUALITY_WORKERS": True}, "QUALITY_WORKERS is True; use 0"),
    ({"QUALITY_WORKERS": ""}, "QUALITY_WORKERS is ''; use 0"),
])
def test_bad_settings_say_what_to_fix(values, message):
    with pytest.raises(ConfigError) as info:
        options(**values)
    assert message in str(info.value)


def test_bad_policy_file_says_where(tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text("[thresholds]\nspin = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"cannot read QUALITY_POLICY file {re.escape(str(policy))}"):
        options(QUALITY_POLICY=str(policy))
    policy.write_text("[thresholds]\nspin = 7\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"threshold for 'spin' is 7.0.*policy file {re.escape(str(policy))}"):
        options(QUALITY_POLICY=str(policy))
    policy.write_text("treshold = 0.5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown quality setting 'treshold'"):
        options(QUALITY_POLICY=str(policy))


def test_unwritable_report_dir(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(ConfigError, match=r"QUALITY_REPORT_DIR .*a-file/reports is not writable .*point "
                                          r"QUALITY_REPORT_DIR at a writable directory"):
        check_writable(blocker / "reports")
    check_writable(tmp_path / "new" / "reports")  # created when missing
    assert (tmp_path / "new" / "reports").is_dir()


def test_report_names_come_from_the_spider_and_time_only():
    assert re.fullmatch(r"my_spider-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d", report_stem("%(name)s-%(time)s", "my/spider"))
    for template in ("../%(name)s", "%(url)s", "a/b"):
        with pytest.raises(ConfigError, match="QUALITY_REPORT_NAME"):
            report_stem(template, "demo")


def test_corrupt_model_fails_at_start_up(tmp_path):
    corrupt = tmp_path / "en.bin"
    corrupt.write_bytes(b"this is not a KenLM model" * 100)
    config = options(QUALITY_MODELS={"en": str(corrupt)}).config  # the file exists: validation passes
    with pytest.raises(ConfigError, match=rf"cannot load the scorer: .*{re.escape(str(corrupt))}"):
        ScoringPool(config)


# -- the middlewares on one response, with a real crawler object ----------------------------------------------------
WITH_AUDIT = {"EXTENSIONS": {"crawler.audit_trail.AuditTrail": 0}}  # what the add-on adds beside the middlewares


def test_middlewares_without_the_audit_extension_say_how_to_enable_it(tmp_path):
    crawler = get_crawler(settings_dict={"QUALITY_REPORT_DIR": str(tmp_path)})
    for middleware in (QualityScoringMiddleware, QualityItemMiddleware):
        with pytest.raises(ConfigError, match=r"audit trail extension is not enabled; enable the add-on .*"
                                              r"EXTENSIONS = \{\"crawler.audit_trail.AuditTrail\": 0\}"):
            middleware.from_crawler(crawler)
    with_addon = get_crawler(settings_dict={"QUALITY_REPORT_DIR": str(tmp_path), "ADDONS": {QualityAddon: 300}})
    assert QualityItemMiddleware.from_crawler(with_addon).audit is QualityScoringMiddleware.from_crawler(
        with_addon).audit is with_addon.get_extension(AuditTrail)


@pytest.fixture
def crawler(tmp_path):
    crawler = get_crawler(settings_dict={"QUALITY_REPORT_DIR": str(tmp_path), "QUALITY_REPORT_NAME": "unit",
                                         "QUALITY_THRESHOLDS": {"split": 0.0}, "QUALITY_ACTIONS": {"split": "tag"},
                                         **WITH_AUDIT})
    crawler.stats.open_spider()
    return crawler


def test_scoring_then_tagging_one_page(crawler, tmp_path):
    downloader = QualityScoringMiddleware.from_crawler(crawler)
    items = QualityItemMiddleware.from_crawler(crawler)
    assert items.audit is downloader.audit  # one audit log per crawl
    downloader.audit.spider_opened(Spider("unit"))
    body = (ROOT / "crawler" / "demo_site" / "articles" / "flood-watch.html").read_bytes()
    request = Request("http://127.0.0.1/flood-watch.html")
    response = HtmlResponse(request.url, body=body, request=request, headers={"Content-Type": "text/html"})
    # Scoring in this process awaits nothing, so the coroutine runs to completion on a bare event loop.
    assert asyncio.run(downloader.process_response(request, response)) is response
    report = response.meta["quality"]
    assert isinstance(report, PageReport) and "split" in report.flags
    item = items.get_processed_item({"title": "x"}, response)
    assert item["quality"]["action"] in ("tag", "drop") and "split" in item["quality"]["flags"]
    assert crawler.stats.get_value("quality/scored") == 1

    unscored = PageReport(source=request.url, status=UNSCORED, error="ValueError: boom")
    broken = HtmlResponse(request.url, body=body, request=Request(request.url, meta={"quality": unscored}))
    downloader._count(unscored, request.url)
    item = items.get_processed_item({"title": "y"}, broken)
    assert item["quality"]["status"] == "unscored" and item["quality"]["error"] == "ValueError: boom"
    assert crawler.stats.get_value("quality/unscored") == 1
    assert crawler.stats.get_value("quality/errors/scoring") == 1
    downloader.spider_closed()
    records = [json.loads(line) for line in downloader.audit.audit_path.read_text().splitlines()]
    assert [r["record"] for r in records] == ["crawl", "page", "item", "item"]
    assert records[1]["url"] == request.url and records[1]["flags"] == report.flags


def test_audit_write_failures_are_counted_and_logged(crawler, caplog):
    trail = QualityItemMiddleware.from_crawler(crawler).audit
    trail.writer.path = Path("/dev/full")  # every write fails with ENOSPC, as on a full disk
    trail.spider_opened(Spider("unit"))
    trail.page(PageReport(source="http://x"), url="http://x", stage=None, http_status=200)
    assert crawler.stats.get_value("quality/errors/audit") == 2  # the crawl header and the page
    assert crawler.stats.get_value("quality/errors") == 2
    assert "cannot write to the audit log /dev/full (OSError: [Errno 28] No space left on device" in caplog.text


def page_response(url: str, name: str = "footbridge.html", **kwargs) -> HtmlResponse:
    body = (ROOT / "crawler" / "demo_site" / "articles" / name).read_bytes()
    return HtmlResponse(url, body=body, headers={"Content-Type": "text/html"}, **kwargs)


def test_a_dead_worker_costs_one_page_and_the_pool_restarts(default_model):
    pool = ScoringPool(QualityConfig(models={"en": str(default_model)}), workers=1)
    try:
        assert asyncio.run(pool.score("html", page_response("http://a/footbridge.html"))).status == "scored"
        for process in list(pool._executor._processes.values()):  # what an OOM killer would do
            os.kill(process.pid, signal.SIGKILL)
        lost = asyncio.run(pool.score("html", page_response("http://b/footbridge.html")))
        assert lost.status == UNSCORED and lost.error.startswith("BrokenProcessPool")
        assert asyncio.run(pool.score("html", page_response("http://c/footbridge.html"))).status == "scored"
    finally:
        pool.close()


class Exploding:
    """A signal that fails, as a bug in a signal would."""
    name = "injection"

    def score(self, doc, ctx):
        raise ValueError("cannot score this page")


def init_exploding_worker(config: QualityConfig, log_level: int) -> None:
    """crawler.worker's initializer, then a failing signal in the worker's scorer."""
    worker_module.init_worker(config, log_level)
    worker_module.state["scorer"].signals = [Exploding()]


def test_a_scoring_worker_does_not_import_scrapy(default_model):
    """A worker imports crawler.worker and scoring only: Scrapy's and Twisted's imports would add ~0.2 s of CPU to
    every worker's start-up."""
    pool = ScoringPool(QualityConfig(models={"en": str(default_model)}), workers=1)
    try:
        # (a builtin, so that the call itself imports nothing: a function of this module would import it, and Scrapy)
        modules = pool._executor.submit(eval, "sorted(__import__('sys').modules)").result()
    finally:
        pool.close()
    assert "crawler.worker" in modules and "scoring.scorer" in modules
    assert not [m for m in modules if m.split(".")[0] in ("scrapy", "twisted", "crawler") and m not in
                ("crawler", "crawler.worker")]


def run_with_model(code: str, model) -> str:
    """The stdout of `code` run in a fresh Python process (sys.argv[1]: the model's path)."""
    return subprocess.run([sys.executable, "-c", code, str(model)], cwd=ROOT, capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout


def test_a_worker_starts_without_garbage_collections_and_freezes_what_it_loaded(default_model):
    """The start-up's collections (~0.15 s of its ~0.55 s) would walk what the imports and the models allocate,
    all of which lives as long as the worker; then gc.freeze takes it out of every later collection."""
    code = ("import gc, sys\n"
            "from crawler import worker\n"
            "from scoring.config import QualityConfig\n"
            "collections = []\n"
            "gc.callbacks.append(lambda phase, info: collections.append(phase))\n"
            "worker.init_worker(QualityConfig(models={'en': sys.argv[1]}), 30)\n"
            "print(len(collections), worker.worker_ready(), gc.isenabled(), gc.get_freeze_count() > 100_000)")
    assert run_with_model(code, default_model).split() == ["0", "None", "True", "True"]


def test_the_crawl_process_does_not_import_the_scorer_when_workers_score(default_model):
    """With workers, the scorer's imports (numpy, langdetect, the signals: ~0.17 s of CPU) would be the crawl
    process's for nothing."""
    code = ("import sys\n"
            "from crawler.middlewares import QualityScoringMiddleware\n"
            "from crawler.pool import ScoringPool\n"
            "from scoring.config import QualityConfig\n"
            "ScoringPool(QualityConfig(models={'en': sys.argv[1]}), workers=1).close()\n"
            "print(sorted(m for m in sys.modules if m.startswith('scoring.')))")
    out = run_with_model(code, default_model)
    assert "scoring.config" in out and "scoring.scorer" not in out


def test_a_failure_inside_a_worker_is_reported_with_its_traceback(default_model, monkeypatch, caplog):
    monkeypatch.setattr(pool_module, "init_worker", init_exploding_worker)
    caplog.set_level(logging.DEBUG)
    pool = ScoringPool(QualityConfig(models={"en": str(default_model)}), workers=1)
    try:
        reports = [asyncio.run(pool.score("html", page_response(f"http://{host}/story"))) for host in "ab"]
    finally:
        pool.close()
    assert [(r.status, r.error) for r in reports] == [(UNSCORED, "ValueError: cannot score this page")] * 2
    failures = [r for r in caplog.records if r.name == "scoring" and "failed" in r.getMessage()]
    assert [(r.levelno, r.getMessage().split(" failed")[0]) for r in failures] == [
        (logging.WARNING, "scoring http://a/story"), (logging.DEBUG, "scoring http://b/story")]
    first = failures[0].getMessage()
    assert "raised at tests/test_settings.py:" in first and "Traceback" in first and 'raise ValueError("cannot' in first


def test_an_undecodable_page_is_unscored_by_the_pool(default_model, caplog):
    pool = ScoringPool(QualityConfig(models={"en": str(default_model)}))
    report = asyncio.run(pool.score("html", page_response("http://a", encoding="hex")))
    assert report.status == UNSCORED and report.error.startswith("LookupError")
    assert "scrapy-quality: scoring http://a failed: LookupError" in caplog.text and "Traceback" in caplog.text


def test_a_second_crawl_never_appends_to_the_first_log(tmp_path):
    paths = []
    for _ in range(3):
        crawler = get_crawler(settings_dict={"QUALITY_REPORT_DIR": str(tmp_path), "QUALITY_REPORT_NAME": "fixed",
                                             **WITH_AUDIT})
        crawler.stats.open_spider()
        trail = QualityItemMiddleware.from_crawler(crawler).audit
        trail.spider_opened(Spider("unit"))
        trail.writer.close()
        paths.append(trail.audit_path.name)
    assert paths == ["fixed.audit.jsonl", "fixed.2.audit.jsonl", "fixed.3.audit.jsonl"]


# -- QUALITY_WORKERS: a number or "auto" -----------------------------------------------------------------------------
def cores(monkeypatch, n: int, quota: float | None = None) -> None:
    """Pretend this process may run on `n` cores, under a cgroup CPU quota of `quota` cores (None: none)."""
    monkeypatch.setattr(crawler_options.os, "sched_getaffinity", lambda pid: set(range(n)))
    monkeypatch.setattr(crawler_options, "cgroup_cpu_quota", lambda: quota)


@pytest.mark.parametrize("value, expected", [(0, 0), (3, 3), ("2", 2), (" 0 ", 0), (4.0, 4)])
def test_workers_take_a_whole_number(value, expected):
    assert resolve_workers(value) == expected
    assert options(QUALITY_WORKERS=value).workers == expected


@pytest.mark.parametrize("n_cores, quota, expected", [
    (1, None, 0),                     # one core: score in the crawl process
    (2, None, 2),                     # a worker per core (the crawl process mostly waits on the network)
    (4, None, 4),
    (64, None, AUTO_MAX_WORKERS),     # capped
    (16, 2.5, 2),                     # a container's --cpus=2.5 counts as 2 cores, whatever the affinity says
    (16, 0.5, 0),                     # less than a core: in-process
    (3, 8.0, 3),                      # a quota above the affinity changes nothing
])
def test_auto_uses_every_usable_core(monkeypatch, n_cores, quota, expected):
    cores(monkeypatch, n_cores, quota)
    for value in ("auto", "AUTO", " auto"):
        assert resolve_workers(value) == expected
    assert options(QUALITY_WORKERS="auto").workers == expected
    assert usable_cpus() == max(1, min(n_cores, int(quota) if quota is not None else n_cores))


def test_cgroup_cpu_quota_reads_v2_then_v1(tmp_path):
    none = tmp_path / "no-membership"
    assert cgroup_cpu_quota(tmp_path, none) is None  # nothing there: no quota
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("150000\n")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert cgroup_cpu_quota(tmp_path, none) == 1.5               # v1
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    assert cgroup_cpu_quota(tmp_path, none) is None              # v1, unlimited
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert cgroup_cpu_quota(tmp_path, none) is None              # v2, unlimited
    (tmp_path / "cpu.max").write_text("300000 100000\n")
    assert cgroup_cpu_quota(tmp_path, none) == 3.0               # v2 at the root (a container's own namespace)
    group = tmp_path / "crawls" / "one"
    group.mkdir(parents=True)
    (group / "cpu.max").write_text("200000 100000\n")
    membership = tmp_path / "membership"
    membership.write_text("1:cpu:/\n0::/crawls/one\n")
    assert cgroup_cpu_quota(tmp_path, membership) == 2.0         # v2, the process's own group first


class FakePool:
    """Stands in for ScoringPool: records the number of workers, starts nothing."""

    def __init__(self, config, workers=0):
        self.config, self.workers = config, workers

    def close(self):
        pass


@pytest.mark.parametrize("n_cores, setting, expected, logged", [
    (1, "auto", 0, "scoring in the crawl process (QUALITY_WORKERS='auto'; 1 usable core)"),
    (3, "auto", 3, "scoring in 3 worker processes (QUALITY_WORKERS='auto'; 3 usable cores)"),
    (3, 0, 0, "scoring in the crawl process (QUALITY_WORKERS=0; 3 usable cores)"),
    (2, "1", 1, "scoring in 1 worker process (QUALITY_WORKERS='1'; 2 usable cores)"),
])
def test_the_chosen_mode_is_logged_and_in_the_stats(monkeypatch, tmp_path, caplog, n_cores, setting, expected,
                                                    logged):
    cores(monkeypatch, n_cores)
    monkeypatch.setattr(middlewares, "ScoringPool", FakePool)
    crawler = get_crawler(settings_dict={"QUALITY_REPORT_DIR": str(tmp_path), "QUALITY_WORKERS": setting,
                                         **WITH_AUDIT})
    crawler.stats.open_spider()
    with caplog.at_level("INFO", logger="crawler.middlewares"):
        downloader = QualityScoringMiddleware.from_crawler(crawler)
    assert downloader.pool.workers == expected
    assert crawler.stats.get_value("quality/workers") == expected
    assert f"scrapy-quality: {logged}" in caplog.text


def test_a_bad_workers_setting_stops_the_crawl_at_start_up(tmp_path):
    crawler = get_crawler(settings_dict={"QUALITY_REPORT_DIR": str(tmp_path), "QUALITY_WORKERS": "many"})
    with pytest.raises(ConfigError, match="QUALITY_WORKERS is 'many'; use 0 .* or \"auto\""):
        QualityScoringMiddleware.from_crawler(crawler)
