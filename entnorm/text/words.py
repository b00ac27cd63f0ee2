"""The words of running text: what a word is, what joins two words of one name, and reading them.

A word is a letter or digit, then letters, digits, combining marks, lost-letter
marks (``?``, U+FFFD) and apostrophes followed by a letter (``O'Brien``), but
not a final possessive ``'s``. Two words of one name are joined by spaces (one
line break at most) or one hyphen; a possessive may end the first word
(``Russia's foreign ...``), and a short word may end in a dot (``St. Petersburg``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, NamedTuple

from .._memo import Memo
from ..keys.normalize import LOST_INSIDE, normalize_name

__all__ = [
    "CONTINUES", "ENDS_WORD", "INCOMPLETE", "LOST", "MAX_WORD", "ONE_CHAR_SEPARATORS", "POSSESSIVE_NEXT", "TRICKY",
    "WORD_CHAR", "WORD_GAP_REACH", "Incomplete", "Word", "WordReader", "is_capitalized",
]

#: Longer runs of letters are not words of a name (and are not read further).
MAX_WORD: Final = 255


def _mark_class() -> str:
    """A regex class body of combining marks and invisible joiners (word-internal)."""
    ranges: list[list[int]] = []
    for code in [*range(0x0300, 0x3000), *range(0xFE00, 0xFE30)]:
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    body = "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in ranges)
    return body + "\\u00ad\\u200b-\\u200d\\u2060"


_MARKS = _mark_class()
_TOKEN = re.compile(rf"[^\W_](?:[^\W_]|[{_MARKS}]|[?\ufffd]|['’](?![sS](?![^\W_]))(?=[^\W_])){{0,{MAX_WORD}}}")
_SEPARATOR = re.compile(
    r"(?:['’][sS])?(?:[ \t\u00a0]{1,8}|[ \t\u00a0]{0,8}\r?\n[ \t\u00a0]{0,8}|[ \t\u00a0]?[-‐‑–—][ \t\u00a0]?)(?=[^\W_])"
)
#: How far a separator between two words of a name may reach (where less text is left, it may be cut off).
WORD_GAP_REACH: Final = 20
_DOT_SEPARATOR = re.compile(r"\.[ \t\u00a0]{1,8}(?=[^\W_])")
#: Characters next to a word that may make its token differ from its view word.
TRICKY: Final = frozenset("'’?\ufffd")
#: A letter, digit or underscore.
WORD_CHAR: Final = re.compile(r"\w").match
#: A possessive ``'s`` that ends a word.
POSSESSIVE_NEXT: Final = re.compile(r"['’][sS](?![^\W_])")
#: Separators of one character.
ONE_CHAR_SEPARATORS: Final = frozenset(" \t\n\u00a0-‐‑–—")
#: What may follow a word and start a separator (after TRICKY ones).
CONTINUES: Final = ONE_CHAR_SEPARATORS | {"\r"}
#: Marks of a lost letter.
LOST: Final = frozenset("?\ufffd")
#: What may follow lost-letter marks at the end of a word (not a letter that makes them inside one).
ENDS_WORD: Final = frozenset(" \t\n\r\u00a0.,;:!?)]}\"-") | {""}
# Keys kept for words seen before.
_MAX_TOKEN_KEYS = 100_000


class Incomplete:
    """The text ends before this can be decided; scan again with more text."""

    def __repr__(self) -> str:
        return "INCOMPLETE"


#: The one :class:`Incomplete`.
INCOMPLETE: Final = Incomplete()


class Word(NamedTuple):
    """A word of running text: its offsets and its key."""

    start: int
    end: int
    key: str


def is_capitalized(word: str) -> bool:
    """Whether ``word`` begins with a capital letter."""
    return word[:1].isupper()


class WordReader:
    """Reads the words of names in running text, with their keys (kept: words repeat)."""

    __slots__ = ("_keys",)

    def __init__(self) -> None:
        self._keys: Memo[str, str] = Memo(_MAX_TOKEN_KEYS)

    def key(self, word: str) -> str:
        """The key of one word (:func:`~entnorm.keys.normalize.normalize_name`)."""
        key = self._keys.get(word)
        return self._keys.keep(word, normalize_name(word)) if key is None else key

    def word_at(self, text: str, position: int, final: bool) -> Word | Incomplete | None:
        """The word starting at ``position``, INCOMPLETE if it may go on past the text."""
        match = _TOKEN.match(text, position)
        if match is None:
            return None
        end = match.end()
        word = match.group()
        if len(word) > MAX_WORD:
            return None
        if end + 3 > len(text) and not final:  # more letters or a possessive may follow
            return INCOMPLETE
        if word[-1] in "?\ufffd" and not LOST_INSIDE.search(word):  # lost marks end a word, not inside one
            word = word.rstrip("?\ufffd")
            end = position + len(word)
        key = self.key(word)
        return Word(position, end, key) if key else None

    def next_word(self, text: str, word: Word, final: bool) -> Word | Incomplete | None:
        """The word that continues a name after ``word``, if only a separator lies between."""
        separator = _SEPARATOR.match(text, word.end)
        if separator is None and word.end - word.start <= 3:
            separator = _DOT_SEPARATOR.match(text, word.end)  # St. Petersburg
        if separator is None:
            return INCOMPLETE if len(text) - word.end < WORD_GAP_REACH and not final else None
        if separator.end() >= len(text) and not final:
            return INCOMPLETE
        return self.word_at(text, separator.end(), final)
