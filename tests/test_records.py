"""One record schema: every output of a match or a mention is made from the records of entnorm.io.records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import entnorm
from entnorm.cli import app as cli
from entnorm.io.records import (
    MENTION_FIELDS,
    SCORE_DIGITS,
    mention_record,
    written,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample.txt"


def _command(argv: list[str], out: Path) -> list[dict[str, Any]]:
    assert cli.main([*argv, "-o", str(out)]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _in_order(record: dict[str, Any], fields: tuple[str, ...]) -> bool:
    """Whether the keys of ``record`` are some of ``fields``, in their order."""
    keys = iter(fields)
    return all(key in keys for key in record)


def test_the_command_writes_the_dask_records_of_its_mentions(builtin: entnorm.Normalizer, tmp_path: Path) -> None:
    pytest.importorskip("dask")
    import entnorm.dask

    text = SAMPLE.read_text(encoding="utf-8")
    lines = _command(["normalize", str(SAMPLE), "--format", "jsonl", "--quiet"], tmp_path / "out.jsonl")
    records = [entnorm.dask.mention_record(m) for m in builtin.annotate(text)]
    assert lines == [written(r) for r in records] and lines
    assert any(r["conflict"] for r in records), "the sample has a conflict to write"
    for line, record in zip(lines, records, strict=True):
        assert list(record) == list(MENTION_FIELDS)
        assert _in_order(line, MENTION_FIELDS)
        assert line["score"] == round(record["score"], SCORE_DIGITS)
        assert all(line.get(k, v) == v for k, v in record.items() if k != "score")
        assert ("conflict" in line) == record["conflict"] and ("alternatives" in line) == bool(record["alternatives"])


def test_numbered_documents_and_offsets_lead_the_record(builtin: entnorm.Normalizer) -> None:
    mention = builtin.annotate("Mr Vucich spoke.")[0]
    record = mention_record(mention, 3, 100)
    assert list(record) == ["doc", *MENTION_FIELDS]
    assert (record["doc"], record["start"], record["end"]) == (3, mention.start + 100, mention.end + 100)
    assert list(mention_record(mention, 0)) == ["doc", *MENTION_FIELDS]  # document 0 is numbered too


def test_the_dask_frame_columns_are_the_mention_fields_but_the_list() -> None:
    pytest.importorskip("dask")
    import entnorm.dask

    assert entnorm.dask.MENTION_COLUMNS == (
        "doc", "start", "end", "text", "id", "name", "type", "score", "method", "conflict"
    )
