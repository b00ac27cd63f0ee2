"""Running text -> mentions: words, candidate spans, document decisions, streaming and rewriting.

The public names of the text stream are re-exported here (``entnorm.text.compile_separator``).
"""

from .options import TextOptions
from .render import Style, render, write_rewritten
from .separators import SEPARATOR_TIMEOUT, SEPARATOR_TIMEOUT_TEXT, Separator, compile_separator, split_documents
from .stream import Batches, Source, batches, decoded, events, stream_mentions

__all__ = [
    "SEPARATOR_TIMEOUT", "SEPARATOR_TIMEOUT_TEXT", "Batches", "Separator", "Source", "Style", "TextOptions", "batches",
    "compile_separator", "decoded", "events", "render", "split_documents", "stream_mentions", "write_rewritten",
]
