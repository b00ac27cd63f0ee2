"""Random command lines over hostile inputs and paths: one line of error at most, nothing altered on failure.

Each example runs ``entnorm.cli.main`` in this process (the bundled table built
once) inside a fresh folder holding inputs, outputs, a directory, a path under
a regular file and, as root, a null device. It checks what a user sees: an
exit status in {0, 1, 2, 130}, no traceback, at most two lines on stderr
(``validate`` lists one per problem, then a count) and, when the command
failed, every file of the folder as it was, and no temporary file left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import entnorm
from entnorm.cli import app as cli

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
HUGE_LINE = b"Vucic " + b"x" * 300_000 + b" Kiev\n"
BOMB = b"entities:\n  - id: a\n    name: A\n    aliases: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
    f"  - id: b{i}\n    name: B{i}\n    aliases: &b{i} [*a, *a, *a, *a, *a, *a, *a, *a]\n".encode() for i in range(3)
)

# What the input file may hold.
CONTENTS = {
    "text": b"Vucic met Putin in Kiev; the SVR said so.\n",
    "random": bytes(range(256)) * 4,
    "invalid utf-8": b"Vucic \xff\xfe met \xc3",
    "nul": b"Vucic\x00Kiev\n",
    "surrogate json": b'{"text": "Vucic \\ud800", "name": "Kiev \\udfff"}\n',
    "cesu surrogate": b"Vucic \xed\xa0\x80\n",
    "nan json": b'{"text": "Vucic", "name": "Kiev", "n": NaN}\n',
    "jsonl": b'{"text": "Vucic in Kiev", "name": "Vucic"}\n{"name": "Kiev", "more": 1}\n',
    "csv extra cells": b"name,note\nVucic,a\nKiev,b,lost\n",
    "csv answer column": b"name,entity_id\nVucic,x\n",
    "csv header twice": b"name,note,note\nVucic,a,b\n",
    "huge number json": b'{"text": "Vucic", "name": "Kiev", "n": 1e999}\n',
    "huge line": HUGE_LINE,
    "empty": b"",
    "yaml bomb": BOMB,
    "deep yaml": b"entities: " + b"[" * 400 + b"]" * 400 + b"\n",
    "yaml tags": b"entities:\n  - !!python/object/apply:os.system [echo]\n",
}
# What a path argument may name: {in} is the input above; the rest are made in each folder.
PATHS = ["{in}", "{text}", "{missing}", "{dir}", "{under_file}", "{out}", "{device}", "-", "builtin"]
OUTPUTS = ["{out}", "{new}", "{missing}", "{dir}", "{under_file}", "{device}", "-", "{in}"]

COMMON = [["--threshold", "0.5"], ["--threshold", "2"], ["--errors", "replace"], ["--frobnicate"]]
# The flags each verb takes (and a few it does not), so that most command lines get past argparse.
FLAGS = {
    "normalize": [
        ["--format", "inline"], ["--format", "jsonl"], ["--input-format", "jsonl"], ["--field", "name"],
        ["--field", "nope"], ["--doc-separator", r"\n"], ["--doc-separator", "(a+)+$"], ["--in-place"], ["--quiet"],
        ["--workers", "0"],
    ],
    "match": [
        ["--format", "jsonl"], ["--format", "csv"], ["--format", "parquet"], ["--input-format", "jsonl"],
        ["--input-format", "csv"], ["--input-format", "parquet"], ["--input-format", "text"], ["--field", "text"],
        ["--field", "nope"], ["--prefix", "m_"],
    ],
    "suggest": [["--min-count", "2"], ["--least", "0.9"], ["--doc-separator", r"\n"]],
    "validate": [["--strict"]],
}
PATH_FLAGS = st.sampled_from(["-o", "--aliases"])


@st.composite
def command_lines(draw: st.DrawFn) -> tuple[list[str], str, bytes]:
    """``(argv with {placeholders}, name of the input's contents, stdin)``."""
    verb = draw(st.sampled_from(["normalize", "match", "suggest", "validate"]))
    argv = [verb, *draw(st.lists(st.sampled_from(PATHS), min_size=verb != "match", max_size=2))]
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            argv += draw(st.sampled_from(FLAGS[verb] + COMMON))
        elif verb != "validate":
            flag = draw(PATH_FLAGS)
            argv += [flag, draw(st.sampled_from(OUTPUTS if flag == "-o" else PATHS))]
    return argv, draw(st.sampled_from(sorted(CONTENTS))), CONTENTS[draw(st.sampled_from(sorted(CONTENTS)))]


def _folder(root: Path, contents: bytes) -> dict[str, str]:
    """Lay out the paths an example may name; returns the placeholders' values."""
    (root / "input").write_bytes(contents)
    (root / "text.txt").write_bytes(CONTENTS["text"])
    (root / "out.txt").write_text("an earlier output\n", encoding="utf-8")
    (root / "folder").mkdir()
    (root / "a-file").write_text("a regular file\n", encoding="utf-8")
    device = root / "null"
    if IS_ROOT:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:  # no device of our own: the name stays missing, as another missing path
        device = root / "no-device"
    return {
        "in": str(root / "input"), "text": str(root / "text.txt"), "missing": str(root / "missing" / "x.txt"),
        "dir": str(root / "folder"), "under_file": str(root / "a-file" / "x.txt"), "out": str(root / "out.txt"),
        "new": str(root / "new.txt"), "device": str(device),
    }


def _state(root: Path) -> dict[str, str]:
    """Each path under ``root`` with its kind and, for a regular file, the hash of its bytes."""
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[str(path)] = stat.filemode(info.st_mode)[0]
    return found


@contextlib.contextmanager
def _standard_streams(stdin: bytes) -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    saved = sys.stdin, sys.stdout, sys.stderr
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


_BUILT: dict[float, entnorm.Normalizer] = {}


def _load(*paths: object, threshold: float, cache_dir: object) -> entnorm.Normalizer:
    """:func:`entnorm.load`, the bundled table built once for the whole test."""
    if paths == (entnorm.BUILTIN,) and cache_dir is None:
        if not _BUILT:
            _BUILT[0.0] = entnorm.load()
        return _BUILT[0.0].with_threshold(threshold)
    return entnorm.load(*paths, threshold=threshold, cache_dir=cache_dir)  # type: ignore[arg-type]


def _run(argv: list[str], stdin: bytes) -> tuple[int, str]:
    with pytest.MonkeyPatch.context() as patch, _standard_streams(stdin) as (_, err):
        patch.setattr(cli, "load", _load)
        patch.setattr(cli.gc, "freeze", lambda: None)
        try:
            status = cli.main(argv)
        except SystemExit as exc:  # argparse: usage errors and --help
            status = exc.code if isinstance(exc.code, int) else 2
        err.flush()
        return status, err.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(command_lines())
# Every case the hardening issue names:
@example((["normalize", "{text}", "-o", "{device}"], "text", b""))
@example((["normalize", "{text}", "-o", "{missing}"], "text", b""))
@example((["normalize", "{text}", "-o", "{dir}"], "text", b""))
@example((["normalize", "{text}", "-o", "{under_file}"], "text", b""))
@example((["match", "--input-format", "parquet", "{in}", "-o", "{new}"], "csv extra cells", b""))
@example((["normalize", "{in}"], "invalid utf-8", b""))
@example((["normalize", "{in}", "--input-format", "jsonl"], "invalid utf-8", b""))
@example((["match", "--frobnicate"], "text", b""))
@example((["match", "--errors", "replace"], "text", b"Vucich \xff\n"))
@example((["match", "{text}"], "text", b""))
@example((["normalize", "{in}", "--input-format", "jsonl", "--field", "nope", "-o", "{out}"], "jsonl", b""))
@example((["match", "--input-format", "jsonl", "{in}", "--field", "nope"], "jsonl", b""))
@example((["normalize", "{in}", "--input-format", "jsonl"], "surrogate json", b""))
@example((["match", "--input-format", "jsonl", "{in}", "--errors", "replace"], "surrogate json", b""))
@example((["normalize", "{in}", "--input-format", "jsonl", "-o", "{out}"], "nan json", b""))
@example((["match", "--input-format", "csv", "{in}", "-o", "{out}"], "csv extra cells", b""))
@example((["match", "--input-format", "csv", "{in}"], "csv answer column", b""))
@example((["match", "--input-format", "csv", "{in}", "-o", "{out}"], "csv header twice", b""))
@example((["normalize", "{in}", "--input-format", "jsonl", "-o", "{out}"], "huge number json", b""))
@example((["match", "--input-format", "jsonl", "--field", "text", "{in}"], "huge number json", b""))
@example((["match", "--input-format", "jsonl", "{in}", "--format", "csv", "-o", "{out}"], "jsonl", b""))
@example((["match", "-"], "text", "x" * 1_000_000 + "\n"))
@example((["normalize", "{in}", "--doc-separator", "(a+)+$"], "huge line", b""))
@example((["validate", "{in}"], "yaml bomb", b""))
@example((["match", "Vucic", "--aliases", "{in}"], "deep yaml", b""))
@example((["validate", "builtin", "{in}"], "yaml tags", b""))
@example((["normalize", "{in}"], "nul", b""))
@example((["normalize", "-", "--input-format", "jsonl"], "text", b'{"text": "\\ud800"}\n'))
@example((["suggest", "{in}", "-o", "{dir}"], "random", b""))
@example((["normalize", "{in}", "-o", "{in}"], "text", b""))
@example((["match", "Vucic\udcff"], "text", b""))
@example((["normalize", "{missing}\udcff", "-o", "{new}\udcff"], "text", b""))
def test_no_command_line_gives_a_traceback_or_alters_files(case: tuple[list[str], str, bytes | str]) -> None:
    template, contents, stdin = case
    stdin_bytes = stdin.encode() if isinstance(stdin, str) else stdin
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = _folder(root, CONTENTS[contents])
        argv = [arg.format(**paths) for arg in template]
        before = _state(root)
        status, err = _run(argv, stdin_bytes)
        after = _state(root)
    assert status in (0, 1, 2, 130), (argv, status, err)
    assert "Traceback" not in err, (argv, err)
    lines = err.splitlines()
    if argv[0] == "validate" and lines and re.fullmatch(r"\d+ problems? in \d+ files?", lines[-1]):
        lines = lines[-1:]  # validate lists every problem of the tables, one a line, by design
    assert len(lines) <= 2, (argv, err)
    assert not [p for p in after if p.endswith(".tmp")], (argv, after)
    if status != 0:
        assert {p: h for p, h in after.items() if p in before} == before, (argv, err)
