"""Confidence: how strong each kind of evidence is, and how rivals share it.

Every way of reaching an entity gets an evidence strength ``z`` on a log-odds
scale (an exact alias is strong, a three-letter surname that lost two letters
is weak). The entities a name reaches then compete, together with "none of
them", in a softmax::

    p(e) = exp(z_e) / (1 + sum over rivals r of exp(z_r))

so one strong hit scores near 1, two equal hits share the mass, and weak
evidence stays below :data:`DEFAULT_THRESHOLD` on its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..index.calibration import SHIPPED

__all__ = ["DEFAULT_THRESHOLD", "check_threshold", "fuzzy_z", "is_derived", "share"]

#: Scores below this are abstentions in :meth:`entnorm.Normalizer.match`; chosen
#: on development data with the shipped calibration (see :mod:`entnorm.calibration`).
DEFAULT_THRESHOLD: float = SHIPPED.threshold


def check_threshold(value: float) -> float:
    """``value`` if it is a threshold (in [0, 1]), else ValueError."""
    if not 0.0 <= value <= 1.0:
        msg = f"threshold must be in [0, 1], not {value!r}"
        raise ValueError(msg)
    return value

# Evidence lost per unit of dissimilarity in fuzzy matches (similarity in [0, 1]).
_FUZZY_SLOPE = 45.0
_DERIVED_PENALTY = 6.0


def is_derived(query: str, key: str) -> bool:
    """Whether a word of ``query`` is a word of ``key`` with an ending added or cut.

    Such pairs are other words (``serbian`` / ``serbia``), not misspellings.

    >>> is_derived("serbian", "serbia"), is_derived("xavier bethel", "xavier bettel")
    (True, False)
    >>> is_derived("vucicc", "vucic")
    False
    """
    a, b = query.split(), key.split()
    return len(a) == len(b) and any(_is_ending(x, y) or _is_ending(y, x) for x, y in zip(a, b, strict=False))


def _is_ending(longer: str, shorter: str) -> bool:
    """``longer`` is ``shorter`` plus an ending that is not its last letter doubled."""
    if len(longer) <= len(shorter) or not longer.startswith(shorter) or not shorter:
        return False
    ending = longer[len(shorter) :]
    return ending != shorter[-1] * len(ending)


def fuzzy_z(key_z: float, similarity: float, *, derived: bool = False) -> float:
    """Strength of a fuzzy hit on a key of strength ``key_z`` at ``similarity`` in [0, 1].

    A ``derived`` word (see :func:`is_derived`) costs as much as a poor match.
    """
    return key_z - _FUZZY_SLOPE * (1.0 - similarity) - (_DERIVED_PENALTY if derived else 0.0)


def share(zs: Sequence[float]) -> list[float]:
    """Confidence of each rival from their strengths (softmax with a 'none' option).

    >>> [round(p, 3) for p in share([7.0])]
    [0.999]
    >>> [round(p, 3) for p in share([7.0, 7.0])]
    [0.5, 0.5]
    """
    if len(zs) == 1:
        return [1.0 / (1.0 + math.exp(-zs[0]))]
    top = max(zs, default=0.0)
    shift = max(top, 0.0)
    weights = [math.exp(z - shift) for z in zs]
    total = math.exp(-shift) + sum(weights)
    return [w / total for w in weights]
