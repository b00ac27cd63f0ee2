"""Finding candidate name spans in running text, in one pass, with offsets: the fast scanner.

Use :class:`Scanner` through :meth:`entnorm.Normalizer.annotate` and friends.
Two Aho–Corasick automata (``ahocorasick_rs``, Rust) run at C speed over a
folded view of the text (see :mod:`entnorm.keys.view`) that keeps letter case:
one for the words a key can start with, one for acronyms (see
:mod:`entnorm.index.triggers`), each padded by spaces so that only whole words
match (an acronym hit is then compared with the text: acronyms are
case-sensitive). Only at those places does Python look closer (see
:class:`~entnorm.text.spans.SpanReader`, leftmost-longest, no overlaps).

The fast path: where the view maps the text one character to one (ASCII
text), the words of a span are read from the view alone (:meth:`Scanner._verdict`)
and the best match of a span written like a table entry comes precomputed
(see :mod:`entnorm.match.answers`). :class:`~entnorm.text.reference.ReferenceScanner`
is the same scan without the fast path, written to be obviously right; the
tests run every text test through both.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Final

import ahocorasick_rs

from ..index.build import Index
from ..index.triggers import Trigger
from ..keys.view import IDENTITY
from ..match.answers import KnownAnswers
from .bound import BoundAcronyms
from .candidates import Candidate, ScanPass
from .spans import SpanReader, Start
from .words import CONTINUES, ENDS_WORD, INCOMPLETE, LOST, ONE_CHAR_SEPARATORS, POSSESSIVE_NEXT, TRICKY

__all__ = ["Scanner"]

# Bound acronyms written ahead are looked for this far at first (characters).
_BOUND_BLOCK = 64
_FAR: Final = sys.maxsize
_SKIP = "\x00skip"
_PENDING = "\x00pending"  # a verdict not read yet: most triggers inside an earlier span never need one


class Scanner(SpanReader):
    """Candidate spans of one table's names in text; built once per normalizer.

    Args:
        index: the normalizer's index.
        known: precomputed answers of names written like table entries.
    """

    __slots__ = ("_triggers",)

    def __init__(self, index: Index, known: KnownAnswers | None = None) -> None:
        super().__init__(index, known)
        patterns = index.triggers.patterns
        self._triggers = ahocorasick_rs.BytesAhoCorasick([f" {p} ".encode("ascii") for p in patterns])

    def candidates(
        self, text: str, begin: int = 0, *, final: bool = True, bound: BoundAcronyms, shift: int = 0
    ) -> ScanPass:
        """What :meth:`scan` finds, in batches, each made once the batch before has been taken.

        A batch ends after a candidate with a definition: taking it may bind an
        acronym (only a definition does), and the rest of the pass then finds
        ``bound`` as it has become. So a document is scanned once, however many
        acronyms it defines.
        """
        found = ScanPass(begin)
        found.batches = self._pass(text, begin, final, bound, shift, found)
        return found

    # -- where spans may start --------------------------------------------

    def _starts(
        self, text: str, begin: int, final: bool
    ) -> tuple[list[Start], int, str, dict[int, tuple[Trigger, int]]]:
        """Where keys and acronyms may start in ``text[begin:]``, and where complete words stop.

        Returns ``(starts, safe_end, view, pending)``: ``starts`` are in order,
        where a verdict of _PENDING is read by :meth:`_verdict` from ``view``
        and ``pending[offset]``; a trigger is valid only in ``[begin, safe_end)``.
        """
        look, padded, offsets, shift, safe_end = self._view(text, begin, final)
        starts: list[Start] = []
        pending: dict[int, tuple[Trigger, int]] = {}
        data = padded.encode("ascii", "replace")
        found = self._triggers.find_matches_as_indexes(data, overlapping=True)
        if offsets is IDENTITY:  # view offsets are text offsets, shifted: verdicts can be read from the view
            words = self._index.triggers.words
            base = look + 1 - shift
            size = len(padded)
            for pattern, at, to in found:
                position = at + base
                if not begin <= position < safe_end:
                    continue
                trigger = words[pattern]
                ends = trigger.ends
                # A word that only begins keys, then a lower-case word no key
                # continues with: nothing starts here (what _verdict finds as _SKIP).
                if (ends and to < size and padded[to] in ends
                        and text[position + len(trigger.word)] in ONE_CHAR_SEPARATORS
                        and not (position and text[position - 1] in TRICKY)):
                    continue
                pending[position] = (trigger, to)
                starts.append((position, -1, _PENDING))
        else:
            original = offsets.original
            for _, at, _ in found:
                position = look + original(at + 1 - shift)
                if begin <= position < safe_end:
                    starts.append((position, -1, ""))
        starts.extend(self._acronym_starts(text, begin, look, data, shift, offsets))
        starts.sort()
        return starts, safe_end, padded, pending

    def _verdict(self, text: str, view: str, position: int, trigger: Trigger, view_end: int, final: bool) -> str:
        """The span at a trigger read from the view alone, when its words are plain.

        Used only where the view maps text one character to one (so view offsets
        are text offsets). Returns the key of the longest span when every word is
        plain and separated by one space, hyphen or line break (the span then
        has the key's length); _SKIP when no key completes and the word that
        stopped the search is in lower case, or nothing can follow the first
        word (so not even a fuzzy span can start here); "" when the words need
        the closer look of :meth:`~entnorm.text.spans.SpanReader._key_span`.
        """
        keys, prefixes = self._index.keys, self._index.triggers.prefixes
        if position and text[position - 1] in TRICKY:
            return ""
        length = len(text)
        joined = trigger.word
        end = position + len(joined)
        best = joined if trigger.is_key else ""
        more = trigger.is_prefix  # whether longer keys begin with joined
        count = 1
        last = len(joined)  # length of the last word read
        max_words = self._index.triggers.max_words
        while True:
            if end + 3 > length and not final:
                return ""
            after = text[end : end + 1]
            ended = False  # nothing can continue the name after this word
            if after in TRICKY:
                if after in LOST:  # lost letters end the word unless a letter follows (Vu?i?)
                    stop = end + 1
                    while stop < length and text[stop] in LOST:
                        stop += 1
                    if (stop >= length and not final) or text[stop : stop + 1] not in ENDS_WORD:
                        return ""
                    ended = True
                elif not POSSESSIVE_NEXT.match(text, end):
                    return ""
            elif after not in CONTINUES and (after != "." or last > 3):  # see the separators of words.py
                ended = True
            if not more or count >= max_words:
                return best
            if ended:
                # What the closer look finds: the longest key, else, with one word
                # only, nothing (a fuzzy span needs a second word).
                return best or (_SKIP if count == 1 else "")
            if after not in ONE_CHAR_SEPARATORS or view[view_end : view_end + 1] in ("", " "):
                return ""
            view_stop = view.find(" ", view_end)
            if view_stop < 0:
                return ""
            nxt = view[view_end:view_stop]
            joined = f"{joined} {nxt.lower()}"
            last = len(nxt)
            end += 1 + last
            view_end = view_stop + 1
            count += 1
            more = joined in prefixes
            if joined in keys:
                best = joined
            elif not best and (nxt[0].islower() or trigger.lower) and not more:
                # No key, and a word read is no name: nothing here (a fuzzy span
                # needs capitalized words), unless the closer look reads the
                # words differently: it does not for plain ones.
                if end + 3 > length and not final:
                    return ""
                return _SKIP if text[end : end + 1] not in TRICKY else ""

    # -- the pass ----------------------------------------------------------

    def _pass(
        self, text: str, begin: int, final: bool, bound: BoundAcronyms, shift: int, into: ScanPass
    ) -> Iterator[list[Candidate]]:
        """The batches of :meth:`candidates`; sets ``into.resume`` at the end."""
        starts, safe_end, view, pending = self._starts(text, begin, final)
        starts.append((_FAR, -1, ""))  # a sentinel: no loop below needs to count
        length = len(text)
        candidates: list[Candidate] = []
        cursor = begin
        index = 0
        # Bound acronyms written ahead (see BoundAcronyms.written): hits[hit:] are
        # those in [cursor, looked) as bound.version was `seen`; next_hit is the
        # first of them, else `looked` (where to look further), _FAR when none are
        # bound or none are left. They are looked for in blocks that double (from
        # _BOUND_BLOCK), and again from the cursor when the forms change: that
        # costs one pass over the text and, per change, at most twice the text up
        # to the next change. Where more text may follow, nothing from `limit` on
        # is decided while acronyms are bound: a form there may be cut off (QB-2
        # arriving as QB-).
        seen = bound.version
        hits: list[Start] = []
        hit = 0
        looked = begin
        reach = _BOUND_BLOCK
        next_hit = begin if bound else _FAR
        limit = length if final else length - bound.longest
        resume = -1  # where the pass stopped, if it stopped early
        while True:
            position = starts[index][0]
            if next_hit <= position:
                if next_hit == _FAR:  # the sentinel, and no bound acronym left before it
                    break
                if hit == len(hits):  # look further
                    start = max(looked, cursor)
                    if start >= limit:
                        if limit < length:  # what is left starts at or after the limit
                            resume = max(cursor, min(safe_end, limit))
                            break
                        next_hit = _FAR
                        continue
                    looked = min(start + reach, limit)
                    reach *= 2
                    hits, hit = bound.written(text, start, looked), 0
                    next_hit = hits[0][0] if hits else looked
                    continue
                position = hits[hit][0]
                group_end = hit + 1
                while group_end < len(hits) and hits[group_end][0] == position:
                    group_end += 1
                group = hits[hit:group_end]
                hit = group_end
                next_hit = hits[hit][0] if hit < len(hits) else looked
                if position < cursor:
                    continue
                if starts[index][0] == position:  # keys or table acronyms may start here too
                    here, index = self._group(text, view, starts, index, pending, final)
                    group = sorted([*here, *group])
                decided = self._at(text, group, final, bound, shift)
            elif position < cursor:  # inside the span before: most triggers are, and need no verdict
                index += 1
                continue
            elif starts[index][2] is _PENDING and starts[index + 1][0] != position:
                # The common case, one key trigger here: its verdict, at most one span (no group to weigh).
                index += 1
                trigger, to = pending[position]
                verdict = self._verdict(text, view, position, trigger, to, final)
                if verdict == _SKIP:
                    continue
                decided = (self._single(text, position, verdict, final, shift) if verdict
                           else self._key_span(text, position, final, shift))
            else:
                group, index = self._group(text, view, starts, index, pending, final)
                decided = self._at(text, group, final, bound, shift) if group else None
            if decided is INCOMPLETE:
                resume = position
                break
            if isinstance(decided, Candidate):
                candidates.append(decided)
                cursor = decided.end - shift
                if decided.definition is not None:
                    yield candidates
                    candidates = []
                    if bound.version != seen:  # it bound an acronym: look for the forms again from here
                        seen = bound.version
                        hits, hit, looked, reach = [], 0, cursor, _BOUND_BLOCK
                        next_hit = cursor if bound else _FAR
                        limit = length if final else length - bound.longest
        if candidates:
            yield candidates
        into.resume = resume if resume >= 0 else max(cursor, safe_end)

    def _group(
        self, text: str, view: str, starts: list[Start], index: int, pending: dict[int, tuple[Trigger, int]],
        final: bool,
    ) -> tuple[list[Start], int]:
        """The starts at ``starts[index]``'s position, a pending key verdict read, and the index after them."""
        position = starts[index][0]
        end = index + 1
        while starts[end][0] == position:
            end += 1
        group = starts[index:end]
        if group[0][2] is _PENDING:
            trigger, to = pending[position]
            verdict = self._verdict(text, view, position, trigger, to, final)
            group = group[1:] if verdict == _SKIP else [(position, -1, verdict), *group[1:]]
        return group, end

    def __repr__(self) -> str:
        return f"<Scanner: {len(self._index.triggers.patterns)} trigger patterns>"
