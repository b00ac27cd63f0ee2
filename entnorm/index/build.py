"""The lookup structures built once from a table: keys, acronyms and the fuzzy blocks.

Use :func:`build_index` once per table; :class:`entnorm.Normalizer` does it for
you. Every key is ``normalize_name`` of a name, an alias or a spelling made from
one (see :mod:`entnorm.variants`), and maps to at most one :class:`Hit` per
entity: the strongest way that entity reaches the key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from ..keys.normalize import normalize_name, prefold_name
from ..keys.variants import dropped_variants, person_forms, spelling_variants
from ..keys.view import view_of
from ..model import Entity
from ..tables.table import AliasTable
from .calibration import SHIPPED, Calibration
from .fuzzy import FuzzyIndex
from .strengths import Z_QUALIFIED, Z_WEAK, Z, acronym_z, dropped_z, stacked, surname_z
from .triggers import Triggers, build_triggers

__all__ = ["Hit", "Index", "StoredHit", "acronym_form", "acronym_from_nfkc", "build_index"]

_POSSESSIVE_END = re.compile(r"['\u2019]s$")
_QUALIFIER_WORDS = 2
# A name that lost its non-ASCII letters is kept as a key only with this many left
# (one fewer when '?' marks where the lost ones were).
_MIN_KEPT = 3
# Methods from least to most lossy; a key made by several steps reports the last.
_LOSSINESS = ("exact", "translit", "reordered", "surname", "dropped")
# Keys made by these methods are fuzzy targets. Generated romanizations would
# multiply the targets for little, reordered keys are covered by the fuzzy
# scorer sorting words, weak and dropped keys are too lossy.
_FUZZY_TARGETS = frozenset({"exact", "surname"})


class Hit(NamedTuple):
    """One way an entity reaches a key.

    Attributes:
        entity: position of the entity in :attr:`Index.entities`.
        method: ``exact`` (decided exact or folded per query), ``translit``,
            ``reordered``, ``surname``, ``dropped`` or ``acronym``.
        z: evidence strength (see :mod:`entnorm.scoring`).
        alias: the table entry the key was made from.
        form: :func:`~entnorm.normalize.prefold_name` of the text the key was made
            from; a query with the same prefolded form matched ``exact``, else ``folded``.
    """

    entity: int
    method: str
    z: float
    alias: str
    form: str


#: How the index stores a :class:`Hit`: a plain tuple in the same order. The
#: cycle collector stops tracking plain tuples of strings and numbers, which
#: matters with millions of them; read them by unpacking.
StoredHit = tuple[int, str, float, str, str]


@dataclass(frozen=True)
class Index:
    """Everything a lookup reads; built by :func:`build_index`, never changed."""

    entities: tuple[Entity, ...]
    keys: dict[str, tuple[StoredHit, ...]]
    acronyms: dict[str, tuple[StoredHit, ...]]
    acronyms_folded: dict[str, tuple[StoredHit, ...]]
    fuzzy: FuzzyIndex
    #: keys of words that are known not to be names (demonyms): never fuzzy-matched
    words: frozenset[str]
    #: view words where a key can start other than its first word (``o`` of ``O'Brien``)
    extra_triggers: frozenset[str]
    #: entity id -> position in :attr:`entities`
    numbers: dict[str, int]
    #: how raw scores become confidences
    calibration: Calibration
    #: where names may start in running text (see :mod:`entnorm.index.triggers`)
    triggers: Triggers


def acronym_form(text: str) -> str:
    """How an acronym is compared: NFKC, trimmed, no dots or possessive.

    >>> acronym_form(" U.S. "), acronym_form("SVR’s")
    ('US', 'SVR')
    """
    return acronym_from_nfkc(unicodedata.normalize("NFKC", text))


def acronym_from_nfkc(text: str) -> str:
    """:func:`acronym_form` of a string already in NFKC."""
    return _POSSESSIVE_END.sub("", text.strip().replace(".", ""))


def _letters(key: str) -> int:
    """Letters of a key (a ``?`` marking a lost one counts as one)."""
    return len(key) - key.count(" ")


def _spellings(text: str) -> Iterator[tuple[str, str, float]]:
    """``(spelling, method, z)`` for a name as written and as generated from it."""
    yield text, "exact", Z["exact"]
    for variant in spelling_variants(text):
        yield variant, "translit", Z["translit"]
    dropped = dropped_variants(text)
    if dropped is not None:
        plain, marked, lost = dropped
        kept = _letters(normalize_name(plain))  # '?' absent here: only kept letters
        if kept >= _MIN_KEPT:
            yield plain, "dropped", dropped_z(kept, lost, marked=False)
        if kept >= _MIN_KEPT - 1 and "?" in normalize_name(marked):  # "Do??" keeps no mark: it is "do"
            yield marked, "dropped", dropped_z(kept, lost, marked=True)


def _lossier(a: str, b: str) -> str:
    return a if _LOSSINESS.index(a) >= _LOSSINESS.index(b) else b


def _person_keys(alias: str) -> Iterator[tuple[str, str, float]]:
    """Surname-only and reordered spellings of a person's name."""
    forms = person_forms(alias)
    if forms is None:
        return
    surname, reordered = forms
    for text, method, z in _spellings(surname):
        base = surname_z(_letters(normalize_name(text)))
        yield text, _lossier("surname", method), base if method == "exact" else stacked(base, z)
    yield reordered, "reordered", Z["reordered"]


def _qualifiers(country: Entity) -> tuple[str, ...]:
    """How a country qualifies its agencies' names: its short names and demonyms.

    Long official names ("People's Republic of China") are left out: nobody
    writes them before an agency's name.
    """
    short = [name for name in country.names() if len(name.split()) <= _QUALIFIER_WORDS]
    return (*short, *country.demonyms)


def _entity_keys(entity: Entity, country: Entity | None) -> Iterator[tuple[str, str, float, str, str]]:
    """``(text, method, z, alias, source)`` for every key of ``entity``."""
    qualifiers = _qualifiers(country) if country is not None and entity.type != "person" else ()
    for alias in entity.names():
        for text, method, z in _spellings(alias):
            yield text, method, z, alias, text
        if entity.type == "person":
            for text, method, z in _person_keys(alias):
                yield text, method, z, alias, text
        for qualifier in qualifiers:
            qualified = f"{qualifier} {alias}"
            yield qualified, "exact", Z["exact"] - 0.5, alias, qualified
    for weak in entity.weak_aliases:
        yield weak, "exact", Z_WEAK, weak, weak
        for qualifier in qualifiers:
            qualified = f"{qualifier} {weak}"
            yield qualified, "exact", Z_QUALIFIED, weak, qualified


def _note_trigger(text: str, key: str, triggers: set[str]) -> None:
    """Remember where ``text`` starts in a view when that is not its key's first word.

    ``O'Brien`` (key ``obrien``) shows as ``o brien`` and ``Vu?i?`` as ``vu i``
    in a view of running text: the scanner must look for ``o`` and ``vu`` too.
    """
    if text.isalpha():
        return
    segments = view_of(text).split(None, 1)
    first = key.split(" ", 1)[0]
    if segments and segments[0] != first and first.startswith(segments[0]):
        triggers.add(segments[0])


def _add(table: dict[str, dict[int, Hit]], key: str, hit: Hit) -> None:
    """Keep the strongest hit per entity and key."""
    slot = table.setdefault(key, {})
    old = slot.get(hit.entity)
    if old is None or hit.z > old.z:
        slot[hit.entity] = hit


def _strongest_first(hit: Hit) -> tuple[float, int]:
    return -hit.z, hit.entity


def _stored(hit: Hit) -> StoredHit:
    return (hit.entity, hit.method, hit.z, hit.alias, hit.form)


def _freeze(table: dict[str, dict[int, Hit]]) -> dict[str, tuple[StoredHit, ...]]:
    return {
        k: tuple(map(_stored, v.values() if len(v) == 1 else sorted(v.values(), key=_strongest_first)))
        for k, v in table.items()
    }


def build_index(table: AliasTable, calibration: Calibration = SHIPPED) -> Index:
    """Build every lookup structure for ``table``."""
    entities = table.entities
    by_id = {e.id: e for e in entities}
    keys: dict[str, dict[int, Hit]] = {}
    acronyms: dict[str, dict[int, Hit]] = {}
    folded: dict[str, dict[int, Hit]] = {}
    extra_triggers: set[str] = set()
    for number, entity in enumerate(entities):
        country = by_id.get(entity.country) if entity.country else None
        for text, method, z, alias, source in _entity_keys(entity, country):
            key = normalize_name(text)
            if key:
                form = key if source.isascii() else prefold_name(source)
                _add(keys, key, Hit(number, method, z, alias, form))
                _note_trigger(text, key, extra_triggers)
        for acronym in entity.acronyms:
            form = acronym_form(acronym)
            _add(acronyms, form, Hit(number, "acronym", acronym_z(form, same_case=True), acronym, acronym))
            weak = Hit(number, "acronym", acronym_z(form, same_case=False), acronym, acronym)
            _add(folded, form.casefold(), weak)
    frozen = _freeze(keys)
    fuzzy = FuzzyIndex(
        k for k, hits in frozen.items() if any(m in _FUZZY_TARGETS and z > Z_WEAK for _, m, z, _, _ in hits)
    )
    words = frozenset(normalize_name(d) for e in entities for d in e.demonyms) - frozen.keys()
    numbers = {entity.id: number for number, entity in enumerate(entities)}
    frozen_acronyms = _freeze(acronyms)
    return Index(
        entities, frozen, frozen_acronyms, _freeze(folded), fuzzy, words, frozenset(extra_triggers), numbers,
        calibration, build_triggers(frozen, frozen_acronyms, extra_triggers),
    )
