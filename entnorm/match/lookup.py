"""Looking a name up in one index: acronyms, keys, then the fuzzy blocks; ranked, calibrated answers.

Use :class:`Lookup` through :class:`entnorm.Normalizer` (``match``, ``candidates``, ``best``).
A lookup tries, in one pass, the acronyms (case-sensitive), the keys of every
name, alias and generated spelling, and, only when those give no strong answer,
the fuzzy index. All entities reached compete for the confidence (see
:mod:`entnorm.match.scoring`). Most queries written like a table entry are
answered from :class:`~entnorm.match.answers.KnownAnswers` with one dict lookup.
"""

from __future__ import annotations

from ..index.build import Index, acronym_form
from ..keys.normalize import normalize_name, prefold_name
from ..model import Match
from ..tables.table import AliasTable
from .answers import UNKNOWN, KnownAnswers
from .evidence import Evidence, acronym_evidence, fuzzy_evidence, key_evidence, rank

__all__ = ["Lookup"]

# Fuzzy matching runs only for unknown keys, and not after an acronym of at
# least this strength (p ~ 0.95).
_FUZZY_BELOW = 3.0


class Lookup:
    """Answers for names from one table's index; built once, never changed.

    Args:
        index: the table's index.
        table: the table it was built from (its names get precomputed answers).

    Attributes:
        index: the index answers come from.
        known: the precomputed answers of names written like table entries.
    """

    __slots__ = ("index", "known")

    def __init__(self, index: Index, table: AliasTable) -> None:
        self.index = index
        self.known = KnownAnswers(index, table)

    def evidence(self, name: str) -> Evidence:
        """The entities ``name`` reaches, with the strength of each."""
        evidence: Evidence = {}
        index = self.index
        acronym_evidence(index, acronym_form(name), evidence, any_case=True)
        key = normalize_name(name)
        if not key:
            return evidence
        if key in index.keys:
            key_evidence(index, prefold_name(name), key, evidence)
        elif key not in index.words and max((v[0] for v in evidence.values()), default=-1e9) < _FUZZY_BELOW:
            fuzzy_evidence(index, key, evidence)
        return evidence

    def candidates(self, name: str, limit: int) -> list[Match]:
        """The best ``limit`` matches of ``name``, best first (see :func:`~entnorm.match.evidence.rank`)."""
        return rank(self.index, self.evidence(name), limit)

    def best(self, name: str) -> Match | None:
        """The best match of ``name`` whatever its score, or None when it reaches no entity."""
        known = self.known
        found = known.of_ascii(name) if name.isascii() else known.of_text(name)
        if found is UNKNOWN:
            ranked = self.candidates(name, 1)
            found = ranked[0] if ranked else None
        return found
