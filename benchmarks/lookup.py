"""Name lookups: entnorm against what a user would otherwise write, on generated aliases.

Exact and variant queries (each alias as written, case-mangled or ASCII-folded,
all distinct) are timed against a plain dict keyed by
``unidecode(name).casefold()``; misspelled queries (one or two letter edits)
against brute-force ``rapidfuzz.process.extractOne`` with WRatio, and with
ratio on pre-normalized choices. Every system answers the same queries in the
same run; accuracy@1 counts top answers that name the right entity.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from unidecode import unidecode

from entnorm import AliasTable, Entity, Normalizer

from . import synthetic
from .report import rss_mib, table

__all__ = ["run"]


@dataclass
class Sizes:
    aliases: int
    exact_queries: int
    fuzzy_queries: int
    brute_queries: int


FULL = Sizes(aliases=100_000, exact_queries=50_000, fuzzy_queries=4_000, brute_queries=200)
QUICK = Sizes(aliases=10_000, exact_queries=5_000, fuzzy_queries=400, brute_queries=30)


def _timed(
    function: Callable[[str], object], queries: Sequence[str], repeats: int = 1
) -> tuple[list[object], float]:
    """Answers and seconds per query, the median of ``repeats`` passes (GC off), after a warm-up
    on the first 100 queries."""
    for q in queries[:100]:
        function(q)
    times = []
    answers: list[object] = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            answers = [function(q) for q in queries]
            times.append((time.perf_counter() - start) / len(queries))
        finally:
            gc.enable()
    return answers, statistics.median(times)


def _interleaved(
    first: Callable[[str], object], second: Callable[[str], object], queries: Sequence[str], repeats: int = 7
) -> tuple[float, float]:
    """Seconds per query of two functions timed in alternating passes (medians), so that
    a noisy machine slows both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for function, bucket in ((first, times[0]), (second, times[1])):
            bucket.append(_timed(function, queries)[1])
    return statistics.median(times[0]), statistics.median(times[1])


def _exact_queries(names: list[str], count: int, rng: random.Random) -> list[tuple[str, str]]:
    picked = rng.sample(range(len(names)), count)
    forms = (lambda n: n, str.upper, str.lower, synthetic.ascii_fold)
    seen: set[str] = set()
    out = []
    for number in picked:
        query = rng.choice(forms)(names[number])
        if query not in seen:
            seen.add(query)
            out.append((query, f"p{number}"))
    return out


def _fuzzy_queries(names: list[str], count: int, rng: random.Random) -> list[tuple[str, str]]:
    known = set(names)
    out = []
    for number in rng.sample(range(len(names)), count):
        query = synthetic.misspell(names[number], rng, edits=1 + number % 2)
        if query not in known:
            out.append((query, f"p{number}"))
    return out


def _accuracy(answers: Sequence[object], truth: Sequence[str]) -> float:
    return sum(a == t for a, t in zip(answers, truth, strict=False)) / len(truth)


def run(quick: bool = False) -> str:
    """Run the lookup benchmark; returns its RESULTS.md section."""
    sizes = QUICK if quick else FULL
    rng = random.Random(11)
    names = synthetic.names(sizes.aliases)
    table_ = AliasTable(tuple(Entity(f"p{i}", name, "person") for i, name in enumerate(names)))
    before = rss_mib()
    start = time.perf_counter()
    normalizer = Normalizer(table_)
    build_s = time.perf_counter() - start
    index_mib = rss_mib() - before
    # Every system returns the entity id, so all pay the same to hand back an answer.
    def entnorm_top(query: str) -> str | None:
        found = normalizer.candidates(query, limit=1)
        return found[0].entity.id if found else None

    def entnorm_match(query: str) -> str | None:
        found = normalizer.match(query)
        return found.entity.id if found else None

    # Exact and variant lookups against a plain dict.
    plain = {unidecode(n).casefold(): f"p{i}" for i, n in enumerate(names)}
    exact = _exact_queries(names, sizes.exact_queries, rng)
    exact_q, exact_truth = [q for q, _ in exact], [t for _, t in exact]
    def dict_lookup(query: str) -> str | None:
        return plain.get(unidecode(query).casefold())

    dict_answers = [dict_lookup(q) for q in exact_q]
    ours_answers = [entnorm_match(q) for q in exact_q]
    dict_s, ours_s = _interleaved(dict_lookup, entnorm_match, exact_q)
    ascii_q = [q for q in exact_q if q.isascii()]
    other_q = [q for q in exact_q if not q.isascii()]
    dict_ascii_s, ours_ascii_s = _interleaved(dict_lookup, entnorm_match, ascii_q)
    dict_other_s, ours_other_s = _interleaved(dict_lookup, entnorm_match, other_q)

    # Misspelled names: entnorm's fuzzy index against brute-force scans.
    fuzzy = _fuzzy_queries(names, sizes.fuzzy_queries, rng)
    fuzzy_q, fuzzy_truth = [q for q, _ in fuzzy], [t for _, t in fuzzy]
    top_answers, top_s = _timed(entnorm_top, fuzzy_q, repeats=3)
    match_answers, _ = _timed(entnorm_match, fuzzy_q)
    given = [(a, t) for a, t in zip(match_answers, fuzzy_truth, strict=False) if a is not None]
    precision = sum(a == t for a, t in given) / len(given) if given else float("nan")

    brute_q, brute_truth = fuzzy_q[: sizes.brute_queries], fuzzy_truth[: sizes.brute_queries]
    processed = [utils.default_process(n) for n in names]
    folded = [unidecode(n).casefold() for n in names]

    def wratio(query: str) -> str:
        return f"p{process.extractOne(utils.default_process(query), processed, scorer=fuzz.WRatio)[2]}"

    def ratio(query: str) -> str:
        return f"p{process.extractOne(unidecode(query).casefold(), folded, scorer=fuzz.ratio)[2]}"

    wratio_answers, wratio_s = _timed(wratio, brute_q)
    ratio_answers, ratio_s = _timed(ratio, brute_q)
    top_on_brute = top_answers[: sizes.brute_queries]

    rows_exact = [
        ["dict[unidecode(name).casefold()]", f"{1 / dict_s:,.0f}", f"{dict_s * 1e6:.2f}", "1.00x",
         f"{_accuracy(dict_answers, exact_truth):.1%}"],
        ["entnorm `match`", f"{1 / ours_s:,.0f}", f"{ours_s * 1e6:.2f}", f"{ours_s / dict_s:.2f}x",
         f"{_accuracy(ours_answers, exact_truth):.1%}"],
        [f"dict, ASCII queries only ({len(ascii_q):,})", f"{1 / dict_ascii_s:,.0f}", f"{dict_ascii_s * 1e6:.2f}",
         "1.00x", ""],
        [f"entnorm, ASCII queries only ({len(ascii_q):,})", f"{1 / ours_ascii_s:,.0f}", f"{ours_ascii_s * 1e6:.2f}",
         f"{ours_ascii_s / dict_ascii_s:.2f}x", ""],
        [f"dict, non-ASCII queries only ({len(other_q):,})", f"{1 / dict_other_s:,.0f}",
         f"{dict_other_s * 1e6:.2f}", "1.00x", ""],
        [f"entnorm, non-ASCII queries only ({len(other_q):,})", f"{1 / ours_other_s:,.0f}",
         f"{ours_other_s * 1e6:.2f}", f"{ours_other_s / dict_other_s:.2f}x", ""],
    ]
    rows_fuzzy = [
        [f"entnorm `candidates` top 1 (all {len(fuzzy_q):,})", f"{1 / top_s:,.0f}", f"{top_s * 1e3:.3f}", "",
         f"{_accuracy(top_answers, fuzzy_truth):.1%}"],
        [f"entnorm `candidates` top 1 (first {len(brute_q)})", "", "", "",
         f"{_accuracy(top_on_brute, brute_truth):.1%}"],
        [f"extractOne WRatio, processed choices ({len(brute_q)})", f"{1 / wratio_s:,.1f}", f"{wratio_s * 1e3:.3f}",
         f"{wratio_s / top_s:,.0f}x", f"{_accuracy(wratio_answers, brute_truth):.1%}"],
        [f"extractOne ratio, unidecode+casefold choices ({len(brute_q)})", f"{1 / ratio_s:,.1f}",
         f"{ratio_s * 1e3:.3f}", f"{ratio_s / top_s:,.0f}x", f"{_accuracy(ratio_answers, brute_truth):.1%}"],
    ]
    return "\n\n".join(
        [
            f"## Name lookups on {len(names):,} generated aliases",
            f"{len(names):,} synthetic `Given Surname` person names, {synthetic.ACCENTED_SHARE:.0%} of words with "
            f"Central European diacritics. Index build: {build_s:.2f} s, about {index_mib:,.0f} MiB resident.",
            f"### Exact and variant lookups ({len(exact_q):,} distinct queries: as written, upper, lower or "
            "ASCII-folded; entnorm keeps no cache of queries or their normalized forms; medians of 7 "
            "alternating passes)",
            table(["system", "lookups/s", "µs/lookup", "cost vs dict", "accuracy"], rows_exact),
            f"### Misspelled names (1 or 2 letter edits; {len(fuzzy_q):,} queries)",
            table(["system", "lookups/s", "ms/lookup", "entnorm speed-up", "accuracy@1"], rows_fuzzy),
            f"At the default threshold entnorm answered {len(given) / len(fuzzy_q):.1%} of the misspelled "
            f"queries with precision {precision:.1%}.",
        ]
    )
