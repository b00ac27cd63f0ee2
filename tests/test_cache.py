"""Built normalizers cached on disk: reused while the tables are unchanged, rebuilt otherwise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import entnorm
from entnorm import matcher

TABLE = "entities:\n  - {id: vucic, name: Aleksandar Vučić, type: person}\n"


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts normalizers built from tables (not loaded from a cache)."""
    count: list[int] = []
    original = matcher.Normalizer.__init__

    def counting(self: matcher.Normalizer, *args: object, **kwargs: object) -> None:
        count.append(1)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(matcher.Normalizer, "__init__", counting)
    return count


def test_second_load_comes_from_the_cache(tmp_path: Path, builds: list[int]) -> None:
    table = tmp_path / "t.yaml"
    table.write_text(TABLE, encoding="utf-8")
    first = entnorm.load(table, cache_dir=tmp_path / "cache")
    second = entnorm.load(table, cache_dir=tmp_path / "cache", threshold=0.2)
    assert len(builds) == 1
    assert second.threshold == 0.2 and first.threshold == entnorm.DEFAULT_THRESHOLD
    assert second.candidates("Vucich") == first.candidates("Vucich")
    assert [m.text for m in second.annotate("Vucic met Vui")] == ["Vucic", "Vui"]


def test_a_changed_table_is_rebuilt(tmp_path: Path, builds: list[int]) -> None:
    table = tmp_path / "t.yaml"
    table.write_text(TABLE, encoding="utf-8")
    entnorm.load(table, cache_dir=tmp_path)
    table.write_text(TABLE + "  - {id: putin, name: Vladimir Putin, type: person}\n", encoding="utf-8")
    again = entnorm.load(table, cache_dir=tmp_path)
    assert len(builds) == 2
    assert again.match("Putin") is not None
    assert len(list(tmp_path.glob("entnorm-*.pickle"))) == 2


@pytest.mark.parametrize("damage", [lambda b: b[: len(b) // 2], lambda b: b[:-1] + b"x", lambda b: b"garbage"])
def test_a_damaged_cache_file_is_rebuilt_not_trusted(tmp_path: Path, builds: list[int], damage) -> None:
    table = tmp_path / "t.yaml"
    table.write_text(TABLE, encoding="utf-8")
    entnorm.load(table, cache_dir=tmp_path)
    (cached,) = tmp_path.glob("entnorm-*.pickle")
    cached.write_bytes(damage(cached.read_bytes()))
    normalizer = entnorm.load(table, cache_dir=tmp_path)
    assert len(builds) == 2 and normalizer.match("Vucic") is not None
    assert entnorm.load(table, cache_dir=tmp_path).match("Vucic") is not None
    assert len(builds) == 2  # the rebuilt file was written back sound


def test_the_command_uses_the_cache_folder(tmp_path: Path) -> None:
    table = tmp_path / "t.yaml"
    table.write_text(TABLE, encoding="utf-8")
    command = [sys.executable, "-m", "entnorm", "match", "--aliases", str(table), "--cache-dir", str(tmp_path / "c")]
    for _ in range(2):
        ran = subprocess.run([*command, "Vucich"], capture_output=True, text=True, check=False, timeout=120)
        assert ran.returncode == 0 and ran.stdout.split("\t")[1] == "vucic"
    assert len(list((tmp_path / "c").glob("entnorm-*.pickle"))) == 1
