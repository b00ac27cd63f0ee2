"""Fuzzy lookup without scanning the table: a blocking index, then RapidFuzz.

Use :class:`FuzzyIndex` to find index keys spelled like a query key. A key is
a candidate only if it shares a word with the query up to one edit (symmetric
deletion, as in SymSpell: a word and all its one-letter deletions point to it),
or the query glued or split differently (``novisad`` / ``novi sad``). Only
candidates are scored, with :func:`rapidfuzz.fuzz.ratio`; the 0-100 score is
returned as a similarity in [0, 1].
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

__all__ = ["FuzzyIndex"]

# Words shorter than this are matched exactly only: their deletions are too common.
_MIN_DELETE = 4
# A word in more keys than this does not add candidates once rarer words have.
_COMMON = 2000
# At most this many candidates are scored per query.
_MAX_CANDIDATES = 4000


def _deletions(word: str) -> list[str]:
    """``word`` and every string one letter shorter.

    >>> _deletions("abc")
    ['abc']
    >>> _deletions("abcd")
    ['abcd', 'bcd', 'acd', 'abd', 'abc']
    """
    if len(word) < _MIN_DELETE:
        return [word]
    return [word, *(word[:i] + word[i + 1 :] for i in range(len(word)))]


def _words(key: str) -> list[str]:
    """The words of ``key``, plus all of them glued when there are several."""
    words = key.split()
    return [*words, "".join(words)] if len(words) > 1 else words


class FuzzyIndex:
    """Keys by word, and words by their one-letter deletions.

    Args:
        keys: normalized keys (as made by :func:`entnorm.normalize.normalize_name`).
    """

    __slots__ = ("_keys", "_postings", "_neighbours")

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys: list[str] = list(dict.fromkeys(keys))
        postings: dict[str, list[int]] = {}
        for number, key in enumerate(self._keys):
            for word in _words(key):
                postings.setdefault(word, []).append(number)
        neighbours: dict[str, list[str]] = {}
        for word in postings:
            for deleted in _deletions(word):
                neighbours.setdefault(deleted, []).append(word)
        self._postings = {w: tuple(p) for w, p in postings.items()}
        self._neighbours = {d: tuple(w) for d, w in neighbours.items()}

    def __len__(self) -> int:
        return len(self._keys)

    def _candidates(self, key: str) -> list[int]:
        """Numbers of keys sharing a word (up to one edit) with ``key``, rarest words first."""
        words: set[str] = set()
        for query_word in _words(key):
            for probe in _deletions(query_word):
                words.update(self._neighbours.get(probe, ()))
        lists = sorted((self._postings[w] for w in words), key=len)
        chosen: set[int] = set()
        for numbers in lists:
            if chosen and (len(numbers) > _COMMON or len(chosen) + len(numbers) > _MAX_CANDIDATES):
                break
            chosen.update(numbers[:_MAX_CANDIDATES])
        return sorted(chosen)

    def search(self, key: str, *, limit: int = 10, cutoff: float = 0.6) -> list[tuple[str, float]]:
        """Keys similar to ``key``, best first, as ``(key, similarity in [0, 1])``.

        Args:
            key: a normalized query key.
            limit: at most this many results.
            cutoff: least similarity returned.
        """
        numbers = self._candidates(key)
        if not numbers:
            return []
        choices = [self._keys[n] for n in numbers]
        found = process.extract(
            key, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff * 100
        )
        return [(choice, score / 100.0) for choice, score, _ in found]
