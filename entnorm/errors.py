"""The exceptions entnorm raises; each also subclasses the stdlib error it refines.

Catch :class:`EntnormError` for anything entnorm reports about its input, or the
stdlib base (``ValueError``, ``OSError``) where that reads better.
"""

from __future__ import annotations

__all__ = ["CacheWarning", "DecodingError", "EntnormError", "InputError", "LexiconError", "OutputError", "TableError"]


class EntnormError(Exception):
    """Base of every error entnorm raises on purpose."""


class TableError(EntnormError, ValueError):
    """An alias table is malformed or inconsistent.

    The message starts with ``file:line:`` where the problem is, as compilers
    do, so an editor can jump to it; ``path`` is that file, where known.
    """

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class LexiconError(EntnormError, ValueError):
    """A lexicon of ``entnorm/data`` (word list or letter table) is missing or malformed.

    The message starts with the file's path; ``path`` is that file. The
    shipped lexicons are checked by the tests, so this means an edited or
    broken installation (see :mod:`entnorm.keys.lexicon`).
    """

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(message)
        self.path = path


class InputError(EntnormError, ValueError):
    """Input text or queries cannot be read (bad encoding, binary data, missing file)."""


#: The message of undecodable bytes (the command line leads it with the input's name, and line).
INVALID_BYTES_TEXT = "invalid {encoding} at byte {offset}"


class DecodingError(InputError):
    """Bytes that are not valid in their encoding: ``invalid UTF-8 at byte N``.

    ``offset`` is that byte's offset in the stream; the command line leads the
    message with the input's name.
    """

    def __init__(self, message: str, *, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class OutputError(EntnormError, OSError):
    """An output file cannot be written (missing folder, a directory, no permission, a full disk).

    The message reads ``OUTPUT: cannot write: REASON``; nothing half-written is left behind.
    """


class CacheWarning(UserWarning):
    """A cache file is not used because another user could have written it (see :mod:`entnorm.cache`)."""
