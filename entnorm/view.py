"""A folded, lower-case view of running text, with a map back to the original offsets.

Use :func:`make_view` to search text for the words of index keys at C speed:
each character becomes what it contributes to a key (``Č`` -> ``c``, ``ш`` ->
``sh``, a soft hyphen -> nothing) and everything that separates words becomes a
space, so a key word ``w`` occurs in the view exactly where ``" w "`` does. The
view is per character, so it does not depend on Unicode normalization form
(a decomposed ``c`` + caron folds like ``č``). Most text folds one character to
one character; :class:`ViewMap` records only the exceptions.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from .normalize import KEY_TABLE, CharTable

__all__ = ["ViewMap", "make_view", "view_of"]


def _view_char(char: str) -> str:
    """What one non-ASCII character becomes in the view."""
    folded = KEY_TABLE[ord(char)]
    if folded is None:  # soft hyphen, zero-width joiners: nothing, inside words
        return ""
    if not folded:
        return "" if char.isalnum() or unicodedata.category(char)[0] == "M" else " "
    return "".join(c if c.isalnum() else " " for c in folded)


_VIEW_TABLE = CharTable(_view_char, {c: chr(c).lower() if chr(c).isalnum() else " " for c in range(128)})
# "." for a character that folds to exactly one, "x" for any other (C-speed check).
_SHAPE_TABLE = CharTable(
    lambda ch: "." if len(_VIEW_TABLE[ord(ch)] or "") == 1 else "x", dict.fromkeys(range(128), ".")
)
_IRREGULAR = re.compile("x")


class ViewMap:
    """Maps offsets in a view back to offsets in the text it was made from.

    Args:
        positions: original offsets of the characters that did not fold to
            exactly one character, in order.
        lengths: how many view characters each of them became.
    """

    __slots__ = ("_lengths", "_positions", "_view_positions")

    def __init__(self, positions: list[int], lengths: list[int]) -> None:
        self._positions = positions
        self._lengths = lengths
        view_positions = []
        shift = 0
        for position, length in zip(positions, lengths, strict=True):
            view_positions.append(position + shift)
            shift += length - 1
        self._view_positions = view_positions

    def original(self, view_offset: int) -> int:
        """The original offset of the character at ``view_offset`` (or of the end, past it)."""
        k = bisect_right(self._view_positions, view_offset) - 1
        if k < 0:
            return view_offset
        start, length = self._view_positions[k], self._lengths[k]
        if view_offset < start + length:
            return self._positions[k]
        return self._positions[k] + 1 + (view_offset - start - length)


IDENTITY = ViewMap([], [])


def view_of(text: str) -> str:
    """The view of ``text`` (see the module docstring).

    >>> view_of("Russia’s NOVI-SAD, Vučić.")
    'russia s novi sad  vucic '
    """
    return text.translate(_VIEW_TABLE)


def make_view(text: str) -> tuple[str, ViewMap]:
    """The view of ``text`` and the map of its offsets back to ``text``.

    >>> view, offsets = make_view("Шойгу said")
    >>> view, offsets.original(view.index("said"))
    ('shoygu said', 6)
    """
    view = text.translate(_VIEW_TABLE)
    if len(view) == len(text):
        shape = text.translate(_SHAPE_TABLE)
        if "x" not in shape:
            return view, IDENTITY
    else:
        shape = text.translate(_SHAPE_TABLE)
    positions = [m.start() for m in _IRREGULAR.finditer(shape)]
    lengths = [len(_VIEW_TABLE[ord(text[p])] or "") for p in positions]
    return view, ViewMap(positions, lengths)
