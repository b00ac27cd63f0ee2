"""Annotating and rewriting running text of any size, with offsets into the original.

Use the :class:`entnorm.Normalizer` methods (``annotate``, ``normalize_text``,
``stream``, ``rewrite``); they call the functions here. Text is read in
chunks: each document keeps only the text not yet decided (a few words, or
back to a weak candidate still waiting for context), so memory does not grow
with the input. Results do not depend on how the input is chunked.

Sources: a ``str`` (one chunk), a text or binary file, or an iterable of
``str`` or ``bytes`` chunks. Bytes are decoded incrementally (UTF-8 unless told
otherwise); a UTF-8 byte-order mark is skipped and offsets count after it;
newlines are not translated.

The cycle collector is paused while a chunk is processed (as while an index
is built): scanning allocates many small objects that reference counting
frees, and the collector would otherwise rescan them again and again, which
costs a fifth of the time. It runs again between chunks, when control returns
to the caller.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal, TextIO

import regex

from .._gc import collector_paused
from ..errors import INVALID_BYTES_TEXT, DecodingError, InputError
from ..index.build import Index
from ..model import Mention
from .candidates import CandidateSource
from .resolver import DocumentResolver
from .spans import LOOKBEHIND

__all__ = [
    "SEPARATOR_TIMEOUT", "SEPARATOR_TIMEOUT_TEXT", "Batches", "Separator", "Source", "Style", "batches",
    "compile_separator", "decoded", "events", "render", "split_documents", "stream_mentions", "write_rewritten",
]

Source = str | bytes | IO[str] | IO[bytes] | Iterable[str] | Iterable[bytes]
Style = Literal["replace", "inline"]

_BLOCK = 1 << 20
# A document separator is searched for in text this far from the end of what
# has arrived before it is trusted not to go on.
_SEPARATOR_LOOKAHEAD = 256
# The separator is searched for in windows of this many characters (matches
# may run past one: the window then grows, up to _LONGEST_SEPARATOR), and this
# much text before the search position stays visible to lookbehinds.
_SEARCH_WINDOW = 1 << 16
_LONGEST_SEPARATOR = 1 << 20
_CONTEXT = _SEPARATOR_LOOKAHEAD
#: Seconds a separator may take to search one window of text.
SEPARATOR_TIMEOUT = 1.0
SEPARATOR_TIMEOUT_TEXT = "{name}: regex took too long on the input (catastrophic backtracking?)"
_BOM = "\ufeff"


def _invalid(encoding: str, offset: int) -> DecodingError:
    shown = "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding
    return DecodingError(INVALID_BYTES_TEXT.format(encoding=shown, offset=offset), offset=offset)


def _decoded(chunks: Iterable[str | bytes], encoding: str | None, errors: str) -> Iterator[str]:
    """``str`` chunks of a stream of ``str`` or ``bytes``, without a leading byte-order mark."""
    name = encoding or "utf-8"
    utf8 = codecs.lookup(name).name == "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8-sig" if utf8 else name)(errors=errors)
    consumed = 0
    first = True
    for chunk in chunks:
        if isinstance(chunk, str):
            text = chunk
        else:
            carried = len(decoder.getstate()[0])
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise _invalid(name, consumed - carried + exc.start) from exc
            consumed += len(chunk)
        if first and text:
            first = False
            if text.startswith(_BOM):
                text = text[1:]
        if text:
            yield text
    try:
        tail = decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _invalid(name, consumed - 1) from exc
    if tail:
        yield tail


def _chunks(source: Source) -> Iterable[str | bytes]:
    """The chunks of a source, files read a block at a time."""
    if isinstance(source, (str, bytes, bytearray)):
        return [source]
    read = getattr(source, "read", None)
    if read is not None:
        return iter(lambda: read(_BLOCK), read(0))
    return source


class _Document:
    """One document as its text arrives: scans, resolves, and releases what is final."""

    def __init__(self, scanner: CandidateSource, index: Index, threshold: float, base: int, keep_text: bool) -> None:
        self._scanner = scanner
        self._resolver = DocumentResolver(index, threshold)
        self._keep_text = keep_text
        # The text from LOOKBEHIND before where scanning resumes, or from what is not handed
        # out yet (keep_text): at most back to a candidate still waiting, so the context
        # window and the chunk being read (see DocumentResolver.ready).
        self._buffer = ""
        self._base = base  # stream offset of _buffer[0]
        self._resume = 0  # scanning resumes here (buffer offset)
        self._released = base  # text before this stream offset has been handed out

    def feed(self, text: str, *, final: bool = False) -> list[Mention | str]:
        """Add text; return what is now final: mentions, and text pieces if kept."""
        self._buffer += text
        self._resume = self._scan(self._resume, final)
        reached = self._base + self._resume
        mentions = self._resolver.close() if final else self._resolver.ready(reached)
        horizon = reached if not final else self._base + len(self._buffer)
        waiting = self._resolver.waiting_from()
        if waiting is not None:
            horizon = min(horizon, waiting)
        out = self._release(mentions, horizon)
        keep_from = max(self._resume - LOOKBEHIND, 0)
        if self._keep_text:
            keep_from = min(keep_from, self._released - self._base)
        self._buffer = self._buffer[keep_from:]
        self._base += keep_from
        self._resume -= keep_from
        return out

    def _scan(self, begin: int, final: bool) -> int:
        """Scan the buffer from ``begin``, handing candidates to the resolver; returns where to resume.

        One pass: candidates come in batches, each made once the resolver took
        the one before, so an acronym a definition binds is looked for in the
        text after it (see :meth:`entnorm.text.scanner.Scanner.candidates`).
        """
        resolver = self._resolver
        found = self._scanner.candidates(self._buffer, begin, final=final, bound=resolver.bound, shift=self._base)
        for batch in found:
            resolver.add_all(batch)
        return found.resume

    def _release(self, mentions: list[Mention], horizon: int) -> list[Mention | str]:
        if not self._keep_text:
            return list(mentions)
        out: list[Mention | str] = []
        for mention in mentions:
            if mention.start > self._released:
                out.append(self._buffer[self._released - self._base : mention.start - self._base])
            out.append(mention)
            self._released = mention.end
        if horizon > self._released:
            out.append(self._buffer[self._released - self._base : horizon - self._base])
            self._released = horizon
        return out


# The flags a str pattern of the re module may carry, by their name in both modules.
_FLAGS = ("IGNORECASE", "MULTILINE", "DOTALL", "VERBOSE", "ASCII")


@dataclass(frozen=True)
class Separator:
    """A document separator searched with a time bound (see :func:`compile_separator`).

    Attributes:
        pattern: the compiled :mod:`regex` pattern.
        name: what the messages call it (``doc_separator``, ``--doc-separator``).
        timeout: seconds one window of text may take to search.
    """

    pattern: Any  # regex.Pattern[str]: the regex module has no type hints
    name: str = "doc_separator"
    timeout: float = SEPARATOR_TIMEOUT


def compile_separator(
    pattern: str | re.Pattern[str] | Separator, *, flags: int = 0, name: str = "doc_separator",
    timeout: float = SEPARATOR_TIMEOUT,
) -> Separator:
    """A document separator from a regex in Python's syntax, or a compiled :mod:`re` pattern.

    It is searched with the :mod:`regex` module (compatible with :mod:`re` for
    these patterns), whose searches can be stopped: a search that takes more
    than ``timeout`` seconds on one window of text (64 Ki characters) raises
    :class:`~entnorm.InputError`, as catastrophic backtracking would (``(a+)+$``).

    Args:
        pattern: the regex, as text or compiled by :func:`re.compile` (its flags are kept).
        flags: :mod:`re` flags for a text ``pattern``.
        name: what error messages call the separator.
        timeout: seconds one window may take.

    Raises:
        re.error: ``pattern`` is not a valid regex.
    """
    if isinstance(pattern, Separator):
        return pattern
    compiled = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
    bounded = 0
    for flag in _FLAGS:
        if compiled.flags & getattr(re, flag):
            bounded |= getattr(regex, flag)
    try:
        searched = regex.compile(compiled.pattern, bounded | regex.V0)
    except regex.error as exc:  # valid for re, refused by regex: rare
        raise re.error(str(exc), compiled.pattern) from exc
    return Separator(searched, name, timeout)


def _document_ends(bounded: Separator, text: str, begin: int, stop: int) -> list[tuple[int, int]]:
    """``(start, end)`` of the matches of ``bounded`` in ``text[begin:stop]``, in order, time-bounded."""
    try:
        found = bounded.pattern.finditer(text, begin, stop, concurrent=False, timeout=bounded.timeout)
        return [match.span() for match in found]
    except TimeoutError as exc:
        raise InputError(SEPARATOR_TIMEOUT_TEXT.format(name=bounded.name)) from exc


def split_documents(
    chunks: Iterable[str], separator: re.Pattern[str] | Separator | None
) -> Iterator[tuple[str, bool]]:
    """Pieces of a decoded stream, each with whether it ends a document.

    A document ends after each non-empty match of ``separator`` (the separator
    belongs to the document it ends; the matches are those ``finditer`` finds
    in the whole text) and at the end of the stream. A match is trusted once
    :data:`_SEPARATOR_LOOKAHEAD` more characters have arrived after it (or the
    stream ended), so documents do not depend on how the stream was chunked
    (unless the pattern looks further ahead than that); a match longer than
    1 Mi characters is cut there. The text is searched once, window by window
    (:data:`_SEARCH_WINDOW` characters, keeping some before it for lookbehinds),
    so splitting takes linear time for a linear-time pattern, and each window
    is searched within the separator's time bound (see :func:`compile_separator`).
    """
    if separator is None:
        for chunk in chunks:
            yield chunk, False
        yield "", True
        return
    bounded = compile_separator(separator)
    pending = ""
    done = 0  # pending[:done] has been handed out (what is kept of it is context for lookbehinds)
    searched = 0  # no separator match starts in pending[done:searched]
    final = False
    source = iter(chunks)
    while not final:
        arrived = next(source, None)
        if arrived is None:
            final = True
        else:
            keep = max(searched - _CONTEXT, 0)  # done == searched here
            pending = pending[keep:] + arrived
            done, searched = done - keep, searched - keep
        end = len(pending)
        window = _SEARCH_WINDOW
        while True:
            stop = min(searched + window, end)
            trusted = end if final and stop == end else stop - _SEPARATOR_LOOKAHEAD
            if trusted <= searched:
                break
            untrusted: tuple[int, int] | None = None
            for start, match_end in _document_ends(bounded, pending, searched, stop):
                if match_end > trusted:
                    untrusted = start, match_end
                    break
                if match_end > start:
                    yield pending[done:match_end], True
                    done = searched = match_end
            if untrusted is None:
                searched, window = trusted, _SEARCH_WINDOW
            elif untrusted[0] > searched:  # search again from its start, in a window that holds it
                searched, window = untrusted[0], _SEARCH_WINDOW
            elif window >= _LONGEST_SEPARATOR:  # a match this long is cut here
                yield pending[done : untrusted[1]], True
                done = searched = untrusted[1]
                window = _SEARCH_WINDOW
            elif stop < end:  # a match from the window's start that may run on: look further
                window *= 2
            else:  # it may run on in text not arrived yet
                break
        if searched > done:
            yield pending[done:searched], False
            done = searched
    yield pending[done:], True


def decoded(source: Source, encoding: str | None = None, errors: str = "strict") -> Iterator[str]:
    """The text of a source, chunk by chunk (see the module docstring)."""
    return _decoded(_chunks(source), encoding, errors)


def batches(
    source: Source,
    scanner: CandidateSource,
    index: Index,
    threshold: float,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    separator: re.Pattern[str] | Separator | None = None,
    keep_text: bool = False,
) -> Iterator[tuple[int, list[Mention | str]]]:
    """``(document number, mentions and text pieces final now)`` for a whole stream, in order.

    Documents are split at matches of ``separator`` (see :func:`split_documents`);
    without one the stream is one document. Text pieces come only with ``keep_text``.
    """
    number = 0
    offset = 0
    document = _Document(scanner, index, threshold, 0, keep_text)
    for piece, ends in split_documents(decoded(source, encoding, errors), separator):
        offset += len(piece)
        with collector_paused():  # see the module docstring
            items = document.feed(piece, final=ends)
        if items:
            yield number, items
        if ends:
            number += 1
            document = _Document(scanner, index, threshold, offset, keep_text)


Batches = Iterable[tuple[int, list[Mention | str]]]


def events(found: Batches) -> Iterator[tuple[int, Mention | str]]:
    """``(document number, mention or text piece)``, one at a time, from :func:`batches`."""
    for number, items in found:
        for item in items:
            yield number, item


def stream_mentions(found: Batches) -> Iterator[Mention]:
    """The mentions of :func:`batches` made without ``keep_text``, one at a time."""
    for _, items in found:
        yield from items  # type: ignore[misc]  # mentions only, without keep_text


def render(mention: Mention, style: Style) -> str:
    """How ``mention`` is written back: its canonical name, or as written with its id.

    A conflicting mention is left as written in ``replace`` style: the text
    itself does not say which entity it means.
    """
    if style == "inline":
        suffix = f"?{','.join(e.id for e in mention.alternatives)}" if mention.conflict else ""
        return f"{mention.text} [[{mention.entity.id}{suffix}]]"
    return mention.text if mention.conflict else mention.entity.name


def write_rewritten(items: Iterator[tuple[int, Mention | str]], out: TextIO, style: Style) -> None:
    """Write text pieces as they are and mentions as :func:`render` makes them."""
    for _, item in items:
        out.write(item if isinstance(item, str) else render(item, style))

