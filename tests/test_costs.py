"""Bounded costs on odd input: time that grows with the text alone, memory that does not grow with it."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from entnorm import Normalizer

ROOT = Path(__file__).resolve().parents[1]

# Long forms of bundled entities, and the entity each names.
_LONG_FORMS = {
    "Security Information Agency": "bia",
    "Federal Security Service": "fsb",
    "Central Intelligence Agency": "cia",
    "National Security Agency": "nsa",
    "Secret Intelligence Service": "mi6",
}


@contextmanager
def _at_most(seconds: float) -> Iterator[None]:
    """Fail once ``seconds`` have passed (rather than let a quadratic case run for minutes)."""

    def expired(signum: int, frame: object) -> None:
        message = f"still running after {seconds} s"
        raise TimeoutError(message)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_many_acronym_definitions_take_linear_time(builtin: Normalizer) -> None:
    # 800 distinct acronyms the table lacks (each bound by its definition), then a use of each:
    # 51 KB that took minutes when each definition rescanned the rest of the text.
    letters = "BCDFGHJKLMNPRSTVWXZ"
    acronyms = [
        form for form in (f"Q{a}{b}{c}" for a, b, c in itertools.product(letters, repeat=3))
        if form not in builtin._index.acronyms
    ][:800]
    long_forms = list(_LONG_FORMS)
    meaning = {acronym: long_forms[i % len(long_forms)] for i, acronym in enumerate(acronyms)}
    text = "".join(f"The {meaning[a]} ({a}) spoke. " for a in acronyms)
    text += "".join(f"Later {a} agreed. " for a in acronyms)
    started = time.perf_counter()
    with _at_most(20):
        found = builtin.annotate(text)
    elapsed = time.perf_counter() - started
    assert elapsed < 2, f"{elapsed:.1f} s"
    uses = [(m.text, m.entity.id, m.method) for m in found if m.text in meaning]
    expected = [(a, _LONG_FORMS[meaning[a]], "context") for a in acronyms]
    assert uses == expected + expected  # in each definition, and later


_STREAM_WEAK_CANDIDATES = """
import json, resource, sys
import entnorm

normalizer = entnorm.load()
after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
chunk = "Vui " * (1 << 18)  # 1 MB of weak candidates that never find their entity
growth = []
for megabytes in map(int, sys.argv[1:]):
    mentions = sum(1 for _ in normalizer.stream(chunk for _ in range(megabytes)))
    assert mentions == 0, mentions
    growth.append((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - after_load) / 1024)
print(json.dumps(growth))
"""


def test_streaming_memory_does_not_grow_with_the_input() -> None:
    # A weak candidate every four characters waits for context a window long, then is dropped:
    # what the document keeps is the window's, however long the stream. Peak memory, beyond
    # what loading the table took, after a 2 MB stream (a full window and a chunk) and after a
    # 4 MB one (it grew by 165 MB a megabyte when dropped candidates stayed listed by entity).
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    ran = subprocess.run(
        [sys.executable, "-c", _STREAM_WEAK_CANDIDATES, "2", "4"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert ran.returncode == 0, ran.stderr
    short, long = json.loads(ran.stdout)
    assert abs(long - short) < 20, f"peak grew {short:.0f} MB streaming 2 MB, {long:.0f} MB streaming 4 MB"
