"""Names two or more entities of a table claim: ambiguous keys, reported with where each was written."""

from __future__ import annotations

from dataclasses import dataclass

from ..keys.normalize import normalize_name
from .table import AliasTable, Location
from .yaml_nodes import shown

__all__ = ["Collision", "find_collisions"]


@dataclass(frozen=True, slots=True)
class Collision:
    """A name two or more entities claim: an ambiguous key.

    Attributes:
        key: the normalized key (or the acronym as written).
        claims: ``(entity id, name as written, location)`` of each claim.
    """

    key: str
    claims: tuple[tuple[str, str, Location | None], ...]

    def __str__(self) -> str:
        where = self.claims[-1][2]
        ids = " and ".join(repr(c[0]) for c in self.claims)
        written = self.claims[-1][1]
        return f"{where or '<table>'}: alias {shown(written)} claimed by {ids}"


def find_collisions(table: AliasTable) -> list[Collision]:
    """Names, aliases and acronyms that more than one entity claims.

    Names and aliases collide when their normalized keys are equal; acronyms
    when they are written the same. Weak aliases are generic by design and
    are not reported.
    """
    claims: dict[tuple[str, str], dict[str, str]] = {}
    for entity in table.entities:
        for text in entity.names():
            claims.setdefault(("name", normalize_name(text)), {}).setdefault(entity.id, text)
        for text in entity.acronyms:
            claims.setdefault(("acronym", text), {}).setdefault(entity.id, text)
    out = []
    for (_, key), owners in claims.items():
        if len(owners) > 1:
            located = tuple(
                (eid, text, table.locations.get((eid, text))) for eid, text in owners.items()
            )
            out.append(Collision(key, located))
    return out
