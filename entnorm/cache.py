"""Built normalizers kept on disk, so that a large table loads in seconds instead of minutes.

Use ``entnorm.load(..., cache_dir=DIR)`` (or ``entnorm ... --cache-dir DIR``,
or the ``ENTNORM_CACHE_DIR`` variable for the command). A cache file is named
by a SHA-256 of the table files' names and bytes, entnorm's version and its
calibration, so editing a table or upgrading entnorm makes a new one. Each
file carries a checksum of its contents: a truncated or altered file is
rebuilt, never trusted. Only point ``cache_dir`` at a folder you control:
cache files are Python pickles.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from ._gc import collector_paused
from .calibration import SHIPPED
from .matcher import Normalizer
from .tables import load_table, table_files

__all__ = ["cache_key", "load_cached"]

_MAGIC = b"entnorm-cache-2\n"  # the number changes with what a Normalizer pickles


def cache_key(files: Sequence[Path]) -> str:
    """The SHA-256 naming the cache of these table files (content, entnorm version, calibration)."""
    digest = hashlib.sha256()
    digest.update(f"{__version__}\n{SHIPPED.to_json()}".encode())
    for file in files:
        digest.update(f"\n{file.name}\n".encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _read(path: Path) -> Normalizer | None:
    """The normalizer in a cache file, or None if it is missing, damaged or not one."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + 64:
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
    return loaded if isinstance(loaded, Normalizer) else None


def _write(path: Path, normalizer: Normalizer) -> None:
    """Write a cache file atomically (temporary file, then rename); failures are ignored."""
    payload = pickle.dumps(normalizer, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".entnorm-", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(_MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + payload)
        os.replace(temporary, path)
    except OSError:
        return


def load_cached(paths: Sequence[str | os.PathLike[str]], cache_dir: str | os.PathLike[str],
                threshold: float) -> Normalizer:
    """The normalizer of these tables: from the cache when it holds a sound copy, else built and stored."""
    files = table_files(paths)
    path = Path(cache_dir) / f"entnorm-{cache_key(files)[:32]}.pickle"
    cached = _read(path)
    if cached is not None:
        return cached.with_threshold(threshold)
    normalizer = Normalizer(load_table(*files), threshold=threshold)
    _write(path, normalizer)
    return normalizer
