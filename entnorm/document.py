"""Old path of :mod:`entnorm.text.resolver` (``entnorm.document.CONTEXT_WINDOW`` is documented)."""

from .text.resolver import CONTEXT_BONUS, CONTEXT_WINDOW, MAX_BOUND_ACRONYMS, DocumentResolver

__all__ = ["CONTEXT_BONUS", "CONTEXT_WINDOW", "MAX_BOUND_ACRONYMS", "DocumentResolver"]
