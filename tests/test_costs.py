"""Bounded costs on odd input: time that grows with the text alone, memory that does not grow with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
