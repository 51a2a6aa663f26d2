"""Shared fixtures: a tiny model trained in the test session with KenLM's own tools, and the default model."""
from __future__ import annotations

from pathlib import Path

import pytest

from scoring.lm import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parent.parent
# Licence texts ship with every Debian system (base-files): real English prose, ~12k words.
LICENCE_TEXTS = [Path("/usr/share/common-licenses/GPL-3"), Path("/usr/share/common-licenses/Apache-2.0")]


@pytest.fixture(scope="session")
def licence_corpus() -> list[Path]:
    missing = [p for p in LICENCE_TEXTS if not p.is_file()]
    assert not missing, f"Debian's base-files licence texts are missing: {missing}"
    return LICENCE_TEXTS


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, licence_corpus) -> Path:
    """A 3-gram binary model trained on the licence texts; its card sits beside it."""
    from scoring.train import train_model

    out = tmp_path_factory.mktemp("tiny-lm") / "tiny.bin"
    train_model(licence_corpus, out, order=3, keep_arpa=True, progress=lambda _: None)
    return out


@pytest.fixture(scope="session")
def default_model() -> Path:
    assert DEFAULT_MODEL.is_file(), f"default model {DEFAULT_MODEL} is missing: run `make model`"
    return DEFAULT_MODEL
