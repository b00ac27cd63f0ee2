"""The normalize verb: formats, documents, workers, bad input and atomic output."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import entnorm

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample.txt"
COMMAND = [sys.executable, "-m", "entnorm", "normalize"]


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*COMMAND, *args], input=stdin, capture_output=True, timeout=300, check=False)


def test_normalize_a_file_to_stdout(builtin: entnorm.Normalizer) -> None:
    result = run(str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == builtin.normalize_text(SAMPLE.read_text(encoding="utf-8"))


def test_jsonl_mentions_and_stdin(builtin: entnorm.Normalizer) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    result = run("-", "--format", "jsonl", stdin=text.encode("utf-8"))
    records = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    expected = builtin.annotate(text)
    assert [(r["start"], r["end"], r["id"]) for r in records] == [(m.start, m.end, m.entity.id) for m in expected]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in records)
    assert set(records[0]) == {"start", "end", "text", "id", "name", "type", "score", "method"}
    conflict = next(r for r in records if r.get("conflict"))
    assert conflict["alternatives"] == ["svr"]


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("previous contents")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Vucic met Putin. " * 100_000 + b"\xff broken")
    result = run(str(bad), "-o", str(out))
    assert result.returncode == 1
    assert result.stderr.decode() == f"entnorm: {bad}: invalid UTF-8 at byte {17 * 100_000}\n"
    assert out.read_text() == "previous contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt", "out.txt"]
    ok = run(str(SAMPLE), "-o", str(out))
    assert ok.returncode == 0 and ok.stdout == b""
    assert "Aleksandar Vučić" in out.read_text(encoding="utf-8")


def test_output_may_be_the_input_only_in_place(tmp_path: Path) -> None:
    target = tmp_path / "story.txt"
    target.write_text("Vucich met Putin.\n", encoding="utf-8")
    refused = run(str(target), "-o", str(target))
    assert refused.returncode == 2 and b"--in-place" in refused.stderr
    assert target.read_text(encoding="utf-8") == "Vucich met Putin.\n"
    assert run(str(target), "--in-place").returncode == 0
    assert target.read_text(encoding="utf-8") == "Aleksandar Vučić met Vladimir Putin.\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Vucic\x00\x01\x02 binary", "binary input"),
        (b"Vucic \xe8 met", "invalid UTF-8 at byte 6"),
    ],
)
def test_bad_input_is_one_line_exit_1(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "input.bin"
    path.write_bytes(content)
    result = run(str(path))
    assert result.returncode == 1
    assert message in result.stderr.decode() and b"Traceback" not in result.stderr
    assert len(result.stderr.decode().splitlines()) == 1


def test_errors_replace_keeps_going(tmp_path: Path) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(b"Vucic \xe8 met Putin")
    result = run(str(path), "--errors", "replace", "--format", "jsonl")
    assert result.returncode == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["text"], r["start"]) for r in records] == [("Vucic", 0), ("Putin", 12)]


def test_missing_file_directory_and_empty_input(tmp_path: Path) -> None:
    missing = run(str(tmp_path / "nope.txt"))
    assert (missing.returncode, missing.stderr.decode()) == (1, f"entnorm: {tmp_path / 'nope.txt'}: no such file\n")
    folder = run(str(tmp_path))
    assert (folder.returncode, folder.stderr.decode()) == (1, f"entnorm: {tmp_path}: is a directory\n")
    empty = run("-")
    assert (empty.returncode, empty.stdout, empty.stderr) == (0, b"", b"")


def test_jsonl_records_keep_their_other_fields() -> None:
    stdin = b'{"id": 1, "body": "Vucich met Putin"}\n\n{"id": 2}\n{"id": 3, "body": "Aleksandar Vui and Vui"}\n'
    replaced = run("-", "--input-format", "jsonl", "--field", "body", stdin=stdin)
    assert [json.loads(x) for x in replaced.stdout.splitlines()] == [
        {"id": 1, "body": "Aleksandar Vučić met Vladimir Putin"},
        {"id": 2},
        {"id": 3, "body": "Aleksandar Vučić and Aleksandar Vučić"},
    ]
    mentions = run("-", "--input-format", "jsonl", "--field", "body", "--format", "jsonl", stdin=stdin)
    assert [(r["doc"], r["text"], r["method"]) for r in map(json.loads, mentions.stdout.splitlines())] == [
        (0, "Vucich", "surname"), (0, "Putin", "surname"), (2, "Aleksandar Vui", "dropped"), (2, "Vui", "context"),
    ]


@pytest.mark.parametrize(
    ("stdin", "message"),
    [(b'{"text": 1}\n', "stdin:1: field 'text' is not a string"), (b'{"text": "a"}\n{oops\n', "stdin:2: invalid JSON")],
)
def test_bad_jsonl_names_the_line(stdin: bytes, message: str) -> None:
    result = run("-", "--input-format", "jsonl", stdin=stdin)
    assert result.returncode == 1 and message in result.stderr.decode()


def _documents(count: int) -> bytes:
    stories = [
        "Aleksandar Vui spoke in Belgrade. Later Vui left.",
        "Vui was not named in full here; the SVR said so.",
        "Russia’s Federal Security Service (SVR) denied it. The SVR insisted.",
        "Xavier Bethel met Mr Zelensky in Kiev.",
    ]
    return "\n===\n".join(stories[i % len(stories)] + f" ({i})" for i in range(count)).encode("utf-8")


@pytest.mark.parametrize("fmt", ["replace", "inline", "jsonl"])
def test_workers_give_the_same_output_in_input_order(tmp_path: Path, fmt: str) -> None:
    text = tmp_path / "docs.txt"
    text.write_bytes(_documents(600))
    one = run(str(text), "--doc-separator", r"\n===\n", "--format", fmt, "--workers", "1")
    two = run(str(text), "--doc-separator", r"\n===\n", "--format", fmt, "--workers", "2")
    assert one.returncode == two.returncode == 0, two.stderr
    assert one.stdout == two.stdout and one.stdout
    stories = _documents(600).decode().split("\n===\n")
    records = b"".join(json.dumps({"n": i, "text": t}).encode() + b"\n" for i, t in enumerate(stories))
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_bytes(records)
    one = run(str(jsonl), "--input-format", "jsonl", "--format", fmt, "--workers", "1")
    two = run(str(jsonl), "--input-format", "jsonl", "--format", fmt, "--workers", "2")
    assert one.stdout == two.stdout and one.stdout


def test_workers_without_fork_get_a_pickled_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where workers cannot fork (other threads, or spawn-only platforms) they get the table pickled."""
    import threading

    from entnorm.cli import app as cli

    text = tmp_path / "docs.txt"
    text.write_bytes(_documents(40))
    common = [str(text), "--doc-separator", r"\n===\n", "--format", "jsonl", "--quiet"]
    cli.main(["normalize", *common, "-o", str(tmp_path / "one.jsonl")])
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    cli.main(["normalize", *common, "--workers", "2", "-o", str(tmp_path / "two.jsonl")])
    one = (tmp_path / "one.jsonl").read_bytes()
    assert one and (tmp_path / "two.jsonl").read_bytes() == one


def test_documents_bound_context(tmp_path: Path) -> None:
    text = tmp_path / "docs.txt"
    text.write_bytes(_documents(2))
    result = run(str(text), "--doc-separator", r"\n===\n", "--format", "jsonl")
    records = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(r["doc"], r["text"]) for r in records] == [(0, "Aleksandar Vui"), (0, "Belgrade"), (0, "Vui"), (1, "SVR")]


@pytest.mark.parametrize("args", [["--workers", "0"], ["--doc-separator", "("], ["--format", "xml"], []])
def test_usage_errors(args: list[str]) -> None:
    result = run(*([str(SAMPLE)] if args else []), *args)
    assert result.returncode == 2 and b"usage:" in result.stderr


def test_interrupt_leaves_no_output(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    process = subprocess.Popen([*COMMAND, "-", "-o", str(out)], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None
    process.stdin.write(b"Vucic met Putin. " * 1000)
    process.stdin.flush()
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.txt.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and stderr == b"entnorm: interrupted\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fork", [True, False])
def test_workers_get_the_table_once_and_the_command_keeps_no_worker_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork: bool
) -> None:
    """Forked workers inherit the normalizer (never pickled); otherwise it is pickled once, not with each task."""
    import threading

    from entnorm.cli import app as cli
    from entnorm.cli import normalize as cli_normalize

    pickled: list[entnorm.Normalizer] = []

    def counted(self: entnorm.Normalizer, protocol: int) -> object:
        pickled.append(self)
        return object.__reduce_ex__(self, protocol)

    text = tmp_path / "docs.txt"
    text.write_bytes(_documents(600))  # three batches for two workers
    common = [str(text), "--doc-separator", r"\n===\n", "--format", "jsonl", "--quiet"]
    cli.main(["normalize", *common, "-o", str(tmp_path / "one.jsonl")])
    monkeypatch.setattr(entnorm.Normalizer, "__reduce_ex__", counted, raising=False)
    if not fork:
        monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert cli.main(["normalize", *common, "--workers", "2", "-o", str(tmp_path / "two.jsonl")]) == 0
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert len(pickled) == (0 if fork else 1)
    assert cli_normalize._worker_job is None
