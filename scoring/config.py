"""What to score and what to do about it: signals, thresholds, actions, caps and models.

One `QualityConfig` serves the library, the command line, the Scrapy settings and TOML policy files
(`from_mapping`). `validate()` fails early with a message that says what to fix.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, Mapping

from .report import ACTION_SEVERITY, DROP, TAG
from .signals.language import DEFAULT_SAMPLE_CHARS

# The default English model (QUALITY_MODEL overrides it), and what to do when a model is missing.
DEFAULT_MODEL = Path(os.environ.get("QUALITY_MODEL", Path(__file__).resolve().parent.parent / "models" / "en" / "en.bin"))
BUILD_HINT = "build the default model with `make model`, or train one with `scrapy train-lm CORPUS -o MODEL`"

SIGNAL_NAMES = ("spin", "split", "injection", "boilerplate")
DEFAULT_THRESHOLD = 0.99  # "beyond 99% of clean reference pages"
# Per-signal defaults: the output of `python -m bench.choose_thresholds`, which reads development data only
# (the real pages' development half, scored leave-one-out like the calibration reference text, and the built
# pages' development split; never a test page). Each is where an exponential tail fitted to the real pages' top
# scores expects 0.25% of unseen real pages (a signal that drops) or 1.5% (one that tags), and never below a
# clean development page of any set. tests/test_thresholds.py checks that these are still what the script chooses.
DEFAULT_THRESHOLDS = {"spin": 0.999734, "split": 0.999998, "injection": 0.998114, "boilerplate": 0.999258}
DEFAULT_ACTIONS = {"spin": DROP, "split": DROP, "injection": TAG, "boilerplate": TAG}


class ConfigError(ValueError):
    """A configuration that cannot work; the message says what to fix."""


def _default_models() -> dict[str, str]:
    return {"en": str(DEFAULT_MODEL)}


@dataclass
class QualityConfig:
    signals: tuple[str, ...] = SIGNAL_NAMES
    thresholds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    actions: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ACTIONS))
    min_words: int = 50                 # below this a page is TOO_SHORT (its scores are shrunk, not dropped)
    max_bytes: int = 2_000_000          # page size cap (characters for already-decoded text); the rest is cut
    max_tokens: int = 20_000            # tokens scored per page; the rest is cut
    models: dict[str, str] = field(default_factory=_default_models)  # language -> KenLM model path
    sentencepiece: dict[str, str] = field(default_factory=dict)      # language -> SentencePiece model (CCNet)
    language_sample_chars: int = DEFAULT_SAMPLE_CHARS  # characters handed to langdetect (cost grows with it)
    # A page with more of its words unknown to the model is not judged (None: the model card's limit, see
    # scoring.scorer.UNKNOWN_MARGIN; no limit for an uncalibrated model)
    max_unknown_share: float | None = None

    def threshold(self, signal: str) -> float:
        return self.thresholds.get(signal, DEFAULT_THRESHOLDS.get(signal, DEFAULT_THRESHOLD))

    def action(self, signal: str) -> str:
        return self.actions.get(signal, TAG)

    def validate(self, check_files: bool = True) -> "QualityConfig":
        """Raise ConfigError naming the first thing to fix; return self when the config can work."""
        known = ", ".join(SIGNAL_NAMES)
        for where, names in (("signals", self.signals), ("thresholds", self.thresholds), ("actions", self.actions)):
            for name in names:
                if name not in SIGNAL_NAMES:
                    raise ConfigError(f"unknown signal {name!r} in {where}; known signals: {known}")
        for name, value in self.thresholds.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise ConfigError(f"threshold for {name!r} is {value!r}; use a number between 0 and 1 "
                                  f"(0.99 = beyond 99% of clean reference pages)")
        for name, action in self.actions.items():
            if action not in ACTION_SEVERITY:
                raise ConfigError(f"unknown action {action!r} for {name!r}; use one of: {', '.join(ACTION_SEVERITY)}")
        for key in ("min_words", "max_bytes", "max_tokens", "language_sample_chars"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < (0 if key == "min_words" else 1):
                raise ConfigError(f"{key} is {value!r}; use a positive whole number")
        share = self.max_unknown_share
        if share is not None and (isinstance(share, bool) or not isinstance(share, (int, float))
                                  or not 0.0 < share <= 1.0):
            raise ConfigError(f"max_unknown_share is {share!r}; use a share of the words above 0 and at most 1 "
                              f"(1 judges every page whatever its words)")
        if not self.models:
            raise ConfigError(f"no language model configured; set models = {{en = \"{DEFAULT_MODEL}\"}}")
        for lang in {**self.models, **self.sentencepiece}:
            if not isinstance(lang, str) or not lang:
                raise ConfigError(f"model language {lang!r} must be a language code such as 'en'")
        for lang in self.sentencepiece:
            if lang not in self.models:
                raise ConfigError(f"SentencePiece model given for {lang!r} but no KenLM model for it; add models.{lang}")
        if check_files:
            for lang, path in self.models.items():
                if not Path(path).is_file():
                    raise ConfigError(f"language model for {lang!r} not found: {path}; {BUILD_HINT}")
            for lang, path in self.sentencepiece.items():
                if not Path(path).is_file():
                    raise ConfigError(f"SentencePiece model for {lang!r} not found: {path}")
        return self

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, ignore: Iterable[str] = ("enabled",)) -> "QualityConfig":
        """A config from settings or a TOML policy: partial `thresholds`/`actions`/`models` extend the defaults.

        Values are coerced from strings where a command line (`-s`) would give strings. Unknown keys are an
        error (a typo must not silently do nothing), except those in `ignore`. Call `validate()` afterwards.
        """
        config = cls()
        known = {f.name for f in fields(cls)}
        for key, value in (data or {}).items():
            if key in ignore:
                continue
            if key not in known:
                raise ConfigError(f"unknown quality setting {key!r}; known settings: {', '.join(sorted(known))}")
            if value is None:
                continue
            if key == "signals":
                names = value.split(",") if isinstance(value, str) else list(value)
                config.signals = tuple(n.strip() for n in names if n.strip())
            elif key in ("thresholds", "actions", "models", "sentencepiece"):
                if not isinstance(value, Mapping):
                    raise ConfigError(f"{key} must be a table/dict of {{name: value}}, not {value!r}")
                merged = dict(getattr(config, key))
                for name, item in value.items():
                    merged[str(name)] = _coerce(key, name, item)
                setattr(config, key, merged)
            elif key == "max_unknown_share":
                try:
                    config.max_unknown_share = value if isinstance(value, bool) else float(value)
                except (TypeError, ValueError):
                    raise ConfigError(f"max_unknown_share is {value!r}; use a number above 0 and at most 1") from None
            elif key == "language_sample_chars" or key.startswith(("min_", "max_")):
                try:
                    setattr(config, key, int(value))
                except (TypeError, ValueError):
                    raise ConfigError(f"{key} is {value!r}; use a positive whole number") from None
        return config


def _coerce(key: str, name: str, value: Any) -> Any:
    if key == "thresholds":
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"threshold for {name!r} is {value!r}; use a number between 0 and 1") from None
    if key == "actions":
        return str(value).strip().lower()
    return str(value)
