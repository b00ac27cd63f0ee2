"""The Normalizer: map a name to its canonical entity with a confidence, or abstain.

Use :func:`entnorm.load` to get one; it is built once, never changes, and can be
shared between threads or pickled to worker processes. A lookup tries, in one
pass, the acronyms (case-sensitive), the keys of every name, alias and
generated spelling, and, only when those give no strong answer, the fuzzy
index. All entities reached compete for the confidence (see
:mod:`entnorm.scoring`).
"""

from __future__ import annotations

import os
import unicodedata

from .index import Index, acronym_form, acronym_from_nfkc, build_index
from .model import Entity, Match, Method
from .normalize import key_from_nfkc, normalize_name, prefold_from_nfkc, prefold_name
from .scoring import DEFAULT_THRESHOLD, Z_WEAK, Z, fuzzy_z, is_derived, share
from .tables import BUILTIN, AliasTable, load_table

__all__ = ["Normalizer", "load"]

# Fuzzy matching runs only for unknown keys, and not after an acronym of at
# least this strength (p ~ 0.95).
_FUZZY_BELOW = 3.0
_FUZZY_METHODS = frozenset({"exact", "translit", "reordered", "surname"})
_TIE = 1e-9
# Equal evidence makes an ambiguous answer only when each would answer alone;
# ties among weak candidates (generic descriptions) stay plain candidates.
_AMBIGUOUS_FROM = 0.0
# "No precomputed answer": a Match no lookup returns, so the fast paths stay typed.
_UNKNOWN = Match(Entity("unknown", "unknown"), -1.0, "exact", "")


# entity number -> (z, method, alias)
_Evidence = dict[int, tuple[float, Method, str]]


def _offer(evidence: _Evidence, entity: int, z: float, method: Method, alias: str) -> None:
    old = evidence.get(entity)
    if old is None or z > old[0]:
        evidence[entity] = (z, method, alias)


def _check_threshold(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        msg = f"threshold must be in [0, 1], not {value!r}"
        raise ValueError(msg)
    return value


class Normalizer:
    """Maps names to the entities of one alias table.

    Args:
        table: the entities (see :func:`entnorm.tables.load_table`).
        threshold: default least confidence for :meth:`match`.
    """

    __slots__ = (
        "_ascii_sourced", "_exact_forms", "_exact_texts", "_index", "_plain", "_table", "_threshold",
    )

    def __init__(self, table: AliasTable, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self._table = table
        self._threshold = _check_threshold(threshold)
        self._index: Index = build_index(table)
        self._precompute_answers()

    def _precompute_answers(self) -> None:
        """Best matches for queries written like a name or alias, so they cost one dict lookup.

        A query whose key is such a key gets the key's hits as evidence, and
        only its prefolded form still matters (exact or folded). So:
        ``_plain[key]`` answers queries that prefold to the key itself (every
        ASCII query does); ``_exact_forms[form]`` answers queries that prefold
        to a non-ASCII source's form; ``_ascii_sourced`` lists the keys where a
        query that prefolds to neither needs the full lookup (an ASCII alias
        met with accents added), for the others ``_plain`` is that answer too.
        ``_exact_texts`` answers a non-ASCII query written exactly like a name
        or alias (after NFKC) without normalizing it at all. Acronyms are left
        out: their case decides.
        """
        index = self._index
        self._plain: dict[str, Match | None] = {}
        self._exact_forms: dict[str, tuple[str, Match | None]] = {}
        ascii_sourced = set()
        for key, hits in index.keys.items():
            forms = {h.form for h in hits if h.method == "exact"}
            if not forms or key in index.acronyms_folded:
                continue
            self._plain[key] = self._best(key, key)
            for form in forms - {key}:
                self._exact_forms[form] = (key, self._best(form, key))
            if key in forms:
                ascii_sourced.add(key)
        self._ascii_sourced = frozenset(ascii_sourced)
        self._exact_texts: dict[str, Match | None] = {}
        for entity in self._table:
            for alias in entity.names():
                text = unicodedata.normalize("NFKC", alias)
                key = key_from_nfkc(text)
                if not alias.isascii() and key in self._plain and not self._is_acronym(text):
                    self._exact_texts[text] = self._best(prefold_from_nfkc(text), key)

    def _is_acronym(self, text: str) -> bool:
        """Whether NFKC ``text`` is written like an acronym of the table, in any case."""
        return acronym_from_nfkc(text).casefold() in self._index.acronyms_folded

    def _best(self, query_form: str, key: str) -> Match | None:
        evidence: _Evidence = {}
        self._key_evidence(query_form, key, evidence)
        ranked = self._rank(evidence, 1)
        return ranked[0] if ranked else None

    @property
    def table(self) -> AliasTable:
        """The table this normalizer was built from."""
        return self._table

    @property
    def threshold(self) -> float:
        """Least confidence :meth:`match` answers with when not told otherwise."""
        return self._threshold

    def __repr__(self) -> str:
        return f"<Normalizer: {len(self._table)} entities, {len(self._index.keys)} keys>"

    def _key_evidence(self, query_form: str, key: str, evidence: _Evidence) -> None:
        """Evidence from the hits of ``key`` for a query whose prefolded form is ``query_form``."""
        for hit in self._index.keys[key]:
            method, z = hit.method, hit.z
            if method == "exact" and hit.form != query_form:
                method, z = "folded", z - (Z["exact"] - Z["folded"])
            _offer(evidence, hit.entity, z, method, hit.alias)  # type: ignore[arg-type]

    def _fuzzy_evidence(self, key: str, evidence: _Evidence) -> None:
        keys = self._index.keys
        for found, similarity in self._index.fuzzy.search(key):
            derived = is_derived(key, found)
            for hit in keys[found]:
                if hit.method in _FUZZY_METHODS and hit.z > Z_WEAK:
                    z = fuzzy_z(hit.z, similarity, derived=derived)
                    _offer(evidence, hit.entity, z, "fuzzy", hit.alias)

    def _evidence(self, name: str) -> _Evidence:
        evidence: _Evidence = {}
        index = self._index
        form = acronym_form(name)
        acronym_hits = index.acronyms.get(form) or index.acronyms_folded.get(form.casefold(), ())
        for hit in acronym_hits:
            _offer(evidence, hit.entity, hit.z, "acronym", hit.alias)
        key = normalize_name(name)
        if not key:
            return evidence
        if key in index.keys:
            self._key_evidence(prefold_name(name), key, evidence)
        elif key not in index.words and max((v[0] for v in evidence.values()), default=-1e9) < _FUZZY_BELOW:
            self._fuzzy_evidence(key, evidence)
        return evidence

    def _rank(self, evidence: _Evidence, limit: int) -> list[Match]:
        """Matches for the best ``limit`` entities of ``evidence``."""
        if not evidence or limit <= 0:
            return []
        ranked = sorted(evidence.items(), key=lambda item: (-item[1][0], item[0]))
        scores = share([z for _, (z, _, _) in ranked])
        top_z, top_method = ranked[0][1][0], ranked[0][1][1]
        decisive = top_method != "fuzzy" and top_z >= _AMBIGUOUS_FROM
        tied = [n for n, (z, _, _) in ranked if top_z - z <= _TIE] if decisive else []
        entities = self._index.entities
        group = tuple(entities[n] for n in tied) if len(tied) > 1 else ()
        group_score = min(sum(scores[: len(tied)]), 1.0)
        out = []
        for position, (number, (_, method, alias)) in enumerate(ranked[:limit]):
            entity = entities[number]
            if group and position < len(tied):
                others = tuple(e for e in group if e is not entity)
                out.append(Match(entity, group_score, method, alias, True, others))
            else:
                out.append(Match(entity, scores[position], method, alias))
        return out

    def candidates(self, name: str, *, limit: int = 5) -> list[Match]:
        """Entities ``name`` may refer to, best first, below-threshold ones included.

        Args:
            name: a name as written (any script, case, titles, possessive).
            limit: at most this many matches.

        Returns:
            Matches with their confidence; entities tied on the best evidence are
            marked ``ambiguous`` and list each other as ``alternatives``, and
            their score is the confidence that one of them is meant.
        """
        return self._rank(self._evidence(name), limit)

    def match(self, name: str, *, threshold: float | None = None) -> Match | None:
        """The entity ``name`` refers to, or None when the best confidence is below ``threshold``.

        Args:
            name: a name as written.
            threshold: least confidence in [0, 1]; None uses :attr:`threshold`.

        Returns:
            The best :class:`~entnorm.model.Match`, which may be ``ambiguous``.
        """
        found = self._plain.get(name.lower(), _UNKNOWN) if name.isascii() else self._known_answer(name)
        if found is _UNKNOWN:
            ranked = self.candidates(name, limit=1)
            found = ranked[0] if ranked else None
        if found is None:
            return None
        least = self._threshold if threshold is None else _check_threshold(threshold)
        return found if found.score >= least else None

    def _known_answer(self, name: str) -> Match | None:
        """The precomputed answer for a non-ASCII query, or _UNKNOWN (see _precompute_answers)."""
        text = unicodedata.normalize("NFKC", name)
        known = self._exact_texts.get(text, _UNKNOWN)
        if known is not _UNKNOWN:
            return known
        key = key_from_nfkc(text)
        plain = self._plain.get(key, _UNKNOWN)
        if plain is _UNKNOWN or self._is_acronym(text):
            return _UNKNOWN
        form = prefold_from_nfkc(text)
        if form == key:
            return plain
        by_form = self._exact_forms.get(form)
        if by_form is not None and by_form[0] == key:
            return by_form[1]
        return _UNKNOWN if key in self._ascii_sourced else plain

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with ``entity_id``, or None."""
        return self._table.get(entity_id)


def load(*paths: str | os.PathLike[str], threshold: float = DEFAULT_THRESHOLD) -> Normalizer:
    """Read alias tables and build a :class:`Normalizer` over them.

    Args:
        *paths: table files or folders; none means the bundled tables
            (:data:`entnorm.BUILTIN`), which can also be named among others.
        threshold: default least confidence for :meth:`Normalizer.match`.

    Raises:
        TableError: a table is malformed; the message starts with ``file:line:``.

    >>> load().match("Vucich").entity.id
    'aleksandar-vucic'
    """
    return Normalizer(load_table(*(paths or (BUILTIN,))), threshold=threshold)
