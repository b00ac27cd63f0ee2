"""Lookup cost against table size: exact, variant and fuzzy lookups, and brute force, at growing sizes.

Each size runs in a fresh process (``python -m benchmarks.scaling SIZE``) so
its memory is its own: the table of generated names is written as YAML, then
loaded twice through ``entnorm.load(..., cache_dir=...)``: the first load reads
the YAML and builds the index (and stores it), the second loads the stored
index. Lookups per second are measured on distinct queries; brute-force
``rapidfuzz.process.extractOne`` (WRatio, processed choices) is timed in the
same process on a sample.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

import entnorm
from entnorm import AliasTable, Entity, dump_table

from . import synthetic
from .report import peak_rss_mib, table

__all__ = ["run"]

FULL = ((10_000, 200), (100_000, 200), (1_000_000, 50))
QUICK = ((2_000, 20), (5_000, 20), (10_000, 20))


def _per_second(function, queries: list[str]) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for query in queries:
        function(query)
    return len(queries) / (time.perf_counter() - start)


def measure(size: int, brute_queries: int) -> dict[str, float]:
    """Everything for one table size (run in its own process)."""
    rng = random.Random(5)
    names = synthetic.names(size)
    with tempfile.TemporaryDirectory(prefix="entnorm-scale-") as folder_name:
        folder = Path(folder_name)
        path = folder / "table.yaml"
        path.write_text(dump_table(AliasTable(tuple(Entity(f"p{i}", n, "person") for i, n in enumerate(names)))),
                        encoding="utf-8")
        start = time.perf_counter()
        entnorm.load(path, cache_dir=folder / "cache")
        build_s = time.perf_counter() - start
        build_mib = peak_rss_mib()
        start = time.perf_counter()
        normalizer = entnorm.load(path, cache_dir=folder / "cache")
        cached_s = time.perf_counter() - start
        cache_mb = sum(p.stat().st_size for p in (folder / "cache").iterdir()) / 1e6
    picked = rng.sample(range(size), min(size, 20_000))
    exact = list(dict.fromkeys(rng.choice((str, str.upper, synthetic.ascii_fold))(names[i]) for i in picked))
    fuzzy = [synthetic.misspell(names[i], rng, 1 + i % 2) for i in picked[:2_000]]
    exact_per_s = _per_second(normalizer.match, exact)
    fuzzy_per_s = _per_second(normalizer.candidates, fuzzy)
    processed = [utils.default_process(n) for n in names]

    def brute(query: str) -> object:
        return process.extractOne(utils.default_process(query), processed, scorer=fuzz.WRatio)

    brute_per_s = _per_second(brute, fuzzy[:brute_queries])
    return {
        "size": size, "build_s": build_s, "cached_load_s": cached_s, "cache_mb": cache_mb,
        "peak_mib": peak_rss_mib(), "build_peak_mib": build_mib,
        "exact_per_s": exact_per_s, "fuzzy_per_s": fuzzy_per_s, "brute_per_s": brute_per_s,
        "brute_queries": brute_queries,
    }


def run(quick: bool = False, plots: dict[str, object] | None = None) -> str:
    """Run every size in its own process; returns the RESULTS.md section (and fills ``plots``)."""
    results = []
    for size, brute_queries in QUICK if quick else FULL:
        ran = subprocess.run(
            [sys.executable, "-m", "benchmarks.scaling", str(size), str(brute_queries)],
            capture_output=True, text=True, check=True,
        )
        results.append(json.loads(ran.stdout))
    if plots is not None:
        plots["scaling"] = results
    rows = [
        [f"{r['size']:,}", f"{r['build_s']:.1f}", f"{r['cached_load_s']:.1f}", f"{r['cache_mb']:,.0f}",
         f"{r['peak_mib']:,.0f}", f"{r['exact_per_s']:,.0f}", f"{r['fuzzy_per_s']:,.0f}",
         f"{r['brute_per_s']:,.2f} ({r['brute_queries']})", f"{r['fuzzy_per_s'] / r['brute_per_s']:,.0f}x"]
        for r in results
    ]
    first, last = results[0], results[-1]
    growth = last["size"] / first["size"]
    slowdown = first["fuzzy_per_s"] / last["fuzzy_per_s"]
    return "\n\n".join(
        [
            "## Lookup cost against table size",
            "Generated person names; each size in a fresh process. 'build' reads the YAML table and builds the "
            "index (storing it in the cache folder); 'cached load' loads the stored index. Exact lookups: up to "
            "20,000 distinct names as written, upper-cased or ASCII-folded; fuzzy: 2,000 names with one or two "
            "letter edits (`candidates`); brute force: `extractOne` WRatio on processed choices, on the number "
            "of queries in brackets.",
            table(
                ["aliases", "build s", "cached load s", "cache MB", "peak RSS MiB", "exact/s", "fuzzy/s",
                 "brute-force WRatio/s", "fuzzy vs brute"],
                rows,
            ),
            f"From {first['size']:,} to {last['size']:,} aliases ({growth:,.0f}x) fuzzy lookups got "
            f"{slowdown:.1f}x slower: sub-linear growth.",
        ]
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scaling")
    parser.add_argument("size", type=int)
    parser.add_argument("brute_queries", type=int)
    arguments = parser.parse_args()
    print(json.dumps(measure(arguments.size, arguments.brute_queries)))
