"""Run ``entnorm normalize`` on one corpus file in a fresh process; print its time and peak memory.

    python -m benchmarks.stream_probe CORPUS TABLE.yaml [--workers N] [--doc-separator REGEX]
                                      [--output PATH] [--no-loading] [--library-stream]

The command runs in this process (``entnorm.cli.main``), twice on an empty
file to time loading the table (unless ``--no-loading``), then on the
corpus, writing JSON lines to a temporary file (or ``--output``, such as
``/dev/null``); the time spent on the text runs from the moment that run has
loaded its table to the end (worker start-up included). Peak resident memory
(``VmHWM``, see :func:`benchmarks.report.peak_rss_mib`) belongs to this
process alone: not its workers, nor the process that started it.

``--library-stream`` times no command: the table is loaded with
``entnorm.load`` and frozen as the command does (``gc.freeze``), then the
corpus file goes through ``Normalizer.stream`` and its mentions are counted:
the command's work without its output.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

import entnorm as library
from entnorm.cli import app as cli
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


def _library_stream(corpus: str, table: str) -> dict[str, float | None]:
    normalizer = library.load(table)
    gc.collect()
    gc.freeze()  # as the command does once its table is loaded
    loaded_mib = peak_rss_mib()
    start = time.perf_counter()
    with open(corpus, "rb") as source:
        mentions = sum(1 for _ in normalizer.stream(source))
    text_s = time.perf_counter() - start
    peak_mib = peak_rss_mib()
    return {"status": 0, "seconds": text_s, "loading": None, "mentions": mentions, "loaded_mib": loaded_mib,
            "peak_mib": peak_mib}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stream_probe")
    parser.add_argument("corpus")
    parser.add_argument("table")
    parser.add_argument("--workers", default="1")
    parser.add_argument("--doc-separator")
    parser.add_argument("--output", help="where the command writes (default: a temporary file, then counted)")
    parser.add_argument("--no-loading", action="store_true", help="do not time loading on an empty file first")
    parser.add_argument("--library-stream", action="store_true", help="Normalizer.stream, counting, no command")
    args = parser.parse_args(argv)
    if args.library_stream:
        result = _library_stream(args.corpus, args.table)
        print(json.dumps(result))
        return 0
    extra = ["--workers", args.workers] + (["--doc-separator", args.doc_separator] if args.doc_separator else [])
    with tempfile.TemporaryDirectory() as folder:
        empty = os.path.join(folder, "empty.txt")
        open(empty, "w").close()
        out = args.output or os.path.join(folder, "out.jsonl")
        common = ["--aliases", args.table, "--format", "jsonl", "-o", out, "--quiet", *extra]
        loads = []
        for _ in range(0 if args.no_loading else 2):  # the second load finds the table in the page cache
            start = time.perf_counter()
            entnorm(["normalize", empty, *common])
            loads.append(time.perf_counter() - start)
        loading = min(loads) if loads else None
        loaded_mib = peak_rss_mib()
        cli._load = _timed_load(cli._load)  # type: ignore[method-assign]
        status = entnorm(["normalize", args.corpus, *common])
        text_s = time.perf_counter() - _LOADED[-1]
        mentions = None
        if not args.output:
            with open(out, "rb") as written:
                mentions = sum(1 for _ in written)
    peak_mib = peak_rss_mib()
    result = {"status": status, "seconds": text_s, "loading": loading, "mentions": mentions,
              "loaded_mib": loaded_mib, "peak_mib": peak_mib}
    print(json.dumps(result))
    return status


def probe(corpus: str, table: str, *extra: str) -> dict[str, Any]:
    """Run this module on ``corpus`` in a subprocess and return what it printed."""
    ran = subprocess.run(
        [sys.executable, "-m", "benchmarks.stream_probe", corpus, table, *extra],
        capture_output=True, text=True, check=True,
    )
    return dict(json.loads(ran.stdout))


if __name__ == "__main__":
    raise SystemExit(main())
