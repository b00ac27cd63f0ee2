"""Synthetic personal names and the misspellings people make of them, from a fixed seed.

The names are built from syllables, a share of them with the diacritics of
Central European names, so folding matters; the misspellings are single-letter
edits (substitution, deletion, insertion, transposition of neighbours).
"""

from __future__ import annotations

import random
import string

__all__ = ["ascii_fold", "mangle_case", "misspell", "names"]

_ONSETS = "b c d f g h j k l m n p r s t v z br dr gr kr pr st tr vl sl".split()
_VOWELS = "a e i o u a e i o".split()
_CODAS = ["", "", "", "n", "r", "s", "k", "l", "ch", "m", "v"]
# A word in ACCENTED_SHARE of cases also draws from these.
_ONSETS_ACCENTED = [*_ONSETS, "č", "š", "ž", "đ", "ć"]
_VOWELS_ACCENTED = [*_VOWELS, "ä", "ö", "é"]
_CODAS_ACCENTED = [*_CODAS, "ć", "č", "š"]
ACCENTED_SHARE = 0.3


def _word(rng: random.Random, syllables: int) -> str:
    accented = rng.random() < ACCENTED_SHARE
    onsets, vowels, codas = (
        (_ONSETS_ACCENTED, _VOWELS_ACCENTED, _CODAS_ACCENTED) if accented else (_ONSETS, _VOWELS, _CODAS)
    )
    parts = [rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables)]
    return ("".join(parts) + rng.choice(codas)).capitalize()


def names(count: int, seed: int = 7) -> list[str]:
    """``count`` distinct ``Given Surname`` names."""
    rng = random.Random(seed)
    given = list(dict.fromkeys(_word(rng, rng.choice((2, 2, 3))) for _ in range(count // 20 + 50)))
    out: dict[str, None] = {}
    while len(out) < count:
        out[f"{rng.choice(given)} {_word(rng, rng.choice((2, 3, 3, 4)))}"] = None
    return list(out)


def misspell(name: str, rng: random.Random, edits: int = 1) -> str:
    """``name`` with ``edits`` single-letter edits, none on spaces."""
    text = name
    for _ in range(edits):
        positions = [i for i, ch in enumerate(text) if ch != " "]
        i = rng.choice(positions)
        kind = rng.choice(("sub", "del", "ins", "swap"))
        letter = rng.choice(string.ascii_lowercase)
        if kind == "sub":
            text = text[:i] + letter + text[i + 1 :]
        elif kind == "del" and len(positions) > 4:
            text = text[:i] + text[i + 1 :]
        elif kind == "swap" and i + 1 < len(text) and text[i + 1] != " ":
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        else:
            text = text[:i] + letter + text[i:]
    return text


def mangle_case(name: str, rng: random.Random) -> str:
    """The name upper-cased, lower-cased or as written."""
    return rng.choice((str.upper, str.lower, str))(name)


def ascii_fold(name: str) -> str:
    """The name with its diacritics removed, as many newsrooms print it."""
    from unidecode import unidecode

    return unidecode(name)
