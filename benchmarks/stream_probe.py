"""Run ``entnorm normalize`` on one corpus file in a fresh process; print its time and peak memory.

    python -m benchmarks.stream_probe CORPUS TABLE.yaml [--workers N] [--doc-separator REGEX]

The command runs in this process (``entnorm.cli.main``), twice on an empty
file to time loading the table, then on the corpus; the time spent on the
text runs from the moment that run has loaded its table to the end (worker
start-up included). Peak resident memory (``ru_maxrss``) belongs to this
process alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from entnorm import cli
from entnorm.cli import main as entnorm

from .report import peak_rss_mib

_LOADED: list[float] = []


def _timed_load(load):  # type: ignore[no-untyped-def]
    """``load``, noting when it returns (the command's table is then ready)."""

    def timed(args):  # type: ignore[no-untyped-def]
        normalizer = load(args)
        _LOADED.append(time.perf_counter())
        return normalizer

    return timed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stream_probe")
    parser.add_argument("corpus")
    parser.add_argument("table")
    parser.add_argument("--workers", default="1")
    parser.add_argument("--doc-separator")
    args = parser.parse_args(argv)
    extra = ["--workers", args.workers] + (["--doc-separator", args.doc_separator] if args.doc_separator else [])
    with tempfile.TemporaryDirectory() as folder:
        empty = os.path.join(folder, "empty.txt")
        open(empty, "w").close()
        out = os.path.join(folder, "out.jsonl")
        common = ["--aliases", args.table, "--format", "jsonl", "-o", out, "--quiet", *extra]
        loads = []
        for _ in range(2):  # the second load finds the table in the page cache, as the corpus run will
            start = time.perf_counter()
            entnorm(["normalize", empty, *common])
            loads.append(time.perf_counter() - start)
        loading = min(loads)
        loaded_mib = peak_rss_mib()
        cli._load = _timed_load(cli._load)  # type: ignore[method-assign]
        status = entnorm(["normalize", args.corpus, *common])
        text_s = time.perf_counter() - _LOADED[-1]
        with open(out, "rb") as written:
            mentions = sum(1 for _ in written)
    peak_mib = peak_rss_mib()
    result = {"status": status, "seconds": text_s, "loading": loading, "mentions": mentions,
              "loaded_mib": loaded_mib, "peak_mib": peak_mib}
    print(json.dumps(result))
    return status


def probe(corpus: str, table: str, *extra: str) -> dict[str, float]:
    """Run this module on ``corpus`` in a subprocess and return what it printed."""
    ran = subprocess.run(
        [sys.executable, "-m", "benchmarks.stream_probe", corpus, table, *extra],
        capture_output=True, text=True, check=True,
    )
    return dict(json.loads(ran.stdout))


if __name__ == "__main__":
    raise SystemExit(main())
