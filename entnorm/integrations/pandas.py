"""pandas: match a Series of names, each distinct value looked up once.

Use :func:`match_series`, or the accessor that importing this module registers::

    import entnorm.pandas  # registers Series.entnorm
    df = df.join(df["name"].entnorm.match(prefix="entity_"))

A million rows with twenty thousand distinct names cost twenty thousand
lookups. Missing values (None, NaN) get no answer. Needs pandas (the
``pandas`` extra).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..api import Normalizer, load
from ..io.rows import ANSWER_COLUMNS, ValueMatcher

__all__ = ["EntnormAccessor", "match_series"]


def match_series(series: pd.Series, normalizer: Normalizer | None = None, *, prefix: str = "") -> pd.DataFrame:
    """Answers for each value of ``series``: a frame with its index and columns
    ``id``, ``name``, ``type``, ``score``, ``method`` (each after ``prefix``).

    Args:
        series: the names.
        normalizer: the tables to match against (default: :func:`entnorm.load`).
        prefix: put before each column name, e.g. ``entity_``.
    """
    matcher = ValueMatcher(normalizer if normalizer is not None else load())
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    answers = [matcher(value) for value in uniques]
    columns: dict[str, Any] = {}
    for position, column in enumerate(ANSWER_COLUMNS):
        # One more value for missing names, which factorize codes as -1 (the last).
        values = np.asarray([a[position] for a in answers] + [0.0 if column == "score" else None], dtype=object)
        taken = values[codes]
        columns[prefix + column] = taken.astype(float) if column == "score" else taken
    return pd.DataFrame(columns, index=series.index)


@pd.api.extensions.register_series_accessor("entnorm")
class EntnormAccessor:
    """``Series.entnorm``: entnorm on a Series of names."""

    def __init__(self, series: pd.Series) -> None:
        self._series = series

    def match(self, normalizer: Normalizer | None = None, *, prefix: str = "") -> pd.DataFrame:
        """The same as :func:`match_series` on this Series."""
        return match_series(self._series, normalizer, prefix=prefix)
