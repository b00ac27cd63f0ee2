"""Matching a column of names in CSV, JSONL or Parquet data, each distinct value looked up once.

Use :class:`ValueMatcher` wherever a column of names is matched (the
``entnorm match --input-format csv|jsonl|parquet`` command, :mod:`entnorm.pandas`):
it remembers the answer for every distinct value, so a million rows with
twenty thousand distinct names cost twenty thousand lookups. Answers are
``(id, name, type, score, method)``; on abstention only ``score`` is set (the
best candidate's, or 0).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from ._io import json_record
from .errors import InputError
from .matcher import Normalizer

__all__ = ["ANSWER_COLUMNS", "Answer", "ValueMatcher", "answer", "answers", "match_rows", "read_rows", "write_rows"]

#: The columns an answer adds, in order (each with the chosen prefix).
ANSWER_COLUMNS = ("id", "name", "type", "score", "method")
Answer = tuple[str | None, str | None, str | None, float, str | None]
_NONE: Answer = (None, None, None, 0.0, None)
PARQUET_TEXT = "Parquet needs pyarrow: pip install 'entnorm[parquet]'"


def answer(normalizer: Normalizer, value: str) -> Answer:
    """The answer for one name: its match, or on abstention the best candidate's score."""
    match = normalizer.match(value)
    if match is not None:
        return match.entity.id, match.entity.name, match.entity.type, round(match.score, 4), match.method
    best = normalizer.candidates(value, limit=1)
    return None, None, None, round(best[0].score, 4) if best else 0.0, None


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


def _csv_rows(stream: TextIO, field: str, name: str) -> Iterator[dict[str, Any]]:
    reader = csv.DictReader(stream)
    if reader.fieldnames is None:
        return
    if field not in reader.fieldnames:
        msg = f"{name}: no column {field!r} (columns: {', '.join(reader.fieldnames)})"
        raise InputError(msg)
    yield from reader


def _jsonl_rows(stream: TextIO, field: str) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        yield json_record(line, number, field)


def _parquet() -> Any:
    try:
        import pyarrow.parquet
    except ImportError as exc:
        raise InputError(PARQUET_TEXT) from exc
    return pyarrow.parquet


def read_rows(fmt: str, source: TextIO | Path, field: str, name: str) -> Iterator[dict[str, Any]]:
    """The rows of a CSV or JSONL stream, or of a Parquet file, as dicts."""
    if fmt == "csv":
        return _csv_rows(source, field, name)  # type: ignore[arg-type]
    if fmt == "jsonl":
        return _jsonl_rows(source, field)  # type: ignore[arg-type]
    table = _parquet().read_table(source)
    if field not in table.column_names:
        msg = f"{name}: no column {field!r} (columns: {', '.join(table.column_names)})"
        raise InputError(msg)
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
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
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

    _parquet().write_table(pyarrow.Table.from_pylist(list(rows)), out)
