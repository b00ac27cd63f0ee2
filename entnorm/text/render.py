"""Writing mentions back into text: the canonical name, or the text as written with the id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, TextIO

from ..model import Mention

__all__ = ["Style", "render", "write_rewritten"]

Style = Literal["replace", "inline"]


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
