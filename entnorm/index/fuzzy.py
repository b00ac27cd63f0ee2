"""Fuzzy lookup without scanning the table: a blocking index, then RapidFuzz.

Use :class:`FuzzyIndex` to find index keys spelled like a query key. A key is
a candidate only if it shares a word with the query up to one edit (symmetric
deletion, as in SymSpell: a word and all its one-letter deletions point to it),
or is the query with its words glued together or split apart
(``novisad`` / ``novi sad``). Only candidates are scored, with
:func:`rapidfuzz.fuzz.ratio` of the query as written and, for several words,
with its words reversed (``Bettel Xavier``); the better 0-100 score is
returned as a similarity in [0, 1].

The work per key and per query is bounded, whatever the table or the input:
a key longer than :data:`MAX_KEY` characters is not a fuzzy target (it is
still found by its exact key), a word longer than :data:`MAX_WORD` characters
is matched exactly only (its deletions are not indexed), and a query key too
long to reach the cutoff against the longest target (or longer than
:data:`MAX_QUERY`) is not searched: it could not be similar to any.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

__all__ = ["MAX_KEY", "MAX_QUERY", "MAX_WORD", "FuzzyIndex"]

# Words shorter than this are matched exactly only: their deletions are too common.
_MIN_DELETE = 4
# A word in more keys than this does not add candidates once rarer words have.
_COMMON = 2000
# At most this many candidates are scored per query.
_MAX_CANDIDATES = 4000
#: Longer keys are not fuzzy targets (no name is this long; building their blocks would cost for nothing).
MAX_KEY = 256
#: Longer words are matched exactly only: their one-letter deletions (quadratic in length) are not indexed.
MAX_WORD = 64
#: Longer query keys are never searched, whatever the cutoff.
MAX_QUERY = 1024


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


class FuzzyIndex:
    """Keys by word, words by their one-letter deletions, and keys by their glued words.

    Args:
        keys: normalized keys (as made by :func:`entnorm.normalize.normalize_name`);
            those longer than :data:`MAX_KEY` are left out.
    """

    __slots__ = ("_glued", "_keys", "_longest", "_neighbours", "_postings", "_reach")

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys: list[str] = [key for key in dict.fromkeys(keys) if len(key) <= MAX_KEY]
        postings: dict[str, list[int]] = {}
        glued: dict[str, list[int]] = {}
        for number, key in enumerate(self._keys):
            words = key.split()
            for word in words:
                postings.setdefault(word, []).append(number)
            if len(words) > 1:
                glued.setdefault("".join(words), []).append(number)
        # Most deletions lead to one word: store it bare, a tuple only when shared.
        neighbours: dict[str, str | tuple[str, ...]] = {}
        longest_word = 0
        for word in postings:
            if len(word) > MAX_WORD:
                probes = [word]
            else:
                probes = _deletions(word)
                longest_word = max(longest_word, len(word))
            for deleted in probes:
                seen = neighbours.get(deleted)
                if seen is None:
                    neighbours[deleted] = word
                elif isinstance(seen, str):
                    neighbours[deleted] = (seen, word)
                else:
                    neighbours[deleted] = (*seen, word)
        # Tuples of numbers, unlike lists, are not tracked by the cycle collector.
        self._postings = {word: tuple(numbers) for word, numbers in postings.items()}
        self._glued = {word: tuple(numbers) for word, numbers in glued.items()}
        self._neighbours = neighbours
        # A query word longer than this is no deletion away from an indexed word or its deletions.
        self._reach = longest_word + 1
        self._longest = max(map(len, self._keys), default=0)

    def __len__(self) -> int:
        return len(self._keys)

    def _candidates(self, key: str) -> list[int]:
        """Numbers of keys sharing a word (up to one edit) with ``key``, rarest words first.

        Keys written with the words glued together (or split apart) are found
        through the glued form, without edits.
        """
        words = key.split()
        found: set[str] = set()
        neighbours = self._neighbours
        reach = self._reach
        for query_word in words:
            for probe in _deletions(query_word) if len(query_word) <= reach else (query_word,):
                seen = neighbours.get(probe)
                if seen is None:
                    continue
                if isinstance(seen, str):
                    found.add(seen)
                else:
                    found.update(seen)
        lists = [self._postings[w] for w in found]
        whole = "".join(words)
        lists += [p for p in (self._glued.get(whole), self._postings.get(whole) if len(words) > 1 else None) if p]
        lists.sort(key=len)
        chosen: set[int] = set()
        for numbers in lists:
            if chosen and (len(numbers) > _COMMON or len(chosen) + len(numbers) > _MAX_CANDIDATES):
                break
            chosen.update(numbers[:_MAX_CANDIDATES])
        return sorted(chosen)

    def _out_of_reach(self, key: str, cutoff: float) -> bool:
        """Whether ``key`` is too long to be searched: :data:`MAX_QUERY`, or no target can reach ``cutoff``.

        :func:`rapidfuzz.fuzz.ratio` is at most ``2 * m / (m + n)`` for strings of
        lengths ``m <= n``, so a query of ``n`` characters scores below ``cutoff``
        against every key shorter than ``n * cutoff / (2 - cutoff)``.
        """
        if len(key) > MAX_QUERY:
            return True
        return cutoff > 0 and len(key) * cutoff > self._longest * (2 - cutoff) + 1e-9

    def search(self, key: str, *, limit: int = 10, cutoff: float = 0.6) -> list[tuple[str, float]]:
        """Keys similar to ``key``, best first, as ``(key, similarity in [0, 1])``.

        Args:
            key: a normalized query key; one too long to be similar to any key
                (or longer than :data:`MAX_QUERY`) finds nothing.
            limit: at most this many results.
            cutoff: least similarity returned.
        """
        if self._out_of_reach(key, cutoff):
            return []
        numbers = self._candidates(key)
        if not numbers:
            return []
        choices = [self._keys[n] for n in numbers]
        best: dict[str, float] = {}
        words = key.split()
        for query in (key, " ".join(reversed(words))) if len(words) > 1 else (key,):
            for choice, score, _ in process.extract(
                query, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff * 100
            ):
                best[choice] = max(score, best.get(choice, 0.0))
        ranked = sorted(best.items(), key=lambda item: -item[1])[:limit]
        return [(choice, score / 100.0) for choice, score in ranked]
