"""Accuracy, abstention, precision and calibration on real name variants, against two baselines.

Data and protocol: :mod:`benchmarks.evaluation`. Cut-offs of the baselines
are chosen on development queries (the best accuracy at 99 % precision),
entnorm runs with its shipped calibration and default threshold (also chosen
on development data, see :mod:`benchmarks.calibrate`), and everything is
reported on test queries.

- plain: ``rapidfuzz.process.extractOne`` with WRatio over unidecode+casefold
  choices, answering above a score cut-off;
- careful: exact folded keys first; else ``fuzz.ratio`` over candidates that
  share character 3-grams with the query, answering when the best entity
  clears a cut-off and leads the best other entity by a margin.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from unidecode import unidecode

from entnorm import DEFAULT_THRESHOLD, AliasTable, Match, Normalizer

from . import evaluation
from .evaluation import KINDS, Query
from .report import table

__all__ = ["Answer", "expected_calibration_error", "run", "top_answers"]

_PRECISION = 0.99
_FALSE_ACCEPT = 0.01  # the stricter operating point: also at most this share of negatives answered
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Answer:
    """A system's best guess for a query: entity ids it names, and a score in [0, 1]."""

    ids: frozenset[str]
    score: float


def correct(answer: Answer | None, query: Query) -> bool:
    """Whether the answer names the right entity (for an ambiguous one: among those it names)."""
    return answer is not None and query.truth is not None and query.truth in answer.ids


def top_answers(normalizer: Normalizer, queries: Sequence[Query]) -> list[tuple[Answer | None, Match | None]]:
    """entnorm's best candidate for each query (below its threshold too)."""
    out: list[tuple[Answer | None, Match | None]] = []
    for query in queries:
        ranked = normalizer.candidates(query.text, limit=1)
        if not ranked:
            out.append((None, None))
            continue
        top = ranked[0]
        ids = frozenset([top.entity.id, *(e.id for e in top.alternatives)])
        out.append((Answer(ids, top.score), top))
    return out


def expected_calibration_error(scores: Sequence[float], hits: Sequence[bool], bins: int = 10) -> float:
    """Expected calibration error with equal-width bins: the weighted gap of confidence and accuracy."""
    total = len(scores)
    if not total:
        return 0.0
    error = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [i for i, s in enumerate(scores) if low <= s < high or (b == bins - 1 and s == 1.0)]
        if members:
            confidence = sum(scores[i] for i in members) / len(members)
            accuracy = sum(hits[i] for i in members) / len(members)
            error += len(members) / total * abs(confidence - accuracy)
    return error


def reliability(scores: Sequence[float], hits: Sequence[bool], bins: int = 10) -> list[tuple[float, float, int]]:
    """``(mean confidence, accuracy, count)`` of each non-empty equal-width bin."""
    out = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [i for i, s in enumerate(scores) if low <= s < high or (b == bins - 1 and s == 1.0)]
        if members:
            out.append((sum(scores[i] for i in members) / len(members),
                        sum(hits[i] for i in members) / len(members), len(members)))
    return out


# -- baselines -------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", unidecode(text).casefold()).split())


class _Choices:
    """The table's names as the baselines see them: folded, with their entity."""

    def __init__(self, table_: AliasTable) -> None:
        names: list[str] = []
        owners: list[str] = []
        for entity in table_:
            for name in entity.names():
                names.append(_fold(name))
                owners.append(entity.id)
        self.names = names
        self.owners = owners
        self.exact: dict[str, set[str]] = defaultdict(set)
        for name, owner in zip(names, owners, strict=True):
            self.exact[name].add(owner)
        self.grams: dict[str, list[int]] = defaultdict(list)
        for number, name in enumerate(names):
            for gram in _grams(name):
                self.grams[gram].append(number)


def _grams(text: str) -> set[str]:
    padded = f" {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _plain(choices: _Choices, query: str) -> tuple[str, float] | None:
    found = process.extractOne(_fold(query), choices.names, scorer=fuzz.WRatio)
    return (choices.owners[found[2]], found[1] / 100) if found else None


def _careful(choices: _Choices, query: str) -> tuple[str, float, float] | None:
    """``(entity, score, margin over the best other entity)``; exact folded keys score 1."""
    folded = _fold(query)
    owners = choices.exact.get(folded)
    if owners:
        return (next(iter(owners)), 1.0, 1.0) if len(owners) == 1 else None
    shared: Counter[int] = Counter()
    for gram in sorted(_grams(folded)):  # sorted: ties in most_common() then fall the same way in every run
        shared.update(choices.grams.get(gram, ()))
    if not shared:
        return None
    candidates = [number for number, _ in shared.most_common(50)]
    best: dict[str, float] = {}
    for number in candidates:
        score = fuzz.ratio(folded, choices.names[number]) / 100
        owner = choices.owners[number]
        best[owner] = max(score, best.get(owner, 0.0))
    ranked = sorted(best.items(), key=lambda item: -item[1])
    margin = ranked[0][1] - (ranked[1][1] if len(ranked) > 1 else 0.0)
    return ranked[0][0], ranked[0][1], margin


@dataclass(frozen=True)
class _Cut:
    """A cut-off chosen on development, and what it gave there."""

    values: tuple[float, ...]
    reached: bool  # whether it meets the operating point on development
    precision: float  # on development
    false_accept: float  # on development: answered negatives / negatives


def _dev_point(
    rows: Sequence[tuple[bool, bool, tuple[float, ...]]], cut: tuple[float, ...]
) -> tuple[int, float, float]:
    """``(right answers, precision, false accepts)`` of ``cut`` on ``rows`` (see :func:`_best_cutoff`)."""
    negatives = max(sum(negative for _, negative, _ in rows), 1)
    answered = [(ok, negative) for ok, negative, features in rows
                if all(f >= c for f, c in zip(features, cut, strict=True))]
    right = sum(ok for ok, _ in answered)
    accepted = sum(negative for _, negative in answered)
    return right, right / len(answered) if answered else 0.0, accepted / negatives


def _best_cutoff(
    rows: Sequence[tuple[bool, bool, tuple[float, ...]]], grid: Sequence[tuple[float, ...]],
    false_accept: float = 1.0,
) -> _Cut:
    """The cut-off (per feature) answering most queries right with precision at least 99 %.

    ``rows`` are ``(right, negative query, features)``; at most ``false_accept``
    of the negative queries may get an answer. When no cut-off of ``grid``
    meets both limits, the one with the best precision (then the most right
    answers) comes back with ``reached`` false: such a system has no row at
    this operating point, only one that says it never reaches it.
    """
    best: _Cut | None = None
    best_right = -1
    fallback: _Cut | None = None
    fallback_key = (-1.0, -1)
    for cut in grid:
        right, precision, accepted = _dev_point(rows, cut)
        if precision >= _PRECISION and accepted <= false_accept and right > best_right:
            best, best_right = _Cut(cut, True, precision, accepted), right
        if (precision, right) > fallback_key:
            fallback, fallback_key = _Cut(cut, False, precision, accepted), (precision, right)
    chosen = best or fallback
    assert chosen is not None, "an empty grid"
    return chosen


# -- the section -------------------------------------------------------------------


@dataclass
class _Outcome:
    name: str
    accuracy_at_1: float
    accuracy: float  # right answers / positive queries, at the system's cut-off
    precision: float
    false_accept: float
    seconds_per_query: float


def _outcome(
    name: str, queries: Sequence[Query], tops: Sequence[Answer | None], answered: Sequence[bool], seconds: float
) -> _Outcome:
    positives = [i for i, q in enumerate(queries) if q.truth is not None]
    negatives = [i for i, q in enumerate(queries) if q.truth is None]
    given = [i for i in range(len(queries)) if answered[i]]
    right = [i for i in given if correct(tops[i], queries[i])]
    return _Outcome(
        name,
        sum(correct(tops[i], queries[i]) for i in positives) / max(len(positives), 1),
        sum(1 for i in right if queries[i].truth is not None) / max(len(positives), 1),
        len(right) / max(len(given), 1),
        sum(answered[i] for i in negatives) / max(len(negatives), 1),
        seconds / max(len(queries), 1),
    )


def _baseline(
    name: str,
    lookup: Callable[[str], tuple[object, ...] | None],
    grid: Sequence[tuple[float, ...]],
    development: Sequence[Query],
    test: Sequence[Query],
) -> list[tuple[_Outcome, _Cut]]:
    """The baseline on ``test`` at its two cut-offs from ``development``.

    The first gives 99 % precision, the second also at most 1 % false accepts
    (each ``reached`` only where some cut-off of ``grid`` does).
    """
    dev_rows = []
    for query in development:
        found = lookup(query.text)
        answer = Answer(frozenset([str(found[0])]), float(found[1])) if found else None  # type: ignore[arg-type]
        features = tuple(map(float, found[1:])) if found else (-1.0,) * len(grid[0])
        dev_rows.append((correct(answer, query), query.truth is None, features))
    start = time.perf_counter()
    results = [lookup(q.text) for q in test]
    seconds = time.perf_counter() - start
    tops = [Answer(frozenset([str(r[0])]), float(r[1])) if r else None for r in results]  # type: ignore[arg-type]
    out = []
    for cut in (_best_cutoff(dev_rows, grid), _best_cutoff(dev_rows, grid, _FALSE_ACCEPT)):
        answered = [
            r is not None and all(float(f) >= c for f, c in zip(r[1:], cut.values, strict=True)) for r in results
        ]
        out.append((_outcome(name, test, tops, answered, seconds), cut))
    return out


@dataclass(frozen=True)
class _Row:
    """A row of an operating-point table, with the cut-off behind it."""

    cells: list[str]
    cut: _Cut
    system: str
    searched: bool  # the cut-off was searched for (else: entnorm's default threshold, as shipped)


@dataclass
class Sizes:
    cities: int | None
    baseline_queries: int


FULL = Sizes(cities=None, baseline_queries=1500)
QUICK = Sizes(cities=3000, baseline_queries=150)


def run(quick: bool = False, plots: dict[str, object] | None = None) -> str:
    """Run the quality benchmark; returns its RESULTS.md section (and fills ``plots``)."""
    sizes = QUICK if quick else FULL
    data = evaluation.build(limit=sizes.cities)
    normalizer = Normalizer(data.table)
    threshold = DEFAULT_THRESHOLD

    start = time.perf_counter()
    results = top_answers(normalizer, data.test)
    seconds = time.perf_counter() - start
    tops = [answer for answer, _ in results]
    answered = [a is not None and a.score >= threshold for a in tops]

    rows_kind = []
    for kind in KINDS:
        members = [i for i, q in enumerate(data.test) if q.kind == kind]
        if not members:
            continue
        given = [i for i in members if answered[i]]
        right = sum(correct(tops[i], data.test[i]) for i in given)
        if kind == "negative":
            rows_kind.append([kind, f"{len(members):,}", "", f"{1 - len(given) / len(members):.1%}", "",
                              f"{len(given) / len(members):.1%}"])
        else:
            at_1 = sum(correct(tops[i], data.test[i]) for i in members) / len(members)
            rows_kind.append([kind, f"{len(members):,}", f"{at_1:.1%}", f"{1 - len(given) / len(members):.1%}",
                              f"{right / len(given):.1%}" if given else "n/a", ""])

    scored = [(a.score, correct(a, q)) for a, q in zip(tops, data.test, strict=True) if a is not None]
    ece = expected_calibration_error([s for s, _ in scored], [h for _, h in scored])
    if plots is not None:
        plots["reliability"] = reliability([s for s, _ in scored], [h for _, h in scored])
        plots["ece"] = ece

    rng = random.Random(3)
    dev_sample = rng.sample(data.development, min(sizes.baseline_queries, len(data.development)))
    test_sample = rng.sample(data.test, min(sizes.baseline_queries, len(data.test)))
    choices = _Choices(data.table)
    grid_plain = [(c / 100,) for c in range(50, 101)]
    plain = _baseline("plain extractOne WRatio", lambda q: _plain(choices, q), grid_plain, dev_sample, test_sample)
    grid_careful = [(c / 100, m / 100) for c in range(60, 101, 2) for m in range(0, 31, 2)]
    careful = _baseline("careful: exact keys, 3-gram blocked ratio + margin", lambda q: _careful(choices, q),
                        grid_careful, dev_sample, test_sample)

    # entnorm again on exactly the baselines' test queries, timed on them alone.
    start = time.perf_counter()
    sample_tops = [answer for answer, _ in top_answers(normalizer, test_sample)]
    sample_seconds = time.perf_counter() - start

    dev_tops = [answer for answer, _ in top_answers(normalizer, data.development)]
    dev_rows = [(correct(a, q), q.truth is None, (a.score if a else -1.0,))
                for a, q in zip(dev_tops, data.development, strict=True)]
    _, dev_precision, dev_accepted = _dev_point(dev_rows, (threshold,))
    default = _Cut((threshold,), dev_precision >= _PRECISION, dev_precision, dev_accepted)
    strict = _best_cutoff(dev_rows, [(t / 1000,) for t in range(500, 1001, 5)], _FALSE_ACCEPT)
    sample_negatives = sum(q.truth is None for q in test_sample)

    def entnorm_rows(cut: _Cut, name: str, searched: bool) -> list[_Row]:
        least = cut.values[0]
        everything = _outcome(f"{name}, all test queries", data.test, tops,
                              [a is not None and a.score >= least for a in tops], seconds)
        sample = _outcome(f"{name}, the baselines' test queries", test_sample, sample_tops,
                          [a is not None and a.score >= least for a in sample_tops], sample_seconds)
        return [_Row(row(everything, len(data.test), f"{least:.3g}", cut), cut, name, searched),
                _Row(row(sample, len(test_sample), f"{least:.3g}", cut), cut, name, searched)]

    def row(o: _Outcome, queries: int, cut_label: str, cut: _Cut) -> list[str]:
        return [o.name, f"{queries:,}", cut_label, f"{o.accuracy_at_1:.1%}", f"{o.accuracy:.1%}",
                f"{o.precision:.1%}", f"{o.false_accept:.1%}", f"{o.seconds_per_query * 1e3:.2f}",
                f"{cut.precision:.1%}, {cut.false_accept:.1%}"]

    def baseline_row(result: tuple[_Outcome, _Cut], label: Callable[[tuple[float, ...]], str]) -> _Row:
        outcome, cut = result
        return _Row(row(outcome, len(test_sample), label(cut.values), cut), cut, outcome.name, True)

    def plain_cut(cut: tuple[float, ...]) -> str:
        return f"{cut[0]:.2f}"

    def careful_cut(cut: tuple[float, ...]) -> str:
        return f"{cut[0]:.2f}, margin {cut[1]:.2f}"

    header = ["system", "queries", "cut-off", "accuracy@1", "right answers", "precision", "false accepts",
              "ms/query", "development: precision, false accepts"]

    def point(rows: Sequence[_Row], limits: str) -> list[str]:
        """The table of the rows that meet the operating point, then the others, each said to miss it."""
        met = [r.cells for r in rows if r.cut.reached]
        parts = [table(header, met)] if met else [f"No system reaches {limits} on development."]
        missed = [r for r in rows if not r.cut.reached]
        if missed:
            reasons = dict.fromkeys(
                f"{r.system} never reaches {limits} on development at any cut-off (at best "
                f"{r.cut.precision:.1%} precision, {r.cut.false_accept:.1%} false accepts)" if r.searched else
                f"{r.system} does not reach {limits} on development ({r.cut.precision:.1%} precision, "
                f"{r.cut.false_accept:.1%} false accepts)"
                for r in missed
            )
            where = [text for text, shown in (
                ("the cut-off with the best development precision", any(r.searched for r in missed)),
                ("entnorm's default threshold", not all(r.searched for r in missed))) if shown]
            parts += [f"Not at this operating point, so listed apart: {'; '.join(reasons)}. For reference, at "
                      f"{' and at '.join(where)}:", table(header, [r.cells for r in missed])]
        return parts

    counts = Counter(q.kind for q in data.test)
    return "\n\n".join(
        [
            f"## Quality on real name variants ({len(data.table):,} GeoNames cities, "
            f"{sum(len(e.names()) for e in data.table):,} names in the table)",
            "Protocol in `benchmarks/evaluation.py`: cities split by entity with a fixed seed; half of each "
            "city's real alternate names in the table, queries from the withheld half and from derived kinds; "
            f"negatives are cities left out of the table. Test queries: {len(data.test):,} "
            f"({', '.join(f'{k} {counts[k]:,}' for k in KINDS if counts[k])}). entnorm answers at its default "
            f"threshold {threshold:.2f}; baselines at the cut-off that gives the most right answers with 99 % "
            "precision on development queries.",
            "### entnorm by kind of query (test)",
            table(["kind", "queries", "accuracy@1", "abstains", "precision of answers", "false accepts"], rows_kind),
            f"Expected calibration error (10 bins, test, every query with a candidate): **{ece:.3f}**.",
            "### Against what a user would otherwise write (test)",
            f"Baselines cost a scan of the table per query, so they ran on a random sample of {len(test_sample):,} "
            f"test queries ({sample_negatives:,} of them negatives; cut-offs from {len(dev_sample):,} development "
            "queries). entnorm has two rows at each cut-off: all test queries, and exactly the baselines' sample "
            "(answered and timed on those queries alone); compare the baselines with the second. 'right answers' "
            "counts answers given and right among all positive queries: the accuracy at the system's cut-off. The "
            "last column is what the cut-off gave on the development queries it was chosen on (entnorm: all of "
            "them; baselines: their sample).",
            "#### At 99 % precision on development (entnorm: its default threshold)",
            *point([
                *entnorm_rows(default, "entnorm (default threshold)", searched=False),
                baseline_row(plain[0], plain_cut),
                baseline_row(careful[0], careful_cut),
            ], "99 % precision"),
            "#### At 99 % precision and at most 1 % false accepts on development",
            "Every cut-off here, entnorm's threshold included, is the one with the most right development answers "
            "under both limits; pass it as `threshold=` (`--threshold`) where a false accept costs more than a "
            "missed typo.",
            *point([
                *entnorm_rows(strict, "entnorm (threshold for ≤ 1 % false accepts)", searched=True),
                baseline_row(plain[1], plain_cut),
                baseline_row(careful[1], careful_cut),
            ], "99 % precision with at most 1 % false accepts"),
        ]
    )
