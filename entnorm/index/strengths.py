"""Evidence strengths: how strong each way of reaching an entity is, fixed when a key is made.

Every key of the index carries the strength ``z`` of the way its entity reaches
it, on a log-odds scale (an exact alias is strong, a three-letter surname that
lost two letters is weak); :mod:`entnorm.match.scoring` turns the strengths of
rivals into confidence. They live here, with the index that stores them, so the
index is built without the lookup layer above it.
"""

from __future__ import annotations

__all__ = ["Z_QUALIFIED", "Z_WEAK", "Z", "acronym_z", "dropped_z", "stacked", "surname_z"]

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
