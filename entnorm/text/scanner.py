"""Finding candidate name spans in running text, in one pass, with offsets.

Use :class:`Scanner` through :meth:`entnorm.Normalizer.annotate` and friends.
Two Aho–Corasick automata (``ahocorasick_rs``, Rust) run at C speed over a
folded view of the text (see :mod:`entnorm.view`) that keeps letter case:
one for the words a key can start with, one for acronyms, each padded by
spaces so that only whole words match (an acronym hit is then compared with
the text: acronyms are case-sensitive). Only at those places does Python look
closer: it reads the words that follow, joins their keys and keeps the
longest one the index knows (leftmost-longest, no overlaps); where the view's
words are plain it reads them from the view alone (see ``_verdict``), and
the best match of a span written like a table entry comes precomputed (see
:mod:`entnorm.answers`). Where a key's first words match but no key
completes, a short capitalized continuation is tried against the fuzzy index
(``Xavier Bethel``).

A span covers name words only: titles, a leading ``the`` and a trailing
possessive stay outside; hyphens and punctuation end a span (``pro-VUCIC``,
``said.Serbian``), except a hyphen between words of one name (``Novi-Sad``).
"""

from __future__ import annotations

import re
import string
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

import ahocorasick_rs

from ..index.build import Index, acronym_form
from ..keys.normalize import normalize_name, prefold_name
from ..keys.variants import SURNAME_PARTICLES
from ..keys.view import IDENTITY, make_view
from ..match.answers import UNKNOWN, KnownAnswers
from ..match.evidence import Evidence, acronym_evidence, fuzzy_evidence, key_evidence, rank
from ..model import Match

__all__ = ["INCOMPLETE", "LOOKBEHIND", "BoundAcronyms", "Candidate", "ScanPass", "Scanner"]


# Longer runs of letters are not words of a name (and are not read further).
_MAX_WORD = 255


def _mark_class() -> str:
    """A regex class body of combining marks and invisible joiners (word-internal)."""
    ranges: list[list[int]] = []
    for code in [*range(0x0300, 0x3000), *range(0xFE00, 0xFE30)]:
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    body = "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in ranges)
    return body + "\\u00ad\\u200b-\\u200d\\u2060"


_MARKS = _mark_class()
# A word: a letter or digit, then letters, digits, marks, lost-letter marks, and
# apostrophes followed by a letter (O'Brien), but not a final possessive 's.
_TOKEN = re.compile(rf"[^\W_](?:[^\W_]|[{_MARKS}]|[?\ufffd]|['’](?![sS](?![^\W_]))(?=[^\W_])){{0,{_MAX_WORD}}}")
_LOST_INSIDE = re.compile(r"[^\W_][?\ufffd]+[^\W_]")
# Between two words of one name: spaces (one line break at most), or one
# hyphen; a possessive may end the first word (Russia's foreign ...).
_SEPARATOR = re.compile(
    r"(?:['’][sS])?(?:[ \t\u00a0]{1,8}|[ \t\u00a0]{0,8}\r?\n[ \t\u00a0]{0,8}|[ \t\u00a0]?[-‐‑–—][ \t\u00a0]?)(?=[^\W_])"
)
_SEPARATOR_REACH = 20
_DOT_SEPARATOR = re.compile(r"\.[ \t\u00a0]{1,8}(?=[^\W_])")
# Long Form (ACR) or Long Form, ACR, right after a span.
_DEFINITION = re.compile(r"\s{0,3}(?:\(\s{0,2}([^\W_][\w&.-]{0,11})\s{0,2}\)|,\s{1,3}([^\W_][\w&.-]{0,11}),)")
_DEFINITION_REACH = 24
# Acronyms that are also common English words link in text only when they are
# not among all-capital words (a headline), and most never do.
COMMON_WORDS: Final = frozenset(
    """a ai am an and any are as at be bed big bit box boy bus but buy by can car cat cut day did die do dog
    due ear eat end era eye far few fit fly for fun gas get go god got gun guy had has he her him his hit
    hot how i id if ill in is it its job key kid lab law lay leg let lie lot low mad man map may me men mix
    my net new no nor not now nut odd of off oil old on one or our out own pay per pet pie pin pop pot put
    ran raw red run sad saw say sea see set she sin sit six sky so son sum sun tax tea ten the tie tip to
    toe top toy try two up us use van war was way we web wet who why win won yes yet you""".split()
)
#: Word-like acronyms that still link outside all-capital text ("the US", "the WHO").
WORD_ACRONYMS_LINKED: Final = frozenset({"US", "WHO"})
_CAPITAL_WORD = re.compile(r"[^\W\d_]{2,}")
# How far around a word-like acronym the scanner looks for capitals; text this
# far back is kept between chunks (LOOKBEHIND), and this far ahead must have arrived.
_CAPITALS_REACH = 30
#: Characters before a resume point that a scan may read.
LOOKBEHIND: Final = _CAPITALS_REACH + 2
_MAX_FUZZY_EXTRA = 2
# A key whose first word is longer is not looked for in running text (only a
# lookup of the name finds it): no name has such a word, and each character
# of a pattern costs the automata hundreds of bytes.
_MAX_TRIGGER = 256
# Characters next to a word that may make its token differ from its view word.
_TRICKY = frozenset("'’?\ufffd")
_WORD_CHAR = re.compile(r"\w").match  # a letter, digit or underscore
_POSSESSIVE_NEXT = re.compile(r"['’][sS](?![^\W_])")
# Where a bound acronym may be written: the first letter or digit of a word
# (the match is the word), or a character no word character precedes (the
# match is that character); see BoundAcronyms.
_BOUND_AT = re.compile(r"(?<!\w)(?:\w+|\S)")
# Up to this many first characters of bound forms, only words that begin with
# one are looked up (most words then are not even matched); beyond, all are.
_MOST_FIRSTS = 32
# Bound acronyms written ahead are looked for this far at first (characters).
_BOUND_BLOCK = 64
_FAR: Final = sys.maxsize
_SKIP = "\x00skip"
_PENDING = "\x00pending"  # a verdict not read yet: most triggers inside an earlier span never need one
_ONE_CHAR_SEPARATORS = frozenset(" \t\n\u00a0-‐‑–—")
# What may follow a word and start a separator of _SEPARATOR (after _TRICKY ones).
_CONTINUES = _ONE_CHAR_SEPARATORS | {"\r"}
_LOST = frozenset("?\ufffd")
# What may follow lost-letter marks at the end of a word (not a letter that makes them inside one).
_ENDS_WORD = frozenset(" \t\n\r\u00a0.,;:!?)]}\"-") | {""}
# Answers kept per scanner for spans seen before.
_MAX_ANSWERS = 20_000
# A fuzzy span needs at least this evidence (even odds alone) to be a candidate.
_FUZZY_ACCEPT = 0.0


class _Incomplete:
    """The text ends before this span can be decided; scan again with more text."""

    def __repr__(self) -> str:
        return "INCOMPLETE"


INCOMPLETE: Final = _Incomplete()


@dataclass(slots=True)  # not frozen: made once per span, and a frozen one costs four times as much to make
class Candidate:
    """A span that may name an entity, before the document decides (not changed once made, but for evidence_of).

    Attributes:
        start, end: offsets into the scanned text.
        text: the span as written.
        evidence: the entities it reaches (see :mod:`entnorm.evidence`), or None
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

    def shifted(self, shift: int) -> Candidate:
        """This candidate with offsets ``shift`` further on."""
        if not shift:
            return self
        definition = self.definition
        if definition is not None:
            definition = (definition[0], definition[1] + shift, definition[2] + shift)
        return Candidate(
            self.start + shift, self.end + shift, self.text, self.evidence, self.kind, definition, self.best, self.key
        )


class BoundAcronyms:
    """Acronyms outside the table that a document has defined, and where a text writes them.

    A form ``ACR`` is written at ``p`` when the text there reads ``ACR`` with no
    word character on either side (what ``(?<!\\w)ACR(?!\\w)`` finds). Each
    form is filed under its *head*: its first word, or its first character
    where that is none (NFKC makes ``⑴`` ``(1)``). The text writes a form's head
    exactly where it writes the form, so one pass over its words, a lookup each,
    finds every form written, however many are bound.

    Attributes:
        version: changes with every form added or removed (what was found
            before is then out of date).
        longest: the length of the longest form ever bound (where a text
            ends before that many characters more, a form may be cut off).
    """

    __slots__ = ("_firsts", "_forms", "_heads", "_where", "longest", "version")

    def __init__(self, forms: Iterable[str] = ()) -> None:
        self._forms: dict[str, None] = {}  # in the order bound
        # head -> {length of a form with that head: how many forms have it}
        self._heads: dict[str, dict[int, int]] = {}
        self._firsts: dict[str, int] = {}  # first character -> how many forms begin with it
        self._where: re.Pattern[str] | None = None  # where a form may be written (see _pattern)
        self.version = 0
        self.longest = 0
        for form in forms:
            self.add(form)

    def __len__(self) -> int:
        return len(self._forms)

    def __iter__(self) -> Iterator[str]:
        return iter(self._forms)

    def __contains__(self, form: object) -> bool:
        return form in self._forms

    @staticmethod
    def _head(form: str) -> str:
        found = _BOUND_AT.match(form)
        return found.group() if found else ""  # a form that begins with a space is never written

    def add(self, form: str) -> None:
        """Bind ``form`` (again: nothing changes)."""
        if form in self._forms:
            return
        self._forms[form] = None
        lengths = self._heads.setdefault(self._head(form), {})
        lengths[len(form)] = lengths.get(len(form), 0) + 1
        first = form[:1]
        if first not in self._firsts:
            self._firsts[first] = 0
            self._where = None
        self._firsts[first] += 1
        self.longest = max(self.longest, len(form))
        self.version += 1

    def pop_oldest(self) -> str:
        """Unbind the form bound first, and return it."""
        form = next(iter(self._forms))
        del self._forms[form]
        head = self._head(form)
        lengths = self._heads[head]
        lengths[len(form)] -= 1
        if not lengths[len(form)]:
            del lengths[len(form)]
            if not lengths:
                del self._heads[head]
        first = form[:1]
        self._firsts[first] -= 1
        if not self._firsts[first]:
            del self._firsts[first]
            self._where = None
        self.version += 1
        return form

    def _pattern(self) -> re.Pattern[str]:
        """What :data:`_BOUND_AT` matches, where it begins with the first character of a form."""
        if self._where is None:
            if len(self._firsts) > _MOST_FIRSTS:
                self._where = _BOUND_AT
            else:
                word = "".join(re.escape(c) for c in self._firsts if _WORD_CHAR(c))
                other = "".join(re.escape(c) for c in self._firsts if not _WORD_CHAR(c))
                either = ([f"[{word}]\\w*"] if word else []) + ([f"[{other}]"] if other else [])
                self._where = re.compile(rf"(?<!\w)(?:{'|'.join(either)})")
        return self._where

    def written(self, text: str, start: int, stop: int) -> list[tuple[int, int, str]]:
        """``(offset, end, "")`` of each form written at an offset in ``[start, stop)``, in order of offsets."""
        found: list[tuple[int, int, str]] = []
        if not self._forms:
            return found
        heads, forms = self._heads, self._forms
        length = len(text)
        for word in self._pattern().finditer(text, start):
            at = word.start()
            if at >= stop:
                break
            lengths = heads.get(word.group())
            if lengths is None:
                continue
            for size in lengths:  # a few at most: the lengths of the forms this word begins
                end = at + size
                if end <= length and text[at:end] in forms and not (end < length and _WORD_CHAR(text[end])):
                    found.append((at, end, ""))
        return found


class ScanPass:
    """The candidates of one pass of :meth:`Scanner.candidates`, in batches, to iterate once.

    Attributes:
        resume: once iterated, where to scan again (see :meth:`Scanner.scan`).
    """

    __slots__ = ("batches", "resume")

    def __init__(self, begin: int) -> None:
        self.resume = begin
        self.batches: Iterator[list[Candidate]] = iter(())

    def __iter__(self) -> Iterator[list[Candidate]]:
        return self.batches


class _Trigger(NamedTuple):
    word: str
    is_key: bool
    is_prefix: bool
    ends: str
    lower: bool  # the pattern is in lower case


class _Word(NamedTuple):
    start: int
    end: int
    key: str


def _is_capitalized(word: str) -> bool:
    return word[:1].isupper()


class Scanner:
    """Candidate spans of one table's names in text; built once per normalizer.

    Args:
        index: the normalizer's index.
    """

    __slots__ = (
        "_acronym_forms", "_acronym_views", "_acronyms", "_answers", "_fuzzy", "_index", "_known", "_longest_trigger",
        "_max_words", "_patterns", "_prefixes", "_quick", "_spans", "_token_keys", "_trigger_words", "_triggers",
    )
    # Rebuilt, not pickled: the automata cannot be, the caches need not be.
    _TRANSIENT = ("_acronyms", "_answers", "_fuzzy", "_spans", "_token_keys", "_triggers")

    def __init__(self, index: Index, known: KnownAnswers | None = None, *, quick: bool = True) -> None:
        self._index = index
        self._known = known
        self._quick = quick
        firsts = {key.split(" ", 1)[0] for key in index.keys} | index.extra_triggers
        firsts = {word for word in firsts if len(word) <= _MAX_TRIGGER}
        self._patterns = sorted(p for p in _trigger_patterns(index, firsts) if p.isascii())  # as views are
        self._longest_trigger = max(map(len, firsts), default=0) + 2
        prefixes: set[str] = set()
        # For words that only begin keys: the letters the next word of a key may begin with.
        initials: dict[str, set[str]] = {}
        max_words = 1
        for key in index.keys:
            words = key.split(" ")
            max_words = max(max_words, len(words))
            for n in range(1, len(words)):
                prefixes.add(" ".join(words[:n]))
            if len(words) > 1:
                initials.setdefault(words[0], set()).add(words[1][:1])
        self._prefixes = frozenset(prefixes)
        self._max_words = max_words
        # For each pattern, a _Trigger: the key word it stands for (as its
        # lower case), whether that is a key and begins longer keys, and the
        # lower-case letters that end the search when the next word begins
        # with one (see _starts): none where the word is a key itself.
        self._trigger_words = []
        for pattern in self._patterns:
            word = pattern.lower()
            is_key = word in index.keys
            ends = "" if is_key else "".join(sorted(set(string.ascii_lowercase) - initials.get(word, set())))
            self._trigger_words.append(_Trigger(word, is_key, word in self._prefixes, ends, pattern[:1].islower()))
        forms = sorted(index.acronyms)
        dotted = [".".join(f) + "." for f in forms if f.isascii() and f.isupper() and f.isalpha() and len(f) <= 4]
        # Acronyms are looked for in the view too (so only as whole words), each
        # as its view (U.S. as "U S"); a hit is then compared with the text.
        by_view: dict[str, list[str]] = {}
        for form in [*forms, *dotted]:
            seen = make_view(form, keep_case=True)[0].strip()
            if seen:  # else no letter or digit: never a word of its own
                by_view.setdefault(seen, []).append(form)
        self._acronym_views = sorted(by_view)
        self._acronym_forms = [by_view[seen] for seen in self._acronym_views]
        self._start()

    def _start(self) -> None:
        """Build the automata and empty caches (after construction or unpickling)."""
        # The view is ASCII: bytes are its characters, and searching bytes is faster.
        self._triggers = ahocorasick_rs.BytesAhoCorasick([f" {p} ".encode("ascii") for p in self._patterns])
        self._acronyms = (
            ahocorasick_rs.BytesAhoCorasick([f" {v} ".encode("ascii", "replace") for v in self._acronym_views])
            if self._acronym_views else None
        )
        self._token_keys: dict[str, str] = {}
        self._answers: dict[tuple[str, str, bool], tuple[Evidence, Match | None]] = {}
        # The same, for spans the view found whole, by the span as written.
        self._spans: dict[str, Match | None] = {}
        self._fuzzy: dict[str, Evidence] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__ if name not in self._TRANSIENT}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)
        self._start()

    # -- words -------------------------------------------------------------

    def _token_key(self, word: str) -> str:
        key = self._token_keys.get(word)
        if key is None:
            if len(self._token_keys) > 100_000:
                self._token_keys.clear()
            key = self._token_keys[word] = normalize_name(word)
        return key

    def _word_at(self, text: str, position: int, final: bool) -> _Word | _Incomplete | None:
        """The word starting at ``position``, INCOMPLETE if it may go on past the text."""
        match = _TOKEN.match(text, position)
        if match is None:
            return None
        end = match.end()
        word = match.group()
        if len(word) > _MAX_WORD:
            return None
        if end + 3 > len(text) and not final:  # more letters or a possessive may follow
            return INCOMPLETE
        if word[-1] in "?\ufffd" and not _LOST_INSIDE.search(word):
            word = word.rstrip("?\ufffd")
            end = position + len(word)
        key = self._token_key(word)
        return _Word(position, end, key) if key else None

    def _next_word(self, text: str, word: _Word, final: bool) -> _Word | _Incomplete | None:
        """The word that continues a name after ``word``, if only a separator lies between."""
        separator = _SEPARATOR.match(text, word.end)
        if separator is None and word.end - word.start <= 3:
            separator = _DOT_SEPARATOR.match(text, word.end)  # St. Petersburg
        if separator is None:
            return INCOMPLETE if len(text) - word.end < _SEPARATOR_REACH and not final else None
        if separator.end() >= len(text) and not final:
            return INCOMPLETE
        return self._word_at(text, separator.end(), final)

    # -- spans -------------------------------------------------------------

    def _key_span(self, text: str, position: int, final: bool) -> Candidate | _Incomplete | None:
        """The longest key starting at ``position`` (or a fuzzy one where keys only begin)."""
        first = self._word_at(text, position, final)
        if not isinstance(first, _Word):
            return first
        words = [first]
        joined = first.key
        best: tuple[int, str] | None = (1, joined) if joined in self._index.keys else None
        while joined in self._prefixes and len(words) < self._max_words:
            following = self._next_word(text, words[-1], final)
            if following is INCOMPLETE:
                return INCOMPLETE
            if not isinstance(following, _Word):
                break
            words.append(following)
            joined = f"{joined} {following.key}"
            if joined in self._index.keys:
                best = (len(words), joined)
        if best is None:
            return self._fuzzy_span(text, words, final)
        count, key = best
        start, end = first.start, words[count - 1].end
        written = text[start:end]
        evidence, match = self._key_answer(key, prefold_name(written), written.islower())
        return self._key_candidate(text, start, end, written, evidence, match, final, 0, key)

    def _key_answer(self, key: str, form: str, lowercase: bool, keep: bool = True) -> tuple[Evidence, Match | None]:
        """Evidence and best match for a span with this key, prefolded form and case.

        Names repeat in text, so answers are kept (the table never changes),
        unless ``keep`` is false (the caller keeps them). See :func:`_key_evidence`.
        """
        cached = self._answers.get((key, form, lowercase)) if keep else None
        if cached is not None:
            return cached
        evidence = _key_evidence(self._index, key, form, lowercase)
        match: Match | None = UNKNOWN
        if not lowercase and self._known is not None:
            match = self._known.of_key(key, form)
        if match is UNKNOWN:
            ranked = rank(self._index, evidence, 1)
            match = ranked[0] if ranked else None
        answer = (evidence, match)
        if keep:
            if len(self._answers) > _MAX_ANSWERS:
                self._answers.clear()
            self._answers[(key, form, lowercase)] = answer
        return answer

    def _fuzzy_evidence(self, key: str) -> Evidence:
        """Evidence for a key spelled like index keys (kept: capitalized word pairs repeat in text)."""
        evidence = self._fuzzy.get(key)
        if evidence is None:
            evidence = {}
            fuzzy_evidence(self._index, key, evidence)
            if len(self._fuzzy) > _MAX_ANSWERS:
                self._fuzzy.clear()
            self._fuzzy[key] = evidence
        return evidence

    def _fuzzy_span(self, text: str, words: list[_Word], final: bool) -> Candidate | _Incomplete | None:
        """A misspelled name whose first words are a key's: try one or two more capitalized words."""
        matched = len(words) - 1 if len(words) > 1 else 1
        if len(words) == 1:
            following = self._next_word(text, words[0], final)
            if following is INCOMPLETE:
                return INCOMPLETE
            if not isinstance(following, _Word):
                return None
            words.append(following)
        best: tuple[float, int, Evidence] | None = None
        for extra in range(1, _MAX_FUZZY_EXTRA + 1):
            count = matched + extra
            while len(words) < count:
                following = self._next_word(text, words[-1], final)
                if following is INCOMPLETE:
                    return INCOMPLETE
                if not isinstance(following, _Word):
                    break
                words.append(following)
            if len(words) < count or not all(_is_capitalized(text[w.start : w.end]) for w in words[:count]):
                break
            evidence = self._fuzzy_evidence(" ".join(w.key for w in words[:count]))
            top = max((z for z, _, _ in evidence.values()), default=None)
            if top is not None and (best is None or top > best[0]):
                best = (top, count, evidence)
        if best is None or best[0] < _FUZZY_ACCEPT:
            return None  # too unlike any name to hide the words it covers from other keys
        _, count, evidence = best
        start, end = words[0].start, words[count - 1].end
        return Candidate(start, end, text[start:end], evidence, "fuzzy")

    def _key_candidate(
        self, text: str, start: int, end: int, written: str, evidence: Evidence | None, match: Match | None,
        final: bool, shift: int, key: str,
    ) -> Candidate | _Incomplete | None:
        """The candidate of a key span ``text[start:end]`` (none without a match), offsets ``shift`` further on.

        A span of several words notes a ``(ACR)`` or ``, ACR,`` right after it.
        """
        if match is None:
            return None
        definition = None
        if " " in written or "-" in written:
            found = self._definition(text, end, final)
            if isinstance(found, _Incomplete):
                return INCOMPLETE
            if found is not None:
                definition = (found[0], found[1] + shift, found[2] + shift)
        return Candidate(start + shift, end + shift, written, evidence, "key", definition, match, key)

    def _definition(self, text: str, end: int, final: bool) -> tuple[str, int, int] | _Incomplete | None:
        """``(acronym, start, end)`` of a ``(ACR)`` or ``, ACR,`` at ``end``, if there is one."""
        if len(text) - end < _DEFINITION_REACH and not final:
            return INCOMPLETE
        if not _may_define(text, end):
            return None
        found = _DEFINITION.match(text, end)
        if found is None:
            return None
        group = 1 if found.group(1) else 2
        acronym = found.group(group)
        if sum(ch.isupper() for ch in acronym) < 2 and acronym not in self._index.acronyms:
            return None
        return acronym, found.start(group), found.end(group)

    def _acronym_span(self, text: str, start: int, end: int, final: bool) -> Candidate | _Incomplete | None:
        """The acronym ``text[start:end]``, a word of its own (as _starts finds them), if it links here."""
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
        return Candidate(start, end, written, evidence, "acronym") if evidence else None

    # -- the pass ----------------------------------------------------------

    def _starts(
        self, text: str, begin: int, final: bool
    ) -> tuple[list[tuple[int, int, str]], int, str, dict[int, tuple[_Trigger, int]]]:
        """Where keys and acronyms may start in ``text[begin:]``, and where complete words stop.

        Returns ``(starts, safe_end, view, pending)``: ``starts`` are ``(offset,
        acronym end or -1, verdict)`` in order, where a verdict of _PENDING is
        read by :meth:`_verdict` from ``view`` and ``pending[offset]``; a trigger
        is valid only in ``[begin, safe_end)``.
        """
        look = max(begin - 1, 0)
        view, offsets = make_view(text[look:], keep_case=True)
        padded = view if look else " " + view
        shift = 0 if look else 1  # padded view offset -> view offset
        last_space = padded.rfind(" ")
        if final or len(padded) - last_space > self._longest_trigger:
            # All there is, or the last word is too long to start a name: all decided.
            padded += " "
            safe_end = len(text)
        else:
            safe_end = look + offsets.original(last_space - shift + 1) if last_space >= 0 else begin
        starts: list[tuple[int, int, str]] = []
        original = offsets.original
        quick = self._quick and offsets is IDENTITY
        words = self._trigger_words
        pending: dict[int, tuple[_Trigger, int]] = {}
        data = padded.encode("ascii", "replace")
        found = self._triggers.find_matches_as_indexes(data, overlapping=True)
        if quick:  # view offsets are text offsets, shifted
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
                        and text[position + len(trigger.word)] in _ONE_CHAR_SEPARATORS
                        and not (position and text[position - 1] in _TRICKY)):
                    continue
                pending[position] = (trigger, to)
                starts.append((position, -1, _PENDING))
        else:
            for _, at, _ in found:
                position = look + (at + 1 - shift if offsets is IDENTITY else original(at + 1 - shift))
                if begin <= position < safe_end:
                    starts.append((position, -1, ""))
        if self._acronyms is not None:
            length = len(text)
            for pattern, at, _ in self._acronyms.find_matches_as_indexes(data, overlapping=True):
                start = look + (at + 1 - shift if offsets is IDENTITY else original(at + 1 - shift))
                if start < begin:
                    continue
                for form in self._acronym_forms[pattern]:
                    end = start + len(form)
                    # As written, and a word of its own: no letter, digit or _ on either side.
                    if (text.startswith(form, start) and not (start and _WORD_CHAR(text[start - 1]))
                            and not (end < length and _WORD_CHAR(text[end]))):
                        starts.append((start, end, ""))
        starts.sort()
        return starts, safe_end, padded, pending

    def _verdict(self, text: str, view: str, position: int, trigger: _Trigger, view_end: int, final: bool) -> str:
        """The span at a trigger read from the view alone, when its words are plain.

        Used only where the view maps text one character to one (so view offsets
        are text offsets). Returns the key of the longest span when every word is
        plain and separated by one space, hyphen or line break (the span then
        has the key's length); _SKIP when no key completes and the word that
        stopped the search is in lower case, or nothing can follow the first
        word (so not even a fuzzy span can start here); "" when the words need
        the closer look of :meth:`_key_span`.
        """
        keys, prefixes = self._index.keys, self._prefixes
        if position and text[position - 1] in _TRICKY:
            return ""
        length = len(text)
        joined = trigger.word
        end = position + len(joined)
        best = joined if trigger.is_key else ""
        more = trigger.is_prefix  # whether longer keys begin with joined
        count = 1
        last = len(joined)  # length of the last word read
        while True:
            if end + 3 > length and not final:
                return ""
            after = text[end : end + 1]
            ended = False  # nothing can continue the name after this word
            if after in _TRICKY:
                if after in _LOST:  # lost letters end the word unless a letter follows (Vu?i?)
                    stop = end + 1
                    while stop < length and text[stop] in _LOST:
                        stop += 1
                    if (stop >= length and not final) or text[stop : stop + 1] not in _ENDS_WORD:
                        return ""
                    ended = True
                elif not _POSSESSIVE_NEXT.match(text, end):
                    return ""
            elif after not in _CONTINUES and (after != "." or last > 3):  # see _SEPARATOR, _DOT_SEPARATOR
                ended = True
            if not more or count >= self._max_words:
                return best
            if ended:
                # What the closer look finds: the longest key, else, with one word
                # only, nothing (a fuzzy span needs a second word).
                return best or (_SKIP if count == 1 else "")
            if after not in _ONE_CHAR_SEPARATORS or view[view_end : view_end + 1] in ("", " "):
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
                return _SKIP if text[end : end + 1] not in _TRICKY else ""

    def scan(
        self, text: str, begin: int = 0, *, final: bool = True, bound: Iterable[str] = (), shift: int = 0
    ) -> tuple[list[Candidate], int]:
        """Candidate spans starting in ``text[begin:]``, leftmost-longest, without overlaps.

        Args:
            text: the text (offsets of candidates index it).
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
        """What :meth:`scan` finds, in batches, each made once the batch before has been taken.

        A batch ends after a candidate with a definition: taking it may bind an
        acronym (only a definition does), and the rest of the pass then finds
        ``bound`` as it has become. So a document is scanned once, however many
        acronyms it defines.
        """
        found = ScanPass(begin)
        found.batches = self._pass(text, begin, final, bound, shift, found)
        return found

    def _pass(
        self, text: str, begin: int, final: bool, bound: BoundAcronyms, shift: int, into: ScanPass
    ) -> Iterator[list[Candidate]]:
        """The batches of :meth:`candidates`; sets ``into.resume`` at the end."""
        starts, safe_end, view, pending = self._starts(text, begin, final)
        starts.append((_FAR, -1, ""))  # a sentinel: no loop below needs to count
        spans = self._spans
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
        hits: list[tuple[int, int, str]] = []
        hit = 0
        looked = begin
        reach = _BOUND_BLOCK
        next_hit = begin if bound else _FAR
        limit = length if final else length - bound.longest
        resume = -1  # where the pass stopped, if it stopped early
        while True:
            position, _, read = starts[index]
            decided: Candidate | _Incomplete | None
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
                at = hits[hit][0]
                group_end = hit + 1
                while group_end < len(hits) and hits[group_end][0] == at:
                    group_end += 1
                group = hits[hit:group_end]
                hit = group_end
                next_hit = hits[hit][0] if hit < len(hits) else looked
                if at < cursor:
                    continue
                if position == at:  # keys or table acronyms may start here too
                    first = index
                    while starts[index][0] == at:
                        index += 1
                    here = starts[first:index]
                    if read is _PENDING:
                        trigger, to = pending[at]
                        verdict = self._verdict(text, view, at, trigger, to, final)
                        here = here[1:] if verdict == _SKIP else [(at, -1, verdict), *here[1:]]
                    group = sorted([*here, *group])
                position = at
                decided = self._at(text, group, final, bound)
                if isinstance(decided, Candidate):
                    decided = decided.shifted(shift)
            else:
                index += 1
                if position < cursor:
                    continue
                if read is _PENDING and starts[index][0] != position:
                    # The common case, one key trigger here: its verdict, at most one span.
                    trigger, to = pending[position]
                    read = self._verdict(text, view, position, trigger, to, final)
                    if read == _SKIP:
                        continue
                    if read:
                        # _single, inlined: most mentions come this way.
                        end = position + len(read)
                        written = text[position:end]
                        match = spans.get(written, UNKNOWN)
                        if match is UNKNOWN:
                            match = self._span_match(written, read)
                        if match is not None and (
                            (" " not in written and "-" not in written)  # one word defines no acronym
                            or ((final or length - end >= _DEFINITION_REACH) and not _may_define(text, end))
                        ):
                            candidates.append(
                                Candidate(position + shift, end + shift, written, None, "key", None, match, read)
                            )
                            cursor = end
                            continue
                        decided = self._key_candidate(text, position, end, written, None, match, final, shift, read)
                    else:
                        decided = self._key_span(text, position, final)
                        if isinstance(decided, Candidate):
                            decided = decided.shifted(shift)
                else:
                    group_end = index
                    while starts[group_end][0] == position:
                        group_end += 1
                    group = starts[index - 1 : group_end]
                    index = group_end
                    if read is _PENDING:
                        trigger, to = pending[position]
                        read = self._verdict(text, view, position, trigger, to, final)
                        group = group[1:] if read == _SKIP else [(position, -1, read), *group[1:]]
                    decided = self._at(text, group, final, bound) if group else None
                    if isinstance(decided, Candidate):
                        decided = decided.shifted(shift)
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

    def _single(
        self, text: str, position: int, key: str, final: bool, shift: int = 0
    ) -> Candidate | _Incomplete | None:
        """The span of a key the view already found whole (see :meth:`_verdict`)."""
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
        if len(self._spans) > _MAX_ANSWERS:
            self._spans.clear()
        self._spans[written] = match
        return match

    def _at(
        self, text: str, starts: list[tuple[int, int, str]], final: bool, bound: BoundAcronyms
    ) -> Candidate | _Incomplete | None:
        """The longest candidate of all that may start at one position."""
        position, end, verdict = starts[0]
        options: list[Candidate] = []
        if end < 0:  # a key trigger (they sort before acronyms at one position)
            found = self._single(text, position, verdict, final) if verdict else self._key_span(text, position, final)
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
                options.append(Candidate(position, end, written, {}, "bound"))
                continue
            found = self._acronym_span(text, position, end, final)
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


# Multi-letter folds of one letter (Ш -> SH): a capital one shows as all capitals.
_DIGRAPHS = frozenset({"sh", "zh", "kh", "ch", "ts", "ye", "yi", "yu", "ya", "yo", "dj", "lj", "nj", "dz", "ss", "ae",
                       "oe", "th", "shch", "dzh"})


def _trigger_patterns(index: Index, firsts: Iterable[str]) -> set[str]:
    """How the first word of a key shows in a case-keeping view of running text.

    Names are capitalized in running text, so a key word ``w`` is looked for as
    ``W...``, ``WWW`` and, where a capital letter folds to several (``Ш`` ->
    ``SH``), as ``SH...``. Lower case is looked for only where a listed name
    starts in lower case (a weak alias, a particle such as ``de``); words with
    inner capitals (``McDonald``) as the tables write them.
    """
    lower: set[str] = set()
    patterns: set[str] = set()
    inner_capitals: dict[str, bool] = {}
    for key, hits in index.keys.items():
        first = key.split(" ", 1)[0]
        if len(first) > _MAX_TRIGGER:
            continue
        if first in SURNAME_PARTICLES and " " in key:  # de Gaulle
            lower.add(first)
        for _, _, _, alias, _ in hits:
            inner = inner_capitals.get(alias)
            if inner is None:
                word = alias[1:].split(" ", 1)[0]
                inner = inner_capitals[alias] = len(word) < _MAX_TRIGGER and any(ch.isupper() for ch in word)
            if alias[:1].islower() and normalize_name(alias).startswith(first):
                lower.add(first)
            elif inner:
                segments = make_view(alias, keep_case=True)[0].split(None, 1)
                if segments and segments[0].lower() == first:
                    patterns.add(segments[0])  # as written: McDonald
    for word in firsts:
        patterns.update((word[:1].upper() + word[1:], word.upper()))
        for n in (2, 3, 4):
            if word[:n] in _DIGRAPHS:
                patterns.add(word[:n].upper() + word[n:])
        if word in lower:
            patterns.add(word)
    return patterns


def span_evidence(index: Index, key: str, written: str) -> Evidence:
    """The evidence of a span of running text written ``written`` whose key is ``key``."""
    return _key_evidence(index, key, key if written.isascii() else prefold_name(written), written.islower())


def _key_evidence(index: Index, key: str, form: str, lowercase: bool) -> Evidence:
    """Evidence of a span with this key, prefolded form and case.

    Running text capitalizes names: an all lower-case span ("little") only
    reaches entities listed in lower case (weak aliases), not Mr Little.
    """
    evidence: Evidence = {}
    key_evidence(index, form, key, evidence)
    if lowercase:
        evidence = {n: hit for n, hit in evidence.items() if not _has_capitals(hit[2])}
    return evidence


def _may_define(text: str, end: int) -> bool:
    """Whether a ``(`` or ``,`` follows ``end`` within four characters, as :data:`_DEFINITION` needs."""
    return text[end : end + 4].lstrip()[:1] in ("(", ",")


def _has_capitals(text: str) -> bool:
    return any(ch.isupper() for ch in text)


def _among_capitals(text: str, start: int, end: int) -> bool:
    """Whether the words on both sides of ``text[start:end]`` are written in capitals."""
    before = _CAPITAL_WORD.findall(text[max(0, start - _CAPITALS_REACH) : start])
    after = _CAPITAL_WORD.findall(text[end : end + _CAPITALS_REACH])
    sides = before[-1:] + after[:1]
    return bool(sides) and all(w.isupper() for w in sides)

