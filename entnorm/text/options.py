"""How a text call reads and decides: the keyword arguments of the text methods, checked once."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..match.scoring import check_threshold
from .separators import Separator, compile_separator

__all__ = ["TextOptions"]


@dataclass(frozen=True, slots=True)
class TextOptions:
    """The options of one call of ``annotate``, ``stream``, ``stream_documents`` or ``rewrite``.

    Make one with :meth:`of`, which checks the values the way every text method does.

    Attributes:
        threshold: least confidence of a mention.
        encoding: of bytes (None: UTF-8, a byte-order mark skipped).
        errors: ``strict`` or another codec error handler (``replace``).
        separator: between documents, or None for one document.
        keep_text: hand out the text between mentions too (to rewrite it).
    """

    threshold: float
    encoding: str | None = None
    errors: str = "strict"
    separator: Separator | None = None
    keep_text: bool = False

    @classmethod
    def of(
        cls,
        threshold: float,
        *,
        encoding: str | None = None,
        errors: str = "strict",
        doc_separator: str | re.Pattern[str] | Separator | None = None,
        keep_text: bool = False,
    ) -> TextOptions:
        """Checked options: ``threshold`` in [0, 1] (ValueError), the separator compiled (see
        :func:`~entnorm.text.separators.compile_separator`); encoding and errors are used as the text is read."""
        least = check_threshold(threshold)
        separator = None if doc_separator is None else compile_separator(doc_separator)
        return cls(least, encoding, errors, separator, keep_text)
