"""Dask: annotate corpora that outgrow one machine, on an existing cluster (extra ``dask``).

Use :func:`annotate_bag` for a bag of documents (strings) and
:func:`annotate_frame` / :func:`match_frame` for a dataframe column::

    from dask.distributed import Client
    import dask.bag as db, entnorm, entnorm.dask

    client = Client("tcp://scheduler:8786")
    normalizer = entnorm.load()
    docs = db.read_text("s3://bucket/articles-*.txt", linedelimiter="\\n\\n")
    mentions = entnorm.dask.annotate_bag(docs, normalizer).compute()

The built normalizer goes to the workers once, not with every task: with a
distributed client it is scattered to every worker (``broadcast=True``) and
the tasks share that copy; without one it is a single node of the task graph.
Results keep the collection's order. Mentions are the records of
:mod:`entnorm.io.records` (:func:`mention_record`): dicts with ``start``,
``end``, ``text``, ``id``, ``name``, ``type``, ``score`` (exact), ``method``,
``conflict`` and ``alternatives``; a frame row of :func:`annotate_frame` has
``doc`` and those fields but ``alternatives`` (:data:`MENTION_COLUMNS`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import dask
import dask.bag as db
import dask.dataframe as dd
import pandas as pd

from ..api import Normalizer
from ..errors import EntnormError
from ..io.records import MENTION_FIELDS, mention_record

__all__ = [
    "MENTION_COLUMNS", "annotate_bag", "annotate_frame", "connect", "match_frame", "mention_record", "ordered_map",
    "shared",
]

CONNECT_TEXT = "cannot reach the Dask scheduler at {address}: {error}"

#: The columns of :func:`annotate_frame`: ``doc``, then the mention fields but the list of alternatives.
MENTION_COLUMNS = ("doc", *(field for field in MENTION_FIELDS if field != "alternatives"))


def shared(normalizer: Normalizer | Any, client: Any = None) -> Any:
    """A handle on ``normalizer`` that tasks can share: sent once per worker, not per task.

    Pass the handle instead of the normalizer to :func:`annotate_bag`,
    :func:`annotate_frame` or :func:`match_frame` to reuse one copy across
    several collections (a handle given here is returned as it is).

    Args:
        normalizer: the built normalizer (or a handle this function returned).
        client: a ``distributed.Client``; by default the current one, if any.
    """
    if not isinstance(normalizer, Normalizer):
        return normalizer
    if client is None:
        try:
            from distributed import get_client

            client = get_client()
        except (ImportError, ValueError):
            client = None
    if client is not None:
        return client.scatter(normalizer, broadcast=True, hash=False)
    return dask.delayed(normalizer, pure=True, traverse=False)


def connect(address: str) -> Any:
    """A ``distributed.Client`` of the scheduler at ``address``, or a clear error (:class:`EntnormError`).

    It waits as long as Dask's ``distributed.comm.timeouts.connect`` setting says
    (30 s unless set, e.g. ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s``).
    """
    from distributed import Client

    try:
        return Client(address)
    except (OSError, TimeoutError, ValueError) as exc:
        raise EntnormError(CONNECT_TEXT.format(address=address, error=exc)) from exc


def ordered_map(
    function: Callable[..., Any], normalizer: Normalizer, batches: Iterable[Any], client: Any, *args: Any
) -> Iterator[Any]:
    """``function(normalizer, batch, *args)`` for each batch on the cluster, results in input order.

    The normalizer is scattered to every worker once; at most two batches per
    worker thread are in flight, so a stream of any length runs in bounded memory.
    """
    handle = client.scatter(normalizer, broadcast=True, hash=False)
    limit = 2 * max(1, sum(client.nthreads().values()))
    waiting: deque[Any] = deque()
    for batch in batches:
        waiting.append(client.submit(function, handle, batch, *args, pure=False))
        if len(waiting) >= limit:
            yield waiting.popleft().result()
    while waiting:
        yield waiting.popleft().result()


def _annotate_partition(
    texts: list[str], normalizer: Normalizer, threshold: float | None
) -> list[list[dict[str, Any]]]:
    return [[mention_record(m) for m in normalizer.annotate(text, threshold=threshold)] for text in texts]


def annotate_bag(
    bag: db.Bag, normalizer: Normalizer | Any, *, client: Any = None, threshold: float | None = None
) -> db.Bag:
    """A bag with, for each document of ``bag``, the list of its mentions (as dicts)."""
    return bag.map_partitions(_annotate_partition, shared(normalizer, client), threshold)


def _mentions_frame(
    frame: pd.DataFrame, column: str, normalizer: Normalizer, threshold: float | None
) -> pd.DataFrame:
    rows = []
    for doc, text in zip(frame.index, frame[column], strict=True):
        if isinstance(text, str):
            for mention in normalizer.annotate(text, threshold=threshold):
                record = mention_record(mention)
                rows.append({"doc": doc, **{k: record[k] for k in MENTION_COLUMNS[1:]}})
    return pd.DataFrame(rows, columns=list(MENTION_COLUMNS))


def annotate_frame(
    frame: dd.DataFrame, column: str, normalizer: Normalizer | Any, *, client: Any = None,
    threshold: float | None = None,
) -> dd.DataFrame:
    """One row per mention in the text column ``column``; ``doc`` is the index of its row."""
    meta = pd.DataFrame(
        {"doc": pd.Series(dtype=frame.index.dtype), "start": pd.Series(dtype="int64"),
         "end": pd.Series(dtype="int64"), "text": pd.Series(dtype="object"), "id": pd.Series(dtype="object"),
         "name": pd.Series(dtype="object"), "type": pd.Series(dtype="object"), "score": pd.Series(dtype="float64"),
         "method": pd.Series(dtype="object"), "conflict": pd.Series(dtype="bool")}
    )
    return frame.map_partitions(_mentions_frame, column, shared(normalizer, client), threshold, meta=meta)


def _match_partition(frame: pd.DataFrame, column: str, normalizer: Normalizer, prefix: str) -> pd.DataFrame:
    from .pandas import match_series

    return frame.join(match_series(frame[column], normalizer, prefix=prefix))


def match_frame(
    frame: dd.DataFrame, column: str, normalizer: Normalizer | Any, *, prefix: str = "entity_", client: Any = None
) -> dd.DataFrame:
    """``frame`` with the answer for its name column ``column`` added (see :mod:`entnorm.pandas`)."""
    meta = frame._meta.assign(**{
        f"{prefix}id": pd.Series(dtype="object"), f"{prefix}name": pd.Series(dtype="object"),
        f"{prefix}type": pd.Series(dtype="object"), f"{prefix}score": pd.Series(dtype="float64"),
        f"{prefix}method": pd.Series(dtype="object"),
    })
    return frame.map_partitions(_match_partition, column, shared(normalizer, client), prefix, meta=meta)
