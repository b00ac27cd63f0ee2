"""Running text -> mentions: words, candidate spans, document decisions, streaming and rewriting.

The public names of the text stream are re-exported here (``entnorm.text.compile_separator``).
"""

from .stream import (
    SEPARATOR_TIMEOUT,
    SEPARATOR_TIMEOUT_TEXT,
    Batches,
    Separator,
    Source,
    Style,
    batches,
    compile_separator,
    decoded,
    events,
    render,
    split_documents,
    stream_mentions,
    write_rewritten,
)

__all__ = [
    "SEPARATOR_TIMEOUT", "SEPARATOR_TIMEOUT_TEXT", "Batches", "Separator", "Source", "Style", "batches",
    "compile_separator", "decoded", "events", "render", "split_documents", "stream_mentions", "write_rewritten",
]
