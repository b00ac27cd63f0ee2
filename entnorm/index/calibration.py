"""From raw evidence to a confidence that means what it says, fitted on held-out data.

The softmax of :mod:`entnorm.scoring` ranks entities well but its numbers are
only roughly probabilities. :class:`Calibration` maps them, per match method
and length of the matched name (short names mislead more), through a monotone
piecewise-linear function fitted by isotonic regression on development data
(``python -m benchmarks calibrate``), so that among answers scored 0.9 about
nine in ten are right. The fitted maps and the default threshold ship in
``entnorm/data/calibration.json``.

Where the data cannot speak, the raw score stands: methods it never shows (no
surnames among city names, no documents for ``context``) keep it, and a map
never raises a score more than :data:`MAX_RAISE` above it, so that evidence
weaker than any the maps were fitted on (a three-letter name that lost two
letters) stays weak.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

__all__ = ["MAX_RAISE", "SHIPPED", "Calibration", "length_class"]

_DATA = "calibration.json"
#: A calibrated score is at most this much above the raw one.
MAX_RAISE = 0.1
# Names of up to this many characters are "short", up to the next "medium".
_SHORT, _MEDIUM = 6, 12


def length_class(name: str) -> str:
    """``short``, ``medium`` or ``long``: how long the matched name is.

    >>> length_class("Lampa"), length_class("Somerset West"), length_class("Novi Sad")
    ('short', 'long', 'medium')
    """
    size = len(name)
    return "short" if size <= _SHORT else "medium" if size <= _MEDIUM else "long"


@dataclass(frozen=True)
class Calibration:
    """Monotone maps from raw to calibrated confidence, by match method.

    Attributes:
        maps: method -> ``(xs, ys)``, increasing breakpoints of a
            piecewise-linear map on [0, 1].
        threshold: the default least confidence of an answer, chosen with the maps.
        about: how and on what the maps were fitted.
    """

    maps: Mapping[str, tuple[tuple[float, ...], tuple[float, ...]]] = field(default_factory=dict)
    threshold: float = 0.5
    about: str = "identity"

    def __call__(self, method: str, score: float, name: str = "") -> float:
        """The calibrated confidence of a raw ``score`` reached by ``method`` on ``name``.

        The map of ``method/<length class of name>`` is used if there is one,
        else the map of ``method``, else the raw score.

        >>> Calibration({"fuzzy": ((0.0, 1.0), (0.0, 0.5))})("fuzzy", 0.8)
        0.4
        >>> Calibration({"fuzzy/short": ((0.0, 1.0), (0.0, 0.5))})("fuzzy", 0.8, "Brea")
        0.4
        """
        curve = self.maps.get(f"{method}/{length_class(name)}") or self.maps.get(method)
        if curve is None:
            return score
        return min(self._apply(curve, score), score + MAX_RAISE)

    @staticmethod
    def _apply(curve: tuple[tuple[float, ...], tuple[float, ...]], score: float) -> float:
        xs, ys = curve
        k = bisect_right(xs, score) - 1
        if k < 0:
            return ys[0]
        if k >= len(xs) - 1:
            return ys[-1]
        span = xs[k + 1] - xs[k]
        weight = (score - xs[k]) / span if span else 0.0
        return ys[k] + weight * (ys[k + 1] - ys[k])

    def to_json(self) -> str:
        """The calibration as the JSON the package ships."""
        maps = {m: {"x": list(xs), "y": list(ys)} for m, (xs, ys) in sorted(self.maps.items())}
        return json.dumps({"about": self.about, "threshold": self.threshold, "maps": maps}, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Calibration:
        """Read what :meth:`to_json` wrote."""
        data: dict[str, Any] = json.loads(text)
        maps = {m: (tuple(curve["x"]), tuple(curve["y"])) for m, curve in data["maps"].items()}
        return cls(maps, float(data["threshold"]), str(data.get("about", "")))

    @classmethod
    def identity(cls, threshold: float = 0.5) -> Calibration:
        """Raw scores, unchanged."""
        return cls({}, threshold, "identity")


def _check(maps: Mapping[str, tuple[Sequence[float], Sequence[float]]]) -> None:
    for method, (xs, ys) in maps.items():
        if len(xs) != len(ys) or len(xs) < 2 or list(xs) != sorted(xs) or list(ys) != sorted(ys):
            msg = f"calibration map for {method!r} is not increasing"
            raise ValueError(msg)


def _shipped() -> Calibration:
    data = resources.files("entnorm") / "data" / _DATA
    try:
        calibration = Calibration.from_json(data.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Calibration.identity()
    _check(calibration.maps)
    return calibration


#: The calibration fitted on development data and shipped with the package.
SHIPPED = _shipped()
