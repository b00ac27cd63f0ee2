"""Built lookups kept on disk, so that a large table loads in seconds instead of minutes.

Use ``entnorm.load(..., cache_dir=DIR)`` (or ``entnorm ... --cache-dir DIR``,
or the ``ENTNORM_CACHE_DIR`` variable for the command). A cache file is named
by a SHA-256 of the table files' names and bytes, entnorm's version and its
calibration, so editing a table or upgrading entnorm makes a new one. Each
file carries a checksum of its contents: a truncated or altered file is
rebuilt, never trusted. Only point ``cache_dir`` at a folder you control:
cache files are Python pickles. A cache file that another user could have
written (not owned by this user, writable by group or others, or in a folder
group or others may write to without the sticky bit) is neither read nor
replaced: the table is built in memory, with one :class:`CacheWarning`.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import warnings
from collections.abc import Sequence
from pathlib import Path

from ._gc import collector_paused
from ._version import __version__
from .errors import CacheWarning
from .index.build import build_index
from .index.calibration import SHIPPED
from .io.files import output_file
from .match.lookup import Lookup
from .tables.load import load_table, table_files
from .tables.table import AliasTable

__all__ = ["cache_key", "load_cached"]

_MAGIC = b"entnorm-cache-4\n"  # the number changes with what is pickled or how keys are made


def cache_key(files: Sequence[Path]) -> str:
    """The SHA-256 naming the cache of these table files (content, entnorm version, calibration)."""
    digest = hashlib.sha256()
    digest.update(f"{__version__}\n{SHIPPED.to_json()}".encode())
    for file in files:
        digest.update(f"\n{file.name}\n".encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


class _Unsafe(Exception):
    """A cache file or folder another user could have written; the message says why."""


_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


def _check_folder(folder: Path) -> None:
    """Raise :class:`_Unsafe` if group or others may replace files in ``folder`` (no sticky bit)."""
    try:
        mode = folder.stat().st_mode
    except OSError:
        return  # no folder yet: it is made with this user's umask
    if mode & _OTHERS_WRITE and not mode & stat.S_ISVTX:
        msg = f"folder {folder} is writable by group or others and not sticky"
        raise _Unsafe(msg)


def _check_file(info: os.stat_result) -> None:
    """Raise :class:`_Unsafe` unless the opened cache file is this user's own, writable by no one else."""
    if not stat.S_ISREG(info.st_mode):
        msg = "not a regular file"
        raise _Unsafe(msg)
    if info.st_uid != os.geteuid():
        msg = f"owned by uid {info.st_uid}"
        raise _Unsafe(msg)
    if info.st_mode & _OTHERS_WRITE:
        msg = "writable by group or others"
        raise _Unsafe(msg)


def _contents(path: Path) -> bytes | None:
    """The bytes of the cache file, or None if there is none; :class:`_Unsafe` if it is not safe to trust."""
    _check_folder(path.parent)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block
    except OSError:
        return None
    with open(descriptor, "rb") as stream:
        _check_file(os.fstat(descriptor))  # what was opened, not what the name points to now
        return stream.read()


#: What a cache file holds: the table and the lookup built over it.
Built = tuple[AliasTable, Lookup]


def _build(files: Sequence[Path]) -> Built:
    table = load_table(*files)
    with collector_paused():
        return table, Lookup(build_index(table), table)


def _read(path: Path) -> Built | None:
    """The table and lookup in a cache file, or None if it is missing, damaged or not one.

    Raises :class:`_Unsafe` if another user could have written it.
    """
    try:
        data = _contents(path)
    except OSError:
        return None
    if data is None or not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + 64:
        return None
    checksum = data[len(_MAGIC) : len(_MAGIC) + 64].decode("ascii", "replace")
    payload = data[len(_MAGIC) + 64 :]
    if hashlib.sha256(payload).hexdigest() != checksum:
        return None
    try:
        with collector_paused():
            loaded = pickle.loads(payload)  # our own file, its checksum verified
    except Exception:  # any failure means: rebuild
        return None
    sound = isinstance(loaded, tuple) and len(loaded) == 2
    return loaded if sound and isinstance(loaded[0], AliasTable) and isinstance(loaded[1], Lookup) else None


def _write(path: Path, built: Built) -> None:
    """Write a cache file atomically, private to this user; failures (a full disk) are ignored, leaving nothing."""
    payload = pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _check_folder(path.parent)
        with output_file(str(path), mode=0o600) as out:
            out.write(_MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + payload)
    except (OSError, _Unsafe):
        return


def load_cached(paths: Sequence[str | os.PathLike[str]], cache_dir: str | os.PathLike[str]) -> Built:
    """The table and lookup of these table files: from the cache when it holds a sound copy, else built and stored.

    A cache file another user could have written is not used (:class:`CacheWarning`): the table is built
    in memory and the file left alone.
    """
    files = table_files(paths)
    path = Path(cache_dir) / f"entnorm-{cache_key(files)[:32]}.pickle"
    try:
        cached = _read(path)
    except _Unsafe as exc:
        warnings.warn(f"not using cache {path}: {exc}", CacheWarning, stacklevel=3)
        return _build(files)
    if cached is not None:
        return cached
    built = _build(files)
    _write(path, built)
    return built
