"""Old path of :mod:`entnorm.integrations.dask` (``entnorm.dask.annotate_bag`` and friends)."""

from .integrations.dask import (
    MENTION_COLUMNS,
    annotate_bag,
    annotate_frame,
    connect,
    match_frame,
    mention_record,
    ordered_map,
    shared,
)

__all__ = [
    "MENTION_COLUMNS", "annotate_bag", "annotate_frame", "connect", "match_frame", "mention_record", "ordered_map",
    "shared",
]
