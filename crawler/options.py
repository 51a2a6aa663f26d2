"""What the scrapy-quality middlewares read from the settings: the QUALITY_* settings and their defaults, the
policy file, the scoring configuration, the worker count ("auto": one per usable core) and the worker id. Everything
is validated once, at start-up: a misconfiguration raises ConfigError saying what to fix.

Settings are documented in `crawler/settings.py`.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from scrapy.exceptions import NotConfigured

from scoring.config import ConfigError, QualityConfig

from .distributed import default_worker_id, uses_redis_scheduler

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

META_KEY = "quality"            # response.meta["quality"]: the PageReport
DONT_SCORE = "dont_score"       # request.meta["dont_score"] = True: skip scoring
STATS = "quality"               # stats prefix

# QUALITY_* settings that map onto scoring.config.QualityConfig fields.
CONFIG_SETTINGS = {
    "QUALITY_SIGNALS": "signals",
    "QUALITY_MODELS": "models",
    "QUALITY_THRESHOLDS": "thresholds",
    "QUALITY_ACTIONS": "actions",
    "QUALITY_MIN_WORDS": "min_words",
    "QUALITY_MAX_BYTES": "max_bytes",
    "QUALITY_MAX_TOKENS": "max_tokens",
    "QUALITY_MAX_UNKNOWN_SHARE": "max_unknown_share",
}
DICT_SETTINGS = {"QUALITY_MODELS", "QUALITY_THRESHOLDS", "QUALITY_ACTIONS"}
# Scrapy-side settings and their defaults (the scoring defaults live in QualityConfig).
DEFAULTS: dict[str, Any] = {
    "QUALITY_ENABLED": True,
    "QUALITY_POLICY": None,
    "QUALITY_ITEM_FIELD": "quality",
    "QUALITY_DROP_AT_DOWNLOAD": False,
    "QUALITY_WORKERS": 0,
    "QUALITY_REPORT_DIR": "reports",
    "QUALITY_REPORT_NAME": "%(name)s-%(time)s",
    "QUALITY_HTML_REPORT": True,
    "QUALITY_WORKER_ID": None,        # None: hostname-pid, computed per process (resolve_worker_id)
    "QUALITY_REDIS_TIMEOUT": 30,      # read by crawler.redis_scheduler.RedisScheduler
}
WORKER_ID_SETTING = "QUALITY_WORKER_ID"


@dataclass(frozen=True)
class QualityOptions:
    """Everything the middlewares read from the settings, validated once."""

    config: QualityConfig
    item_field: str | None = DEFAULTS["QUALITY_ITEM_FIELD"]
    drop_at_download: bool = DEFAULTS["QUALITY_DROP_AT_DOWNLOAD"]
    workers: int = DEFAULTS["QUALITY_WORKERS"]
    report_dir: Path = Path(DEFAULTS["QUALITY_REPORT_DIR"])
    report_name: str = DEFAULTS["QUALITY_REPORT_NAME"]
    html_report: bool = DEFAULTS["QUALITY_HTML_REPORT"]
    worker_id: str = ""            # QUALITY_WORKER_ID, or hostname-pid
    distributed: bool = False      # requests come from a shared queue (scrapy-redis's scheduler)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> "QualityOptions":
        """Raise NotConfigured when disabled, ConfigError (saying what to fix) when misconfigured."""
        if not settings.getbool("QUALITY_ENABLED", DEFAULTS["QUALITY_ENABLED"]):
            raise NotConfigured("QUALITY_ENABLED is False")
        workers = resolve_workers(settings.get("QUALITY_WORKERS", DEFAULTS["QUALITY_WORKERS"]))
        item_field = settings.get("QUALITY_ITEM_FIELD", DEFAULTS["QUALITY_ITEM_FIELD"])
        return cls(
            config=scoring_config(settings),
            item_field=str(item_field) if item_field else None,
            drop_at_download=settings.getbool("QUALITY_DROP_AT_DOWNLOAD", DEFAULTS["QUALITY_DROP_AT_DOWNLOAD"]),
            workers=workers,
            report_dir=Path(settings.get("QUALITY_REPORT_DIR") or DEFAULTS["QUALITY_REPORT_DIR"]),
            report_name=str(settings.get("QUALITY_REPORT_NAME") or DEFAULTS["QUALITY_REPORT_NAME"]),
            html_report=settings.getbool("QUALITY_HTML_REPORT", DEFAULTS["QUALITY_HTML_REPORT"]),
            worker_id=resolve_worker_id(settings.get(WORKER_ID_SETTING)),
            distributed=uses_redis_scheduler(settings) or bool(settings.get(WORKER_ID_SETTING)),
        )


MAX_WORKER_ID = 64


def file_name_part(text: str) -> str:
    """`text` with every character but letters, digits, '-', '_' and '.' replaced by '_' (it goes into a file name)."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)


def resolve_worker_id(value: Any) -> str:
    """QUALITY_WORKER_ID, checked: it goes into file names. Unset or empty: hostname-pid."""
    if value is None or (isinstance(value, str) and not value.strip()):
        value = default_worker_id()
        return file_name_part(value)[:MAX_WORKER_ID].lstrip(".") or "worker"
    text = str(value).strip()
    if (not isinstance(value, (str, int)) or isinstance(value, bool) or len(text) > MAX_WORKER_ID
            or text.startswith(".") or not all(c.isascii() and (c.isalnum() or c in "-_.") for c in text)):
        raise ConfigError(f"scrapy-quality: QUALITY_WORKER_ID is {value!r}; use up to {MAX_WORKER_ID} letters, "
                          "digits, '-', '_' or '.' (not first), unique per crawl process, e.g. worker-1 "
                          "(unset: hostname-pid)")
    return text


AUTO = "auto"          # QUALITY_WORKERS = "auto": a worker per usable core, in-process on a single core
AUTO_MAX_WORKERS = 8   # "auto" never starts more (each worker holds its own scorer; ask for more with a number)


def resolve_workers(value: Any) -> int:
    """QUALITY_WORKERS as a number of worker processes (0: score in the crawl process).

    "auto" starts a worker on each usable core, up to AUTO_MAX_WORKERS: the crawl process spends much of its
    time waiting on the network, when a core kept for it would idle (bench/crawl.py on 2 cores: 2 workers
    reach 0.61x of plugin-off throughput on a latency-bound crawl, one worker beside the crawl's core 0.44x;
    0.42x / 0.41x on a CPU-bound one). With a single usable core it scores in the crawl process, where a
    worker would only add the cost of shipping pages between processes.
    Raises ConfigError, saying what to fix, for anything but "auto" or a whole number >= 0.
    """
    if isinstance(value, str) and value.strip().lower() == AUTO:
        cores = usable_cpus()
        return 0 if cores < 2 else min(cores, AUTO_MAX_WORKERS)
    try:
        if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
            raise ValueError
        workers = int(value)
        if workers < 0:
            raise ValueError
    except (TypeError, ValueError):
        raise ConfigError(f"scrapy-quality: QUALITY_WORKERS is {value!r}; use 0 (score in the crawl process), a "
                          f"positive number of worker processes or \"{AUTO}\" (one per usable core)") from None
    return workers


def usable_cpus() -> int:
    """Cores this process may run on: its CPU affinity, capped by a cgroup CPU quota (a container's --cpus)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    quota = cgroup_cpu_quota()
    if quota is not None:
        cores = min(cores, max(1, int(quota)))
    return max(1, cores)


def cgroup_cpu_quota(root: Path = Path("/sys/fs/cgroup"), membership: Path = Path("/proc/self/cgroup")
                     ) -> float | None:
    """The CPU quota of this process's cgroup in cores (cgroup v2 cpu.max, else v1 cpu.cfs_quota_us), None
    when there is none."""
    places = []
    try:  # cgroup v2: "0::/path/of/the/group"
        places += [root / line[3:].strip().lstrip("/") for line in membership.read_text().splitlines()
                   if line.startswith("0::") and line[3:].strip() not in ("", "/")]
    except OSError:
        pass
    for place in places + [root]:
        try:
            quota, period = (place / "cpu.max").read_text().split()[:2]
            return None if quota == "max" else int(quota) / int(period)
        except (OSError, ValueError):
            continue
    try:
        quota = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period = int((root / "cpu" / "cpu.cfs_period_us").read_text())
        return quota / period if quota > 0 and period > 0 else None
    except (OSError, ValueError):
        return None


def scoring_config(settings: BaseSettings) -> QualityConfig:
    """The scoring configuration: defaults < QUALITY_POLICY file < QUALITY_* settings; validated."""
    policy_path = settings.get("QUALITY_POLICY")
    mapping: dict[str, Any] = read_policy(policy_path) if policy_path else {}
    for name, key in CONFIG_SETTINGS.items():
        if settings.get(name) is None:
            continue
        if name in DICT_SETTINGS:
            value = _getdict(settings, name)
            mapping[key] = {**mapping.get(key, {}), **value}
        elif name == "QUALITY_SIGNALS":
            mapping[key] = settings.getlist(name)
        else:
            mapping[key] = settings.get(name)
    where = "QUALITY_* settings" + (f" and policy file {policy_path}" if policy_path else "")
    try:
        return QualityConfig.from_mapping(mapping).validate()
    except ConfigError as exc:
        raise ConfigError(f"scrapy-quality: {exc} (check the {where})") from None


def _getdict(settings: BaseSettings, name: str) -> dict[str, Any]:
    try:
        return dict(settings.getdict(name))
    except (TypeError, ValueError) as exc:  # -s QUALITY_THRESHOLDS=not-json
        raise ConfigError(f"scrapy-quality: {name} must be a dict (JSON on the command line, e.g. "
                          f"-s {name}='{{\"spin\": 0.95}}'): {exc}") from None


def read_policy(path: str | os.PathLike) -> dict[str, Any]:
    """A TOML policy file as a QualityConfig mapping; relative model paths are relative to the file."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"scrapy-quality: QUALITY_POLICY file not found: {path}") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"scrapy-quality: cannot read QUALITY_POLICY file {path}: {exc}") from None
    for key in ("models", "sentencepiece"):
        if isinstance(data.get(key), Mapping):
            data[key] = {lang: str((path.parent / str(p)).resolve()) for lang, p in data[key].items()}
    return data
