"""Reading inputs and writing outputs for the command line: refusing binary data, writing atomically.

Every output file entnorm writes (``-o``, ``--in-place``, the cache) goes through :func:`output_file`.
"""

from __future__ import annotations

import contextlib
import errno
import io
import itertools
import json
import math
import os
import re
import secrets
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from ..errors import InputError, OutputError

__all__ = [
    "BINARY_INPUT_TEXT", "atomic_output", "cut", "input_blocks", "json_record", "open_input", "output_file",
    "report_missing_field", "surrogates_replaced",
]

_BLOCK = 1 << 20
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_SNIFF = 8192
BINARY_INPUT_TEXT = "{name}: binary input (NUL bytes in the first 8 KiB); entnorm reads UTF-8 text"


def open_input(name: str) -> tuple[BinaryIO, int | None]:
    """The input as a binary stream, and its size when known."""
    if name == "-":
        return sys.stdin.buffer, None
    path = Path(name)
    if path.is_dir():
        msg = f"{name}: is a directory"
        raise InputError(msg)
    try:
        stream = path.open("rb")
    except FileNotFoundError as exc:
        msg = f"{name}: no such file"
        raise InputError(msg) from exc
    except OSError as exc:
        msg = f"{name}: cannot read: {exc.strerror}"
        raise InputError(msg) from exc
    return stream, path.stat().st_size


def input_blocks(stream: BinaryIO, name: str, progress: Any) -> Iterator[bytes]:
    """The input's bytes block by block, refusing binary data."""
    head = stream.read(_SNIFF)
    if b"\x00" in head:
        raise InputError(BINARY_INPUT_TEXT.format(name=name))
    for block in itertools.chain([head], iter(lambda: stream.read(_BLOCK), b"")):
        if block:
            progress.update(len(block))
            yield block


def _not_json(constant: str) -> Any:
    msg = f"{constant} is not JSON"
    raise ValueError(msg)


def _finite(text: str) -> float:
    """A JSON number as a float; one beyond a double's range (``1e999``) would come back as ``Infinity``."""
    value = float(text)
    if math.isinf(value):
        msg = f"number {cut(text, 20)} is out of range"
        raise ValueError(msg)
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def surrogates_replaced(text: str, errors: str, problem: Callable[[], str]) -> str:
    """``text`` with lone surrogates as U+FFFD under ``errors="replace"``; else an InputError saying ``problem()``.

    Lone surrogates are how Python holds ``"\\ud800"`` escapes of JSON and
    bytes of arguments the locale could not decode; no UTF encoding writes them.
    """
    if not _SURROGATE.search(text):
        return text
    if errors == "strict":
        msg = f"{problem()}; use --errors replace to keep going"
        raise InputError(msg)
    return _SURROGATE.sub("\ufffd", text)


def _without_surrogates(value: Any, where: str, errors: str) -> Any:
    """``value`` with its strings under :func:`surrogates_replaced`."""
    if isinstance(value, str):
        return surrogates_replaced(value, errors, lambda: f"{where}: lone surrogate in {cut(json.dumps(value))}")
    if isinstance(value, list):
        return [_without_surrogates(v, where, errors) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k, where, errors): _without_surrogates(v, where, errors) for k, v in value.items()}
    return value


def report_missing_field(name: str, field: str, missing: int, total: int) -> None:
    """Say on stderr how many records lack ``field``; an error when none has it."""
    if not missing:
        return
    if missing == total:
        msg = f"{name}: no record has field {field!r} (see --field)"
        raise InputError(msg)
    print(f"entnorm: {name}: {missing:,} of {total:,} records have no field {field!r}", file=sys.stderr)


def cut(text: str, width: int = 60) -> str:
    """``text`` cut to about ``width`` characters for a message (the rest as an ellipsis)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def json_record(line: str, where: str, field: str, errors: str = "strict") -> dict[str, Any]:
    """One line of a JSONL input as an object whose ``field``, when present, is a string or null.

    ``where`` (``FILE:LINE``) leads every message. ``NaN``, ``Infinity`` and
    numbers beyond a double's range are refused (they are not JSON, or would be
    written back as ``Infinity``); lone
    surrogates are an error, or U+FFFD with ``errors="replace"``.
    """
    try:
        record = json.loads(line, parse_constant=_not_json, parse_float=_finite)
    except json.JSONDecodeError as exc:
        msg = f"{where}: invalid JSON: {exc.msg} (column {exc.colno})"
        raise InputError(msg) from exc
    except ValueError as exc:
        msg = f"{where}: invalid JSON: {exc}"
        raise InputError(msg) from exc
    except RecursionError as exc:
        msg = f"{where}: invalid JSON: nested too deeply"
        raise InputError(msg) from exc
    if not isinstance(record, dict):
        msg = f"{where}: not a JSON object"
        raise InputError(msg)
    if _ESCAPED_SURROGATE.search(line):
        record = {
            _without_surrogates(k, where, errors): _without_surrogates(v, where, errors) for k, v in record.items()
        }
    value = record.get(field)
    if value is not None and not isinstance(value, str):
        msg = f"{where}: field {field!r} is not a string"
        raise InputError(msg)
    return record


def _failure(name: str, exc: OSError) -> OutputError:
    return OutputError(f"{name}: cannot write: {exc.strerror or exc}")


@contextlib.contextmanager
def _reported(name: str) -> Iterator[None]:
    """Turn an OSError about the output ``name`` into the one-line :class:`OutputError`."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        raise _failure(name, exc) from exc


class _OutputFile(io.FileIO):
    """An output file descriptor whose write failures (a full disk) are :class:`OutputError` naming it."""

    def __init__(self, descriptor: int, name: str) -> None:
        super().__init__(descriptor, "wb", closefd=True)
        self.output_name = name

    def write(self, data: Any, /) -> int:
        """Write ``data``; an OSError becomes the output's one-line error."""
        with _reported(self.output_name):
            return super().write(data)


def _destination(name: str) -> tuple[Path, os.stat_result | None]:
    """The path to write for ``name`` (a symlink's final target) and its status (None: nothing there yet)."""
    target = Path(os.path.realpath(name))
    with _reported(name):
        try:
            info = target.stat()
        except FileNotFoundError:
            return target, None
    if stat.S_ISDIR(info.st_mode):
        raise _failure(name, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
    return target, info


def _create_beside(target: Path, mode: int) -> tuple[int, Path]:
    """A new empty temporary file beside ``target``, created with ``mode`` (less the umask), and its path."""
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, mode), temporary
        except FileExistsError:
            continue


def _keep_metadata(descriptor: int, info: os.stat_result) -> None:
    """Give the new file ``info``'s mode, and its owner and group where this process may set them."""
    for owner in (info.st_uid, -1):
        try:
            os.fchown(descriptor, owner, info.st_gid)
            break
        except PermissionError:
            continue
    os.fchmod(descriptor, stat.S_IMODE(info.st_mode))


@contextlib.contextmanager
def _written(handle: BinaryIO, name: str) -> Iterator[BinaryIO]:
    """``handle`` yielded, closed (flushed) on success, closed without a word on failure."""
    try:
        yield handle
        with _reported(name):
            handle.close()
    finally:
        with contextlib.suppress(OSError, ValueError):
            handle.close()


@contextlib.contextmanager
def output_file(name: str, *, mode: int | None = None) -> Iterator[BinaryIO]:
    """A binary stream to the output ``name``, complete only if the block succeeds.

    ``-`` is stdout. A regular file, or a path where nothing is yet, is written
    to a temporary file beside it and renamed over it at the end (removed on
    failure); a symlink's final target is written so, the link staying a link.
    A character device, FIFO or socket is written to directly. A new file gets
    ``0o666`` less the umask and an existing one keeps its mode, owner and group
    (as far as this process may set them); ``mode`` instead gives every file that
    mode and this process's owner (the cache's private files). Failing to open,
    write or rename raises :class:`OutputError` (``NAME: cannot write: REASON``).
    """
    if name == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target, info = _destination(name)
    if info is not None and not stat.S_ISREG(info.st_mode):
        with _reported(name):
            descriptor = os.open(target, os.O_WRONLY | _CLOEXEC)
        with _written(io.BufferedWriter(_OutputFile(descriptor, name)), name) as out:
            yield out
        return
    with _reported(name):
        descriptor, temporary = _create_beside(target, mode if mode is not None else 0o600 if info else 0o666)
    try:
        if info is not None and mode is None:
            with _reported(name):
                _keep_metadata(descriptor, info)
        with _written(io.BufferedWriter(_OutputFile(descriptor, name)), name) as out:
            yield out
        with _reported(name):
            os.replace(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_output(name: str | None, stdout: TextIO) -> Iterator[TextIO]:
    """The UTF-8 output stream: ``stdout`` (``name`` None or ``-``), else :func:`output_file` as text."""
    if name is None or name == "-":
        yield stdout
        return
    with output_file(name) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield out
        out.flush()
