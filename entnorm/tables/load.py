"""Alias tables: read YAML files, validate them, merge them into one frozen table.

Use :func:`load_table` to read tables (the bundled ones live at
:data:`~entnorm.tables.table.BUILTIN`) and :func:`validate_table` to list every
problem of tables; :func:`~entnorm.tables.collisions.find_collisions` lists names
two entities claim, :func:`~entnorm.tables.dump.dump_table` writes a table back
as YAML. The format::

    entities:
      - id: aleksandar-vucic          # ^[a-z0-9]+(-[a-z0-9]+)*$, unique
        name: Aleksandar Vučić         # canonical display name
        type: person                   # person | organization | country | city | other
        aliases: [Александар Вучић]    # real alternative names
        acronyms: []                   # case-sensitive short forms: SVR, NATO
        weak_aliases: []               # generic alone: 'foreign intelligence service'
        country: serbia                # optional: the entity's country, by id
        demonyms: []                   # countries only: Serbian (qualifies weak aliases)
      - extends: serbia                # adds to an entity defined in any file loaded
        aliases: [Srbija, Србија]

Every error is a :class:`~entnorm.errors.TableError` whose message starts with
``file:line:``; :func:`load_table` raises the first, :func:`validate_table`
lists them all. A value shown in a message is cut to about 60 characters.

A table is plain YAML (see :mod:`entnorm.tables.yaml_nodes`): YAML aliases (``*name``) are
refused outright, and with them merge keys (``<<``). Sharing a list between
entries is not worth the risk: a few hundred bytes of nested aliases expand
to gigabytes. Also refused: nesting deeper than 64 levels, tags other than
the plain scalar, list and mapping ones, values not of their tag
(``!!float "abc"``) and lists or mappings as mapping keys.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .._gc import collector_paused
from ..errors import TableError
from ..keys.normalize import normalize_name
from ..model import ENTITY_TYPES, Entity
from .table import LIST_FIELDS, AliasTable, Location
from .yaml_nodes import construct, line_of, mapping_items, read_document, shown

__all__ = ["load_table", "table_files", "validate_table"]

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_FIELDS = ("id", "name", "type", "country", *LIST_FIELDS)
_EXTEND_FIELDS = ("extends", *LIST_FIELDS)
_SINGULAR = {"aliases": "alias", "acronyms": "acronym", "weak_aliases": "weak alias", "demonyms": "demonym"}


@dataclass
class _Draft:
    """An entity while files are still being read."""

    id: str
    name: str
    type: Any
    country: str | None
    at: Location
    lists: dict[str, list[tuple[str, Location]]]


class _Problems:
    """Where the problems found in tables go: raised at once (loading) or collected (validation).

    Args:
        collect: keep every problem (and go on reading) instead of raising the first.
    """

    def __init__(self, *, collect: bool) -> None:
        self.collect = collect
        self.errors: list[TableError] = []
        self.path: str | None = None  # the file being read

    def add(self, error: TableError) -> None:
        """Note ``error`` (in the file being read unless it names its own); raise it when not collecting."""
        if error.path is None:
            error.path = self.path
        if not self.collect:
            raise error
        self.errors.append(error)

    @contextmanager
    def recover(self) -> Iterator[None]:
        """Run a block; a TableError in it is noted (see :meth:`add`) and the rest of the block skipped."""
        try:
            yield
        except TableError as error:
            self.add(error)


def table_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Table files named by ``paths``: files as given, folders as their sorted ``*.y(a)ml``; each once.

    Raises:
        TableError: a path that does not exist, or a folder without tables.
    """
    return _table_files(paths, _Problems(collect=False))


def _table_files(paths: Iterable[str | os.PathLike[str]], problems: _Problems) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                problems.add(TableError(f"{path}: no *.yaml or *.yml files in this folder", path=str(path)))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.add(TableError(f"{path}: no such file or folder", path=str(path)))
    unique: dict[Path, Path] = {}
    for f in files:
        unique.setdefault(f.resolve(), f)
    return list(unique.values())


def _string(node: yaml.Node, what: str, where: Location) -> str:
    """The non-empty string in ``node``, or a TableError saying what is wrong."""
    value = construct(node)
    if isinstance(value, bool) and isinstance(node, yaml.ScalarNode):
        msg = f"{where}: {what} {node.value} is read as a YAML boolean: quote it: \"{node.value}\""
        raise TableError(msg)
    if not isinstance(value, str):
        msg = f"{where}: {what} {shown(value)} is not a string"
        raise TableError(msg)
    if not value.strip():
        msg = f"{where}: {what} is empty"
        raise TableError(msg)
    return value.strip()


def _names(node: yaml.Node, what: str, path: str, problems: _Problems) -> list[tuple[str, Location]]:
    """The strings of a list field (names other than acronyms must have a normalized key); bad ones left out."""
    if not isinstance(node, yaml.SequenceNode):
        problems.add(TableError(f"{path}:{line_of(node)}: {what} must be a list, e.g. {what}: [...]"))
        return []
    out: list[tuple[str, Location]] = []
    singular = _SINGULAR[what]
    for item in node.value:
        where = Location(path, line_of(item))
        with problems.recover():
            text = _string(item, singular, where)
            if what != "acronyms" and not normalize_name(text):
                msg = f"{where}: {singular} {shown(text)} normalizes to nothing (no letter or digit)"
                raise TableError(msg)
            out.append((text, where))
    return out


def _unknown_key(key: str, allowed: tuple[str, ...], where: Location) -> TableError:
    hint = difflib.get_close_matches(key, allowed, n=1)
    suggestion = f" (did you mean {hint[0]!r}?)" if hint else f" (allowed: {', '.join(allowed)})"
    return TableError(f"{where}: unknown field {shown(key)}{suggestion}")


def _read_entry(
    node: yaml.Node, path: str, problems: _Problems
) -> tuple[str | None, dict[str, yaml.Node], Location]:
    """Fields of one entry; returns ``(extends target or None, fields, location)``; unknown fields left out."""
    at = Location(path, line_of(node))
    if not isinstance(node, yaml.MappingNode):
        msg = f"{at}: an entity must be a mapping with id and name"
        raise TableError(msg)
    fields = dict(mapping_items(node, path, problems.add))
    target = None
    allowed: tuple[str, ...]
    if "extends" in fields:
        target = _string(fields["extends"], "extends", at)
        allowed = _EXTEND_FIELDS
    else:
        allowed = _FIELDS
    for key, value in list(fields.items()):
        if key not in allowed:
            del fields[key]
            where = Location(path, line_of(value))
            if target is not None and key in _FIELDS:
                problems.add(TableError(f"{where}: 'extends' entries may only add {', '.join(LIST_FIELDS)}"))
            else:
                problems.add(_unknown_key(key, allowed, where))
    return target, fields, at


def _draft(fields: dict[str, yaml.Node], at: Location, path: str, problems: _Problems) -> _Draft | None:
    """The entity of one entry, None without a good id (its other fields are checked all the same)."""
    entity_id = None
    with problems.recover():
        entity_id = _entity_id(fields, at)
    name = entity_id or ""
    with problems.recover():
        if "name" not in fields:
            msg = f"{at}: entity without 'name'"
            raise TableError(msg)
        name = _name(fields["name"], path)
    kind: Any = construct(fields["type"]) if "type" in fields else "other"
    if kind not in ENTITY_TYPES:
        where = Location(path, line_of(fields["type"]))
        problems.add(TableError(f"{where}: type {shown(kind)} is not one of {', '.join(ENTITY_TYPES)}"))
        kind = "other"
    country = None
    with problems.recover():
        country = _string(fields["country"], "country", at) if "country" in fields else None
    lists = _lists(fields, path, problems)
    return None if entity_id is None else _Draft(entity_id, name, kind, country, at, lists)


def _entity_id(fields: dict[str, yaml.Node], at: Location) -> str:
    """The id of an entry, which must be given and well formed."""
    if "id" not in fields:
        msg = f"{at}: entity without 'id'"
        raise TableError(msg)
    entity_id = _string(fields["id"], "id", at)
    if not _ID.match(entity_id):
        msg = f"{at}: bad id {shown(entity_id)}: use lower-case letters and digits joined by '-'"
        raise TableError(msg)
    return entity_id


def _name(node: yaml.Node, path: str) -> str:
    """The canonical name of an entity, which must have a key."""
    name_at = Location(path, line_of(node))
    name = _string(node, "name", name_at)
    if not normalize_name(name):
        msg = f"{name_at}: name {shown(name)} normalizes to nothing (no letter or digit)"
        raise TableError(msg)
    return name


def _lists(fields: dict[str, yaml.Node], path: str, problems: _Problems) -> dict[str, list[tuple[str, Location]]]:
    """The list fields of an entry, each as ``(text, location)`` pairs."""
    return {name: _names(fields[name], name, path, problems) if name in fields else [] for name in LIST_FIELDS}


def _dedupe(items: list[tuple[str, Location]], taken: set[str], *, key: bool) -> tuple[str, ...]:
    """Texts of ``items`` not already in ``taken`` (by normalized key unless acronyms)."""
    out = []
    for text, _ in items:
        k = normalize_name(text) if key else text
        if k not in taken:
            taken.add(k)
            out.append(text)
    return tuple(out)


def _freeze(draft: _Draft) -> Entity:
    taken = {normalize_name(draft.name)}
    lists = draft.lists
    return Entity(
        id=draft.id,
        name=draft.name,
        type=draft.type,
        aliases=_dedupe(lists["aliases"], taken, key=True),
        acronyms=_dedupe(lists["acronyms"], set(), key=False),
        weak_aliases=_dedupe(lists["weak_aliases"], set(taken), key=True),
        country=draft.country,
        demonyms=_dedupe(lists["demonyms"], set(), key=True),
    )


def load_table(*paths: str | os.PathLike[str]) -> AliasTable:
    """Read, validate and merge alias tables.

    Args:
        *paths: files or folders (their ``*.yaml``/``*.yml`` files, sorted by
            name); read in order. ``extends`` entries may name an entity of any
            file.

    Returns:
        The merged table.

    Raises:
        TableError: ``file:line: problem`` for the first problem found
            (:func:`validate_table` lists them all).
    """
    problems = _Problems(collect=False)
    with collector_paused():
        return _load_table(_table_files(paths, problems), problems)


def validate_table(*paths: str | os.PathLike[str]) -> list[TableError]:
    """Every problem :func:`load_table` would stop at, file by file; empty for good tables.

    Each file is read to its end: a problem in one entry, field or name is
    noted and the rest read on (a YAML syntax error is one problem for its
    file, whose other entries are then unknown). References (``extends``,
    ``country``) are checked once all files are read.

    Args:
        *paths: as for :func:`load_table`.

    Returns:
        The problems, each a :class:`TableError` with ``file:line:`` first in
        its message and the file in its ``path``.
    """
    problems = _Problems(collect=True)
    with collector_paused():
        files = _table_files(paths, problems)
        _load_table(files, problems)
    order = {str(file): number for number, file in enumerate(files)}
    return sorted(problems.errors, key=lambda error: order.get(error.path or "", -1))


@dataclass
class _Reading:
    """What the files read so far define: entities by id, and the ``extends`` entries still to apply."""

    drafts: dict[str, _Draft] = field(default_factory=dict)
    extensions: list[tuple[str, dict[str, list[tuple[str, Location]]], Location]] = field(default_factory=list)


def _load_table(files: list[Path], problems: _Problems) -> AliasTable:
    reading = _Reading()
    for file in files:
        problems.path = str(file)
        entries: list[yaml.Node] = []
        with problems.recover():
            entries = _entries(file, problems)
        for node in entries:
            with problems.recover():
                _read_node(node, str(file), reading, problems)
    problems.path = None
    drafts = reading.drafts
    for target, lists, at in reading.extensions:
        with problems.recover():
            _extend(drafts, target, lists, at)
    for draft in drafts.values():
        if draft.country is not None and draft.country not in drafts:
            msg = f"{draft.at}: country {shown(draft.country)} of {draft.id!r} is not a known id"
            problems.add(TableError(msg, path=draft.at.path))
    locations: dict[tuple[str, str], Location] = {}
    for draft in drafts.values():
        locations.setdefault((draft.id, draft.name), draft.at)
        for items in draft.lists.values():
            for text, where in items:
                locations.setdefault((draft.id, text), where)
    return AliasTable(tuple(_freeze(d) for d in drafts.values()), locations)


def _entries(file: Path, problems: _Problems) -> list[yaml.Node]:
    """The entry nodes of one file (none for an empty one)."""
    path = str(file)
    root = read_document(file)
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        msg = f"{path}:{line_of(root)}: a table must be a mapping with an 'entities' list"
        raise TableError(msg)
    top = dict(mapping_items(root, path, problems.add))
    for key, value in top.items():
        if key != "entities":
            problems.add(_unknown_key(key, ("entities",), Location(path, line_of(value))))
    entries = top.get("entities")
    if entries is None or (isinstance(entries, yaml.ScalarNode) and construct(entries) is None):
        return []
    if not isinstance(entries, yaml.SequenceNode):
        msg = f"{path}:{line_of(entries)}: 'entities' must be a list"
        raise TableError(msg)
    return list(entries.value)


def _read_node(node: yaml.Node, path: str, reading: _Reading, problems: _Problems) -> None:
    """Read one entry: a new entity, or names for one defined in any file."""
    target, fields, at = _read_entry(node, path, problems)
    if target is not None:
        reading.extensions.append((target, _lists(fields, path, problems), at))
        return
    draft = _draft(fields, at, path, problems)
    if draft is None:
        return
    first = reading.drafts.get(draft.id)
    if first is not None:
        msg = f"{at}: id {draft.id!r} repeated (first defined at {first.at}); use 'extends' to add names"
        raise TableError(msg)
    reading.drafts[draft.id] = draft


def _extend(drafts: dict[str, _Draft], target: str, lists: dict[str, list[tuple[str, Location]]], at: Location) -> None:
    """Add the names of an ``extends`` entry to the entity it names."""
    if target not in drafts:
        hint = difflib.get_close_matches(target, list(drafts), n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
        msg = f"{at}: extends unknown id {shown(target)}{suggestion}"
        raise TableError(msg, path=at.path)
    for name, items in lists.items():
        drafts[target].lists[name].extend(items)


