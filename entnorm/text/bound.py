"""Acronyms a document defined that the table does not know, and where a text writes them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Final

from .words import WORD_CHAR

__all__ = ["BoundAcronyms"]

# Where a bound acronym may be written: the first letter or digit of a word
# (the match is the word), or a character no word character precedes (the
# match is that character); see BoundAcronyms.
_BOUND_AT: Final = re.compile(r"(?<!\w)(?:\w+|\S)")
# Up to this many first characters of bound forms, only words that begin with
# one are looked up (most words then are not even matched); beyond, all are.
_MOST_FIRSTS = 32


class BoundAcronyms:
    """Acronyms outside the table that a document has defined, and where a text writes them.

    A form ``ACR`` is written at ``p`` when the text there reads ``ACR`` with no
    word character on either side (what ``(?<!\\w)ACR(?!\\w)`` finds). Each
    form is filed under its *head*: its first word, or its first character
    where that is none (NFKC makes ``⑴`` ``(1)``). The text writes a form's head
    exactly where it writes the form, so one pass over its words, a lookup each,
    finds every form written, however many are bound.

    Attributes:
        version: changes with every form added or removed (what was found
            before is then out of date).
        longest: the length of the longest form ever bound (where a text
            ends before that many characters more, a form may be cut off).
    """

    __slots__ = ("_firsts", "_forms", "_heads", "_where", "longest", "version")

    def __init__(self, forms: Iterable[str] = ()) -> None:
        self._forms: dict[str, None] = {}  # in the order bound
        # head -> {length of a form with that head: how many forms have it}
        self._heads: dict[str, dict[int, int]] = {}
        self._firsts: dict[str, int] = {}  # first character -> how many forms begin with it
        self._where: re.Pattern[str] | None = None  # where a form may be written (see _pattern)
        self.version = 0
        self.longest = 0
        for form in forms:
            self.add(form)

    def __len__(self) -> int:
        return len(self._forms)

    def __iter__(self) -> Iterator[str]:
        return iter(self._forms)

    def __contains__(self, form: object) -> bool:
        return form in self._forms

    @staticmethod
    def _head(form: str) -> str:
        found = _BOUND_AT.match(form)
        return found.group() if found else ""  # a form that begins with a space is never written

    def add(self, form: str) -> None:
        """Bind ``form`` (again: nothing changes)."""
        if form in self._forms:
            return
        self._forms[form] = None
        lengths = self._heads.setdefault(self._head(form), {})
        lengths[len(form)] = lengths.get(len(form), 0) + 1
        first = form[:1]
        if first not in self._firsts:
            self._firsts[first] = 0
            self._where = None
        self._firsts[first] += 1
        self.longest = max(self.longest, len(form))
        self.version += 1

    def pop_oldest(self) -> str:
        """Unbind the form bound first, and return it."""
        form = next(iter(self._forms))
        del self._forms[form]
        head = self._head(form)
        lengths = self._heads[head]
        lengths[len(form)] -= 1
        if not lengths[len(form)]:
            del lengths[len(form)]
            if not lengths:
                del self._heads[head]
        first = form[:1]
        self._firsts[first] -= 1
        if not self._firsts[first]:
            del self._firsts[first]
            self._where = None
        self.version += 1
        return form

    def _pattern(self) -> re.Pattern[str]:
        """What :data:`_BOUND_AT` matches, where it begins with the first character of a form."""
        if self._where is None:
            if len(self._firsts) > _MOST_FIRSTS:
                self._where = _BOUND_AT
            else:
                word = "".join(re.escape(c) for c in self._firsts if WORD_CHAR(c))
                other = "".join(re.escape(c) for c in self._firsts if not WORD_CHAR(c))
                either = ([f"[{word}]\\w*"] if word else []) + ([f"[{other}]"] if other else [])
                self._where = re.compile(rf"(?<!\w)(?:{'|'.join(either)})")
        return self._where

    def written(self, text: str, start: int, stop: int) -> list[tuple[int, int, str]]:
        """``(offset, end, "")`` of each form written at an offset in ``[start, stop)``, in order of offsets."""
        found: list[tuple[int, int, str]] = []
        if not self._forms:
            return found
        heads, forms = self._heads, self._forms
        length = len(text)
        for word in self._pattern().finditer(text, start):
            at = word.start()
            if at >= stop:
                break
            lengths = heads.get(word.group())
            if lengths is None:
                continue
            for size in lengths:  # a few at most: the lengths of the forms this word begins
                end = at + size
                if end <= length and text[at:end] in forms and not (end < length and WORD_CHAR(text[end])):
                    found.append((at, end, ""))
        return found

