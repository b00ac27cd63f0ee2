"""Lexicons are data: every word list and letter table is an ``entnorm/data/*.yaml`` file with a source line.

The files are read by one loader (:mod:`entnorm.keys.lexicon`), whose errors
name the file and line; and no module of the package keeps a word list of its
own in code (a literal of more than :data:`MAX_WORDS` words fails below,
naming its file and line).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

import pytest

from entnorm.errors import LexiconError
from entnorm.keys import lexicon
from entnorm.keys.lexicon import Lexicons

PACKAGE = Path(__file__).resolve().parents[1] / "entnorm"
DATA = PACKAGE / "data"
FILES = sorted(DATA.glob("*.yaml"))


def test_the_loader_lists_every_data_file() -> None:
    assert FILES, "no lexicons in entnorm/data"
    assert lexicon.SHIPPED.names() == [f.stem for f in FILES]


@pytest.mark.parametrize("file", FILES, ids=lambda f: f.name)
def test_each_lexicon_starts_with_its_source_and_loads(file: Path) -> None:
    first = file.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("source: "), f"{file.name}: the first line must be 'source: <where the entries come from>'"
    shipped = lexicon.SHIPPED
    assert shipped.source(file.stem).startswith(first.removeprefix("source: ").rstrip())
    readers: dict[str, Callable[[str], Collection[object]]] = {
        "words": shipped.words, "letters": shipped.letters,
        "spelling": shipped.spelling, "spellings": shipped.spellings,
    }
    has = []
    for kind, read in readers.items():
        try:
            entries = read(file.stem)
        except LexiconError:  # only for a kind the file does not have
            continue
        assert entries, f"{file.name}: {kind} is empty"
        has.append(kind)
    assert has, f"{file.name} has no entries"


def test_suggest_particles_are_surname_particles() -> None:
    """Their source lines say so: suggest's list is the shorter one, kept apart so that suggest does not change."""
    assert lexicon.words("suggest_particles") < lexicon.words("surname_particles")


def test_the_pending_lists_are_their_data_files() -> None:
    """Until text/ and index/ read them through the loader, their literals must stay equal to the files."""
    from entnorm.index import triggers
    from entnorm.text import spans

    assert lexicon.words("common_words") == spans.COMMON_WORDS
    assert lexicon.words("word_acronyms_linked") == spans.WORD_ACRONYMS_LINKED
    assert lexicon.words("fold_digraphs") == triggers._DIGRAPHS
    assert lexicon.words("word_acronyms_linked") <= {w.upper() for w in lexicon.words("common_words")}


def test_each_file_is_read_once_and_mappings_are_copies(tmp_path: Path) -> None:
    file = tmp_path / "t.yaml"
    file.write_text("source: A test.\nwords: [a, b]\nspelling: {x: y}\n", encoding="utf-8")
    loaded = Lexicons(tmp_path)
    assert loaded.words("t") == {"a", "b"}
    file.write_text("source: Changed.\nwords: [c]\n", encoding="utf-8")
    assert loaded.words("t") == {"a", "b"} and loaded.source("t") == "A test."
    loaded.spelling("t")["x"] = "changed"
    assert loaded.spelling("t") == {"x": "y"}


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("words: [a]\n", 1, "the first line must be 'source: ...'"),
        ("# about\nsource: Where.\nwords: [a]\n", 2, "the first line must be 'source: ...'"),
        ("words: [a]\nsource: Where.\n", 1, "the first line must be 'source: ...'"),
        ("- a\n- b\n", 1, "not a mapping"),
        ("source: Where\nwords: [a]\n", 1, "one sentence, ending with '.'"),
        ("source: Where.\n", 1, "no entries after the source"),
        ("source: Where.\nwords: [a, b\n", 3, "invalid YAML"),
        ("source: Where.\nwords: [yes, no]\n", 2, "must be a string, not bool 'yes' (quote it)"),
        ("source: Where.\nwords:\n  - a\n  - 12\n", 4, "must be a string, not int '12'"),
        ("source: Where.\nwords: [a, ~]\n", 2, "not null"),
        ("source: Where.\nwords:\n  - a\n  - a\n", 4, "'a' is listed twice in 'words'"),
        ("source: Where.\nwords: []\n", 2, "'words' must be a list with at least one entry"),
        ("source: Where.\nwords: [a, '']\n", 2, "is empty"),
        ("source: Where.\nwords: [' a']\n", 2, "has spaces around it"),
        ("source: Where.\nword: [a]\n", 2, "unknown key 'word'"),
        ("source: Where.\nwords: [a]\nwords: [b]\n", 3, "'words' is listed twice"),
        ("source: Where.\nspelling:\n  a: b\n  a: c\n", 4, "'a' is listed twice in 'spelling'"),
        ("source: Where.\nspelling: {a: [b]}\n", 2, "the spelling of 'a' must be a string"),
        ("source: Where.\nspellings:\n  a: b\n", 3, "the spellings of 'a' must be a list"),
        ("source: Where.\nspellings: {on: [a]}\n", 2, "a key of 'spellings' must be a string, not bool 'on'"),
        ("source: Where.\nletters: ab b\n", 2, "distinct characters, without spaces"),
        ("source: Where.\nletters: aba\n", 2, "distinct characters"),
    ],
)
def test_a_malformed_file_is_an_error_naming_it(tmp_path: Path, text: str, line: int, problem: str) -> None:
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    loaded = Lexicons(tmp_path)
    with pytest.raises(LexiconError) as caught:
        loaded.source("bad")
    where = str(tmp_path / "bad.yaml")
    assert str(caught.value).startswith(f"{where}:{line}: "), str(caught.value)
    assert problem in str(caught.value)
    assert caught.value.path == where


def test_a_missing_file_or_kind_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "table.yaml").write_text("source: Where.\nspelling: {a: b}\n", encoding="utf-8")
    loaded = Lexicons(tmp_path)
    with pytest.raises(LexiconError, match=r"missing\.yaml: no such lexicon file"):
        loaded.words("missing")
    with pytest.raises(LexiconError, match=r"table\.yaml: no 'words' entries"):
        loaded.words("table")
    assert loaded.spelling("table") == {"a": "b"}


# No word lists in code -------------------------------------------------------

#: A literal of more word-like strings than this is a word list: it belongs in entnorm/data.
MAX_WORDS = 8

#: (module, name) of literals that are words of the code, not of a language.
ALLOWED = frozenset(
    {
        ("model", "Method"),  # the match methods (a Literal type) ...
        ("model", "METHODS"),  # ... and their order
        ("io.records", "MENTION_FIELDS"),  # the fields of a mention record (column names of a frame)
    }
)
#: PENDING: word lists still in code, to move to entnorm/data (none left).
PENDING: frozenset[tuple[str, str]] = frozenset()


def _word_like(node: ast.AST) -> bool:
    """A string constant of letters, words separated by single spaces (``prime minister``, ``ч``)."""
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and all(part.isalpha() for part in node.value.split(" "))
    )


def _constant(node: ast.AST | None) -> bool:
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(map(_constant, node.elts))
    return isinstance(node, ast.Constant)


def _words_in(node: ast.AST) -> int:
    """How many words ``node`` lists itself (not counting those of nested literals)."""
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        return sum(map(_word_like, node.elts))
    if isinstance(node, ast.Dict) and all(map(_constant, node.values)):  # a table of letters or words
        return sum(_word_like(k) for k in node.keys if k is not None)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split":
        value = node.func.value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return sum(part.isalpha() for part in value.value.split())
    if (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"frozenset", "set"}
        and len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
    ):  # a set of letters: frozenset("ђјљњћџ")
        return sum(c.isalpha() for c in node.args[0].value)
    return 0


def word_lists(source: str) -> Iterator[tuple[str, int, int]]:
    """``(name, line, words)`` of each word-list literal in ``source``, named by the assignment or def around it."""

    def visit(node: ast.AST, name: str) -> Iterator[tuple[str, int, int]]:
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name):
                name = target.id
            elif isinstance(target, ast.Attribute):
                name = target.attr
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = node.name
        count = _words_in(node)
        if count > MAX_WORDS and name != "__all__":
            yield name, getattr(node, "lineno", 0), count
            return
        for child in ast.iter_child_nodes(node):
            yield from visit(child, name)

    return visit(ast.parse(source), "<module>")


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts.pop()
        found[".".join(parts)] = path
    return found


def _found() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for module, path in _modules().items():
        for name, line, count in word_lists(path.read_text(encoding="utf-8")):
            where = f"entnorm/{path.relative_to(PACKAGE)}:{line}: {name}: {count} words"
            found.setdefault((module, name), []).append(where)
    return found


def test_no_word_lists_in_code() -> None:
    found = _found()
    left = [where for key, places in sorted(found.items()) if key not in ALLOWED | PENDING for where in places]
    assert not left, (
        "word lists belong in entnorm/data/NAME.yaml (read with entnorm.keys.lexicon), not in code:\n"
        + "\n".join(left)
    )


def test_allowed_and_pending_literals_are_still_there() -> None:
    """An entry that no longer trips the rule is stale: remove it (PENDING ones once their modules use the loader)."""
    stale = sorted((ALLOWED | PENDING) - _found().keys())
    assert not stale, f"remove from ALLOWED or PENDING in tests/test_lexicons.py: {stale}"


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('X = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "herr", "frau", "prime minister"})', [("X", 1, 9)]),
        ('def f():\n    return "a b c d e f g h i".split()', [("f", 2, 9)]),
        ('T = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i"}',
         [("T", 1, 9)]),
        ('L = frozenset("абвгдежзи")', [("L", 1, 9)]),
        ('__all__ = ["Aa", "Bb", "Cc", "Dd", "Ee", "Ff", "Gg", "Hh", "Ii"]', []),
        ('S = ("_a", "_b", "_c", "_d", "_e", "_f", "_g", "_h", "_i")', []),  # attribute names
        ('E = frozenset(" \\t\\n.,;:!?)]}-")', []),  # a set of characters that are not letters
        ('R = {"a": x.a, "b": x.b, "c": x.c, "d": x.d, "e": x.e, "f": x.f, "g": x.g, "h": x.h, "i": x.i}', []),
        ('W = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "herr", "frau"})', []),  # eight: not a list yet
    ],
)
def test_the_rule_finds_word_lists_only(source: str, found: list[tuple[str, int, int]]) -> None:
    assert list(word_lists(source)) == found
