"""The Normalizer: map a name to its canonical entity with a confidence, or abstain; find names in text.

Use :func:`load` to get one; it is built once, never changes, and can be
shared between threads or pickled to worker processes. Lookups are those of
:class:`~entnorm.match.lookup.Lookup`; running text goes through
:mod:`entnorm.text`. :func:`load` chooses between building the index and
reading it from a cache folder (see :mod:`entnorm.cache`).
"""

from __future__ import annotations

import copy
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from ._gc import collector_paused
from .cache import load_cached
from .index.build import Index, build_index
from .index.calibration import SHIPPED, Calibration
from .match.answers import KnownAnswers
from .match.lookup import Lookup
from .match.scoring import DEFAULT_THRESHOLD, check_threshold
from .model import Entity, Match, Mention
from .tables.load import load_table
from .tables.table import BUILTIN, AliasTable
from .text.candidates import CandidateSource
from .text.options import TextOptions
from .text.render import Style, write_rewritten
from .text.scanner import Scanner
from .text.separators import Separator
from .text.stream import Batches, Source, batches, events, stream_mentions

__all__ = ["Normalizer", "load"]

def _check_str(value: object, method: str) -> None:
    """A TypeError at the door when ``value`` is not a str (``method`` names the caller)."""
    if not isinstance(value, str):
        msg = f"{method}() takes a str, not {type(value).__name__}"
        raise TypeError(msg)


def _check_source(source: object, method: str) -> None:
    """A TypeError at the door for a source of no kind :meth:`Normalizer.stream` reads."""
    if not (isinstance(source, (str, bytes, bytearray, Iterable)) or hasattr(source, "read")):
        msg = f"{method}() reads a str, bytes, a file or an iterable of chunks, not {type(source).__name__}"
        raise TypeError(msg)


def _check_text_stream(out: object) -> None:
    """A TypeError when ``out`` cannot take ``str`` (a binary stream, or no ``write``)."""
    binary = isinstance(out, (io.RawIOBase, io.BufferedIOBase)) or "b" in str(getattr(out, "mode", ""))
    if binary or not callable(getattr(out, "write", None)):
        msg = f"rewrite() writes str to a text stream, not {type(out).__name__}"
        raise TypeError(msg)


class Normalizer:
    """Maps names to the entities of one alias table.

    Args:
        table: the entities (see :func:`entnorm.tables.load_table`).
        threshold: default least confidence for :meth:`match`.
        calibration: how raw evidence becomes confidence (the shipped one by
            default; :meth:`Calibration.identity` gives raw scores).
    """

    __slots__ = ("_index", "_lookup", "_scanner", "_table", "_threshold")

    def __init__(
        self, table: AliasTable, *, threshold: float = DEFAULT_THRESHOLD, calibration: Calibration = SHIPPED
    ) -> None:
        with collector_paused():
            lookup = Lookup(build_index(table, calibration), table)
        self._assemble(table, lookup, threshold)

    @classmethod
    def _of(cls, table: AliasTable, lookup: Lookup, threshold: float) -> Normalizer:
        """A normalizer over a lookup already built (read from a cache)."""
        normalizer = cls.__new__(cls)
        normalizer._assemble(table, lookup, threshold)
        return normalizer

    def _assemble(self, table: AliasTable, lookup: Lookup, threshold: float) -> None:
        self._table = table
        self._threshold = check_threshold(threshold)
        self._lookup = lookup
        self._index = lookup.index
        self._scanner: CandidateSource = Scanner(lookup.index, lookup.known)

    def _with_scanner(self, scanner: Callable[[Index, KnownAnswers | None], CandidateSource]) -> Normalizer:
        """This normalizer reading running text with another scanner (the tests run the reference twin)."""
        twin = copy.copy(self)
        twin._scanner = scanner(self._index, self._lookup.known)
        return twin

    def with_threshold(self, threshold: float) -> Normalizer:
        """This normalizer with another default threshold (the index is shared, not rebuilt)."""
        twin = copy.copy(self)
        twin._threshold = check_threshold(threshold)
        return twin

    @property
    def table(self) -> AliasTable:
        """The table this normalizer was built from."""
        return self._table

    @property
    def threshold(self) -> float:
        """Least confidence :meth:`match` answers with when not told otherwise."""
        return self._threshold

    def __repr__(self) -> str:
        return f"<Normalizer: {len(self._table)} entities, {len(self._index.keys)} keys>"

    def candidates(self, name: str, *, limit: int = 5) -> list[Match]:
        """Entities ``name`` may refer to, best first, below-threshold ones included.

        Args:
            name: a name as written (any script, case, titles, possessive).
            limit: at most this many matches.

        Returns:
            Matches with their confidence; entities tied on the best evidence are
            marked ``ambiguous`` and list each other as ``alternatives``, and
            their score is the confidence that one of them is meant.
        """
        _check_str(name, "candidates")
        return self._lookup.candidates(name, limit)

    def match(self, name: str, *, threshold: float | None = None) -> Match | None:
        """The entity ``name`` refers to, or None when the best confidence is below ``threshold``.

        Args:
            name: a name as written.
            threshold: least confidence in [0, 1]; None uses :attr:`threshold`.

        Returns:
            The best :class:`~entnorm.model.Match`, which may be ``ambiguous``.
        """
        _check_str(name, "match")
        found = self._lookup.best(name)
        if found is None:
            return None
        least = self._threshold if threshold is None else check_threshold(threshold)
        return found if found.score >= least else None

    def best(self, name: str) -> Match | None:
        """The top answer for ``name`` whatever its score: :meth:`match` without a threshold.

        One lookup gives both the answer and, where its score is below the
        threshold, the best guess to show beside an abstention.

        Returns:
            The best :class:`~entnorm.model.Match`, or None when ``name`` reaches no entity.
        """
        _check_str(name, "best")
        return self._lookup.best(name)

    # -- running text ------------------------------------------------------------

    def annotate(self, text: str, *, threshold: float | None = None) -> list[Mention]:
        """Every mention of a known entity in ``text``, one document, in order.

        Args:
            text: the document.
            threshold: least confidence of a mention; None uses :attr:`threshold`.

        Returns:
            Non-overlapping mentions (longest match wins) with code-point offsets
            into ``text``: ``text[m.start:m.end] == m.text``.
        """
        _check_str(text, "annotate")
        return list(stream_mentions(self._batches(text, TextOptions.of(self._least(threshold)))))

    def stream(
        self,
        source: Source,
        *,
        encoding: str | None = None,
        errors: str = "strict",
        doc_separator: str | re.Pattern[str] | Separator | None = None,
        threshold: float | None = None,
    ) -> Iterator[Mention]:
        """Mentions of a text of any size, as soon as they are final, in order.

        Args:
            source: a ``str``, a text or binary file, or an iterable of ``str``
                or ``bytes`` chunks.
            encoding: of bytes (default UTF-8; a byte-order mark is skipped and
                offsets count after it).
            errors: ``strict`` (invalid bytes raise :class:`~entnorm.InputError`
                naming the byte offset) or ``replace`` (U+FFFD; offsets refer to
                the replaced text).
            doc_separator: a regex between documents (text, a compiled :mod:`re`
                pattern, or a :class:`~entnorm.text.Separator`); context (and acronym
                definitions) do not cross it. Without one the stream is one document.
                It is searched with the :mod:`regex` module and a time bound: a
                search that takes over a second on 64 Ki characters of text
                (catastrophic backtracking, as ``(a+)+$`` on ``aaa...ab``) raises
                :class:`~entnorm.InputError` (see :func:`entnorm.text.compile_separator`).
            threshold: least confidence of a mention; None uses :attr:`threshold`.

        Yields:
            Mentions with offsets into the whole decoded stream; the same for any
            chunking of the same text.
        """
        _check_source(source, "stream")
        options = TextOptions.of(self._least(threshold), encoding=encoding, errors=errors, doc_separator=doc_separator)
        return stream_mentions(self._batches(source, options))

    def stream_documents(
        self,
        source: Source,
        *,
        encoding: str | None = None,
        errors: str = "strict",
        doc_separator: str | re.Pattern[str] | Separator | None = None,
        threshold: float | None = None,
    ) -> Iterator[tuple[int, Mention]]:
        """Like :meth:`stream`, with each mention's document number (from 0)."""
        _check_source(source, "stream_documents")
        options = TextOptions.of(self._least(threshold), encoding=encoding, errors=errors, doc_separator=doc_separator)
        return ((doc, item) for doc, item in events(self._batches(source, options)) if isinstance(item, Mention))

    def normalize_text(self, text: str, *, style: Style = "replace", threshold: float | None = None) -> str:
        """``text`` with mentions rewritten; everything else unchanged.

        Args:
            text: one document.
            style: ``replace`` writes each mention's canonical name; ``inline``
                keeps it and adds the id: ``Vucich [[aleksandar-vucic]]``.
            threshold: least confidence of a mention; None uses :attr:`threshold`.
        """
        _check_str(text, "normalize_text")
        out = io.StringIO()
        self.rewrite(text, out, style=style, threshold=threshold)
        return out.getvalue()

    def rewrite(
        self,
        source: Source,
        out: TextIO,
        *,
        style: Style = "replace",
        encoding: str | None = None,
        errors: str = "strict",
        doc_separator: str | re.Pattern[str] | Separator | None = None,
        threshold: float | None = None,
    ) -> None:
        """Stream ``source`` to ``out`` with mentions rewritten (see :meth:`normalize_text`).

        Reads and writes chunk by chunk; the arguments are those of :meth:`stream`.
        """
        _check_source(source, "rewrite")
        _check_text_stream(out)
        options = TextOptions.of(
            self._least(threshold), encoding=encoding, errors=errors, doc_separator=doc_separator, keep_text=True
        )
        write_rewritten(events(self._batches(source, options)), out, style)

    def _least(self, threshold: float | None) -> float:
        """The threshold a call asked for, or this normalizer's."""
        return self._threshold if threshold is None else threshold

    def _batches(self, source: Source, options: TextOptions) -> Batches:
        return batches(source, self._scanner, self._index, options)

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with ``entity_id``, or None."""
        return self._table.get(entity_id)


def load(
    *paths: str | os.PathLike[str],
    threshold: float = DEFAULT_THRESHOLD,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Normalizer:
    """Read alias tables and build a :class:`Normalizer` over them.

    Args:
        *paths: table files or folders; none means the bundled tables
            (:data:`entnorm.BUILTIN`), which can also be named among others.
        threshold: default least confidence for :meth:`Normalizer.match`.
        cache_dir: keep the built normalizer in this folder and load it from
            there while the tables are unchanged (see :mod:`entnorm.cache`).

    Raises:
        TableError: a table is malformed; the message starts with ``file:line:``.

    >>> load().match("Vucich").entity.id
    'aleksandar-vucic'
    """
    sources = paths or (BUILTIN,)
    if cache_dir is None:
        return Normalizer(load_table(*sources), threshold=threshold)
    check_threshold(threshold)
    table, lookup = load_cached(sources, cache_dir)
    return Normalizer._of(table, lookup, threshold)
