"""Matching a column of names in CSV, JSONL or Parquet data, each distinct value looked up once.

Use :class:`ValueMatcher` wherever a column of names is matched (the
``entnorm match --input-format csv|jsonl|parquet`` command, :mod:`entnorm.pandas`):
it remembers the answer for every distinct value, so a million rows with
twenty thousand distinct names cost twenty thousand lookups. Answers are the
:data:`~entnorm.io.records.ANSWER_FIELDS` of a written match record
(:mod:`entnorm.io.records`), ``(id, name, type, score, method)``; on
abstention only ``score`` is set (the best candidate's, or 0).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from ..api import Normalizer
from ..errors import InputError
from .files import cut, json_record, report_missing_field
from .records import ANSWER_FIELDS, match_record, written

__all__ = ["ANSWER_COLUMNS", "Answer", "ValueMatcher", "answer", "answers", "match_rows", "read_rows", "write_rows"]

#: The columns an answer adds, in order (each with the chosen prefix): the answer fields of a match record.
ANSWER_COLUMNS = ANSWER_FIELDS
Answer = tuple[str | None, str | None, str | None, float, str | None]
_NONE: Answer = (None, None, None, 0.0, None)
PARQUET_TEXT = "Parquet needs pyarrow: pip install 'entnorm[parquet]'"


def answer(normalizer: Normalizer, value: str) -> Answer:
    """The answer for one name, one lookup: its match, or on abstention the best candidate's score."""
    record = written(match_record(normalizer, value))
    return record["id"], record["name"], record["type"], record["score"], record["method"]


class ValueMatcher:
    """Answers for the values of a column, each distinct value looked up once.

    Args:
        normalizer: the tables to match against.
    """

    def __init__(self, normalizer: Normalizer) -> None:
        self._normalizer = normalizer
        self._answers: dict[str, Answer] = {}

    @property
    def lookups(self) -> int:
        """How many distinct values were looked up."""
        return len(self._answers)

    def __contains__(self, value: object) -> bool:
        """Whether ``value`` was looked up already."""
        return value in self._answers

    def learn(self, values: Iterable[str], answers: Iterable[Answer]) -> None:
        """Remember answers found elsewhere (on a cluster) for ``values``."""
        self._answers.update(zip(values, answers, strict=True))

    def __call__(self, value: object) -> Answer:
        """The answer for ``value``; values that are not strings (missing ones) get none."""
        if not isinstance(value, str):
            return _NONE
        found = self._answers.get(value)
        if found is None:
            found = self._answers[value] = answer(self._normalizer, value)
        return found


def answers(normalizer: Normalizer, values: list[str]) -> list[Answer]:
    """:func:`answer` for each of ``values`` (what a Dask worker runs for ``--scheduler``)."""
    return [answer(normalizer, value) for value in values]


def _taken(columns: Iterable[str], prefix: str) -> str | None:
    """The first of ``columns`` that an answer column would overwrite."""
    answer_columns = {prefix + column for column in ANSWER_COLUMNS}
    return next((c for c in columns if c in answer_columns), None)


def _taken_text(where: str, column: str) -> str:
    return f"{where}: column {column!r} is already there; choose other answer columns with --prefix"


def _csv_rows(stream: TextIO, field: str, name: str, prefix: str) -> Iterator[dict[str, Any]]:
    reader = csv.DictReader(stream)
    try:
        if reader.fieldnames is None:
            return
        if field not in reader.fieldnames:
            msg = f"{name}: no column {field!r} (columns: {', '.join(reader.fieldnames)})"
            raise InputError(msg)
        twice = next((c for i, c in enumerate(reader.fieldnames) if c in reader.fieldnames[:i]), None)
        if twice is not None:  # a row would keep only the last of its cells
            msg = f"{name}:1: column {twice!r} appears twice in the header"
            raise InputError(msg)
        taken = _taken(reader.fieldnames, prefix)
        if taken is not None:
            raise InputError(_taken_text(f"{name}:1", taken))
        width = len(reader.fieldnames)
        for row in reader:
            extra = row.get(None)
            if extra is not None:
                msg = f"{name}:{reader.line_num}: {width + len(extra)} cells, the header has {width}"
                raise InputError(msg)
            yield row
    except csv.Error as exc:  # raised before line_num counts the line of the record being read
        msg = f"{name}:{reader.line_num + 1}: invalid CSV: {exc}"
        raise InputError(msg) from exc


def _jsonl_rows(
    stream: TextIO, field: str, name: str, prefix: str, errors: str, fixed_fields: bool
) -> Iterator[dict[str, Any]]:
    first: set[str] | None = None
    missing = total = 0
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        record = json_record(line, where, field, errors)
        taken = _taken(record, prefix)
        if taken is not None:
            raise InputError(_taken_text(where, taken))
        if first is None:
            first = set(record)
        elif fixed_fields and not first.issuperset(record):
            new = next(k for k in record if k not in first)
            msg = f"{where}: field {new!r} is not in the first record; this output format needs them all there"
            raise InputError(msg)
        total += 1
        missing += field not in record
        yield record
    report_missing_field(name, field, missing, total)


def _parquet() -> Any:
    try:
        import pyarrow.parquet
    except ImportError as exc:
        raise InputError(PARQUET_TEXT) from exc
    return pyarrow.parquet


def _arrow_errors() -> tuple[type[BaseException], ...]:
    import pyarrow

    return (pyarrow.ArrowException,)


def read_rows(
    fmt: str, source: TextIO | Path, field: str, name: str, *, prefix: str = "entity_", errors: str = "strict",
    fixed_fields: bool = False,
) -> Iterator[dict[str, Any]]:
    """The rows of a CSV or JSONL stream, or of a Parquet file, as dicts.

    Nothing is dropped silently: a CSV row with more cells than the header, a
    column an answer column (``prefix`` + ``id`` ...) would overwrite, and, with
    ``fixed_fields`` (CSV or Parquet output), a JSONL record with a field the
    first record lacks are errors naming ``FILE:LINE``. ``errors`` is the
    policy for lone surrogates in JSONL strings (see :func:`entnorm._io.json_record`).
    """
    if fmt == "csv":
        return _csv_rows(source, field, name, prefix)  # type: ignore[arg-type]
    if fmt == "jsonl":
        return _jsonl_rows(source, field, name, prefix, errors, fixed_fields)  # type: ignore[arg-type]
    parquet = _parquet()
    try:
        table = parquet.read_table(source)
    except _arrow_errors() as exc:
        msg = f"{name}: not a Parquet file: {cut(str(exc))}"
        raise InputError(msg) from exc
    if field not in table.column_names:
        msg = f"{name}: no column {field!r} (columns: {', '.join(table.column_names)})"
        raise InputError(msg)
    taken = _taken(table.column_names, prefix)
    if taken is not None:
        raise InputError(_taken_text(name, taken))
    return iter(table.to_pylist())


def match_rows(rows: Iterable[dict[str, Any]], field: str, prefix: str, matcher: ValueMatcher) -> Iterator[
    dict[str, Any]
]:
    """Each row with the answer for its ``field`` added as prefixed columns."""
    names = [prefix + column for column in ANSWER_COLUMNS]
    for row in rows:
        yield {**row, **dict(zip(names, matcher(row.get(field)), strict=True))}


def write_rows(fmt: str, rows: Iterable[dict[str, Any]], out: Any) -> None:
    """Write rows as CSV or JSONL to the text stream ``out``, or as Parquet to the binary stream ``out``."""
    if fmt == "jsonl":
        for row in rows:
            out.write(_json_line(row))
        return
    if fmt == "csv":
        writer: csv.DictWriter[str] | None = None
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row), extrasaction="ignore", lineterminator="\n")
                writer.writeheader()
            writer.writerow(row)
        return
    import pyarrow

    parquet = _parquet()
    try:
        parquet.write_table(pyarrow.Table.from_pylist(list(rows)), out)
    except _arrow_errors() as exc:
        msg = f"cannot write Parquet: {cut(str(exc))}"
        raise InputError(msg) from exc


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinite floats as None (JSON has no such numbers)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _json_line(row: dict[str, Any]) -> str:
    """``row`` as one line of valid JSON: non-finite floats (from Parquet) become null."""
    try:
        return json.dumps(row, ensure_ascii=False, default=str, allow_nan=False) + "\n"
    except ValueError:
        return json.dumps(_finite(row), ensure_ascii=False, default=str) + "\n"
