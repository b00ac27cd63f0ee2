"""The bounded memo behind the scanners' caches: bounded, oldest out first, safe to share, pickled empty."""

from __future__ import annotations

import pickle
import threading

import pytest

from entnorm._memo import Memo


def test_a_memo_never_holds_more_than_its_size_and_drops_the_oldest() -> None:
    memo: Memo[int, int] = Memo(100)
    for n in range(1_000):
        assert memo.keep(n, n * n) == n * n
        assert len(memo) <= 100
    assert sorted(memo) == list(range(900, 1_000))
    assert all(memo[n] == n * n for n in memo)


def test_keeping_a_key_again_drops_nothing() -> None:
    memo: Memo[str, int] = Memo(2)
    memo.keep("a", 1)
    memo.keep("b", 2)
    memo.keep("a", 3)
    assert dict(memo) == {"a": 3, "b": 2}


def test_a_memo_is_pickled_empty_with_its_size() -> None:
    memo: Memo[str, int] = Memo(7)
    memo.keep("a", 1)
    copy = pickle.loads(pickle.dumps(memo))
    assert isinstance(copy, Memo) and copy.size == 7 and not copy


def test_a_memo_keeps_at_least_one_entry() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Memo(0)


def test_threads_sharing_a_full_memo_raise_nothing() -> None:
    memo: Memo[int, int] = Memo(8)
    errors: list[BaseException] = []

    def hammer(offset: int) -> None:
        try:
            for n in range(20_000):
                memo.keep(offset + n % 50, n)
                assert len(memo) <= 8 + 4  # a racing thread may add its entry before another drops one
        except BaseException as error:  # any failure of a thread is the test's failure
            errors.append(error)

    threads = [threading.Thread(target=hammer, args=(k * 100,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
