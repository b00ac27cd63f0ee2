"""The package's shape: which layer may import which, no cycles, small modules, old paths kept.

Every ``import`` in the package is read from its syntax tree, those inside
functions included (a lazy import is still an edge), and checked against
:data:`ALLOWED`: the core (``keys`` -> ``tables`` -> ``index`` -> ``match`` ->
``text``) imports downward only; ``api`` and ``cache`` sit on the core; ``cli``,
``integrations`` and ``curate`` may use everything and nothing of the core uses them.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "entnorm"

#: Modules every layer may use: the data model, the errors, the version, the bounded memo, the collector pause.
BASE = frozenset({"model", "errors", "_version", "_memo", "_gc"})
CORE = ("keys", "tables", "index", "match", "text")

#: layer -> the layers it may import (besides itself and BASE).
ALLOWED: dict[str, frozenset[str]] = {
    "model": frozenset(),
    "errors": frozenset(),
    "_version": frozenset(),
    "_memo": frozenset(),
    "_gc": frozenset(),
    "keys": frozenset(),
    "tables": frozenset({"keys"}),
    "index": frozenset({"keys", "tables"}),
    "match": frozenset({"keys", "tables", "index"}),
    "text": frozenset({"keys", "tables", "index", "match"}),
    "io.files": frozenset(),
    "cache": frozenset({"keys", "tables", "index", "match", "text", "io.files"}),
    "api": frozenset({*CORE, "cache", "io.files"}),
    "__init__": frozenset({*CORE, "api"}),
    "io": frozenset({*CORE, "api", "io.files"}),
    "curate": frozenset({*CORE, "api"}),
    "integrations": frozenset({*CORE, "api", "io", "io.files"}),
    "cli": frozenset({*CORE, "api", "cache", "io", "io.files", "curate", "integrations"}),
    "__main__": frozenset({"cli"}),
    # Old paths, each a thin re-export of its new home.
    "document": frozenset({"text"}),
    "pandas": frozenset({"integrations"}),
    "dask": frozenset({"integrations"}),
    "spacy_component": frozenset({"integrations"}),
}


def _modules() -> dict[str, Path]:
    """Dotted module name (without ``entnorm.``) -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def layer(module: str) -> str:
    """The layer of a module: its sub-package, or the module itself at the top (``io.files`` apart)."""
    return "io.files" if module == "io.files" else module.split(".")[0]


def _imported(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """``(entnorm module imported, line)`` for every import in ``path``, at any depth of the tree."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    if module == "__init__":
        package = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                stem = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            else:
                stem = node.module or ""
                if not (stem == "entnorm" or stem.startswith("entnorm.")):
                    continue
                stem = stem.removeprefix("entnorm").lstrip(".")
            # ``from .x import y`` names a module y where x.y is one, else x itself.
            targets = [f"{stem}.{a.name}".strip(".") if f"{stem}.{a.name}".strip(".") in MODULES else stem
                       for a in node.names]
            targets = ["entnorm." + t if t else "entnorm" for t in targets]
        else:
            continue
        for target in targets:
            if target == "entnorm" or target.startswith("entnorm."):
                yield target.removeprefix("entnorm").lstrip(".") or "__init__", node.lineno


def _edges() -> dict[str, set[tuple[str, int]]]:
    return {m: {(t, line) for t, line in _imported(m, path) if t != m} for m, path in MODULES.items()}


EDGES = _edges()


def test_every_module_has_a_layer() -> None:
    assert {layer(m) for m in MODULES} <= ALLOWED.keys()


def test_imports_follow_the_allowed_directions() -> None:
    wrong = []
    for module, targets in EDGES.items():
        own = layer(module)
        for target, line in sorted(targets):
            theirs = layer(target)
            if theirs != own and theirs not in BASE and theirs not in ALLOWED[own]:
                wrong.append(f"entnorm/{MODULES[module].relative_to(PACKAGE)}:{line}: {own} imports {target}")
    assert not wrong, "\n".join(wrong)


def _cycle() -> list[str] | None:
    """One import cycle between modules, if there is one (depth-first search)."""
    graph = {m: sorted({t for t, _ in targets if t in MODULES}) for m, targets in EDGES.items()}
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in graph[module]:
            # A package's __init__ re-exporting its own modules is not a cycle with them.
            if module == target.rpartition(".")[0] or (module == "__init__" and "." not in target):
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in graph:
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_import_cycle() -> None:
    assert _cycle() is None


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    """A lazy import counts: the cycle the cache once hid in a function body is an edge like any other."""
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from ..cache import load_cached\n    return load_cached\n")
    assert list(_imported("match.m", source)) == [("cache", 2)]


MAX_LINES = 450


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module}: {lines} lines (at most {MAX_LINES}: split it by what each part does)"


@pytest.mark.parametrize(
    ("old", "name", "new"),
    [
        ("entnorm.document", "CONTEXT_WINDOW", "entnorm.text.resolver"),
        ("entnorm.text", "compile_separator", "entnorm.text.separators"),
        ("entnorm.text", "batches", "entnorm.text.stream"),
        ("entnorm.tables", "load_table", "entnorm.tables.load"),
        ("entnorm.cli", "main", "entnorm.cli.app"),
        ("entnorm.spacy_component", "make_entnorm", "entnorm.integrations.spacy"),
    ],
)
def test_documented_names_keep_their_old_paths(old: str, name: str, new: str) -> None:
    assert getattr(importlib.import_module(old), name) is getattr(importlib.import_module(new), name)


def test_pandas_and_dask_keep_their_old_paths() -> None:
    old, new = importlib.import_module("entnorm.pandas"), importlib.import_module("entnorm.integrations.pandas")
    assert old.match_series is new.match_series
    old, new = importlib.import_module("entnorm.dask"), importlib.import_module("entnorm.integrations.dask")
    assert old.annotate_bag is new.annotate_bag and old.shared is new.shared


def test_the_version_is_where_the_build_reads_it() -> None:
    import entnorm

    pyproject = (PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'\[tool\.hatch\.version\]\npath = "([^"]+)"', pyproject)
    assert found, "pyproject.toml names no version file"
    path = PACKAGE.parent / found.group(1)
    assert f'__version__ = "{entnorm.__version__}"' in path.read_text(encoding="utf-8")
