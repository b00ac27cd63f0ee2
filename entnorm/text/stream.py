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
from collections.abc import Iterable, Iterator
from typing import IO

from .._gc import collector_paused
from ..errors import INVALID_BYTES_TEXT, DecodingError
from ..index.build import Index
from ..model import Mention
from .candidates import CandidateSource
from .options import TextOptions
from .resolver import DocumentResolver
from .separators import split_documents
from .spans import LOOKBEHIND

__all__ = ["Batches", "Source", "batches", "decoded", "events", "stream_mentions"]

Source = str | bytes | IO[str] | IO[bytes] | Iterable[str] | Iterable[bytes]

_BLOCK = 1 << 20
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
def decoded(source: Source, encoding: str | None = None, errors: str = "strict") -> Iterator[str]:
    """The text of a source, chunk by chunk (see the module docstring)."""
    return _decoded(_chunks(source), encoding, errors)


def batches(
    source: Source, scanner: CandidateSource, index: Index, options: TextOptions
) -> Iterator[tuple[int, list[Mention | str]]]:
    """``(document number, mentions and text pieces final now)`` for a whole stream, in order.

    Documents are split at matches of ``options.separator`` (see
    :func:`~entnorm.text.separators.split_documents`); without one the stream is
    one document. Text pieces come only with ``options.keep_text``.
    """
    number = 0
    offset = 0
    threshold, keep_text = options.threshold, options.keep_text
    document = _Document(scanner, index, threshold, 0, keep_text)
    for piece, ends in split_documents(decoded(source, options.encoding, options.errors), options.separator):
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
