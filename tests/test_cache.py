"""Built normalizers cached on disk: reused while the tables are unchanged, rebuilt otherwise, never read if unsafe."""

from __future__ import annotations

import errno
import hashlib
import os
import pickle
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import entnorm
from entnorm import cache
from entnorm.cli import app as cli
from entnorm.errors import CacheWarning
from entnorm.match.lookup import Lookup
from entnorm.tables import table_files

TABLE = "entities:\n  - {id: vucic, name: Aleksandar Vučić, type: person}\n"


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts lookups built from tables (not loaded from a cache)."""
    count: list[int] = []
    original = Lookup.__init__

    def counting(self: Lookup, *args: object, **kwargs: object) -> None:
        count.append(1)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Lookup, "__init__", counting)
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


# -- cache files another user could have written -----------------------------------


class _Payload:
    """Unpickling this makes the folder ``marker``: proof that a planted file's code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (str(self.marker),)


def _plant(table: Path, folder: Path, marker: Path) -> Path:
    """A cache file for ``table`` in ``folder``, sound (magic, checksum) but running a payload when loaded."""
    payload = pickle.dumps(_Payload(marker))
    path = folder / f"entnorm-{cache.cache_key(table_files([table]))[:32]}.pickle"
    path.write_bytes(cache._MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + payload)
    return path


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(TABLE, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "cache"
    path.mkdir(mode=0o700)
    return path


def test_a_planted_file_runs_its_payload_when_trusted(table: Path, folder: Path, tmp_path: Path) -> None:
    """The control for the tests below: this user's own file in a private folder is read, payload and all."""
    marker = tmp_path / "ran"
    _plant(table, folder, marker)
    assert entnorm.load(table, cache_dir=folder).match("Vucic") is not None  # not a normalizer: rebuilt
    assert marker.exists()


@pytest.mark.parametrize("mode", [0o700, 0o1777], ids=["private", "sticky"])
def test_a_file_owned_by_another_user_is_not_read(table: Path, folder: Path, tmp_path: Path, mode: int) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user (os.chown) needs root")
    folder.chmod(mode)
    marker = tmp_path / "ran"
    planted = _plant(table, folder, marker)
    os.chown(planted, 12345, 12345)
    before = planted.read_bytes()
    with pytest.warns(CacheWarning, match=rf"^not using cache {re.escape(str(planted))}: owned by uid 12345$"):
        normalizer = entnorm.load(table, cache_dir=folder)
    assert normalizer.match("Vucic") is not None
    assert not marker.exists()
    assert planted.read_bytes() == before and planted.stat().st_uid == 12345  # left alone, not replaced
    assert sorted(folder.iterdir()) == [planted]


def test_a_file_others_may_write_is_not_read(table: Path, folder: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    planted = _plant(table, folder, marker)
    planted.chmod(0o666)
    with pytest.warns(CacheWarning, match="writable by group or others$"):
        assert entnorm.load(table, cache_dir=folder).match("Vucic") is not None
    assert not marker.exists()


def test_a_folder_others_may_write_without_the_sticky_bit_is_refused(
    table: Path, folder: Path, tmp_path: Path
) -> None:
    folder.chmod(0o777)
    marker = tmp_path / "ran"
    planted = _plant(table, folder, marker)
    with pytest.warns(CacheWarning, match="is writable by group or others and not sticky$"):
        assert entnorm.load(table, cache_dir=folder).match("Vucic") is not None
    assert not marker.exists()
    planted.unlink()
    with pytest.warns(CacheWarning, match="not sticky$"):
        entnorm.load(table, cache_dir=folder)
    assert list(folder.iterdir()) == []  # nothing written there either


def test_a_sticky_shared_folder_with_our_own_file_is_used(table: Path, folder: Path, builds: list[int]) -> None:
    folder.chmod(0o1777)
    entnorm.load(table, cache_dir=folder)
    (cached,) = folder.iterdir()
    assert cached.stat().st_uid == os.geteuid() and stat.S_IMODE(cached.stat().st_mode) == 0o600
    assert entnorm.load(table, cache_dir=folder).match("Vucic") is not None
    assert len(builds) == 1


def test_the_command_warns_in_one_line(
    table: Path, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planted = _plant(table, folder, tmp_path / "ran")
    planted.chmod(0o646)
    status = cli.main(["match", "--aliases", str(table), "--cache-dir", str(folder), "Vucich"])
    captured = capsys.readouterr()
    assert status == 0 and captured.out.split("\t")[1] == "vucic"
    assert captured.err == f"entnorm: warning: not using cache {planted}: writable by group or others\n"
    assert not (tmp_path / "ran").exists()


def test_a_failed_rename_leaves_no_temporary_file(
    table: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    assert entnorm.load(table, cache_dir=folder).match("Vucic") is not None
    assert list(folder.iterdir()) == []


def test_a_full_disk_leaves_no_temporary_file_and_no_traceback(tmp_path: Path) -> None:
    """Files limited to 64 KiB (writing past it fails, as on a full disk); the bundled tables' cache is larger."""
    limited = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 16, 1 << 16))\n"
        "from entnorm.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    folder = tmp_path / "c"
    command = [sys.executable, "-c", limited, "match", "--cache-dir", str(folder), "Vucich"]
    ran = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert (ran.returncode, ran.stderr) == (0, "")
    assert ran.stdout.split("\t")[1] == "aleksandar-vucic"
    assert list(folder.iterdir()) == []
