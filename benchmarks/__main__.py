"""Run entnorm's benchmarks and write RESULTS.md with its plots.

    python -m benchmarks              # everything: about half an hour on 2 cores
    python -m benchmarks --quick      # small sizes: a minute or two (a test runs it)
    python -m benchmarks calibrate    # refit entnorm/data/calibration.json on development data (a minute)

Needs the bench extra (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from . import calibrate, cluster, lookup, plots, quality, scaling, text
from .report import commit, machine

SECTIONS: dict[str, Callable[..., str]] = {
    "lookup": lookup.run, "quality": quality.run, "scaling": scaling.run, "text": text.run, "cluster": cluster.run,
}


def _run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    figures: dict[str, object] = {}
    command = f"python -m benchmarks{' --quick' if args.quick else ''}"
    parts = [
        "# entnorm benchmark results",
        f"Written by `{command}` from commit `{commit()}`; do not edit by hand. "
        "Every number below comes from that run.",
        machine(),
    ]
    for name in args.only or SECTIONS:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        runner = SECTIONS[name]
        parts.append(runner(quick=args.quick, plots=figures) if name in ("quality", "scaling") else
                     runner(quick=args.quick))
    folder = args.output.parent
    if "reliability" in figures:
        plots.reliability_diagram(figures["reliability"], folder / "reliability.png", figures["ece"])  # type: ignore[arg-type]
        parts.append("![reliability diagram](reliability.png)")
    if "scaling" in figures:
        plots.lookup_cost(figures["scaling"], folder / "lookup_cost.png")  # type: ignore[arg-type]
        parts.append("![lookup cost against table size](lookup_cost.png)")
    parts.append(f"Total run time: {time.perf_counter() - started:.0f} s.")
    text_ = "\n\n".join(parts) + "\n"
    args.output.write_text(text_, encoding="utf-8")
    print(text_)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("verb", nargs="?", choices=("run", "calibrate"), default="run")
    parser.add_argument("--quick", action="store_true", help="small sizes (a minute or two)")
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only these sections")
    parser.add_argument("-o", "--output", type=Path, default=Path(__file__).parent / "RESULTS.md")
    args = parser.parse_args(argv)
    if args.verb == "calibrate":
        return calibrate.main()
    return _run(args)


if __name__ == "__main__":
    raise SystemExit(main())
