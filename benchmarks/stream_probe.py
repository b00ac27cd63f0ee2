"""Stream one corpus file through entnorm in a fresh process; print seconds, mentions and peak memory.

    python -m benchmarks.stream_probe CORPUS --aliases 100000 [--workers N] [--doc-separator REGEX]

Run as its own process so that peak resident memory (``ru_maxrss``) belongs to
this file alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from entnorm import Normalizer

from .tables import benchmark_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stream_probe")
    parser.add_argument("corpus")
    parser.add_argument("--aliases", type=int, required=True)
    args = parser.parse_args(argv)
    table, _ = benchmark_table(args.aliases)
    normalizer = Normalizer(table)
    built_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    with open(args.corpus, "rb") as corpus:
        mentions = sum(1 for _ in normalizer.stream(corpus))
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "mentions": mentions, "index_mib": built_mib, "peak_mib": peak_mib}))
    return 0


def probe(corpus: str, aliases: int) -> dict[str, float]:
    """Run this module on ``corpus`` in a subprocess and return what it printed."""
    ran = subprocess.run(
        [sys.executable, "-m", "benchmarks.stream_probe", corpus, "--aliases", str(aliases)],
        capture_output=True, text=True, check=True,
    )
    return dict(json.loads(ran.stdout))


if __name__ == "__main__":
    raise SystemExit(main())
