"""Run entnorm's benchmarks and write benchmarks/RESULTS.md.

    python -m benchmarks            # full run
    python -m benchmarks --quick    # small sizes, for CI and a first look
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import lookup, text
from .report import machine

SECTIONS = {"lookup": lookup.run, "text": text.run}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (seconds, not minutes)")
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only these sections")
    parser.add_argument("-o", "--output", type=Path, default=Path(__file__).parent / "RESULTS.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    parts = [
        "# entnorm benchmark results",
        f"Written by `python -m benchmarks{' --quick' if args.quick else ''}`; do not edit by hand.",
        machine(),
    ]
    for name in args.only or SECTIONS:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        parts.append(SECTIONS[name](quick=args.quick))
    parts.append(f"Total run time: {time.perf_counter() - started:.0f} s.")
    text = "\n\n".join(parts) + "\n"
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
