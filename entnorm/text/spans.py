"""Reading the candidate span at one position of running text: the closer look both scanners share.

A span covers name words only: titles, a leading ``the`` and a trailing
possessive stay outside; hyphens and punctuation end a span (``pro-VUCIC``,
``said.Serbian``), except a hyphen between words of one name (``Novi-Sad``).
At a position where a key may start, :class:`SpanReader` reads the words that
follow, joins their keys and keeps the longest one the index knows; where a
key's first words match but no key completes, a short capitalized continuation
is tried against the fuzzy index (``Xavier Bethel``). Acronyms are
case-sensitive; those that are also common English words link only outside
all-capital text, and most never do. A span of several words notes a
``Long Form (ACR)`` or ``Long Form, ACR,`` right after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final

import ahocorasick_rs

from .._memo import Memo
from ..index.build import Index, acronym_form
from ..keys import lexicon
from ..keys.normalize import prefold_name
from ..keys.view import IDENTITY, ViewMap, make_view
from ..match.answers import UNKNOWN, KnownAnswers
from ..match.evidence import Evidence, acronym_evidence, fuzzy_evidence, rank
from ..model import Match
from .bound import BoundAcronyms
from .candidates import Candidate, ScanPass, key_span_evidence
from .words import INCOMPLETE, WORD_CHAR, Incomplete, Word, WordReader, is_capitalized

__all__ = [
    "COMMON_WORDS", "DEFINITION_REACH", "LOOKBEHIND", "WORD_ACRONYMS_LINKED", "SpanReader", "Start", "may_define",
]

# Long Form (ACR) or Long Form, ACR, right after a span.
_DEFINITION = re.compile(r"\s{0,3}(?:\(\s{0,2}([^\W_][\w&.-]{0,11})\s{0,2}\)|,\s{1,3}([^\W_][\w&.-]{0,11}),)")
#: Text after a span that a definition may need (where less is left, more may follow).
DEFINITION_REACH: Final = 24
#: Acronyms that are also common English words link in text only when they are
#: not among all-capital words (a headline), and most never do (data/common_words.yaml).
COMMON_WORDS: Final = lexicon.words("common_words")
#: Word-like acronyms that still link outside all-capital text ("the US", "the WHO"; data/word_acronyms_linked.yaml).
WORD_ACRONYMS_LINKED: Final = lexicon.words("word_acronyms_linked")
_CAPITAL_WORD = re.compile(r"[^\W\d_]{2,}")
# How far around a word-like acronym the scanner looks for capitals; text this
# far back is kept between chunks (LOOKBEHIND), and this far ahead must have arrived.
_CAPITALS_REACH = 30
#: Characters before a resume point that a scan may read.
LOOKBEHIND: Final = _CAPITALS_REACH + 2
_MAX_FUZZY_EXTRA = 2
# Answers kept per scanner for spans seen before.
_MAX_ANSWERS = 20_000
# A fuzzy span needs at least this evidence (even odds alone) to be a candidate.
_FUZZY_ACCEPT = 0.0

#: Where a candidate may start: ``(offset, acronym end or -1 for a key, key read from the view or "")``.
Start = tuple[int, int, str]


class SpanReader:
    """The closer look at candidate spans of one table's names; what a scanner is built on.

    Args:
        index: the normalizer's index.
        known: precomputed answers of names written like table entries (faster, same answers).
    """

    __slots__ = ("_acronyms", "_answers", "_fuzzy", "_index", "_known", "_spans", "_words")

    def __init__(self, index: Index, known: KnownAnswers | None = None) -> None:
        self._index = index
        self._known = known
        views = index.triggers.acronym_views
        # The view is ASCII: bytes are its characters, and searching bytes is faster.
        self._acronyms = (
            ahocorasick_rs.BytesAhoCorasick([f" {v} ".encode("ascii", "replace") for v in views]) if views else None
        )
        self._words = WordReader()
        # Answers memoized by (key, prefolded form, lower case), by the span as written, by fuzzy key.
        self._answers: Memo[tuple[str, str, bool], tuple[Evidence, Match | None]] = Memo(_MAX_ANSWERS)
        self._spans: Memo[str, Match | None] = Memo(_MAX_ANSWERS)
        self._fuzzy: Memo[str, Evidence] = Memo(_MAX_ANSWERS)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as what it is built from: the automata cannot be pickled, the memos need not be."""
        return (type(self), (self._index, self._known))

    def scan(
        self, text: str, begin: int = 0, *, final: bool = True, bound: Iterable[str] = (), shift: int = 0
    ) -> tuple[list[Candidate], int]:
        """Candidate spans starting in ``text[begin:]``, leftmost-longest, without overlaps.

        Args:
            text: the text (offsets of candidates index it, plus ``shift``).
            begin: where to start; ``text[begin - 1]`` is read as the character before.
            final: whether ``text`` is all there is (else spans touching its end wait).
            bound: acronyms outside the table that this document has defined.
            shift: added to the offsets of candidates (where ``text`` lies in a stream).

        Returns:
            ``(candidates, resume)``: everything starting before ``resume`` (an
            offset into ``text``) is decided; scan again from ``resume`` once
            more text has arrived.
        """
        found = self.candidates(
            text, begin, final=final, bound=bound if isinstance(bound, BoundAcronyms) else BoundAcronyms(bound),
            shift=shift,
        )
        return [candidate for batch in found for candidate in batch], found.resume

    def candidates(
        self, text: str, begin: int = 0, *, final: bool = True, bound: BoundAcronyms, shift: int = 0
    ) -> ScanPass:
        """What :meth:`scan` finds, in batches, each made once the batch before has been taken (see subclasses)."""
        raise NotImplementedError

    # -- keys --------------------------------------------------------------

    def _key_span(self, text: str, position: int, final: bool, shift: int) -> Candidate | Incomplete | None:
        """The longest key starting at ``position`` (or a fuzzy one where keys only begin)."""
        first = self._words.word_at(text, position, final)
        if not isinstance(first, Word):
            return first
        keys, prefixes, max_words = self._index.keys, self._index.triggers.prefixes, self._index.triggers.max_words
        words = [first]
        joined = first.key
        best: tuple[int, str] | None = (1, joined) if joined in keys else None
        while joined in prefixes and len(words) < max_words:
            following = self._words.next_word(text, words[-1], final)
            if following is INCOMPLETE:
                return INCOMPLETE
            if not isinstance(following, Word):
                break
            words.append(following)
            joined = f"{joined} {following.key}"
            if joined in keys:
                best = (len(words), joined)
        if best is None:
            return self._fuzzy_span(text, words, final, shift)
        count, key = best
        start, end = first.start, words[count - 1].end
        written = text[start:end]
        evidence, match = self._key_answer(key, prefold_name(written), written.islower())
        return self._key_candidate(text, start, end, written, evidence, match, final, shift, key)

    def _key_answer(self, key: str, form: str, lowercase: bool, keep: bool = True) -> tuple[Evidence, Match | None]:
        """Evidence and best match for a span with this key, prefolded form and case.

        Names repeat in text, so answers are kept (the table never changes),
        unless ``keep`` is false (the caller keeps them). See
        :func:`~entnorm.text.candidates.key_span_evidence`.
        """
        cached = self._answers.get((key, form, lowercase)) if keep else None
        if cached is not None:
            return cached
        evidence = key_span_evidence(self._index, key, form, lowercase)
        match: Match | None = UNKNOWN
        if not lowercase and self._known is not None:
            match = self._known.of_key(key, form)
        if match is UNKNOWN:
            ranked = rank(self._index, evidence, 1)
            match = ranked[0] if ranked else None
        answer = (evidence, match)
        return self._answers.keep((key, form, lowercase), answer) if keep else answer

    def _single(self, text: str, position: int, key: str, final: bool, shift: int) -> Candidate | Incomplete | None:
        """The span of a key the view already found whole (see :meth:`entnorm.text.scanner.Scanner._verdict`)."""
        end = position + len(key)
        written = text[position:end]
        match = self._spans.get(written, UNKNOWN)
        if match is UNKNOWN:
            match = self._span_match(written, key)
        return self._key_candidate(text, position, end, written, None, match, final, shift, key)

    def _span_match(self, written: str, key: str) -> Match | None:
        """The best match of a span the view found whole (None: no entity), kept by the span as written.

        Its evidence is left for :meth:`Candidate.evidence_of`: a match known in
        advance needs none.
        """
        form = key if written.isascii() else prefold_name(written)
        lowercase = written.islower()
        match = UNKNOWN if lowercase or self._known is None else self._known.of_key(key, form)
        if match is UNKNOWN:
            match = self._key_answer(key, form, lowercase, keep=False)[1]
        return self._spans.keep(written, match)

    def _key_candidate(
        self, text: str, start: int, end: int, written: str, evidence: Evidence | None, match: Match | None,
        final: bool, shift: int, key: str,
    ) -> Candidate | Incomplete | None:
        """The candidate of a key span ``text[start:end]`` (none without a match), offsets ``shift`` further on."""
        if match is None:
            return None
        definition = None
        if " " in written or "-" in written:  # one word defines no acronym
            found = self._definition(text, end, final)
            if isinstance(found, Incomplete):
                return INCOMPLETE
            if found is not None:
                definition = (found[0], found[1] + shift, found[2] + shift)
        return Candidate(start + shift, end + shift, written, evidence, "key", definition, match, key)

    def _definition(self, text: str, end: int, final: bool) -> tuple[str, int, int] | Incomplete | None:
        """``(acronym, start, end)`` of a ``(ACR)`` or ``, ACR,`` at ``end``, if there is one."""
        if len(text) - end < DEFINITION_REACH and not final:
            return INCOMPLETE
        if not may_define(text, end):
            return None
        found = _DEFINITION.match(text, end)
        if found is None:
            return None
        group = 1 if found.group(1) else 2
        acronym = found.group(group)
        if sum(ch.isupper() for ch in acronym) < 2 and acronym not in self._index.acronyms:
            return None
        return acronym, found.start(group), found.end(group)

    # -- fuzzy -------------------------------------------------------------

    def _fuzzy_evidence(self, key: str) -> Evidence:
        """Evidence for a key spelled like index keys (kept: capitalized word pairs repeat in text)."""
        evidence = self._fuzzy.get(key)
        if evidence is None:
            evidence = {}
            fuzzy_evidence(self._index, key, evidence)
            self._fuzzy.keep(key, evidence)
        return evidence

    def _fuzzy_span(self, text: str, words: list[Word], final: bool, shift: int) -> Candidate | Incomplete | None:
        """A misspelled name whose first words are a key's: try one or two more capitalized words."""
        matched = len(words) - 1 if len(words) > 1 else 1
        if len(words) == 1:
            following = self._words.next_word(text, words[0], final)
            if following is INCOMPLETE:
                return INCOMPLETE
            if not isinstance(following, Word):
                return None
            words.append(following)
        best: tuple[float, int, Evidence] | None = None
        for extra in range(1, _MAX_FUZZY_EXTRA + 1):
            count = matched + extra
            while len(words) < count:
                following = self._words.next_word(text, words[-1], final)
                if following is INCOMPLETE:
                    return INCOMPLETE
                if not isinstance(following, Word):
                    break
                words.append(following)
            if len(words) < count or not all(is_capitalized(text[w.start : w.end]) for w in words[:count]):
                break
            evidence = self._fuzzy_evidence(" ".join(w.key for w in words[:count]))
            top = max((z for z, _, _ in evidence.values()), default=None)
            if top is not None and (best is None or top > best[0]):
                best = (top, count, evidence)
        if best is None or best[0] < _FUZZY_ACCEPT:
            return None  # too unlike any name to hide the words it covers from other keys
        _, count, evidence = best
        start, end = words[0].start, words[count - 1].end
        return Candidate(start + shift, end + shift, text[start:end], evidence, "fuzzy")

    # -- the view ----------------------------------------------------------

    def _view(self, text: str, begin: int, final: bool) -> tuple[int, str, ViewMap, int, int]:
        """The case-keeping view of the text from ``begin``, padded by a space on both sides where complete.

        Returns ``(look, padded, offsets, shift, safe_end)``: the view is of
        ``text[look:]`` (one character before ``begin`` is read), ``shift``
        characters of padding precede it, ``offsets`` maps it to the text, and
        a trigger is valid only before ``safe_end``: where more text may follow,
        the last word of the view may still grow (unless it is too long to start a name).
        """
        look = max(begin - 1, 0)
        view, offsets = make_view(text[look:], keep_case=True)
        padded = view if look else " " + view
        shift = 0 if look else 1  # padded view offset -> view offset
        last_space = padded.rfind(" ")
        if final or len(padded) - last_space > self._index.triggers.longest:
            # All there is, or the last word is too long to start a name: all decided.
            padded += " "
            safe_end = len(text)
        else:
            safe_end = look + offsets.original(last_space - shift + 1) if last_space >= 0 else begin
        return look, padded, offsets, shift, safe_end

    # -- acronyms ----------------------------------------------------------

    def _acronym_starts(
        self, text: str, begin: int, look: int, data: bytes, shift: int, offsets: ViewMap
    ) -> list[Start]:
        """``(start, end, "")`` of each table acronym written as a word of its own in ``text[begin:]``.

        ``data`` is the view of ``text[look:]`` as bytes, ``shift`` characters
        of padding before it, and ``offsets`` its map to the text.
        """
        starts: list[Start] = []
        if self._acronyms is None:
            return starts
        forms = self._index.triggers.acronym_forms
        length = len(text)
        original = offsets.original
        for pattern, at, _ in self._acronyms.find_matches_as_indexes(data, overlapping=True):
            start = look + (at + 1 - shift if offsets is IDENTITY else original(at + 1 - shift))
            if start < begin:
                continue
            for form in forms[pattern]:
                end = start + len(form)
                # As written, and a word of its own: no letter, digit or _ on either side.
                if (text.startswith(form, start) and not (start and WORD_CHAR(text[start - 1]))
                        and not (end < length and WORD_CHAR(text[end]))):
                    starts.append((start, end, ""))
        return starts

    def _acronym_span(
        self, text: str, start: int, end: int, final: bool, shift: int
    ) -> Candidate | Incomplete | None:
        """The acronym ``text[start:end]``, a word of its own, if it links here."""
        if end >= len(text) - 1 and not final:
            return INCOMPLETE
        after = text[end : end + 3]
        if after[:1] in "'’" and after[1:2] in ("s", "S") and after[2:3].isalnum():
            return None
        written = text[start:end]
        form = acronym_form(written)
        if form.lower() in COMMON_WORDS:
            if form not in WORD_ACRONYMS_LINKED:
                return None
            if end + _CAPITALS_REACH > len(text) and not final:
                return INCOMPLETE
            if _among_capitals(text, start, end):
                return None
        evidence: Evidence = {}
        acronym_evidence(self._index, form, evidence, any_case=False)
        return Candidate(start + shift, end + shift, written, evidence, "acronym") if evidence else None

    # -- one position ------------------------------------------------------

    def _at(
        self, text: str, starts: list[Start], final: bool, bound: BoundAcronyms, shift: int
    ) -> Candidate | Incomplete | None:
        """The longest candidate of all that may start at one position (key triggers sort first)."""
        position, end, verdict = starts[0]
        options: list[Candidate] = []
        if end < 0:
            found = (self._single(text, position, verdict, final, shift) if verdict
                     else self._key_span(text, position, final, shift))
            if found is INCOMPLETE or len(starts) == 1:
                return found
            if isinstance(found, Candidate):
                options.append(found)
        for _, end, _ in starts:
            if end < 0:
                continue
            written = text[position:end]
            if written in bound:
                if end >= len(text) and not final:
                    return INCOMPLETE
                options.append(Candidate(position + shift, end + shift, written, {}, "bound"))
                continue
            found = self._acronym_span(text, position, end, final, shift)
            if found is INCOMPLETE:
                return INCOMPLETE
            if isinstance(found, Candidate):
                options.append(found)
        if len(options) <= 1:
            return options[0] if options else None
        longest = max(options, key=lambda c: (c.end, c.kind == "key"))
        same = [c for c in options if c.end == longest.end and c is not longest]
        if not same:
            return longest
        evidence = dict(longest.evidence_of(self._index))
        for other in same:
            for entity, (z, method, alias) in other.evidence_of(self._index).items():
                if entity not in evidence or z > evidence[entity][0]:
                    evidence[entity] = (z, method, alias)
        return Candidate(longest.start, longest.end, longest.text, evidence, longest.kind, longest.definition, None)


def may_define(text: str, end: int) -> bool:
    """Whether a ``(`` or ``,`` follows ``end`` within four characters, as a definition needs."""
    return text[end : end + 4].lstrip()[:1] in ("(", ",")


def _among_capitals(text: str, start: int, end: int) -> bool:
    """Whether the words on both sides of ``text[start:end]`` are written in capitals."""
    before = _CAPITAL_WORD.findall(text[max(0, start - _CAPITALS_REACH) : start])
    after = _CAPITAL_WORD.findall(text[end : end + _CAPITALS_REACH])
    sides = before[-1:] + after[:1]
    return bool(sides) and all(w.isupper() for w in sides)

