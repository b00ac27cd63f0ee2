"""Reading YAML with the line of every value, for error messages that point at the file.

PyYAML's ``safe_load`` forgets where a value came from and silently keeps the
last of two equal mapping keys. Here a document is composed into nodes (which
keep their marks), duplicate keys are rejected, and values are built with the
same safe constructor ``safe_load`` uses, so ``yes``/``NO`` still become booleans
and the table checks can say so.

A table is data written by hand or by a program, so the composer (iterative,
over libyaml's events when PyYAML has it) refuses what a table has no use for
and what makes reading it cost more than its size: aliases (``*name``: an
"alias bomb" of a few hundred bytes expands to gigabytes), hence merge keys
(``<<``); nesting deeper than :data:`MAX_DEPTH`; tags other than the plain
scalar, list and mapping ones; and mapping keys that are lists or mappings.
Every scalar with a type other than string is built once while composing, so
``!!float "abc"`` is an error with its line, and :func:`construct` cannot fail.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ..errors import TableError

__all__ = ["MAX_DEPTH", "construct", "line_of", "mapping_items", "read_document", "shown"]

#: Lists and mappings nest at most this deep in a table file.
MAX_DEPTH = 64

_STR = "tag:yaml.org,2002:str"
_TAG_PREFIX = "tag:yaml.org,2002:"
# Scalar types a table may hold (a value of another type than string is an error the table checks name).
_SCALAR_TAGS = frozenset(_TAG_PREFIX + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_SEQ = _TAG_PREFIX + "seq"
_MAP = _TAG_PREFIX + "map"
_MERGE = _TAG_PREFIX + "merge"
# Tags the resolver gives plain scalars that are no table value (``=``, ``<<``): quoting makes them strings.
_PLAIN_TRAPS = frozenset({_MERGE, _TAG_PREFIX + "value"})
# What libyaml says of nesting past its own bound (1000), which it may find before
# the composer sees the events past MAX_DEPTH (it scans flow collections ahead).
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"
# At most this many characters of a value are shown in a message.
_SHOWN = 60
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = _SHOWN
_REPR.maxlist = _REPR.maxdict = _REPR.maxset = _REPR.maxtuple = 8


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


def shown(value: object) -> str:
    """``repr(value)`` cut to about 60 characters with an ellipsis: how every message shows a value.

    >>> shown("Vučić"), shown("x" * 100)[-4:], shown(list(range(10**6)))
    ("'Vučić'", "xx…'", '[0, 1, 2, 3, 4, 5, 6, 7, ...]')
    """
    if isinstance(value, str):
        text = repr(value[:_SHOWN])
        return text if len(value) <= _SHOWN else f"{text[:-1]}…{text[-1]}"
    return _cut(_REPR.repr(value))


def _cut(text: str) -> str:
    """``text`` cut to about 60 characters with an ellipsis."""
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def line_of(node: yaml.Node) -> int:
    """1-based line where ``node`` starts."""
    return int(node.start_mark.line) + 1


def _short_tag(tag: str) -> str:
    """``!!float`` for YAML's own tags, other tags as written (cut)."""
    return _cut("!!" + tag[len(_TAG_PREFIX) :] if tag.startswith(_TAG_PREFIX) else tag)


def read_document(path: Path) -> yaml.Node | None:
    """Compose the single YAML document in ``path``; None for an empty file.

    Raises:
        TableError: ``path:line: ...`` for unreadable, non-UTF-8 or malformed YAML,
            or YAML a table cannot hold (see the module docstring).
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
        return _Composer(text, str(path)).document()
    except yaml.MarkedYAMLError as exc:
        if exc.problem == _LIBYAML_TOO_DEEP and exc.problem_mark is not None:  # libyaml looked ahead past our bound
            msg = f"{path}:{exc.problem_mark.line + 1}: YAML nested deeper than {MAX_DEPTH} levels"
            raise TableError(msg) from exc
        raise TableError(_syntax_message(str(path), exc)) from exc
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        msg = f"{path}:{line}: invalid YAML: {exc.reason} (character #x{exc.character:04x})"
        raise TableError(msg) from exc
    except yaml.YAMLError as exc:
        msg = f"{path}: invalid YAML: {' '.join(str(exc).split())}"
        raise TableError(msg) from exc


def _syntax_message(path: str, exc: yaml.MarkedYAMLError) -> str:
    """``path:line: invalid YAML: ...`` leading with the line where the construct in error began.

    ``mine.yaml:5: invalid YAML: while scanning a quoted scalar (line 5): found
    unexpected end of stream (line 8)``: an editor jumps to where the quote opened.
    """
    context, problem = exc.context_mark, exc.problem_mark
    parts = [
        f"{text} (line {mark.line + 1})" if mark is not None and context is not None and problem is not None else text
        for text, mark in ((exc.context, context), (exc.problem, problem))
        if text
    ]
    lead = context or problem
    where = f"{path}:{lead.line + 1}" if lead is not None else path
    return f"{where}: invalid YAML: {': '.join(parts) or 'malformed'}"


class _Composer:
    """Builds the nodes of one document from parser events, without recursion, refusing what tables cannot hold.

    Args:
        text: the YAML text.
        path: the file name to lead error messages with.
    """

    def __init__(self, text: str, path: str) -> None:
        self._loader = _Loader(text)
        self._path = path
        self._constructor = yaml.constructor.SafeConstructor()

    def _error(self, mark: Any, message: str) -> TableError:
        return TableError(f"{self._path}:{mark.line + 1}: {message}")

    def document(self) -> yaml.Node | None:
        """The root node of the only document, or None when there is none."""
        loader = self._loader
        try:
            loader.get_event()  # stream start
            if loader.check_event(yaml.StreamEndEvent):
                return None
            loader.get_event()  # document start
            root = self._nodes()
            loader.get_event()  # document end
            if not loader.check_event(yaml.StreamEndEvent):
                event = loader.get_event()
                raise self._error(event.start_mark, "a table file holds one YAML document, found another")
            return root
        finally:
            loader.dispose()

    def _nodes(self) -> yaml.Node:
        """The nodes up to the end of the document's root node; returns the root."""
        get, resolve = self._loader.get_event, self._loader.resolve
        # Open lists and mappings, each with the key read and waiting for its value.
        stack: list[list[Any]] = []
        while True:
            event = get()
            kind = type(event)
            node: yaml.Node
            if kind is yaml.ScalarEvent:
                tag = event.tag
                if tag is None or tag == "!":
                    tag = resolve(yaml.ScalarNode, event.value, event.implicit)
                node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                self._open(event, stack, resolve)
                continue
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                node = stack.pop()[0]
                node.end_mark = event.end_mark
            elif kind is yaml.AliasEvent:
                raise self._error(event.start_mark, f"YAML aliases (*{_cut(event.anchor)}) are not supported in tables")
            else:  # the parser ends documents only where every collection is closed
                msg = f"unexpected YAML event {event}"
                raise AssertionError(msg)
            if not stack:
                if isinstance(node, yaml.ScalarNode) and node.tag != _STR:
                    self._check_scalar(node)
                return node
            self._add(stack[-1], node)

    def _open(self, event: Any, stack: list[list[Any]], resolve: Any) -> None:
        """Start a list or mapping node (at most :data:`MAX_DEPTH` deep)."""
        if len(stack) >= MAX_DEPTH:
            raise self._error(event.start_mark, f"YAML nested deeper than {MAX_DEPTH} levels")
        sequence = type(event) is yaml.SequenceStartEvent
        node_class = yaml.SequenceNode if sequence else yaml.MappingNode
        tag = event.tag
        if tag is None or tag == "!":
            tag = resolve(node_class, None, event.implicit)
        if tag != (_SEQ if sequence else _MAP):
            raise self._error(event.start_mark, f"YAML tag {_short_tag(tag)} is not supported in tables")
        stack.append([node_class(tag, [], event.start_mark, None, event.flow_style), None])

    def _add(self, top: list[Any], node: yaml.Node) -> None:
        """Put ``node`` into the open list or mapping ``top`` (as a key, or as the value of the key read)."""
        parent = top[0]
        is_key = isinstance(parent, yaml.MappingNode) and top[1] is None
        if isinstance(node, yaml.ScalarNode) and node.tag != _STR:
            if is_key and node.tag == _MERGE:
                raise self._error(node.start_mark, "YAML merge keys (<<) are not supported in tables")
            self._check_scalar(node)
        if not is_key:
            if isinstance(parent, yaml.SequenceNode):
                parent.value.append(node)
            else:
                parent.value.append((top[1], node))
                top[1] = None
        elif isinstance(node, yaml.ScalarNode):
            top[1] = node
        else:
            raise self._error(node.start_mark, "a mapping key must be a single value, not a list or mapping")

    def _check_scalar(self, node: yaml.ScalarNode) -> None:
        """Refuse a scalar of a type tables cannot hold, or whose text is not of its type (``!!int "x"``)."""
        if node.tag not in _SCALAR_TAGS:
            hint = f": quote {shown(node.value)} to make it a string" if node.tag in _PLAIN_TRAPS else ""
            raise self._error(node.start_mark, f"YAML tag {_short_tag(node.tag)} is not supported in tables{hint}")
        try:
            self._constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError) as exc:
            msg = f"YAML value {shown(node.value)} is not a valid {_short_tag(node.tag)}"
            raise self._error(node.start_mark, msg) from exc


def construct(node: yaml.Node) -> Any:
    """Build the Python value of ``node`` as ``yaml.safe_load`` would."""
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    constructor = yaml.constructor.SafeConstructor()
    return constructor.construct_object(node, deep=True)


def mapping_items(
    node: yaml.MappingNode, where: str, report: Callable[[TableError], None] | None = None
) -> list[tuple[str, yaml.Node]]:
    """Key/value pairs of a mapping node with string keys, rejecting duplicates.

    Args:
        node: the mapping.
        where: the file name to lead error messages with.
        report: called with the TableError of each bad key, which is then left
            out; without it the first one is raised.
    """
    seen: dict[str, int] = {}
    items: list[tuple[str, yaml.Node]] = []
    for key_node, value_node in node.value:
        key = construct(key_node)
        error = None
        if not isinstance(key, str):
            error = TableError(f"{where}:{line_of(key_node)}: key {shown(key)} is not a string")
        elif key in seen:
            error = TableError(f"{where}:{line_of(key_node)}: key {shown(key)} repeated (first on line {seen[key]})")
        if error is not None:
            if report is None:
                raise error
            report(error)
            continue
        seen[key] = line_of(key_node)
        items.append((key, value_node))
    return items
