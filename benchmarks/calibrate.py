"""Fit entnorm's calibration and default threshold on development data; write the package's data file.

    python -m benchmarks calibrate        # writes entnorm/data/calibration.json

Raw scores (the softmax of evidence) of the best candidate of every
development query of :mod:`benchmarks.evaluation` are paired with whether it
was right; an isotonic regression per match method (and length of the
matched name) maps raw to calibrated confidence. The default threshold is
then the least one at which, on development queries, answers are at least
99 % right. (Requiring also that at most 1 % of the negative queries get an
answer would push it to 0.99 on these gazetteer names, where a city left out
of the table is often one letter from one in it; RESULTS.md shows both
operating points.) Test queries are never read.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from entnorm import Normalizer
from entnorm.index.calibration import Calibration, length_class

from . import evaluation
from .quality import correct, top_answers

__all__ = ["fit_isotonic", "main"]

_TARGET = Path(__file__).resolve().parents[1] / "entnorm" / "data" / "calibration.json"
_BINS = 60
_MIN_POINTS = 200
_PRECISION = 0.99


def fit_isotonic(
    points: Sequence[tuple[float, bool]], bins: int = _BINS
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """A non-decreasing piecewise-linear map from scores to how often they were right.

    Points are grouped into up to ``bins`` groups of equal size, then pooled
    where their rates decrease (pool-adjacent-violators); the map joins the
    pooled groups' mean scores and rates, flat beyond them.
    """
    ordered = sorted(points)
    size = math.ceil(len(ordered) / bins)
    blocks: list[list[float]] = []  # [weight, sum of x, sum of y]
    for start in range(0, len(ordered), size):
        group = ordered[start : start + size]
        blocks.append([len(group), sum(x for x, _ in group), float(sum(y for _, y in group))])
        while len(blocks) > 1 and blocks[-2][2] / blocks[-2][0] >= blocks[-1][2] / blocks[-1][0]:
            weight, xs, ys = blocks.pop()
            blocks[-1][0] += weight
            blocks[-1][1] += xs
            blocks[-1][2] += ys
    xs = [b[1] / b[0] for b in blocks]
    ys = [b[2] / b[0] for b in blocks]
    if xs[0] > 0.0:
        xs.insert(0, 0.0)
        ys.insert(0, ys[0])
    if xs[-1] < 1.0:
        xs.append(1.0)
        ys.append(ys[-1])
    return tuple(round(x, 6) for x in xs), tuple(round(y, 6) for y in ys)


def _threshold(scores: Sequence[float], right: Sequence[bool]) -> float:
    """The least threshold (in hundredths) whose answers are at least 99 % right."""
    for step in range(30, 100):
        cut = step / 100
        given = [i for i, s in enumerate(scores) if s >= cut]
        if given and sum(right[i] for i in given) / len(given) >= _PRECISION:
            return cut
    return 0.99


def fit(limit: int | None = None) -> Calibration:
    """Fit maps and threshold on development queries (``limit`` cities for a quick fit)."""
    data = evaluation.build(limit=limit)
    raw = Normalizer(data.table, calibration=Calibration.identity())
    points: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for query, (answer, match) in zip(data.development, top_answers(raw, data.development), strict=True):
        if answer is not None and match is not None:
            point = (answer.score, correct(answer, query))
            points[match.method].append(point)
            points[f"{match.method}/{length_class(match.alias)}"].append(point)
    maps = {method: fit_isotonic(p) for method, p in points.items() if len(p) >= _MIN_POINTS}
    about = (
        f"isotonic maps fitted on {sum(len(p) for p in points.values() if len(p)):,} points from the "
        f"development queries of benchmarks/evaluation.py ({len(data.table):,} GeoNames cities); "
        f"threshold: the least with {_PRECISION:.0%} precision on them"
    )
    calibrated = Normalizer(data.table, calibration=Calibration(maps, 0.5, about))
    answers = top_answers(calibrated, data.development)
    scores = [a.score if a else 0.0 for a, _ in answers]
    right = [correct(a, q) for (a, _), q in zip(answers, data.development, strict=True)]
    return Calibration(maps, _threshold(scores, right), about)


def main(limit: int | None = None) -> int:
    """Fit and write ``entnorm/data/calibration.json``."""
    calibration = fit(limit)
    _TARGET.parent.mkdir(exist_ok=True)
    _TARGET.write_text(calibration.to_json(), encoding="utf-8")
    print(f"wrote {_TARGET}: threshold {calibration.threshold}, maps for {', '.join(sorted(calibration.maps))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
