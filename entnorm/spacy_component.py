"""Old path of :mod:`entnorm.integrations.spacy` (spaCy entry points installed before the move name it)."""

from .integrations.spacy import ENT_LABELS, EntnormComponent, make_entnorm

__all__ = ["ENT_LABELS", "EntnormComponent", "make_entnorm"]
