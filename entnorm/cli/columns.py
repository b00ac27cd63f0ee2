"""``entnorm match --input-format csv|jsonl|parquet``: add answer columns to tabular data.

The input is a file (``-`` or nothing: stdin; Parquet needs a file), the
output the same format unless ``--format`` says otherwise (Parquet needs
``-o``). Rows keep their fields and gain ``<prefix>id``, ``<prefix>name``,
``<prefix>type``, ``<prefix>score`` and ``<prefix>method``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from ..api import Normalizer
from ..errors import InputError
from ..io.files import atomic_output, open_input, output_file
from ..io.rows import ValueMatcher, answers, match_rows, read_rows, write_rows
from .normalize import on_cluster

__all__ = ["run_columns"]

PARQUET_FILES_TEXT = "Parquet input needs a file name, and Parquet output needs -o"
# Rows read ahead at once with --scheduler; their new distinct values make one task.
_ROW_CHUNK = 4096


def _answered_on_cluster(
    rows: Iterable[dict[str, Any]], field: str, matcher: ValueMatcher, normalizer: Normalizer, address: str
) -> Iterator[dict[str, Any]]:
    """``rows`` unchanged, once the cluster answered every distinct value of ``field`` they hold."""
    waiting: deque[tuple[list[dict[str, Any]], list[str]]] = deque()
    asked: set[str] = set()

    def tasks() -> Iterator[list[str]]:
        iterator = iter(rows)
        while chunk := list(itertools.islice(iterator, _ROW_CHUNK)):
            values = (row.get(field) for row in chunk)
            new = list(dict.fromkeys(v for v in values if isinstance(v, str) and v not in asked))
            asked.update(new)
            waiting.append((chunk, new))
            yield new

    for found in on_cluster(address, answers, normalizer, tasks()):
        chunk, new = waiting.popleft()
        matcher.learn(new, found)
        yield from chunk


def run_columns(args: argparse.Namespace, normalizer: Normalizer, stdout: TextIO) -> int:
    """Match the ``--field`` column of a CSV, JSONL or Parquet input."""
    source = args.names[0] if args.names else "-"
    if len(args.names) > 1:
        msg = "give one input file with --input-format csv, jsonl or parquet"
        raise InputError(msg)
    out_format = args.format if args.format not in (None, "text") else args.input_format
    if (args.input_format == "parquet" and source == "-") or (out_format == "parquet" and not args.output):
        raise InputError(PARQUET_FILES_TEXT)
    name = "stdin" if source == "-" else source
    output = output_file(args.output) if out_format == "parquet" else atomic_output(args.output, stdout)
    try:
        with output as out:  # opened first: an output that cannot be written fails before any work
            write_rows(out_format, _answered(args, source, name, normalizer), out)
    except UnicodeDecodeError as exc:
        msg = f"{name}: invalid UTF-8; use --errors replace to keep going"
        raise InputError(msg) from exc
    return 0


def _answered(args: argparse.Namespace, source: str, name: str, normalizer: Normalizer) -> Iterator[dict[str, Any]]:
    """The rows of the input with their answer columns; the input file is closed at the end."""
    matcher = ValueMatcher(normalizer)
    stream, _ = open_input(source)  # the same clear errors for missing files and folders, Parquet too
    with contextlib.nullcontext() if source == "-" else stream:
        if args.input_format == "parquet":
            rows: Any = read_rows("parquet", Path(source), args.field, name, prefix=args.prefix)
        else:
            text = io.TextIOWrapper(stream, encoding="utf-8", errors=args.errors, newline="")
            fixed = (args.format or args.input_format) in ("csv", "parquet")  # fields fixed by the first row
            rows = read_rows(
                args.input_format, text, args.field, name, prefix=args.prefix, errors=args.errors, fixed_fields=fixed
            )
        if args.scheduler:
            rows = _answered_on_cluster(rows, args.field, matcher, normalizer, args.scheduler)
        yield from match_rows(rows, args.field, args.prefix, matcher)
