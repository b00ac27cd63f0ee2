"""A bounded memo: answers kept for inputs that repeat, never more than a fixed number of them."""

from __future__ import annotations

import contextlib
from typing import TypeVar

__all__ = ["Memo"]

_K = TypeVar("_K")
_V = TypeVar("_V")


class Memo(dict[_K, _V]):
    """A dict of at most ``size`` entries: :meth:`keep` drops the oldest entry when it is full.

    Read it as a dict (``memo.get(key)``); write only through :meth:`keep`.
    What it holds never changes an answer, only how fast it comes: it memoizes
    pure functions of their input. Shared between threads, a lost entry (two
    threads dropping at once) only costs a recomputation.

    >>> memo: Memo[str, int] = Memo(2)
    >>> for word in ("a", "b", "c"):
    ...     memo.keep(word, len(word))
    1
    1
    1
    >>> list(memo)
    ['b', 'c']
    """

    __slots__ = ("size",)

    def __init__(self, size: int) -> None:
        super().__init__()
        if size < 1:
            msg = f"a memo keeps at least one entry, not {size}"
            raise ValueError(msg)
        self.size = size

    def keep(self, key: _K, value: _V) -> _V:
        """Store ``value`` under ``key`` (dropping the oldest entry if full) and return it."""
        if len(self) >= self.size and key not in self:
            with contextlib.suppress(KeyError, RuntimeError, StopIteration):  # another thread changed it meanwhile
                del self[next(iter(self))]
        self[key] = value
        return value

    def __reduce__(self) -> tuple[type[Memo[_K, _V]], tuple[int]]:
        """Pickled empty: a memo is rebuilt, not shipped."""
        return (type(self), (self.size,))
