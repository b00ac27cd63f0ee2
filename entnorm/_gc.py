"""Pausing the cycle collector while large structures are built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for a bulk build, then restore it as it was.

    Building a large table allocates millions of objects that all survive; the
    collector would otherwise rescan the growing heap again and again, which
    can cost more than the build itself. Reference counting still frees
    everything short-lived meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
