"""One record schema: every output of a match or a mention is made from the records of entnorm.io.records."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import entnorm
import entnorm.io.rows
from entnorm.cli import app as cli
from entnorm.io.records import (
    ANSWER_FIELDS,
    MATCH_FIELDS,
    MENTION_FIELDS,
    SCORE_DIGITS,
    match_record,
    mention_record,
    written,
)
from entnorm.match.lookup import Lookup

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample.txt"
# Answers (Vucich, Kiev), abstentions with a best guess (Vui, svr), one with none (Qqqqzzzz), an empty name.
QUERIES = ["Vucich", "Vui", "Kiev", "svr", "Qqqqzzzz", ""]
# Two entities claim the name, so the answer is ambiguous.
AMBIGUOUS_TABLE = """\
entities:
  - {id: georgia, name: Georgia, type: country}
  - {id: georgia-state, name: Georgia, type: other}
  - {id: vidin, name: Vidin, type: city}
"""


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


def _rows(values: list[str]) -> list[dict[str, Any]]:
    return [{"name": value} for value in values]


@pytest.mark.parametrize("aliases", [[], ["ambiguous"]])
def test_the_command_and_the_rows_agree_on_each_answer(tmp_path: Path, aliases: list[str]) -> None:
    options: list[str] = []
    queries = QUERIES
    if aliases:
        table = tmp_path / "table.yaml"
        table.write_text(AMBIGUOUS_TABLE, encoding="utf-8")
        options = ["--aliases", str(table)]
        queries = ["Georgia", "Vidin", "Vidn", "Nobody"]
    names = tmp_path / "names.jsonl"
    names.write_text("".join(json.dumps(row) + "\n" for row in _rows(queries)), encoding="utf-8")
    matched = _command(["match", *options, "--format", "jsonl", *queries], tmp_path / "matched.jsonl")
    rows = _command(["match", *options, "--input-format", "jsonl", str(names)], tmp_path / "rows.jsonl")
    assert [r["query"] for r in matched] == queries
    for record, row in zip(matched, rows, strict=True):
        assert _in_order(record, MATCH_FIELDS) and list(record)[:6] == ["query", *ANSWER_FIELDS]
        assert {f: record[f] for f in ANSWER_FIELDS} == {f: row[f"entity_{f}"] for f in ANSWER_FIELDS}
    if aliases:
        assert matched[0]["ambiguous"] is True and matched[0]["alternatives"] == ["georgia-state"]
    else:
        assert [r["id"] is None and r["score"] > 0 for r in matched] == [False, True, False, True, False, False]


def test_pandas_answers_are_the_rows_answers(builtin: entnorm.Normalizer) -> None:
    pd = pytest.importorskip("pandas")
    import entnorm.pandas

    frame = entnorm.pandas.match_series(pd.Series(QUERIES), builtin)
    for position, query in enumerate(QUERIES):
        record = written(match_record(builtin, query))
        row = frame.iloc[position]
        assert [None if pd.isna(row[f]) else row[f] for f in ANSWER_FIELDS] == [record[f] for f in ANSWER_FIELDS]


def test_a_match_record_answers_where_match_does(builtin: entnorm.Normalizer) -> None:
    """The threshold rule of :meth:`Normalizer.match`, at the very score of the best answer too."""
    for query in QUERIES:
        best = builtin.best(query)
        for threshold in (0.0, 0.5, builtin.threshold, 1.0, *([best.score] if best else [])):
            normalizer = builtin.with_threshold(threshold)
            record = match_record(normalizer, query)
            match = normalizer.match(query)
            assert record["id"] == (match.entity.id if match else None), (query, threshold)
            assert record["score"] == (best.score if best else 0.0)
            assert list(record) == list(MATCH_FIELDS)


def test_the_text_line_of_an_abstention_shows_the_best_guess(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["match", "Vui", "Qqqqzzzz"]) == 0
    guess = written(match_record(entnorm.load(), "Vui"))["score"]
    assert capsys.readouterr().out == f"Vui\t-\t{guess:.3f}\t-\t-\nQqqqzzzz\t-\t0.000\t-\t-\n"
    assert guess > 0


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The lookups made (``Lookup.best`` and ``Lookup.candidates`` calls), those made inside another left out."""
    calls: list[str] = []
    depth = 0

    def counted(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            nonlocal depth
            if not depth:
                calls.append(name)
            depth += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth -= 1

        return wrapper

    monkeypatch.setattr(Lookup, "best", counted("best", Lookup.best))
    monkeypatch.setattr(Lookup, "candidates", counted("candidates", Lookup.candidates))
    return calls


@pytest.mark.parametrize("query", ["Vui", "Qqqqzzzz", "Vucich", "svr", "Kiev"])
def test_an_answer_or_an_abstention_costs_one_lookup(
    builtin: entnorm.Normalizer, lookups: list[str], query: str
) -> None:
    cli.match_records(builtin, [query])
    assert lookups == ["best"]
    lookups.clear()
    entnorm.io.rows.answer(builtin, query)
    assert lookups == ["best"]


def test_the_command_looks_each_name_up_once(lookups: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["match", "Vui", "Nobody Atall", "Vucich"]) == 0
    assert lookups == ["best"] * 3
    assert len(capsys.readouterr().out.splitlines()) == 3
