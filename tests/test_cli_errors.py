"""Every failure a user can cause is one line naming the file (or FILE:LINE), never a traceback."""

from __future__ import annotations

import errno
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import entnorm
from entnorm.cli import app as cli
from entnorm.cli import normalize as cli_normalize

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(builtin: entnorm.Normalizer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """``entnorm ARGS`` in this process, the bundled table built once: ``(status, stdout, stderr)``."""
    real_load = cli.load

    def load(*paths: object, threshold: float, cache_dir: object) -> entnorm.Normalizer:
        if paths == (entnorm.BUILTIN,) and cache_dir is None:
            return builtin.with_threshold(threshold)
        return real_load(*paths, threshold=threshold, cache_dir=cache_dir)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "load", load)
    monkeypatch.setattr(cli.gc, "freeze", lambda: None)

    def run_it(*args: str, stdin: bytes = b"") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        try:
            status = cli.main(list(args))
        except SystemExit as exc:  # argparse
            status = int(exc.code or 0)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run_it


# -- the library checks its arguments at the door ---------------------------------


@pytest.mark.parametrize("method", ["match", "candidates", "annotate", "normalize_text"])
@pytest.mark.parametrize("value", [None, b"Vucic", 3])
def test_library_methods_take_a_str(builtin: entnorm.Normalizer, method: str, value: object) -> None:
    with pytest.raises(TypeError, match=rf"^{method}\(\) takes a str, not {type(value).__name__}$"):
        getattr(builtin, method)(value)


@pytest.mark.parametrize("method", ["stream", "stream_documents"])
@pytest.mark.parametrize("source", [None, 3, 2.5])
def test_streams_take_a_source_they_can_read(builtin: entnorm.Normalizer, method: str, source: object) -> None:
    with pytest.raises(TypeError, match=rf"^{method}\(\) reads a str, bytes, a file or an iterable of chunks"):
        getattr(builtin, method)(source)


@pytest.mark.parametrize("out", [io.BytesIO(), io.BufferedWriter(io.BytesIO())])
def test_rewrite_refuses_a_binary_stream(builtin: entnorm.Normalizer, out: io.IOBase) -> None:
    with pytest.raises(TypeError, match=r"^rewrite\(\) writes str to a text stream"):
        builtin.rewrite("Vucic", out)  # type: ignore[arg-type]
    text = io.StringIO()
    builtin.rewrite("Vucic", text)
    assert text.getvalue() == "Aleksandar Vučić"


# -- usage ----------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["match", "normalize", "suggest", "validate"])
def test_an_unknown_flag_prints_the_verbs_usage(run: Run, verb: str) -> None:
    status, _, err = run(verb, "x", "--frobnicate")
    lines = err.splitlines()
    assert status == 2 and len(lines) == 2, err
    assert lines[0].startswith(f"usage: entnorm {verb} ")
    assert lines[1] == f"entnorm {verb}: error: unrecognized arguments: --frobnicate"


def test_help_shows_defaults_and_documents_the_columns(run: Run) -> None:
    _, match_help, _ = run("match", "--help")
    _, normalize_help, _ = run("normalize", "--help")
    flat = " ".join(match_help.split())
    assert "(default: name)" in flat and "(default: strict)" in flat
    assert "sixth column 'ambiguous: ID, ID'" in flat
    assert "documents" not in flat  # --scheduler splits names here
    flat = " ".join(normalize_help.split())
    assert "(default: 1)" in flat and "(default: strict)" in flat and "(default: text)" in flat
    assert "jsonl: one JSON object per line" in flat


# -- messages name the file --------------------------------------------------------------


def test_invalid_utf8_names_the_file(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Vucic, \xff")
    assert run("normalize", str(bad)) == (1, "", f"entnorm: {bad}: invalid UTF-8 at byte 7\n")


def test_bad_jsonl_names_file_and_line(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Vucic"}\n\n{oops\n', encoding="utf-8")
    for args in (["normalize", "--input-format", "jsonl"], ["match", "--input-format", "jsonl", "--field", "text"]):
        status, _, err = run(*args, str(bad))
        assert status == 1 and err.startswith(f"entnorm: {bad}:3: invalid JSON: "), err


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_jsonl_with_nan_is_an_error_naming_the_line(run: Run, tmp_path: Path, constant: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(f'{{"text": "Vucic", "n": 1}}\n{{"text": "Vucic", "n": {constant}}}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    status, _, err = run("normalize", "--input-format", "jsonl", str(bad), "-o", str(out))
    assert (status, err) == (1, f"entnorm: {bad}:2: invalid JSON: {constant} is not JSON\n")
    assert not out.exists()


@pytest.mark.parametrize("number", ["1e999", "-1E400"])
@pytest.mark.parametrize("verb", [["normalize"], ["match", "--field", "text"]])
def test_jsonl_numbers_beyond_a_double_are_an_error_naming_the_line(
    run: Run, tmp_path: Path, verb: list[str], number: str
) -> None:
    """Python reads them as infinities, which would be written back as ``Infinity``: not JSON."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text(f'{{"text": "Vucic", "n": 1.5e300}}\n{{"text": "Kiev", "n": {number}}}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    status, _, err = run(*verb, "--input-format", "jsonl", str(bad), "-o", str(out))
    assert (status, err) == (1, f"entnorm: {bad}:2: invalid JSON: number {number} is out of range\n")
    assert not out.exists()


@pytest.mark.parametrize("verb", [["normalize"], ["match", "--field", "text"]])
def test_lone_surrogates_in_jsonl_follow_the_input_policy(run: Run, tmp_path: Path, verb: list[str]) -> None:
    source = tmp_path / "scraped.jsonl"
    source.write_text('{"text": "Vucic"}\n{"text": "Vucic \\ud800", "note": ["\\udc00"]}\n', encoding="utf-8")
    status, _, err = run(*verb, "--input-format", "jsonl", str(source))
    assert status == 1 and err.startswith(f"entnorm: {source}:2: lone surrogate in "), err
    status, out, err = run(*verb, "--input-format", "jsonl", str(source), "--errors", "replace")
    assert (status, err) == (0, "")
    last = json.loads(out.splitlines()[-1])
    assert last["note"] == ["\ufffd"] and last["text"].endswith("\ufffd")


# -- flags do what they say ----------------------------------------------------------------


def test_match_errors_replace_applies_to_stdin(run: Run) -> None:
    status, out, _ = run("match", "--errors", "replace", stdin=b"Vucich \xff\n")
    assert status == 0 and out.split("\t")[:2] == ["Vucich \ufffd", "aleksandar-vucic"]
    status, _, err = run("match", stdin=b"Vucich \xff\n")
    assert (status, err) == (1, "entnorm: stdin: invalid UTF-8 at byte 7\n")


def test_undecodable_arguments_follow_the_input_policy(run: Run, tmp_path: Path) -> None:
    name = "Vucic\udcff"  # how Python holds the argument byte 0xff of a UTF-8 locale
    assert run("match", name) == (1, "", "entnorm: NAME 1: invalid UTF-8; use --errors replace to keep going\n")
    status, out, _ = run("match", "--errors", "replace", name)
    assert status == 0 and out.startswith("Vucic\ufffd\taleksandar-vucic\t")
    missing = str(tmp_path / "x\udcff.txt")
    assert run("normalize", missing) == (1, "", f"entnorm: {tmp_path}/x\\udcff.txt: no such file\n")


def test_match_reads_a_file_only_when_told(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Vucich\nKiev\n", encoding="utf-8")
    status, out, err = run("match", str(names))
    assert status == 1 and out == "" and f"--input-format text {names}" in err
    status, out, _ = run("match", "--input-format", "text", str(names))
    assert status == 0 and [line.split("\t")[1] for line in out.splitlines()] == ["aleksandar-vucic", "kyiv"]
    monkeypatch.chdir(tmp_path)
    assert run("match", "Vucich", "names.txt")[0] == 0  # several arguments are names
    assert run("match", "--input-format", "text", "a", "b")[0] == 2


@pytest.mark.parametrize("verb", [["normalize"], ["match", "--field", "text"]])
def test_a_wrong_jsonl_field_is_an_error_or_counted(run: Run, tmp_path: Path, verb: list[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "Vucic"}\n{"body": "Kiev"}\n{"body": "Putin"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    status, _, err = run(*verb, "--input-format", "jsonl", str(source), "--field", "title", "-o", str(out))
    assert (status, err) == (1, f"entnorm: {source}: no record has field 'title' (see --field)\n")
    assert not out.exists()
    status, _, err = run(*verb, "--input-format", "jsonl", str(source), "-o", str(out))
    assert (status, err) == (0, f"entnorm: {source}: 2 of 3 records have no field 'text'\n")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


# -- nothing silently dropped ------------------------------------------------------------------


def test_csv_rows_with_extra_cells_are_an_error(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("name,note\nVucic,a\nKiev,b,lost\n", encoding="utf-8")
    assert run("match", "--input-format", "csv", str(source))[2] == f"entnorm: {source}:3: 3 cells, the header has 2\n"


def test_a_csv_header_naming_a_column_twice_is_an_error(run: Run, tmp_path: Path) -> None:
    """A row would keep only the last of the two cells."""
    source = tmp_path / "in.csv"
    source.write_text("name,note,note\nVucic,a,b\n", encoding="utf-8")
    status, out, err = run("match", "--input-format", "csv", str(source))
    assert (status, out, err) == (1, "", f"entnorm: {source}:1: column 'note' appears twice in the header\n")


def test_a_csv_error_names_the_line_of_the_record(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("name\nVucic\n\"two\nlines\"\n" + "x" * 200_000 + "\n", encoding="utf-8")
    status, _, err = run("match", "--input-format", "csv", str(source))
    assert (status, err) == (1, f"entnorm: {source}:5: invalid CSV: field larger than field limit (131072)\n")


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [("in.csv", "name,entity_id\nVucic,x\n", 1), ("in.jsonl", '{"name": "Vucic"}\n{"name": "x", "entity_id": 1}\n', 2)],
)
def test_an_existing_answer_column_is_not_overwritten(
    run: Run, tmp_path: Path, name: str, text: str, line: int
) -> None:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    fmt = name.rsplit(".", 1)[1]
    status, _, err = run("match", "--input-format", fmt, str(source))
    assert status == 1 and err.startswith(f"entnorm: {source}:{line}: column 'entity_id' is already there"), err
    assert "--prefix" in err
    assert run("match", "--input-format", fmt, str(source), "--prefix", "m_")[0] == 0


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_jsonl_fields_after_the_first_record_are_not_dropped(run: Run, tmp_path: Path, fmt: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"name": "Vucic"}\n{"name": "Kiev", "note": "kept?"}\n', encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    status, _, err = run("match", "--input-format", "jsonl", str(source), "--format", fmt, "-o", str(out))
    assert status == 1 and err.startswith(f"entnorm: {source}:2: field 'note' is not in the first record"), err
    assert not out.exists()
    assert run("match", "--input-format", "jsonl", str(source), "-o", str(tmp_path / "out.jsonl"))[0] == 0


def test_a_csv_read_as_parquet_is_one_line(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text("name\nVucic\n", encoding="utf-8")
    out = tmp_path / "x.parquet"
    status, _, err = run("match", "--input-format", "parquet", str(source), "-o", str(out))
    assert status == 1 and err.startswith(f"entnorm: {source}: not a Parquet file: ") and err.count("\n") == 1
    assert len(err) < 200 and not out.exists()


def _die(batch: object) -> list[str]:
    os._exit(9)


def test_a_worker_that_dies_is_one_line(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "docs.txt"
    source.write_text("Vucic spoke.\n===\nKiev.\n", encoding="utf-8")
    monkeypatch.setattr(cli_normalize, "_process", _die)
    out = tmp_path / "out.txt"
    status, _, err = run("normalize", str(source), "--doc-separator", "===", "--workers", "2", "-o", str(out))
    assert (status, err) == (1, f"entnorm: {cli_normalize.WORKER_DIED_TEXT}\n")
    assert not out.exists()


def test_an_os_error_nothing_reported_is_one_line_naming_the_file(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last net of the command: one line, exit 1; an error of another kind (a bug) still shows whole."""
    source = tmp_path / "in.txt"
    source.write_text("Vucic\n", encoding="utf-8")

    def unreadable(*_: object) -> None:
        raise OSError(errno.EIO, "Input/output error", str(source))

    monkeypatch.setattr(cli_normalize, "input_blocks", unreadable)
    assert run("normalize", str(source)) == (1, "", f"entnorm: {source}: Input/output error\n")

    def bug(*_: object) -> None:
        msg = "a bug"
        raise RuntimeError(msg)

    monkeypatch.setattr(cli_normalize, "input_blocks", bug)
    with pytest.raises(RuntimeError, match="a bug"):
        run("normalize", str(source))
