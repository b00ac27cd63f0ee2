"""Shared fixtures, and the ``seeds`` marker: article tests run only with ENTNORM_SEEDS_DIR set."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import entnorm

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=300, derandomize=True
)
settings.load_profile("ci" if os.environ.get("CI") else "default")

SEEDS_VARIABLE = "ENTNORM_SEEDS_DIR"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect (not skip) the article tests when no article folder is given."""
    if os.environ.get(SEEDS_VARIABLE):
        return
    deselected = [item for item in items if item.get_closest_marker("seeds")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("seeds")]


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of real articles named by ENTNORM_SEEDS_DIR."""
    path = Path(os.environ[SEEDS_VARIABLE])
    assert path.is_dir(), f"{SEEDS_VARIABLE}={path} is not a folder"
    return path


@pytest.fixture(scope="session")
def builtin() -> entnorm.Normalizer:
    """A normalizer over the bundled tables, built once."""
    return entnorm.load()


TableWriter = Callable[[str], Path]


@pytest.fixture
def write_table(tmp_path: Path) -> TableWriter:
    """Write YAML text to a fresh file and return its path."""
    counter = iter(range(1_000_000))

    def write(text: str) -> Path:
        path = tmp_path / f"table{next(counter)}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write
