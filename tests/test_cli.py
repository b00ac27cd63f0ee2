"""The entnorm command, run as a subprocess: output, error text and exit codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

COMMAND = [sys.executable, "-m", "entnorm"]


def run(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*COMMAND, *args], input=stdin, capture_output=True, timeout=120, env=env, check=False)


def test_match_names_as_text() -> None:
    result = run("match", "Vucich", "Vui")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[0].split("\t")[:2] == ["Vucich", "aleksandar-vucic"]
    assert lines[0].endswith("Aleksandar Vučić")
    assert lines[1].split("\t")[1] == "-"


def test_match_stdin_as_jsonl_keeps_order_and_abstentions() -> None:
    result = run("match", "--format", "jsonl", stdin="Nato\nGetty\n\nКиев\r\nVui\n".encode())
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [r["query"] for r in records] == ["Nato", "Getty", "", "Киев", "Vui"]
    assert [r["id"] for r in records] == ["nato", None, None, "kyiv", None]
    assert set(records[0]) == {"query", "id", "name", "type", "score", "method"}
    assert records[4]["score"] > 0 and records[4]["method"] is None and records[4]["name"] is None


def test_empty_stdin_is_no_output_and_success() -> None:
    result = run("match")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")


def test_invalid_utf8_on_stdin_names_the_byte() -> None:
    result = run("match", stdin=b"Vucic\nVu\xe8i\n")
    assert result.returncode == 1
    assert result.stderr.decode() == "entnorm: stdin: invalid UTF-8 at byte 8\n"


def test_bad_table_is_one_line_without_traceback(tmp_path: Path) -> None:
    table = tmp_path / "bad.yaml"
    table.write_text("entities:\n  - {id: Bad, name: X}\n")
    result = run("match", "--aliases", str(table), "X")
    assert result.returncode == 1
    expected = f"entnorm: {table}:2: bad id 'Bad': use lower-case letters and digits joined by '-'\n"
    assert result.stderr.decode() == expected


def test_aliases_replace_the_bundled_tables_unless_builtin_is_named(tmp_path: Path) -> None:
    table = tmp_path / "mine.yaml"
    table.write_text("entities:\n  - {id: acme, name: Acme Corporation}\n")
    alone = run("match", "--aliases", str(table), "--format", "jsonl", "ACME CORPORATION", "Vucic")
    both = run("match", "--aliases", "builtin", "--aliases", str(table), "--format", "jsonl", "Vucic")
    assert [json.loads(x)["id"] for x in alone.stdout.splitlines()] == ["acme", None]
    assert json.loads(both.stdout)["id"] == "aleksandar-vucic"


@pytest.mark.parametrize(
    "args",
    [["frobnicate"], [], ["match", "--threshold", "2"], ["match", "--format", "xml", "x"], ["validate"]],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert b"usage:" in result.stderr and b"Traceback" not in result.stderr


def test_threshold_option_changes_abstention() -> None:
    result = run("match", "--threshold", "0", "--format", "jsonl", "Vui")
    assert json.loads(result.stdout)["id"] == "aleksandar-vucic"


def test_output_is_utf8_whatever_the_locale() -> None:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}
    result = run("match", "Vucic", env=env)
    assert result.returncode == 0, result.stderr
    assert "Aleksandar Vučić" in result.stdout.decode("utf-8")


def test_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_bytes(b"Vucic\n" * 200_000)
    with queries.open("rb") as stdin:
        process = subprocess.Popen([*COMMAND, "match"], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0
    assert stderr == b""


def test_interrupt_exits_130() -> None:
    process = subprocess.Popen(
        [*COMMAND, "match"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stdin is not None
    process.stdin.write(b"Vucic\n")
    process.stdin.flush()
    process.stdout.readline()  # tables loaded, reading stdin: a line came back
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr == b"entnorm: interrupted\n"


def test_validate_builtin_is_clean() -> None:
    result = run("validate", "--strict", str(Path(__file__).parents[1] / "aliases"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().endswith("entities, 0 ambiguous names\n")


def test_validate_reports_collisions_and_strict_fails(tmp_path: Path) -> None:
    table = tmp_path / "t.yaml"
    table.write_text("entities:\n  - {id: a, name: Georgia}\n  - {id: b, name: Georgia}\n")
    loose, strict = run("validate", str(table)), run("validate", "--strict", str(table))
    assert loose.returncode == 0 and strict.returncode == 1
    assert loose.stderr.decode() == f"warning: {table}:3: alias 'Georgia' claimed by 'a' and 'b'\n"
    assert strict.stderr.decode().startswith("error: ")


def test_validate_missing_file_exits_1(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert result.stderr.decode() == f"{tmp_path / 'nope.yaml'}: no such file or folder\n1 problem in 1 file\n"


def test_the_lookup_cases_hold_through_the_command() -> None:
    import yaml

    cases = yaml.safe_load((Path(__file__).parent / "cases" / "match.yaml").read_text(encoding="utf-8"))
    expected = [(q, eid) for eid, queries in cases["resolve"].items() for q in queries]
    expected += [(q, None) for q in cases["abstain"] if q.strip()]
    stdin = "".join(f"{q}\n" for q, _ in expected).encode("utf-8")
    result = run("match", "--format", "jsonl", stdin=stdin)
    assert result.returncode == 0, result.stderr
    got = [(r["query"], r["id"]) for r in map(json.loads, result.stdout.decode("utf-8").splitlines())]
    assert got == expected
