"""A folded, lower-case view of running text, with a map back to the original offsets.

Use :func:`make_view` to search text for the words of index keys at C speed:
each character becomes what it contributes to a key (``Č`` -> ``c``, ``ш`` ->
``sh``, a soft hyphen -> nothing) and everything that separates words becomes a
space (a lone surrogate too), so a key word ``w`` occurs in the view exactly
where ``" w "`` does. The view is per character, so it does not depend on
Unicode normalization form (a decomposed ``c`` + caron folds like ``č``). Most
text folds one character to one character; :class:`ViewMap` records only the
exceptions.

The view is ASCII (the scanner searches its bytes). Letters that have no
romanization (Tifinagh, Gothic, Coptic, Ol Chiki, Cuneiform, ...) are their
own key text, so they cannot be carried: they show as nothing, like combining
marks. A key word written in them is never found by the view, and only keys
whose first word is ASCII in the view are searched for in running text.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right

import regex

from .normalize import KEY_TABLE, CharTable

__all__ = ["ViewMap", "make_view", "view_of"]


def _view_char(char: str) -> str:
    """What one non-ASCII character becomes in the view."""
    folded = KEY_TABLE[ord(char)]
    if folded is None:  # soft hyphen, zero-width joiners: nothing, inside words
        return ""
    if not folded or not folded.isascii():  # marks, and letters kept unromanized in keys: the view is ASCII
        return "" if char.isalnum() or unicodedata.category(char)[0] == "M" else " "
    return "".join(c if c.isalnum() else " " for c in folded)


_VIEW_TABLE = CharTable(_view_char, {c: chr(c).lower() if chr(c).isalnum() else " " for c in range(128)})
def _case_view_char(char: str) -> str:
    """Like :func:`_view_char`, but upper case stays upper case (uncased letters count as upper)."""
    folded = _view_char(char)
    return folded.upper() if char.isupper() or (char.isalpha() and not char.islower()) else folded


_CASE_VIEW_TABLE = CharTable(_case_view_char, {c: chr(c) if chr(c).isalnum() else " " for c in range(128)})
_ASCII_BYTES = bytes(ord(chr(c).lower()) if chr(c).isalnum() else 32 for c in range(256))
_CASE_ASCII_BYTES = bytes(c if chr(c).isalnum() else 32 for c in range(256))
# Runs of non-ASCII characters; the regex module finds them about eight times faster than re here.
_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")


def _note_uneven(
    table: CharTable, text: str, start: int, end: int, positions: list[int], lengths: list[int]
) -> None:
    """Note where the characters of ``text[start:end]`` fold through ``table`` to other than one character."""
    for offset in range(start, end):
        length = len(table[ord(text[offset])] or "")
        if length != 1:
            positions.append(offset)
            lengths.append(length)


def _folded_runs(table: CharTable, text: str, positions: list[int], lengths: list[int]) -> str:
    """``text`` with each run of non-ASCII characters folded through ``table`` to ASCII, noting uneven folds.

    Mostly-ASCII text costs a Python call per run of other characters only.
    """

    def fold(run: regex.Match[str]) -> str:
        start, end = run.span()
        _note_uneven(table, text, start, end, positions, lengths)
        view: str = run.group().translate(table)
        return view if view.isascii() else view.encode("ascii", "replace").decode("ascii")

    return str(_NON_ASCII.sub(fold, text))


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


def make_view(text: str, *, keep_case: bool = False) -> tuple[str, ViewMap]:
    """The view of ``text`` and the map of its offsets back to ``text``.

    ``keep_case`` keeps upper-case letters upper case (a folded ``Č`` is ``C``,
    ``Ш`` is ``SH``; letters of scripts without case count as upper case), so
    that a search can ask for capitalized words only. ASCII is folded by
    ``bytes.translate``; the (usually few) runs of other characters through
    the per-character table.

    >>> view, offsets = make_view("Шойгу said")
    >>> view, offsets.original(view.index("said"))
    ('shoygu said', 6)
    >>> make_view("VUČIĆ met Шойгу", keep_case=True)[0]
    'VUCIC met SHoygu'
    """
    ascii_table = _CASE_ASCII_BYTES if keep_case else _ASCII_BYTES
    if text.isascii():
        return text.encode("ascii").translate(ascii_table).decode("ascii"), IDENTITY
    positions: list[int] = []
    lengths: list[int] = []
    # "surrogatepass": a lone surrogate, which UTF-8 cannot write, counts like any other character here.
    if len(text.encode("utf-8", "surrogatepass")) - len(text) > len(text) // 4:  # mostly another script: one pass
        table = _CASE_VIEW_TABLE if keep_case else _VIEW_TABLE
        view = text.translate(table)
        for run in _NON_ASCII.finditer(text):
            _note_uneven(table, text, run.start(), run.end(), positions, lengths)
    else:  # mostly ASCII: a Python step per run of other characters
        folded = _folded_runs(_CASE_VIEW_TABLE if keep_case else _VIEW_TABLE, text, positions, lengths)
        view = folded.encode("ascii").translate(ascii_table).decode("ascii")
    return view, (ViewMap(positions, lengths) if positions else IDENTITY)
