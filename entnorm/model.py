"""The values entnorm returns: entities and matches, all immutable.

Use these types in annotations; build them only through :mod:`entnorm.tables`
and :class:`entnorm.Normalizer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ENTITY_TYPES", "METHODS", "Entity", "EntityType", "Match", "Method"]

EntityType = Literal["person", "organization", "country", "city", "other"]
#: The entity types a table may use.
ENTITY_TYPES: tuple[EntityType, ...] = ("person", "organization", "country", "city", "other")

Method = Literal[
    "exact", "folded", "dropped", "translit", "surname", "reordered", "acronym", "fuzzy", "context"
]
#: How a match was made, from most to least direct:
#: ``exact`` (the name as listed, up to case, spacing, punctuation and titles),
#: ``folded`` (equal after folding accents and scripts to ASCII),
#: ``acronym`` (a listed short form), ``translit`` (a generated romanization),
#: ``reordered`` (``Surname Given``), ``surname`` (a person's surname alone),
#: ``dropped`` (non-ASCII letters lost), ``fuzzy`` (similar spelling) and
#: ``context`` (linked through another mention in the same document).
METHODS: tuple[Method, ...] = (
    "exact", "folded", "acronym", "translit", "reordered", "surname", "dropped", "fuzzy", "context"
)


@dataclass(frozen=True, slots=True)
class Entity:
    """One canonical entity of an alias table.

    Attributes:
        id: unique slug, ``^[a-z0-9]+(-[a-z0-9]+)*$``.
        name: canonical display name.
        type: one of :data:`ENTITY_TYPES`.
        aliases: other real names, matched like ``name``.
        acronyms: case-sensitive short forms (``SVR``).
        weak_aliases: generic descriptions linked only with a qualifier or context
            (``foreign intelligence service``).
        country: id of the country entity this one belongs to, if any; its names
            and demonyms qualify weak aliases (``Russian foreign intelligence service``).
        demonyms: adjectives for a country (``Russian``); never matched on their own.
    """

    id: str
    name: str
    type: EntityType = "other"
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    weak_aliases: tuple[str, ...] = ()
    country: str | None = None
    demonyms: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Match:
    """The answer to one name lookup.

    Attributes:
        entity: the entity the name most likely refers to.
        score: confidence in [0, 1] that ``entity`` is meant; when ``ambiguous``,
            that one of ``entity`` and ``alternatives`` is meant.
        method: how the name was matched (see :data:`METHODS`).
        alias: the table entry (name, alias, acronym or weak alias) that matched.
        ambiguous: the name is claimed equally by ``entity`` and ``alternatives``.
        alternatives: the other entities of an ambiguous name, else empty.
    """

    entity: Entity
    score: float
    method: Method
    alias: str
    ambiguous: bool = False
    alternatives: tuple[Entity, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in running text.

    Attributes:
        start, end: code-point offsets into the text as given
            (``text[start:end] == mention.text``).
        text: the span as written: name words only, without titles, a leading
            ``the`` or a trailing possessive.
        entity: the entity it refers to.
        score: confidence in [0, 1] (for an ambiguous name, that one of
            ``entity`` and ``alternatives`` is meant).
        method: how it was matched (see :data:`METHODS`); ``context`` when the
            document's other mentions decided it.
        conflict: the document contradicts itself about this name, as in
            ``Federal Security Service (SVR)``: a long form and its acronym
            name different entities. ``alternatives`` holds the other one.
        alternatives: the other entities of an ambiguous or conflicting mention.
    """

    start: int
    end: int
    text: str
    entity: Entity
    score: float
    method: Method
    conflict: bool = False
    alternatives: tuple[Entity, ...] = ()
