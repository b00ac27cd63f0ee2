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

from .calibration import SHIPPED

__all__ = [
    "DEFAULT_THRESHOLD",
    "Z_QUALIFIED",
    "Z_WEAK",
    "Z",
    "acronym_z",
    "dropped_z",
    "fuzzy_z",
    "is_derived",
    "share",
    "stacked",
    "surname_z",
]

#: Scores below this are abstentions in :meth:`entnorm.Normalizer.match`; chosen
#: on development data with the shipped calibration (see :mod:`entnorm.calibration`).
DEFAULT_THRESHOLD: float = SHIPPED.threshold

#: Evidence strength of a hit on a key made by each method, before rivals.
Z: dict[str, float] = {
    "exact": 7.0,
    "folded": 6.5,
    "acronym": 6.0,
    "translit": 5.5,
    "reordered": 5.0,
    "surname": 3.5,
    "dropped": 5.5,
}
#: A weak alias alone ('foreign intelligence service'): a candidate, never an answer.
Z_WEAK = -1.0
#: A weak alias qualified by its country ('Russian foreign intelligence service').
Z_QUALIFIED = 6.0
# A key derived twice (surname of a romanization) is a little weaker than either step.
_STACK_PENALTY = 0.3
# Evidence lost per unit of dissimilarity in fuzzy matches (similarity in [0, 1]).
_FUZZY_SLOPE = 45.0
_DERIVED_PENALTY = 6.0


def stacked(*zs: float) -> float:
    """Strength of a key derived by several steps: the weakest step, a little less.

    >>> stacked(3.5, 5.5)
    3.2
    """
    return min(zs) - _STACK_PENALTY * (len(zs) - 1)


def surname_z(letters: int) -> float:
    """Strength of a surname-only key with ``letters`` letters."""
    if letters >= 5:
        return Z["surname"]
    return Z["surname"] - 1.0 if letters == 4 else 1.0


def dropped_z(kept: int, lost: int, *, marked: bool) -> float:
    """Strength of a key whose ``lost`` non-ASCII letters were dropped, ``kept`` remain.

    A ``marked`` key kept a ``?`` where each letter was, so only the letters are
    unknown, not their places.

    >>> round(dropped_z(13, 2, marked=False), 2), round(dropped_z(3, 2, marked=False), 2)
    (3.9, -2.3)
    """
    lost_share = lost / (lost + kept)
    if marked:
        return Z["dropped"] - 4.0 * lost_share
    return Z["dropped"] - 12.0 * lost_share - (3.0 if kept < 4 else 0.0)


def acronym_z(acronym: str, *, same_case: bool) -> float:
    """Strength of an acronym hit; one in other letter case is weak when short."""
    if same_case:
        return Z["acronym"] - (1.0 if len(acronym) <= 2 else 0.0)
    return 2.0 if len(acronym) >= 4 else -0.5


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
