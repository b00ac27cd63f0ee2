"""The reference scanner: the same candidates as :class:`~entnorm.text.scanner.Scanner`, the plain way.

It exists to be obviously right, not fast: the tests run every text test
through both scanners, and a property compares them on random documents
(RapidFuzz keeps its pure-Python scorers beside the compiled ones the same
way). What it leaves out is everything the fast scanner does for speed:

- it reads each document whole: until a document's text is final it decides
  nothing (so no span can be cut off by the end of a chunk);
- it finds trigger words by looking up every word of the view in a set of
  patterns (no automaton for them), and acronyms by their first view word;
- every trigger gets the closer look of :class:`~entnorm.text.spans.SpanReader`
  (no verdicts read from the view, no precomputed spans);
- it looks for the acronyms the document has bound again after each one bound.

Use it as ``Normalizer._with_scanner(ReferenceScanner)`` (tests do).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..index.build import Index
from ..match.answers import KnownAnswers
from .bound import BoundAcronyms
from .candidates import Candidate, ScanPass
from .spans import SpanReader, Start

__all__ = ["ReferenceScanner"]

_VIEW_WORD = re.compile(r"\S+")
_WORD = re.compile(r"\w")


class ReferenceScanner(SpanReader):
    """Candidate spans of one table's names in text, found the plain way (see the module docstring).

    Args:
        index: the normalizer's index.
        known: unused (the reference reads every span closely); accepted so that
            it is built as :class:`~entnorm.text.scanner.Scanner` is.
    """

    __slots__ = ("_acronyms_by_first", "_patterns")

    def __init__(self, index: Index, known: KnownAnswers | None = None) -> None:
        super().__init__(index, None)
        self._patterns = frozenset(index.triggers.patterns)
        self._acronyms_by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for view, forms in zip(index.triggers.acronym_views, index.triggers.acronym_forms, strict=True):
            self._acronyms_by_first.setdefault(view.split(" ", 1)[0], []).append((view, forms))

    def candidates(
        self, text: str, begin: int = 0, *, final: bool = True, bound: BoundAcronyms, shift: int = 0
    ) -> ScanPass:
        """What :meth:`entnorm.text.scanner.Scanner.candidates` finds, once ``text`` is final."""
        found = ScanPass(begin)
        if final:
            found.batches = self._pass(text, begin, bound, shift, found)
        return found

    def _starts(self, text: str, begin: int) -> list[Start]:
        """``(offset, acronym end or -1, "")`` of every place a key or table acronym may start, in order."""
        look, padded, offsets, shift, _ = self._view(text, begin, final=True)
        starts: list[Start] = []
        for word in _VIEW_WORD.finditer(padded):
            at = look + offsets.original(word.start() - shift)
            if at < begin:
                continue
            if word.group() in self._patterns:
                starts.append((at, -1, ""))
            for view, forms in self._acronyms_by_first.get(word.group(), ()):
                if padded.startswith(f" {view} ", word.start() - 1):
                    starts.extend((at, at + len(form), "") for form in forms if _written_alone(text, at, form))
        return sorted(starts)

    def _pass(
        self, text: str, begin: int, bound: BoundAcronyms, shift: int, into: ScanPass
    ) -> Iterator[list[Candidate]]:
        """Every candidate, leftmost-longest, in batches that end after a definition."""
        starts = self._starts(text, begin)
        seen, hits = bound.version, bound.written(text, begin, len(text))
        cursor, i, j = begin, 0, 0  # starts[i:] and hits[j:] are those at or after the cursor
        batch: list[Candidate] = []
        while True:
            while i < len(starts) and starts[i][0] < cursor:
                i += 1
            while j < len(hits) and hits[j][0] < cursor:
                j += 1
            if i == len(starts) and j == len(hits):
                break
            position = min(s[0] for s in (*starts[i : i + 1], *hits[j : j + 1]))
            group = [*_at_position(starts, i, position), *_at_position(hits, j, position)]
            group.sort()
            found = self._at(text, group, True, bound, shift)
            cursor = position + 1
            if isinstance(found, Candidate):
                batch.append(found)
                cursor = found.end - shift
                if found.definition is not None:
                    yield batch  # the document takes it, and may bind the acronym it defines
                    batch = []
                    if bound.version != seen:
                        seen, hits, j = bound.version, bound.written(text, cursor, len(text)), 0
        if batch:
            yield batch
        into.resume = len(text)


def _at_position(found: list[Start], first: int, position: int) -> list[Start]:
    """The entries of sorted ``found`` from ``first`` on that are at ``position``."""
    end = first
    while end < len(found) and found[end][0] == position:
        end += 1
    return found[first:end]


def _written_alone(text: str, start: int, form: str) -> bool:
    """Whether ``form`` is written at ``start`` with no letter, digit or ``_`` on either side."""
    before, after = text[start - 1 : start] if start else "", text[start + len(form) : start + len(form) + 1]
    return text.startswith(form, start) and not _WORD.match(before) and not _WORD.match(after)
