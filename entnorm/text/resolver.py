"""Deciding one document's mentions: context, acronym definitions, conflicts, order.

Use :class:`DocumentResolver` through :meth:`entnorm.Normalizer.annotate` and
:meth:`~entnorm.Normalizer.stream`. Candidates (from :mod:`entnorm.scan`) come
in text order; each is decided as soon as possible and mentions leave in text
order:

- a candidate that is confident enough alone is a mention, and its entity is
  now *named* in the document;
- a weak one (``Vui``, a weak alias) waits; when its entity is named anywhere
  in the document, before or after it, it becomes a mention with method
  ``context``; at the end of the document (or :data:`CONTEXT_WINDOW`
  characters later) it is dropped;
- ``Long Form (ACR)`` or ``Long Form, ACR,`` binds ACR to the long form's
  entity for the rest of the document (of acronyms the table lacks, the last
  :data:`MAX_BOUND_ACRONYMS` defined). If the table gives ACR to a different
  entity (``Federal Security Service (SVR)``), the long form becomes a
  conflict with a split score and both entities, and every use of the acronym
  is flagged as a conflict too.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from ..index.build import Index, acronym_form
from ..index.strengths import Z
from ..match.evidence import Evidence, rank
from ..match.scoring import share
from ..model import Entity, Match, Mention, Method
from .bound import BoundAcronyms
from .candidates import Candidate

__all__ = ["CONTEXT_BONUS", "CONTEXT_WINDOW", "MAX_BOUND_ACRONYMS", "DocumentResolver"]

#: Evidence added to a weak candidate whose entity the document names elsewhere.
CONTEXT_BONUS = 6.0
#: A weak candidate waits at most this many characters for its entity to be named.
CONTEXT_WINDOW = 1_000_000
#: A document binds at most this many acronyms the table lacks at a time; a
#: new one beyond unbinds the one defined first.
MAX_BOUND_ACRONYMS = 10_000
# Score of each side of a long form whose acronym names another entity.
_CONFLICT_SCORE = share([Z["exact"], Z["exact"]])[0]


class _Waiting:
    """A candidate waits for context."""


WAITING = _Waiting()


@dataclass(slots=True)
class _Slot:
    """A candidate waiting in the queue, until decided (``mention`` or dropped)."""

    candidate: Candidate
    mention: Mention | None = None
    waiting: bool = True


class DocumentResolver:
    """Decides the mentions of one document from its candidates, in text order.

    Args:
        index: the normalizer's index.
        threshold: least confidence of a mention.
        window: how far a weak candidate waits for context (characters).
    """

    def __init__(self, index: Index, threshold: float, window: int = CONTEXT_WINDOW) -> None:
        self._index = index
        self._threshold = threshold
        self._window = window
        self._numbers = index.numbers
        # What the document keeps grows with the table, the window or MAX_BOUND_ACRONYMS, not with
        # the text: entities named (at most the table's), acronyms bound (the table's and at most
        # MAX_BOUND_ACRONYMS more), and the queue and waiting slots (the window and the chunk
        # being read: see ready).
        self._named: set[int] = set()
        # acronym form -> (entity number, numbers of the entities it conflicts with)
        self._bindings: dict[str, tuple[int, tuple[int, ...]]] = {}
        self._bound = BoundAcronyms()
        # Mentions decided after something waited, and the slots of what waits, in text order.
        self._queue: deque[_Slot | Mention] = deque()
        # Mentions final before anything waited, not yet handed out.
        self._done: list[Mention] = []
        # Waiting slots, in order and by the entities not named yet that they might be, each in
        # text order. Entries that stopped waiting are skipped, and dropped once at the front
        # (see waiting_from, _forget): both hold only slots of the queue.
        self._waiting: deque[_Slot] = deque()
        self._waiting_for: dict[int, deque[_Slot]] = {}

    @property
    def bound(self) -> BoundAcronyms:
        """Acronyms this document defined that the table does not know, as the scanner finds them.

        They change as candidates are taken: scan with them as they are (see
        :meth:`entnorm.text.scanner.Scanner.candidates`).
        """
        return self._bound

    # -- deciding ------------------------------------------------------------

    def _mention(
        self, candidate: Candidate, match: Match, method: Method | None = None,
        conflicts: tuple[Entity, ...] = (),
    ) -> Mention:
        """The mention ``candidate`` makes as ``match``; ``conflicts`` flags it as a conflict with those."""
        if conflicts:
            return Mention(
                candidate.start, candidate.end, candidate.text, match.entity, match.score, method or match.method,
                True, conflicts,
            )
        return Mention(
            candidate.start, candidate.end, candidate.text, match.entity, match.score, method or match.method,
            False, match.alternatives,
        )

    def _entities(self, numbers: tuple[int, ...]) -> tuple[Entity, ...]:
        return tuple(self._index.entities[n] for n in numbers)

    def _with_context(self, evidence: Evidence) -> Match | None:
        """The best match once named entities get the context bonus, if any is named."""
        if not self._named.intersection(evidence):
            return None
        boosted = {
            n: (z + CONTEXT_BONUS, method, alias) if n in self._named else (z, method, alias)
            for n, (z, method, alias) in evidence.items()
        }
        ranked = rank(self._index, boosted, 1)
        return ranked[0] if ranked and ranked[0].score >= self._threshold else None

    def _name(self, number: int, position: int) -> None:
        """Note that the document names entity ``number`` at ``position``; waiting candidates may now resolve.

        Only those that began at most the window before it: what :meth:`ready`
        has not dropped yet depends on how the text arrived, this does not.
        """
        if number in self._named:
            return
        self._named.add(number)
        for slot in self._waiting_for.pop(number, ()):
            if slot.waiting and position - slot.candidate.start <= self._window:
                match = self._with_context(slot.candidate.evidence_of(self._index))
                if match is not None:
                    slot.mention, slot.waiting = self._mention(slot.candidate, match, "context"), False

    def _bound_mention(self, candidate: Candidate) -> Mention | None:
        """A candidate written as an acronym the document has bound, if it is one."""
        binding = self._bindings.get(acronym_form(candidate.text))
        if binding is None:
            return None
        number, conflicts = binding
        if candidate.kind == "bound":
            score = share([Z["acronym"]])[0]
            entity = self._index.entities[number]
            return Mention(candidate.start, candidate.end, candidate.text, entity, score, "context")
        ranked = rank(self._index, candidate.evidence_of(self._index), 1)
        if not ranked or not conflicts:
            return None
        return self._mention(candidate, ranked[0], conflicts=self._entities(conflicts))

    def _define(self, candidate: Candidate, match: Match) -> Mention | None:
        """Bind the acronym a long form defines; the long form's mention if they conflict."""
        assert candidate.definition is not None
        acronym = acronym_form(candidate.definition[0])
        long_form = self._numbers[match.entity.id]
        owners = tuple(hit[0] for hit in self._index.acronyms.get(acronym, ()))
        if not owners or long_form in owners:
            if acronym not in self._bindings:
                self._bindings[acronym] = (long_form, ())
                if not owners:
                    self._bound.add(acronym)
                    if len(self._bound) > MAX_BOUND_ACRONYMS:
                        del self._bindings[self._bound.pop_oldest()]
            return None
        self._bindings[acronym] = (owners[0], (long_form,))
        return Mention(
            candidate.start, candidate.end, candidate.text, match.entity, _CONFLICT_SCORE, match.method,
            conflict=True, alternatives=self._entities(owners[:1]),
        )

    def _decision(self, candidate: Candidate) -> Mention | _Waiting | None:
        """The mention ``candidate`` makes now, None if none, or WAITING for context."""
        if candidate.kind in ("acronym", "bound"):
            bound = self._bound_mention(candidate)
            if bound is not None:
                self._name(self._numbers[bound.entity.id], candidate.start)
                return bound
        top = candidate.best
        if top is None:
            ranked = rank(self._index, candidate.evidence_of(self._index), 1)
            if not ranked:
                return None
            top = ranked[0]
        if top.score >= self._threshold:
            if candidate.definition is not None:
                conflict = self._define(candidate, top)
                if conflict is not None:
                    return conflict
            self._name(self._numbers[top.entity.id], candidate.start)
            return self._mention(candidate, top)
        match = self._with_context(candidate.evidence_of(self._index))
        if match is not None:
            return self._mention(candidate, match, "context")
        return WAITING if candidate.kind in ("key", "fuzzy") else None

    # -- the queue -----------------------------------------------------------

    def add_all(self, candidates: Iterable[Candidate]) -> None:
        """Take candidates in text order, each as :meth:`add` does.

        Only a candidate with a definition changes :attr:`bound` (the scanner
        relies on it: see :meth:`entnorm.text.scanner.Scanner.candidates`).
        """
        for candidate in candidates:
            self.add(candidate)

    def add(self, candidate: Candidate) -> None:
        """Take the next candidate (offsets in the document's text)."""
        decided = self._decision(candidate)
        if decided is not WAITING and not self._queue:  # nothing waits before it: final now
            if decided is not None:
                self._done.append(decided)  # type: ignore[arg-type]
            return
        if decided is not WAITING:
            if decided is not None:
                self._queue.append(decided)  # type: ignore[arg-type]
            return
        slot = _Slot(candidate)
        self._queue.append(slot)
        self._waiting.append(slot)
        named, waiting_for = self._named, self._waiting_for
        for number in candidate.evidence_of(self._index):
            if number not in named:  # a named entity is not named again: nothing would wake the slot
                found = waiting_for.get(number)
                if found is None:
                    found = waiting_for[number] = deque()
                found.append(slot)

    def _forget(self, slot: _Slot) -> None:
        """Drop a slot that left the queue from the lists of the entities it waited for.

        Slots leave the queue in text order, so what stopped waiting in those
        lists is at their front; an emptied list goes too.
        """
        waiting_for = self._waiting_for
        for number in slot.candidate.evidence or ():
            found = waiting_for.get(number)
            if found is None:
                continue
            while found and not found[0].waiting:
                found.popleft()
            if not found:
                del waiting_for[number]

    def ready(self, position: int) -> list[Mention]:
        """Mentions decided so far, in order, up to the first still waiting.

        Args:
            position: how far the text has been read; candidates waiting since
                more than the window before it are dropped.
        """
        out, self._done = self._done, []
        queue = self._queue
        while queue:
            head = queue[0]
            if isinstance(head, Mention):
                out.append(head)
                queue.popleft()
                continue
            if head.waiting and position - head.candidate.start <= self._window:
                break
            queue.popleft()
            if head.waiting:  # waited longer than the window: dropped
                head.waiting = False
            self._forget(head)
            if head.mention is not None:
                out.append(head.mention)
        return out

    def waiting_from(self) -> int | None:
        """Start of the first candidate still waiting for context, if any."""
        while self._waiting and not self._waiting[0].waiting:
            self._waiting.popleft()
        return self._waiting[0].candidate.start if self._waiting else None

    def close(self) -> list[Mention]:
        """The remaining mentions at the end of the document; waiting candidates are dropped."""
        out = self._done
        for item in self._queue:
            if isinstance(item, Mention):
                out.append(item)
            elif item.mention is not None:
                out.append(item.mention)
        self._done = []
        self._queue.clear()
        self._waiting.clear()
        self._waiting_for.clear()
        return out
