"""The record schema: a match or a mention as a plain dict, the one shape every output is made from.

Use :func:`match_record` for the answer to a name (``entnorm match``, the
answer columns of :mod:`entnorm.io.rows`, :mod:`entnorm.pandas`, Dask
``match_frame``) and :func:`mention_record` for a name found in running text
(``entnorm normalize --format jsonl``, :mod:`entnorm.dask`). A record holds
every field of the schema, with the exact score:

- a match: :data:`MATCH_FIELDS`, ``query`` then :data:`ANSWER_FIELDS`, then
  ``ambiguous`` and ``alternatives`` (ids). On abstention ``id``, ``name``,
  ``type`` and ``method`` are None, ``ambiguous`` is False, ``alternatives``
  empty, and ``score`` is the best candidate's (0.0 when there is none): one
  lookup (:meth:`~entnorm.Normalizer.best`) gives both the answer and that guess.
- a mention: ``doc`` (only where documents are numbered), then
  :data:`MENTION_FIELDS`.

:func:`written` is the one formatting step between a record and what the
command writes (and what the answer columns hold): the score rounded to
:data:`SCORE_DIGITS` places, and ``ambiguous``, ``conflict`` and
``alternatives`` left out where they do not apply. The Dask mention records
are the records themselves.
"""

from __future__ import annotations

from typing import Any

from ..api import Normalizer
from ..model import Mention

__all__ = [
    "ANSWER_FIELDS", "MATCH_FIELDS", "MENTION_FIELDS", "SCORE_DIGITS", "Record", "match_record", "mention_record",
    "written",
]

Record = dict[str, Any]

#: The fields of an answer, in order: the answer columns of rows (each after a prefix).
ANSWER_FIELDS = ("id", "name", "type", "score", "method")
#: The fields of a match record, in order.
MATCH_FIELDS = ("query", *ANSWER_FIELDS, "ambiguous", "alternatives")
#: The fields of a mention record, in order (after ``doc`` where documents are numbered).
MENTION_FIELDS = ("start", "end", "text", "id", "name", "type", "score", "method", "conflict", "alternatives")
#: Decimal places of a written score.
SCORE_DIGITS = 4
# Fields written only where they apply (true, or not empty).
_WHERE_THEY_APPLY = frozenset({"ambiguous", "conflict", "alternatives"})


def match_record(normalizer: Normalizer, query: str) -> Record:
    """The answer for ``query`` at the normalizer's threshold, with one lookup (see the module docstring)."""
    best = normalizer.best(query)
    if best is not None and best.score >= normalizer.threshold:  # the rule of Normalizer.match
        entity = best.entity
        return {
            "query": query, "id": entity.id, "name": entity.name, "type": entity.type, "score": best.score,
            "method": best.method, "ambiguous": best.ambiguous, "alternatives": [e.id for e in best.alternatives],
        }
    return {
        "query": query, "id": None, "name": None, "type": None, "score": 0.0 if best is None else best.score,
        "method": None, "ambiguous": False, "alternatives": [],
    }


def mention_record(mention: Mention, doc: int | None = None, offset: int = 0) -> Record:
    """``mention`` as a record; ``doc`` numbers its document, ``offset`` is added to its offsets.

    ``offset`` is where the mention's document starts in a larger input, so
    that ``start`` and ``end`` index that input.
    """
    record: Record = {} if doc is None else {"doc": doc}
    entity = mention.entity
    record.update(
        start=mention.start + offset, end=mention.end + offset, text=mention.text, id=entity.id, name=entity.name,
        type=entity.type, score=mention.score, method=mention.method, conflict=mention.conflict,
        alternatives=[e.id for e in mention.alternatives],
    )
    return record


def written(record: Record) -> Record:
    """``record`` as it is written: score rounded to :data:`SCORE_DIGITS` places; flags and lists only where they apply.

    The fields keep their order.
    """
    shown = {k: v for k, v in record.items() if v or k not in _WHERE_THEY_APPLY}
    shown["score"] = round(shown["score"], SCORE_DIGITS)
    return shown
