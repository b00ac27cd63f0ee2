"""Reading inputs and writing outputs for the command line: refusing binary data, writing atomically."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from .errors import InputError

__all__ = ["BINARY_INPUT_TEXT", "atomic_output", "input_blocks", "json_record", "open_input", "temporary_path"]

_BLOCK = 1 << 20
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


def json_record(line: str, number: int, field: str) -> dict[str, Any]:
    """Line ``number`` of a JSONL input as an object whose ``field``, when present, is a string or null."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        msg = f"line {number}: invalid JSON: {exc.msg}"
        raise InputError(msg) from exc
    if not isinstance(record, dict):
        msg = f"line {number}: not a JSON object"
        raise InputError(msg)
    value = record.get(field)
    if value is not None and not isinstance(value, str):
        msg = f"line {number}: field {field!r} is not a string"
        raise InputError(msg)
    return record


def temporary_path(name: str) -> tuple[Path, Path]:
    """An empty temporary file beside ``name`` (to rename onto it when complete), and ``name``'s path."""
    target = Path(name)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    os.close(handle)
    return Path(temporary), target


@contextlib.contextmanager
def atomic_output(name: str | None, stdout: TextIO) -> Iterator[TextIO]:
    """The output stream: stdout, or a temporary file renamed to ``name`` on success."""
    if name is None:
        yield stdout
        return
    temporary, target = temporary_path(name)
    try:
        with temporary.open("w", encoding="utf-8", newline="") as out:
            yield out
        temporary.replace(target)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
