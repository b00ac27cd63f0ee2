"""Lexicons: the word lists and letter tables that drive entnorm, read from ``entnorm/data/*.yaml``.

Every list of words or table of letters that normalization, spelling variants,
the scanner or ``suggest`` works from is a YAML file in ``entnorm/data``, and
this module is the one that reads them. The module using a lexicon names its
file where it loads it (``TITLES: Final = lexicon.words("titles")`` in
:mod:`entnorm.keys.normalize` is ``entnorm/data/titles.yaml``).

A file is a mapping whose first line is ``source:``, one sentence on where the
entries come from and how they were chosen, then its entries under one or more
of these keys:

- ``words``: a list of strings, read as a set (:func:`words`);
- ``letters``: one string, read as the set of its characters (:func:`letters`);
- ``spelling``: a mapping of strings to one string each (:func:`spelling`);
- ``spellings``: a mapping of strings to a list of strings, most likely first
  (:func:`spellings`).

Each file is read and checked once, on first use. Anything else (a key YAML
reads as a number or a boolean, an entry listed twice, a missing ``source:``
line) is a :class:`~entnorm.errors.LexiconError` whose message starts with
``file:line:``. Quote entries that YAML would read as something other than a
string: ``"no"``, ``"on"``, ``"yes"``, ``"off"``, ``"null"``, ``"~"``, numbers.

>>> sorted(words("office_links"))
['for', 'of', 'to']
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

import yaml

from ..errors import LexiconError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["SHIPPED", "Lexicons", "letters", "source", "spelling", "spellings", "words"]

try:  # libyaml's parser when PyYAML was built with it, else the pure-Python one (same nodes)
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_KINDS = ("words", "letters", "spelling", "spellings")
_SUFFIX = ".yaml"
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class _File:
    """One lexicon file, checked: its source sentence and the entries it has."""

    source: str
    words: frozenset[str] | None = None
    letters: frozenset[str] | None = None
    spelling: dict[str, str] | None = None
    spellings: dict[str, tuple[str, ...]] | None = None


class Lexicons:
    """The lexicons of one folder: the package's ``entnorm/data`` (:data:`SHIPPED`) unless another is given.

    Args:
        folder: where the ``NAME.yaml`` files are (a test's temporary folder, say).
    """

    def __init__(self, folder: Traversable | Path | None = None) -> None:
        self._folder: Traversable | Path = folder if folder is not None else resources.files("entnorm") / "data"
        self._files: dict[str, _File] = {}

    def names(self) -> list[str]:
        """The names of the folder's lexicons (its ``*.yaml`` files without the suffix), sorted."""
        return sorted(f.name.removesuffix(_SUFFIX) for f in self._folder.iterdir() if f.name.endswith(_SUFFIX))

    def path(self, name: str) -> str:
        """The file of lexicon ``name``, as error messages show it."""
        return str(self._folder / f"{name}{_SUFFIX}")

    def source(self, name: str) -> str:
        """The ``source:`` sentence of lexicon ``name``: where its entries come from."""
        return self._file(name).source

    def words(self, name: str) -> frozenset[str]:
        """The ``words:`` of lexicon ``name``, as a set."""
        return self._entries(name, "words", self._file(name).words)

    def letters(self, name: str) -> frozenset[str]:
        """The characters of the ``letters:`` string of lexicon ``name``."""
        return self._entries(name, "letters", self._file(name).letters)

    def spelling(self, name: str) -> dict[str, str]:
        """The ``spelling:`` mapping of lexicon ``name`` (a new dict each call: change it freely)."""
        return dict(self._entries(name, "spelling", self._file(name).spelling))

    def spellings(self, name: str) -> dict[str, tuple[str, ...]]:
        """The ``spellings:`` mapping of lexicon ``name``, each value most likely first (a new dict each call)."""
        return dict(self._entries(name, "spellings", self._file(name).spellings))

    def _entries(self, name: str, kind: str, entries: _T | None) -> _T:
        if entries is None:
            msg = f"{self.path(name)}: no {kind!r} entries (the code reading it expects them)"
            raise LexiconError(msg, path=self.path(name))
        return entries

    def _file(self, name: str) -> _File:
        found = self._files.get(name)
        if found is None:
            found = self._files[name] = _read(self.path(name), self._folder / f"{name}{_SUFFIX}")
        return found


def _read(path: str, file: Traversable | Path) -> _File:
    """Read and check one lexicon file (``path`` is its name in messages)."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        msg = f"{path}: no such lexicon file"
        raise LexiconError(msg, path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{path}: cannot read: {exc}"
        raise LexiconError(msg, path=path) from None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else path
        problem = getattr(exc, "problem", None) or str(exc)
        msg = f"{where}: invalid YAML: {problem}"
        raise LexiconError(msg, path=path) from None
    return _Checker(path).file(root)


class _Checker:
    """Turns the YAML nodes of one file into a :class:`_File`, or raises naming the file and line."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: yaml.Node | None, problem: str) -> LexiconError:
        where = f"{self.path}:{node.start_mark.line + 1}" if node is not None else self.path
        return LexiconError(f"{where}: {problem}", path=self.path)

    def file(self, root: yaml.Node | None) -> _File:
        first = "the first line must be 'source: ...', one sentence on where the entries come from"
        if not isinstance(root, yaml.MappingNode) or not root.value:
            raise self.fail(root, f"not a mapping of 'source' and entries ({first})")
        key, value = root.value[0]
        if key.value != "source" or key.start_mark.line != 0 or key.start_mark.column != 0:
            raise self.fail(key, first)
        source = " ".join(self.string(value, "the source").split())
        if not source.endswith("."):
            raise self.fail(value, "the source should be one sentence, ending with '.'")
        kinds = dict(self.mapping(root, "the file")[1:])
        if unknown := kinds.keys() - _KINDS:
            key = next(k for k, _ in root.value if k.value in unknown)
            raise self.fail(key, f"unknown key {key.value!r} (expected 'source', then some of {', '.join(_KINDS)})")
        if not kinds:
            raise self.fail(root, f"no entries after the source (expected some of {', '.join(_KINDS)})")
        return _File(
            source,
            words=self.words(kinds["words"]) if "words" in kinds else None,
            letters=self.letters(kinds["letters"]) if "letters" in kinds else None,
            spelling=self.spelling(kinds["spelling"]) if "spelling" in kinds else None,
            spellings=self.spellings(kinds["spellings"]) if "spellings" in kinds else None,
        )

    def string(self, node: yaml.Node, what: str, *, empty: bool = False) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
            shown = node.value if isinstance(node, yaml.ScalarNode) else type(node).__name__.removesuffix("Node")
            kind = node.tag.rpartition(":")[2] if isinstance(node, yaml.ScalarNode) else "collection"
            raise self.fail(node, f"{what} must be a string, not {kind} {shown!r} (quote it)")
        text: str = node.value
        if not empty and not text:
            raise self.fail(node, f"{what} is empty")
        if text != text.strip():
            raise self.fail(node, f"{what} {text!r} has spaces around it")
        return text

    def sequence(self, node: yaml.Node, what: str, *, empty: bool = False) -> list[str]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise self.fail(node, f"{what} must be a list with at least one entry")
        seen: set[str] = set()
        for item in node.value:
            text = self.string(item, f"an entry of {what}", empty=empty)
            if text in seen:
                raise self.fail(item, f"{text!r} is listed twice in {what}")
            seen.add(text)
        return [item.value for item in node.value]

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode) or not node.value:
            raise self.fail(node, f"{what} must be a mapping with at least one entry")
        seen: set[str] = set()
        items = []
        for key, value in node.value:
            text = self.string(key, f"a key of {what}")
            if text in seen:
                raise self.fail(key, f"{text!r} is listed twice in {what}")
            seen.add(text)
            items.append((text, value))
        return items

    def words(self, node: yaml.Node) -> frozenset[str]:
        return frozenset(self.sequence(node, "'words'"))

    def letters(self, node: yaml.Node) -> frozenset[str]:
        text = self.string(node, "'letters'")
        if any(c.isspace() for c in text) or len(set(text)) != len(text):
            raise self.fail(node, "'letters' must be one string of distinct characters, without spaces")
        return frozenset(text)

    def spelling(self, node: yaml.Node) -> dict[str, str]:
        return {k: self.string(v, f"the spelling of {k!r}", empty=True) for k, v in self.mapping(node, "'spelling'")}

    def spellings(self, node: yaml.Node) -> dict[str, tuple[str, ...]]:
        items = self.mapping(node, "'spellings'")
        return {k: tuple(self.sequence(v, f"the spellings of {k!r}", empty=True)) for k, v in items}


#: The lexicons shipped in ``entnorm/data``.
SHIPPED: Final = Lexicons()


def source(name: str) -> str:
    """The ``source:`` sentence of ``entnorm/data/NAME.yaml``."""
    return SHIPPED.source(name)


def words(name: str) -> frozenset[str]:
    """The ``words:`` of ``entnorm/data/NAME.yaml``, as a set."""
    return SHIPPED.words(name)


def letters(name: str) -> frozenset[str]:
    """The characters of the ``letters:`` string of ``entnorm/data/NAME.yaml``."""
    return SHIPPED.letters(name)


def spelling(name: str) -> dict[str, str]:
    """The ``spelling:`` mapping of ``entnorm/data/NAME.yaml``: one spelling per key."""
    return SHIPPED.spelling(name)


def spellings(name: str) -> dict[str, tuple[str, ...]]:
    """The ``spellings:`` mapping of ``entnorm/data/NAME.yaml``: the spellings of each key, most likely first."""
    return SHIPPED.spellings(name)
