"""Reading YAML with the line of every value, for error messages that point at the file.

PyYAML's ``safe_load`` forgets where a value came from and silently keeps the
last of two equal mapping keys. Here a document is composed into nodes (which
keep their marks), duplicate keys are rejected, and values are built with the
same safe constructor ``safe_load`` uses, so ``yes``/``NO`` still become booleans
and the table checks can say so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import TableError

__all__ = ["construct", "line_of", "mapping_items", "read_document"]

_STR = "tag:yaml.org,2002:str"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's parser when PyYAML has it) with tag resolution for plain
    strings short-cut: a scalar whose first character starts no implicit type (bool,
    null, number, ...) is a string, which is what the full resolver finds too, only
    slower (it dominates the time to read a large table otherwise)."""

    _starts = frozenset(k for k in yaml.SafeLoader.yaml_implicit_resolvers if k is not None)

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0] and value and value[0] not in self._starts:
            return _STR
        return str(super().resolve(kind, value, implicit))


def line_of(node: yaml.Node) -> int:
    """1-based line where ``node`` starts."""
    return int(node.start_mark.line) + 1


def read_document(path: Path) -> yaml.Node | None:
    """Compose the single YAML document in ``path``; None for an empty file.

    Raises:
        TableError: ``path:line: ...`` for unreadable, non-UTF-8 or malformed YAML.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        msg = f"{path}: cannot read: {exc.strerror or exc}"
        raise TableError(msg) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        msg = f"{path}:{line}: not UTF-8 (byte {exc.start})"
        raise TableError(msg) from exc
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        msg = f"{path}:{line}: invalid YAML: {exc.problem or exc.context}"
        raise TableError(msg) from exc
    except yaml.YAMLError as exc:
        msg = f"{path}: invalid YAML: {exc}"
        raise TableError(msg) from exc


def construct(node: yaml.Node) -> Any:
    """Build the Python value of ``node`` as ``yaml.safe_load`` would."""
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    constructor = yaml.constructor.SafeConstructor()
    return constructor.construct_object(node, deep=True)


def mapping_items(node: yaml.MappingNode, where: str) -> list[tuple[str, yaml.Node]]:
    """Key/value pairs of a mapping node with string keys, rejecting duplicates.

    Args:
        node: the mapping.
        where: the file name to lead error messages with.
    """
    seen: dict[str, int] = {}
    items: list[tuple[str, yaml.Node]] = []
    for key_node, value_node in node.value:
        key = construct(key_node)
        if not isinstance(key, str):
            msg = f"{where}:{line_of(key_node)}: key {key!r} is not a string"
            raise TableError(msg)
        if key in seen:
            msg = f"{where}:{line_of(key_node)}: key {key!r} repeated (first on line {seen[key]})"
            raise TableError(msg)
        seen[key] = line_of(key_node)
        items.append((key, value_node))
    return items
