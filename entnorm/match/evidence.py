"""Evidence for entities, gathered from the index, and its ranking into matches.

Use these functions wherever a span of text or a query has been turned into a
key: :mod:`entnorm.matcher` for names, :mod:`entnorm.scan` for running text.
Evidence maps each entity reached to its strongest ``(z, method, alias)``; see
:mod:`entnorm.scoring` for what ``z`` means.
"""

from __future__ import annotations

from ..index.build import Index
from ..index.strengths import Z_WEAK, Z
from ..model import Match, Method
from .scoring import fuzzy_z, is_derived, share

__all__ = ["Evidence", "acronym_evidence", "fuzzy_evidence", "key_evidence", "offer", "rank"]

#: entity number -> (z, method, alias)
Evidence = dict[int, tuple[float, Method, str]]

_FUZZY_METHODS = frozenset({"exact", "translit", "reordered", "surname"})
_TIE = 1e-9
# Equal evidence makes an ambiguous answer only when each would answer alone;
# ties among weak candidates (generic descriptions) stay plain candidates.
_AMBIGUOUS_FROM = 0.0


def offer(evidence: Evidence, entity: int, z: float, method: Method, alias: str) -> None:
    """Record evidence for ``entity`` unless it already has stronger."""
    old = evidence.get(entity)
    if old is None or z > old[0]:
        evidence[entity] = (z, method, alias)


def key_evidence(index: Index, query_form: str, key: str, evidence: Evidence) -> None:
    """Evidence from the hits of ``key`` for text whose prefolded form is ``query_form``."""
    for entity, method, z, alias, form in index.keys[key]:
        if method == "exact" and form != query_form:
            method, z = "folded", z - (Z["exact"] - Z["folded"])
        offer(evidence, entity, z, method, alias)  # type: ignore[arg-type]


def acronym_evidence(index: Index, form: str, evidence: Evidence, *, any_case: bool) -> None:
    """Evidence from an acronym written ``form``; ``any_case`` also tries other letter case."""
    hits = index.acronyms.get(form) or (index.acronyms_folded.get(form.casefold(), ()) if any_case else ())
    for entity, _, z, alias, _ in hits:
        offer(evidence, entity, z, "acronym", alias)


def fuzzy_evidence(index: Index, key: str, evidence: Evidence) -> None:
    """Evidence from keys spelled like ``key``."""
    keys = index.keys
    for found, similarity in index.fuzzy.search(key):
        derived = is_derived(key, found)
        for entity, method, z, alias, _ in keys[found]:
            if method in _FUZZY_METHODS and z > Z_WEAK:
                offer(evidence, entity, fuzzy_z(z, similarity, derived=derived), "fuzzy", alias)


def rank(index: Index, evidence: Evidence, limit: int) -> list[Match]:
    """Matches for the best ``limit`` entities of ``evidence``, with their confidence.

    Entities tied on the best evidence are marked ``ambiguous`` and list each
    other as alternatives; their score is the confidence that one of them is meant.
    Scores are calibrated (see :mod:`entnorm.calibration`) and never rise down the
    ranking, which follows the evidence.
    """
    if not evidence or limit <= 0:
        return []
    if len(evidence) == 1:  # the common case, without the sorting and sharing below
        ((number, (z, method, alias)),) = evidence.items()
        score = index.calibration(method, share((z,))[0], alias)
        return [Match(index.entities[number], min(score, 1.0), method, alias)]
    ranked = sorted(evidence.items(), key=lambda item: (-item[1][0], item[0]))
    scores = share([z for _, (z, _, _) in ranked])
    top_z, top_method = ranked[0][1][0], ranked[0][1][1]
    decisive = top_z >= _AMBIGUOUS_FROM
    tied = [n for n, (z, _, _) in ranked if top_z - z <= _TIE] if decisive else []
    entities = index.entities
    calibrate = index.calibration
    group = tuple(entities[n] for n in tied) if len(tied) > 1 else ()
    group_score = calibrate(top_method, min(sum(scores[: len(tied)]), 1.0), ranked[0][1][2])
    out = []
    ceiling = 1.0  # evidence ranks; calibration (by method) must not reorder it
    for position, (number, (_, method, alias)) in enumerate(ranked[:limit]):
        entity = entities[number]
        if group and position < len(tied):
            others = tuple(e for e in group if e is not entity)
            out.append(Match(entity, min(group_score, ceiling), method, alias, True, others))
        else:
            out.append(Match(entity, min(calibrate(method, scores[position], alias), ceiling), method, alias))
        ceiling = out[-1].score
    return out
