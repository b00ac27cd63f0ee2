"""Spellings of an alias that the tables do not list but writers and pipelines produce.

Use these at index time only: each function takes one alias as written in a
table and returns other ways to write it, which the index then normalizes with
:func:`entnorm.normalize.normalize_name` like any alias. Queries are never
expanded, so a lookup stays one dictionary access.

- :func:`spelling_variants`: South Slavic and East Slavic romanizations, letter by
  letter (``č`` -> ``c`` or ``ch``, Cyrillic -> Latin), capped per alias;
- :func:`dropped_variants`: what is left when a pipeline drops every non-ASCII
  letter (``Vučić`` -> ``Vui``) or replaces it with ``?``;
- :func:`person_forms`: surname-only and ``Surname Given`` forms of a person's name.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from typing import Final

from . import lexicon

__all__ = ["MAX_SPELLINGS", "SURNAME_PARTICLES", "dropped_variants", "person_forms", "spelling_variants"]

#: At most this many spellings are generated from one alias (the alias itself included).
MAX_SPELLINGS = 16

# Per-letter romanizations, most common first (entnorm/data/variants_*.yaml).
# Latin letters with diacritics apply everywhere; Cyrillic letters follow
# Russian practice unless the alias has letters only Serbian or only Ukrainian
# uses (each file's ``letters``), which switch some letters to that language's
# own romanization (Serbian х is h, Ukrainian и is y).
_LATIN: Final = lexicon.spellings("variants_latin")
_RUSSIAN: Final = lexicon.spellings("variants_russian")
_SERBIAN: Final = lexicon.spellings("variants_serbian")
_UKRAINIAN: Final = lexicon.spellings("variants_ukrainian")
# Serbian first: an alias with letters of both is read as Serbian.
_LANGUAGES: Final = (
    (lexicon.letters("variants_serbian"), _SERBIAN),
    (lexicon.letters("variants_ukrainian"), _UKRAINIAN),
)
# Endings romanized as a whole (Zelensky, Zelenskiy, Zelenskyy, ...).
_ENDINGS: Final = lexicon.spellings("variants_endings")
_WORD_INITIAL: Final = lexicon.spellings("variants_word_initial")

_TOKEN = re.compile(r"\w+", re.UNICODE)
#: Particles that belong to the surname after them (entnorm/data/surname_particles.yaml).
SURNAME_PARTICLES: Final = lexicon.words("surname_particles")


def _letter_table(text: str) -> dict[str, tuple[str, ...]]:
    """Romanizations for the letters of ``text``, by the Cyrillic alphabet it uses.

    The tables are ``entnorm/data/variants_latin.yaml`` and ``variants_russian.yaml``,
    then ``variants_serbian.yaml`` or ``variants_ukrainian.yaml`` where ``text``
    has one of their ``letters``.
    """
    table = {**_LATIN, **_RUSSIAN}
    for letters, overrides in _LANGUAGES:
        if letters.intersection(text):
            table.update(overrides)
            break
    return table


def _segments(text: str) -> list[tuple[str, ...]]:
    """Split lower-cased ``text`` into choice tuples, one per letter or ending.

    Endings are those of ``entnorm/data/variants_endings.yaml``, letters at the
    start of a word those of ``variants_word_initial.yaml``, the others
    :func:`_letter_table`'s.
    """
    letters = _letter_table(text)
    out: list[tuple[str, ...]] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        at_end = i + 2 == len(text) or not text[i + 2 : i + 3].isalpha()
        at_start = i == 0 or not text[i - 1].isalpha()
        if pair in _ENDINGS and at_end:
            out.append(_ENDINGS[pair])
            i += 2
            continue
        ch = text[i]
        if at_start and ch in _WORD_INITIAL:
            out.append(_WORD_INITIAL[ch])
        else:
            out.append(letters.get(ch, (ch,)))
        i += 1
    return out


def _by_weight(choices: list[tuple[str, ...]], cap: int) -> Iterator[tuple[str, ...]]:
    """Yield combinations of ``choices`` with the fewest non-first picks first, at most ``cap``."""
    variable = [i for i, c in enumerate(choices) if len(c) > 1]
    first = [c[0] for c in choices]
    produced = 0
    for weight in range(len(variable) + 1):
        for positions in itertools.combinations(variable, weight):
            options = [choices[p][1:] for p in positions]
            for picks in itertools.product(*options):
                combo = list(first)
                for p, pick in zip(positions, picks, strict=False):
                    combo[p] = pick
                yield tuple(combo)
                produced += 1
                if produced >= cap:
                    return


def spelling_variants(alias: str, cap: int = MAX_SPELLINGS) -> list[str]:
    """Return romanized spellings of ``alias``, most likely first, at most ``cap``.

    Letters without a table entry are kept as they are (normalization folds
    them later). An alias with nothing to romanize returns ``[]``.

    >>> spelling_variants("Vučić")
    ['vucic', 'vuchic', 'vucich', 'vuchich']
    >>> spelling_variants("Зеленський")[:3]
    ['zelensky', 'zelenskiy', 'zelenskyy']
    >>> spelling_variants("Putin")
    []
    """
    text = unicodedata.normalize("NFC", alias).lower()
    if text.isascii():
        return []
    variants = ["".join(combo) for combo in _by_weight(_segments(text), cap)]
    return [] if variants == [text] else variants


def dropped_variants(alias: str) -> tuple[str, str, int] | None:
    """Return ``(dropped, marked, lost)`` for an alias with non-ASCII letters among ASCII ones.

    ``dropped`` has every non-ASCII letter removed (``Vui``), ``marked`` has a
    ``?`` in place of each (``Vu?i?``), and ``lost`` counts the removed letters.
    Returns None when nothing or everything would be dropped.

    >>> dropped_variants("Aleksandar Vučić")
    ('Aleksandar Vui', 'Aleksandar Vu?i?', 2)
    >>> dropped_variants("Putin") is None, dropped_variants("Путин") is None
    (True, True)
    """
    if alias.isascii():
        return None
    text = unicodedata.normalize("NFC", alias)
    gone = [not ch.isascii() and ch.isalpha() for ch in text]
    dropped = "".join(ch for ch, g in zip(text, gone, strict=False) if not g)
    if not any(gone) or not any(ch.isalpha() for ch in dropped):
        return None
    marked = "".join("?" if g else ch for ch, g in zip(text, gone, strict=False))
    return dropped, marked, sum(gone)


def person_forms(name: str) -> tuple[str, str] | None:
    """Return ``(surname, reordered)`` of a multi-word personal name, else None.

    The surname is the last word with any particles before it (``van der
    Bellen``; the particles of ``entnorm/data/surname_particles.yaml``);
    ``reordered`` puts it first (``Vučić Aleksandar``).

    >>> person_forms("Aleksandar Vučić")
    ('Vučić', 'Vučić Aleksandar')
    >>> person_forms("Alexander Van der Bellen")
    ('Van der Bellen', 'Van der Bellen Alexander')
    >>> person_forms("Madonna") is None
    True
    """
    words = _TOKEN.findall(name)
    if len(words) < 2:
        return None
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in SURNAME_PARTICLES:
        start -= 1
    surname = " ".join(words[start:])
    return surname, f"{surname} {' '.join(words[:start])}"
