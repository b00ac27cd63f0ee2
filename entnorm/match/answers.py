"""Best matches for text written like a name or alias of the table, computed once.

Use :class:`KnownAnswers` where a name or a span of text may repeat a table
entry: :class:`entnorm.Normalizer` answers most lookups from it with one dict
lookup, and :mod:`entnorm.scan` most spans of running text.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from ..index.build import Index, acronym_from_nfkc
from ..keys.normalize import key_from_nfkc, prefold_from_nfkc
from ..model import Entity, Match
from ..tables.table import AliasTable
from .evidence import Evidence, key_evidence, rank

__all__ = ["UNKNOWN", "KnownAnswers"]

#: "No precomputed answer": a Match no lookup returns, so the fast paths stay typed.
UNKNOWN: Final = Match(Entity("unknown", "unknown"), -1.0, "exact", "")


class KnownAnswers:
    """The best match of every key for the ways a table writes it.

    A query whose key is a key of the index gets the key's hits as evidence,
    and only its prefolded form still matters (exact or folded). So:
    ``_plain[key]`` answers queries that prefold to the key itself (every
    ASCII query does); ``_exact_forms[form]`` answers queries that prefold to
    a non-ASCII source's form; ``_ascii_sourced`` lists the keys where a query
    that prefolds to neither needs the full lookup (an ASCII alias met with
    accents added), for the others ``_plain`` is that answer too.
    ``_exact_texts`` answers a non-ASCII query written exactly like a name or
    alias (after NFKC) without normalizing it at all. Acronyms are left out:
    their case decides.

    Args:
        index: the index to answer from.
        table: the table it was built from.
    """

    __slots__ = ("_ascii_sourced", "_exact_forms", "_exact_texts", "_index", "_plain")

    def __init__(self, index: Index, table: AliasTable) -> None:
        self._index = index
        self._plain: dict[str, Match | None] = {}
        self._exact_forms: dict[str, tuple[str, Match | None]] = {}
        ascii_sourced = set()
        for key, hits in index.keys.items():
            forms = {form for _, method, _, _, form in hits if method == "exact"}
            if not forms or key in index.acronyms_folded:
                continue
            self._plain[key] = self._best(key, key)
            for form in forms - {key}:
                self._exact_forms[form] = (key, self._best(form, key))
            if key in forms:
                ascii_sourced.add(key)
        self._ascii_sourced = frozenset(ascii_sourced)
        self._exact_texts: dict[str, Match | None] = {}
        for entity in table:
            for alias in entity.names():
                text = unicodedata.normalize("NFKC", alias)
                key = key_from_nfkc(text)
                if not alias.isascii() and key in self._plain and not self._is_acronym(text):
                    self._exact_texts[text] = self._best(prefold_from_nfkc(text), key)

    def _is_acronym(self, text: str) -> bool:
        """Whether NFKC ``text`` is written like an acronym of the table, in any case."""
        return acronym_from_nfkc(text).casefold() in self._index.acronyms_folded

    def _best(self, query_form: str, key: str) -> Match | None:
        evidence: Evidence = {}
        key_evidence(self._index, query_form, key, evidence)
        ranked = rank(self._index, evidence, 1)
        return ranked[0] if ranked else None

    def of_ascii(self, name: str) -> Match | None:
        """The answer for an ASCII query, or UNKNOWN."""
        return self._plain.get(name.lower(), UNKNOWN)

    def of_text(self, name: str) -> Match | None:
        """The answer for a non-ASCII query, or UNKNOWN."""
        text = unicodedata.normalize("NFKC", name)
        known = self._exact_texts.get(text, UNKNOWN)
        if known is not UNKNOWN:
            return known
        key = key_from_nfkc(text)
        if key not in self._plain or self._is_acronym(text):
            return UNKNOWN
        return self.of_key(key, prefold_from_nfkc(text))

    def of_key(self, key: str, form: str) -> Match | None:
        """The answer for a query with this key and prefolded form, or UNKNOWN."""
        plain = self._plain.get(key, UNKNOWN)
        if plain is UNKNOWN or form == key:
            return plain
        by_form = self._exact_forms.get(form)
        if by_form is not None and by_form[0] == key:
            return by_form[1]
        return UNKNOWN if key in self._ascii_sourced else plain
