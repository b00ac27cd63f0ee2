"""Bounded time and memory on long words, long queries and long runs of text.

Each check runs in a subprocess with its address space limited by
``resource.setrlimit``, so that quadratic memory fails as ``MemoryError``
instead of swapping the machine, and a quadratic loop fails on its time limit.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import entnorm
from entnorm.index.fuzzy import MAX_WORD, FuzzyIndex
from entnorm.text.separators import SEPARATOR_TIMEOUT_TEXT, compile_separator, split_documents

_LIMIT = 300 * 2**20  # the whole process: interpreter, entnorm, table and query

SMALL_TABLE = """\
entities:
  - {id: aleksandar-vucic, name: Aleksandar Vučić, type: person, country: serbia}
  - {id: serbia, name: Serbia, type: country}
  - {id: novi-sad, name: Novi Sad, type: city, country: serbia}
"""

# Sets the limit before anything is imported, then times each call named on the
# command line (Python statements over ``n``) and prints the seconds as JSON.
_PROBE = textwrap.dedent(
    """
    import json, resource, sys, time
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, hard))
    import entnorm
    from entnorm.keys.normalize import normalize_name
    start = time.perf_counter()
    n = entnorm.load(*filter(None, sys.argv[1:2]))  # an empty name: the bundled tables
    seconds = {{"load": time.perf_counter() - start}}
    for call in sys.argv[2:]:
        start = time.perf_counter()
        exec(call)
        seconds[call] = time.perf_counter() - start
    print(json.dumps(seconds))
    """
)


def _timed(table: str | None, *calls: str, limit: int = _LIMIT) -> dict[str, float]:
    """Seconds each of ``calls`` took in a fresh process limited to ``limit`` bytes of address space."""
    command = [sys.executable, "-c", _PROBE.format(limit=limit), table or "", *calls]
    ran = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert ran.returncode == 0, ran.stderr[-2000:]
    seconds: dict[str, float] = json.loads(ran.stdout)
    return seconds


def test_one_long_word_is_matched_in_linear_time_and_memory(tmp_path: Path) -> None:
    table = tmp_path / "small.yaml"
    table.write_text(SMALL_TABLE, encoding="utf-8")
    seconds = _timed(
        str(table),
        "n.match('x' * 10**6)",
        "n.candidates('x' * 10**6)",
        "n.match('x' * 60000)",
        "n.match('Vucicx' + 'x' * 70)",  # just past the longest word's reach
        "n.candidates('Vučić' * 200000)",
    )
    assert seconds["n.match('x' * 10**6)"] < 1.0, seconds
    assert max(seconds.values()) < 2.0, seconds


def test_the_bundled_table_answers_long_queries_in_bounded_time_and_memory() -> None:
    seconds = _timed(
        None,
        "n.match('x' * 10**6)",
        "n.candidates('x' * 10**6)",
        "n.match('ab ' * 300000)",
        "n.candidates('Vucich ' * 100000)",
        "normalize_name('mr ' * 300000 + 'vucic')",
        "normalize_name('the ' * 300000)",
        "n.candidates('President ' * 100000 + 'Vucic')",
    )
    assert seconds["n.match('x' * 10**6)"] < 1.0, seconds
    assert max(seconds.values()) < 3.0, seconds


def test_a_table_name_of_one_long_word_loads_in_bounded_time_and_memory(tmp_path: Path) -> None:
    word = "x" * 5 * 10**6
    table = tmp_path / "long.yaml"
    table.write_text(SMALL_TABLE + f"  - {{id: long, name: {word}, type: organization}}\n", encoding="utf-8")
    seconds = _timed(
        str(table),
        "assert n.match('x' * (5 * 10**6 - 1) + 'y') is None",  # no fuzzy match, nor its cost
        "assert n.match('x' * 5 * 10**6).entity.id == 'long'",
        "assert n.match('Vucic').entity.id == 'aleksandar-vucic'",
        "assert n.annotate('Vucic went to Novi Sad')[1].entity.id == 'novi-sad'",
        "n.candidates('x' * 10**6)",
        "n.match('ab ' * 300000)",
    )
    assert max(seconds.values()) < 5.0, seconds


def test_words_past_the_longest_indexed_word_find_nothing_fuzzy() -> None:
    index = FuzzyIndex(["vucic", "novi sad"])
    assert index.search("vucicc") and not index.search("vucic" + "c" * 10)
    assert [k for k, _ in index.search("novi sadd")] == ["novi sad"]


def test_long_words_of_the_table_match_exactly_only() -> None:
    long = "ab" * 33  # longer than MAX_WORD
    index = FuzzyIndex([long, f"novi {long}"])
    assert {k for k, _ in index.search(long)} == {long, f"novi {long}"}
    assert not index.search(long[:-1] + "z", cutoff=0.0)  # one edit away, but its deletions are not indexed
    assert [k for k, _ in index.search(f"novi {long[:-1]}z")] == [f"novi {long}"]  # through its short word
    # Also when a query word of that length is within reach of the words that are indexed:
    longest = "c" * MAX_WORD
    index = FuzzyIndex([long[: MAX_WORD + 1], longest])
    assert [k for k, _ in index.search(longest + "d")] == [longest]
    assert not index.search(long[:MAX_WORD] + "z", cutoff=0.0)


def test_a_query_too_long_to_reach_the_cutoff_is_not_searched() -> None:
    index = FuzzyIndex(["novi sad"])
    # ratio is at most 2 * 8 / (8 + n): 0.6 until n = 18
    assert index.search("novi sad" + "d" * 10, cutoff=0.6)
    assert not index.search("novi sad" + "d" * 11, cutoff=0.6)
    assert index.search("novi sad" + "d" * 11, cutoff=0.5)


def test_keys_too_long_for_a_name_are_not_fuzzy_targets() -> None:
    words = " ".join(f"w{i:04d}" for i in range(60))  # 359 characters
    index = FuzzyIndex([words, "novi sad"])
    assert len(index) == 1
    assert not index.search(words.replace("w0001", "w001"))


# -- document separators -------------------------------------------------------------


def _documents(pieces: list[tuple[str, bool]]) -> list[str]:
    out, parts = [], []
    for piece, ends in pieces:
        parts.append(piece)
        if ends:
            out.append("".join(parts))
            parts = []
    assert not parts
    return out


def test_a_million_short_documents_split_in_linear_time() -> None:
    start = time.perf_counter()
    documents = _documents(list(split_documents(["a\n" * 1048576], re.compile(r"\n"))))
    elapsed = time.perf_counter() - start
    assert len(documents) == 1048577 and documents[0] == "a\n" and documents[-1] == ""
    assert elapsed < 3.0


def test_a_long_run_of_spaces_is_searched_in_linear_time(builtin: entnorm.Normalizer) -> None:
    spaces = " " * 2**20
    text = spaces + "Vucic"
    start = time.perf_counter()
    mentions = list(builtin.stream(text, doc_separator=r"\s+---"))
    elapsed = time.perf_counter() - start
    assert [m.start for m in mentions] == [2**20]
    chunked = [text[i : i + 4096] for i in range(0, len(text), 4096)]
    assert list(builtin.stream(chunked, doc_separator=r"\s+---")) == mentions
    assert _documents(list(split_documents([spaces + "---" + text], re.compile(r"\s+---")))) == [spaces + "---", text]
    assert time.perf_counter() - start < 3.0 and elapsed < 3.0


def test_a_separator_match_longer_than_a_window_is_one_match() -> None:
    text = "a" + "\n" * 300000 + "b"
    assert _documents(list(split_documents([text], re.compile(r"\n+")))) == [text[:-1], "b"]


@pytest.mark.parametrize("separator", [r"(a+)+$", re.compile(r"(a+)+$", re.MULTILINE)], ids=["str", "pattern"])
def test_catastrophic_backtracking_is_an_input_error(builtin: entnorm.Normalizer, separator: str) -> None:
    start = time.perf_counter()
    with pytest.raises(entnorm.InputError, match=re.escape(SEPARATOR_TIMEOUT_TEXT.format(name="doc_separator"))):
        list(builtin.stream("a" * 5000 + "b", doc_separator=separator))
    assert time.perf_counter() - start < 5.0
    quick = compile_separator(r"(a+)+$", timeout=0.1)
    with pytest.raises(entnorm.InputError):
        list(split_documents(["a" * 5000 + "b"], quick))


def test_the_command_stops_on_catastrophic_backtracking_with_one_line(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("a" * 5000 + "b\n", encoding="utf-8")
    for verb in ("normalize", "suggest"):
        ran = subprocess.run(
            [sys.executable, "-m", "entnorm", verb, str(text), "--doc-separator", "(a+)+$"],
            capture_output=True, text=True, timeout=60, check=False,
        )
        assert ran.returncode == 1, ran.stderr
        assert ran.stderr == f"entnorm: {SEPARATOR_TIMEOUT_TEXT.format(name='--doc-separator')}\n"
        helped = subprocess.run(
            [sys.executable, "-m", "entnorm", verb, "--help"], capture_output=True, text=True, timeout=60, check=True
        )
        assert "time bound" in " ".join(helped.stdout.split())
