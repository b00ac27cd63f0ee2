"""Curating tables: names in a corpus that the tables almost know, or do not know yet.

Use :func:`suggest` (or ``entnorm suggest CORPUS ...``) on text you care about.
It reads each document's capitalized name spans that no mention covers and
proposes, for a curator to review:

- an alias for a known entity, when the span is close to one of its names but
  not close enough to link (``Xavier Bethl`` for Xavier Bettel), with how often
  it was seen and the best candidate's score;
- a new person, when a span that resembles no entity follows a title
  (``Prime Minister Albin Kurti``).

:func:`to_yaml` writes them as a table of ``extends:`` entries and new
entities that :func:`entnorm.load_table` reads with the tables they extend.
"""

from __future__ import annotations

import itertools
import re
import shlex
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

import yaml

from ..api import Normalizer
from ..keys import lexicon
from ..keys.normalize import TITLES, normalize_name
from ..model import Entity, Match

__all__ = ["Suggestion", "suggest", "to_yaml"]

_WORD = re.compile(r"[^\W\d_][\w’'-]*")
# Lower-case words that may join capitalized ones into one name (entnorm/data/suggest_particles.yaml):
# a subset of SURNAME_PARTICLES, kept apart because more would change what suggest proposes.
_PARTICLES: Final = lexicon.words("suggest_particles")
# A one-word span that is one of these is a sentence's first word, not a name
# (entnorm/data/common_words.yaml, COMMON_WORDS of entnorm.text.spans).
_COMMON_WORDS: Final = lexicon.words("common_words")
_MAX_WORDS = 6
_TITLE_TAIL = re.compile(r"([A-Za-z]+(?:[ \t]+[A-Za-z]+)?)[ \t]+$")


@dataclass
class Suggestion:
    """One proposed table change.

    Attributes:
        surface: the name as the corpus writes it.
        count: how many times it was seen unlinked.
        entity: the known entity it looks like, or None for a new name.
        score: the best candidate's confidence (0 for a new name).
        method: how the best candidate was reached, if any.
        titles: titles seen right before it (for new names).
    """

    surface: str
    count: int = 0
    entity: Entity | None = None
    score: float = 0.0
    method: str | None = None
    titles: Counter[str] = field(default_factory=Counter)


def _capitalized_runs(text: str) -> Iterable[tuple[int, int, str]]:
    """``(start, end, surface)`` of each run of capitalized words.

    The particles of ``entnorm/data/suggest_particles.yaml`` may join them (``Jean van der Berg``).
    """
    run: list[re.Match[str]] = []

    def flush() -> Iterable[tuple[int, int, str]]:
        while run and not run[-1].group()[0].isupper():
            run.pop()
        if run:
            yield run[0].start(), run[-1].end(), text[run[0].start() : run[-1].end()]
        run.clear()

    for word in _WORD.finditer(text):
        token = word.group()
        joined = bool(run) and text[run[-1].end() : word.start()] in (" ", "\t") and len(run) < _MAX_WORDS
        if (token[0].isupper() and (joined or not run)) or (joined and token in _PARTICLES):
            run.append(word)
        else:
            yield from flush()
            if token[0].isupper():
                run.append(word)
    yield from flush()


def _leading_title(text: str, start: int, end: int) -> tuple[str | None, int]:
    """A title that opens the run ``text[start:end]`` (``Prime Minister Albin Kurti``), and where the name starts.

    The titles are those of ``entnorm/data/titles.yaml`` (:data:`entnorm.keys.normalize.TITLES`).
    """
    words = list(_WORD.finditer(text, start, end))
    for size in range(min(3, len(words) - 1), 0, -1):
        title = " ".join(w.group() for w in words[:size]).lower()
        if title in TITLES:
            return title, words[size].start()
    return None, start


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 8) : start].rstrip()
    return not before or before[-1] in ".!?:;\"“”«»\n"


def _best(normalizer: Normalizer, text: str, start: int, end: int) -> tuple[int, Match | None]:
    """Where the name starts and its best candidate; a sentence's first word (``Later``) may be left out."""
    starts = [start]
    if _opens_sentence(text, start):
        second = list(itertools.islice(_WORD.finditer(text, start, end), 2))
        if len(second) == 2:
            starts.append(second[1].start())
    found = [(s, next(iter(normalizer.candidates(text[s:end], limit=1)), None)) for s in starts]
    return max(found, key=lambda item: item[1].score if item[1] is not None else -1.0)


def _title_before(text: str, start: int) -> str | None:
    """The title of ``entnorm/data/titles.yaml`` that ends right before ``text[start:]``, if any."""
    found = _TITLE_TAIL.search(text[max(0, start - 40) : start])
    if found is None:
        return None
    words = found.group(1).lower().split()
    for size in (len(words), 1):
        title = " ".join(words[-size:])
        if title in TITLES:
            return title
    return None


def suggest(normalizer: Normalizer, documents: Iterable[str], *, least: float = 0.3) -> list[Suggestion]:
    """Proposed aliases and new names from ``documents`` (see the module docstring).

    Args:
        normalizer: the tables as they are.
        documents: texts, one document each.
        least: the least confidence of a known entity's candidate to propose an alias for it.

    Returns:
        Suggestions, the most often seen first.
    """
    found: dict[tuple[str | None, str], Suggestion] = {}
    threshold = normalizer.threshold
    for text in documents:
        covered = [(m.start, m.end) for m in normalizer.annotate(text)]
        for begin, end, _ in _capitalized_runs(text):
            title, start = _leading_title(text, begin, end)
            if any(s < end and start < e for s, e in covered):
                continue
            if title is None:
                start, top = _best(normalizer, text, start, end)
            else:
                top = next(iter(normalizer.candidates(text[start:end], limit=1)), None)
            surface = text[start:end]
            if " " not in surface and (len(surface) < 3 or surface.lower() in _COMMON_WORDS):
                continue  # "In", "The": a sentence's first word, not a name
            if top is not None and least <= top.score < threshold:
                key = (top.entity.id, normalize_name(surface))
                item = found.setdefault(key, Suggestion(surface, entity=top.entity, method=top.method))
                item.count += 1
                item.score = max(item.score, top.score)
                continue
            title = title or _title_before(text, start)
            if (top is None or top.score < least) and title is not None and len(surface.split()) >= 2:
                item = found.setdefault((None, normalize_name(surface)), Suggestion(surface))
                item.count += 1
                item.titles[title] += 1
    return sorted(found.values(), key=lambda s: (-s.count, s.surface))


def _slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", normalize_name(name))) or "entity"


def to_yaml(suggestions: Iterable[Suggestion], *, documents: int, tables: Sequence[str] = ("builtin",)) -> str:
    """The suggestions as a table to review: ``extends`` entries, then new entities.

    Args:
        suggestions: what :func:`suggest` found.
        documents: how many documents it read (said in the header).
        tables: the tables the suggestions extend, as the command line names
            them; the header says to validate the file together with them.
    """
    by_entity: dict[str, list[Suggestion]] = {}
    new: list[Suggestion] = []
    for item in suggestions:
        if item.entity is None:
            new.append(item)
        else:
            by_entity.setdefault(item.entity.id, []).append(item)
    lines = [
        f"# Suggested by entnorm suggest from {documents:,} document(s). Review, then keep what is right;",
        "# this file loads together with the tables it extends.",
        f"# check with: entnorm validate {' '.join(map(shlex.quote, tables))} FILE",
        "entities:",
    ]
    for entity_id, items in by_entity.items():
        for item in items:
            seen = f"seen {item.count} time(s), best score {item.score:.2f} ({item.method})"
            lines.append(f"  # {item.surface!r}: {seen}")
        aliases = yaml.safe_dump([i.surface for i in items], allow_unicode=True, default_flow_style=True).strip()
        lines += [f"  - extends: {entity_id}", f"    aliases: {aliases}"]
    taken: set[str] = set()
    for item in new:
        slug = _slug(item.surface)
        while slug in taken:
            slug += "-2"
        taken.add(slug)
        after = ", ".join(f"'{t}'" for t, _ in item.titles.most_common(3))
        lines.append(f"  # new: {item.surface!r}: seen {item.count} time(s), after {after}")
        name = yaml.safe_dump(item.surface, allow_unicode=True, default_style=None).strip().removesuffix("\n...")
        lines += [f"  - id: {slug}", f"    name: {name}", "    type: person"]
    if len(lines) == 4:
        lines[-1] = "entities: []"
    return "\n".join(lines) + "\n"
