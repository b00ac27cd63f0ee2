"""Name normalization: the one function that turns a written name into an index key.

Use :func:`normalize_name` whenever a name has to be compared with the alias
tables. Index building and queries share it: every key in the index is
``normalize_name(alias)`` (or of a generated spelling of an alias), and every
query is looked up as ``normalize_name(query)``. Changing a step here changes
both sides at once, which is the point.

The steps, in order:

1. Unicode NFKC (ligatures, full-width forms, compatibility digits);
2. Cyrillic letters to Latin with one fixed table (Serbian ``ћ`` -> ``c``,
   ``ч`` -> ``ch``, ...; ``entnorm/data/fold_cyrillic.yaml``), then
   :func:`unidecode.unidecode` for every other script (``folded`` step,
   skipped by :func:`prefold_name`); a letter or digit that
   unidecode leaves empty (Tifinagh, Gothic, Coptic, Ol Chiki, Cuneiform, ...)
   stays itself, case-folded (NFKC), so ``ⴰⵣⵓⵍ`` has the key ``ⴰⵣⵓⵍ``;
3. casefold;
4. quotes unified (``’`` -> ``'``); hyphens, dashes, ``_`` and other punctuation
   become spaces; ``.`` is deleted (``U.S.`` -> ``us``);
   U+FFFD becomes ``?``, and ``?`` survives only where a pipeline lost a letter
   inside a word (``Vu??i??`` -> ``vu?i?``, one ``?`` a run), else it is deleted;
   a lone surrogate (``"\ud800"``, which no UTF encoding can write) is no
   letter and becomes a space;
5. a possessive ``'s`` is dropped, then the remaining apostrophes;
6. leading honorifics and titles (``Mr``, ``President``, ``Serbian Prime
   Minister``; ``entnorm/data/titles.yaml``) and a leading ``the`` are removed
   while a name remains;
7. whitespace squashed to single spaces.

A name with a letter or digit (Unicode categories L and N, after NFKC) always
has a key: when the steps above leave nothing (``Ь``, ``’s``), the key is its
case-folded letters and digits. Only a name without any is keyed ``""``.
Keys are ASCII but for the letters of scripts without a romanization.

The result is idempotent: ``normalize_name(normalize_name(x)) == normalize_name(x)``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Final

from unidecode import unidecode

from . import lexicon

__all__ = [
    "KEY_TABLE", "LOST_INSIDE", "TITLES", "CharTable", "is_name_char", "key_from_nfkc", "normalize_name",
    "prefold_from_nfkc", "prefold_name",
]

# Primary Cyrillic -> Latin table used when folding (entnorm/data/fold_cyrillic.yaml):
# Serbian letters follow Gaj's Latin without diacritics (ћ -> c, ђ -> dj), the
# rest common English practice for Russian and Ukrainian. Spelling variants (ch
# for ć, kh/h for х, ...) are generated for aliases in :mod:`entnorm.keys.variants`.
_CYRILLIC: Final = lexicon.spelling("fold_cyrillic")
_APOSTROPHES = "\u2019\u2018\u201b\u02bc\u2032\u0060\u00b4\uff07"
_DELETED = ".\u00ad\u200b\u200c\u200d\u2060\ufeff"

# What each ASCII character becomes: letters and digits lower-cased, the
# apostrophe and "?" kept for the steps after, "." deleted, the rest a space.
_ASCII_TABLE: dict[int, str | None] = {c: chr(c).lower() if chr(c).isalnum() else " " for c in range(128)}
_ASCII_TABLE.update({ord("'"): "'", ord("?"): "?", ord("."): None})
# Non-ASCII characters with a fixed meaning in keys and prefolded forms.
_SPECIAL: dict[int, str | None] = {
    **{ord(ch): "'" for ch in _APOSTROPHES},
    ord("\ufffd"): "?",
    **{ord(ch): None for ch in _DELETED},
}


def is_name_char(char: str) -> bool:
    """Whether ``char`` is a letter or a digit (Unicode category L* or N*): what makes a name."""
    return unicodedata.category(char)[0] in "LN"


def _fold_char(char: str) -> str:
    """Key text of one non-ASCII character: Cyrillic by ``entnorm/data/fold_cyrillic.yaml``, the rest by unidecode.

    A lone surrogate (text decoded with ``surrogateescape``, or half of a pair
    cut apart) is no letter: it separates words. A letter or digit unidecode
    has no romanization for is kept, case-folded (and NFKC, folded again if
    that changes it: a case variant unidecode knows).
    """
    if "\ud800" <= char <= "\udfff":
        return " "
    latin = _CYRILLIC.get(char.lower())
    if latin is not None:
        return latin.translate(_ASCII_TABLE)
    roman = unidecode(char)
    if roman or not is_name_char(char):
        return roman.translate(_ASCII_TABLE)
    folded = unicodedata.normalize("NFKC", char.casefold())
    return folded if folded == char else folded.translate(KEY_TABLE)


def _prefold_char(char: str) -> str:
    """Prefolded text of one character: case-folded, letters, digits and marks kept, else a space."""
    return "".join(c if c.isalnum() or unicodedata.category(c)[0] == "M" else " " for c in char.casefold())


class CharTable(dict[int, "str | None"]):
    """A ``str.translate`` table that learns each new character from a per-character rule.

    Both rules work one character at a time (unidecode and case folding do
    too), so translating a whole string gives the same text as applying the
    rule to each character, at the speed of a dict lookup once a character
    has been seen.
    """

    def __init__(self, rule: Callable[[str], str], fixed: dict[int, str | None]) -> None:
        super().__init__(fixed)
        self._rule = rule

    def __missing__(self, code: int) -> str:
        value = self._rule(chr(code))
        self[code] = value
        return value


KEY_TABLE = CharTable(_fold_char, {**_ASCII_TABLE, **_SPECIAL})
_PREFOLD_TABLE = CharTable(_prefold_char, {**_ASCII_TABLE, **_SPECIAL})
_LOST = re.compile(r"\?+")
#: Marks of lost letters (``?``, U+FFFD) between two letters of one word: ``Vu?i?`` keeps its first.
LOST_INSIDE = re.compile(r"[^\W_][?\ufffd]+[^\W_]")
_POSSESSIVE = re.compile(r"'s\b|(?<=s)'(?=\s|$)")

#: Honorifics and offices removed from the front of a name (entnorm/data/titles.yaml).
#: Words that are often part of a name themselves (king, pope, prince, sheikh,
#: general) are left out.
TITLES: Final = lexicon.words("titles")
_TITLE_WORDS = tuple(sorted({len(t.split()) for t in TITLES}, reverse=True))
_TITLE_HEADS = frozenset(t.split()[0] for t in TITLES)
# Words that make a title before them an office (entnorm/data/office_links.yaml).
_OFFICE_LINKS: Final = lexicon.words("office_links")


def _title_length(tokens: list[str], start: int) -> int:
    """Number of tokens of the title starting at ``tokens[start]``, or 0."""
    for n in _TITLE_WORDS:
        if " ".join(tokens[start : start + n]) in TITLES:
            return n
    return 0


def _strip_leading(tokens: list[str]) -> list[str]:
    """Drop a leading ``the`` and titles (after up to two qualifiers) while a name remains.

    The titles are those of ``entnorm/data/titles.yaml``. A title followed by
    ``of``, ``for`` or ``to`` (``entnorm/data/office_links.yaml``) names an office and stays.

    >>> _strip_leading("the serbian president aleksandar vucic".split())
    ['aleksandar', 'vucic']
    >>> _strip_leading("minister of defence".split())
    ['minister', 'of', 'defence']
    >>> _strip_leading(["president"])
    ['president']
    """
    start = 0  # an index, not slices: a long run of titles stays linear
    while len(tokens) - start > 1:
        if tokens[start] != "the" and _TITLE_HEADS.isdisjoint(tokens[start : start + 3]):
            break
        if tokens[start] == "the":
            start += 1
            continue
        for skip in range(3):  # "president x", "serbian president x", "former us president x"
            n = _title_length(tokens, start + skip)
            if n and len(tokens) > start + skip + n and tokens[start + skip + n] not in _OFFICE_LINKS:
                start += skip + n
                break
        else:
            break
    return tokens[start:] if start else tokens


def _lost_letters(token: str) -> str:
    """Keep ``?`` marks of lost letters inside a word, one per run; drop the others.

    >>> _lost_letters("vu??i??"), _lost_letters("vucic?"), _lost_letters("?")
    ('vu?i?', 'vucic', '')
    """
    token = _LOST.sub("?", token)
    return token if LOST_INSIDE.search(token) else token.replace("?", "")


def _finish(text: str) -> str:
    """Possessives, apostrophes, lost letters, leading titles and spaces of a cleaned string."""
    if "'" in text:
        text = _POSSESSIVE.sub("", text).replace("'", "")
    tokens = text.split()
    if "?" in text:
        tokens = [t for t in map(_lost_letters, tokens) if t]
    if len(tokens) > 1:
        tokens = _strip_leading(tokens)
    return " ".join(tokens)


def _finish_name(cleaned: str, text: str) -> str:
    """:func:`_finish` of ``cleaned`` (``text`` through a table), never empty for a name with a letter or digit.

    Where the steps leave nothing of letters that are there (``’s``), the
    apostrophes count as spaces; where no letter has a key text (``Ъ``, ``ʻ``),
    the letters themselves are the key.
    """
    return _finish(cleaned) or (_finish(cleaned.replace("'", " ")) if "'" in cleaned else "") or _bare_letters(text)


def _bare_letters(text: str) -> str:
    """The letters and digits of each word of ``text``, case-folded where that keeps them without key text.

    >>> _bare_letters("Ъ!"), _bare_letters("ʻ ʻ"), _bare_letters("—…!")
    ('ъ', 'ʻ ʻ', '')
    """
    words = ("".join(map(_bare_char, filter(is_name_char, word))) for word in text.split())
    return " ".join(word for word in words if word)


def _bare_char(char: str) -> str:
    """``char`` case-folded (NFKC), unless its folded form has a key text of its own (``Ӏ`` -> ``ӏ`` -> ``l``)."""
    folded = "".join(filter(is_name_char, unicodedata.normalize("NFKC", char.casefold())))
    return folded if folded and not any(c.isalnum() for c in folded.translate(KEY_TABLE)) else char


def normalize_name(name: str) -> str:
    """Return the index key of ``name``: folded to ASCII, lower case, no titles.

    Args:
        name: a name as written, in any script.

    Returns:
        The key; an empty string only when ``name`` has no letter or digit.

    >>> normalize_name("Mr Vučić")
    'vucic'
    >>> normalize_name("Russia’s Federal Security Service")
    'russia federal security service'
    >>> normalize_name("Александар Вучић")
    'aleksandar vuchic'
    >>> normalize_name("Vu\ufffd\ufffdi\ufffd\ufffd?")
    'vu?i?'
    >>> normalize_name("Vucic?")
    'vucic'
    """
    if name.isascii():
        return _finish_name(name.translate(_ASCII_TABLE), name)
    return key_from_nfkc(unicodedata.normalize("NFKC", name))


def key_from_nfkc(text: str) -> str:
    """:func:`normalize_name` of a string already in NFKC (saves normalizing it twice)."""
    return _finish_name(text.translate(KEY_TABLE), text)


def prefold_from_nfkc(text: str) -> str:
    """:func:`prefold_name` of a string already in NFKC."""
    return _finish_name(text.translate(_PREFOLD_TABLE), text)


def prefold_name(name: str) -> str:
    """Like :func:`normalize_name` but without folding to ASCII.

    Two names with equal prefolded forms are written the same way up to case,
    punctuation, spacing and titles; the matcher reports such a hit as
    ``exact`` and a hit that needed folding as ``folded``.

    >>> prefold_name("Mr VUČIĆ")
    'vučić'
    """
    if name.isascii():
        return normalize_name(name)
    return prefold_from_nfkc(unicodedata.normalize("NFKC", name))
