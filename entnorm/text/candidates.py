"""Candidates: spans of running text that may name an entity, before their document decides."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from ..index.build import Index
from ..keys.normalize import prefold_name
from ..match.evidence import Evidence, key_evidence
from ..model import Match
from .bound import BoundAcronyms

__all__ = ["Candidate", "CandidateSource", "ScanPass", "key_span_evidence", "span_evidence"]


@dataclass(slots=True)  # not frozen: made once per span, and a frozen one costs four times as much to make
class Candidate:
    """A span that may name an entity, before the document decides (not changed once made, but for evidence_of).

    Attributes:
        start, end: offsets into the text as a whole (the stream, for a scanner told a ``shift``).
        text: the span as written.
        evidence: the entities it reaches (see :mod:`entnorm.match.evidence`), or None
            for a key span until :meth:`evidence_of` computes them (most
            spans never need them: their best match decides).
        kind: ``key``, ``acronym``, ``fuzzy`` or ``bound`` (an acronym this
            document defined).
        definition: ``(acronym, start, end)`` of a ``Long Form (ACR)`` or
            ``Long Form, ACR,`` right after the span.
        best: the best match of ``evidence`` when already known.
        key: the index key of a ``key`` span.
    """

    start: int
    end: int
    text: str
    evidence: Evidence | None
    kind: str
    definition: tuple[str, int, int] | None = None
    best: Match | None = None
    key: str = ""

    def evidence_of(self, index: Index) -> Evidence:
        """The entities this span reaches, computed on first use where not known yet."""
        evidence = self.evidence
        if evidence is None:
            evidence = self.evidence = span_evidence(index, self.key, self.text)
        return evidence


class ScanPass:
    """The candidates of one pass of a scanner's ``candidates``, in batches, to iterate once.

    Attributes:
        resume: once iterated, where to scan again (see :meth:`entnorm.text.scanner.Scanner.scan`).
    """

    __slots__ = ("batches", "resume")

    def __init__(self, begin: int) -> None:
        self.resume = begin
        self.batches: Iterator[list[Candidate]] = iter(())

    def __iter__(self) -> Iterator[list[Candidate]]:
        return self.batches


class CandidateSource(Protocol):
    """What a document reads its candidates from: :class:`~entnorm.text.scanner.Scanner` or its reference twin."""

    def candidates(
        self, text: str, begin: int = 0, *, final: bool = True, bound: BoundAcronyms, shift: int = 0
    ) -> ScanPass:
        """Candidates starting in ``text[begin:]``, in batches (see :meth:`entnorm.text.scanner.Scanner.candidates`)."""
        ...


def span_evidence(index: Index, key: str, written: str) -> Evidence:
    """The evidence of a span of running text written ``written`` whose key is ``key``."""
    return key_span_evidence(index, key, key if written.isascii() else prefold_name(written), written.islower())


def key_span_evidence(index: Index, key: str, form: str, lowercase: bool) -> Evidence:
    """Evidence of a span with this key, prefolded form and case.

    Running text capitalizes names: an all lower-case span ("little") only
    reaches entities listed in lower case (weak aliases), not Mr Little.
    """
    evidence: Evidence = {}
    key_evidence(index, form, key, evidence)
    if lowercase:
        evidence = {n: hit for n, hit in evidence.items() if not _has_capitals(hit[2])}
    return evidence


def _has_capitals(text: str) -> bool:
    return any(ch.isupper() for ch in text)
