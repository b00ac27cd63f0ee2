"""Documents in a stream: user separators between them, searched in bounded windows with a time bound."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import regex

from ..errors import InputError

__all__ = ["SEPARATOR_TIMEOUT", "SEPARATOR_TIMEOUT_TEXT", "Separator", "compile_separator", "split_documents"]

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
