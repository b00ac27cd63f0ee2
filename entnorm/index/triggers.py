"""Where names may start in running text: the trigger words and acronym views of one table's keys.

Built once per table by :func:`build_triggers` (part of :func:`~entnorm.index.build.build_index`),
read by the scanners of :mod:`entnorm.text`. Names are capitalized in running
text, so a key whose first word is ``w`` is looked for as ``W...``, ``WWW`` and,
where a capital letter folds to several (``Ш`` -> ``SH``), as ``SH...``. Lower
case is looked for only where a listed name starts in lower case (a weak
alias, a particle such as ``de``); words with inner capitals (``McDonald``) as
the tables write them. Acronyms are looked for as their case-keeping view
(``U.S.`` as ``U S``), dotted forms of short ones too.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, NamedTuple

from ..keys import lexicon
from ..keys.normalize import normalize_name
from ..keys.variants import SURNAME_PARTICLES
from ..keys.view import make_view

__all__ = ["MAX_TRIGGER", "Trigger", "Triggers", "build_triggers"]

#: A key whose first word is longer is not looked for in running text (only a
#: lookup of the name finds it): no name has such a word, and each character of
#: a pattern costs the automata hundreds of bytes.
MAX_TRIGGER: Final = 256

# Multi-letter folds of one letter (Ш -> SH): a capital one shows as all capitals (data/fold_digraphs.yaml).
_DIGRAPHS = lexicon.words("fold_digraphs")


class Trigger(NamedTuple):
    """What one trigger pattern stands for.

    Attributes:
        word: the key word (lower case) the pattern is a way of writing.
        is_key: ``word`` is a key itself.
        is_prefix: longer keys begin with ``word``.
        ends: the lower-case letters that end the search when the next word
            begins with one (no key continues with them); none where ``word``
            is a key itself.
        lower: the pattern is in lower case.
    """

    word: str
    is_key: bool
    is_prefix: bool
    ends: str
    lower: bool


@dataclass(frozen=True)
class Triggers:
    """Everything the scanners derive from a table's keys; fixed per table.

    Attributes:
        patterns: the ASCII trigger patterns, sorted (what the trigger automaton looks for).
        words: the :class:`Trigger` of each pattern, in the same order.
        longest: the length of the longest first word plus its two padding spaces.
        prefixes: every proper word prefix of a key (``aleksandar`` of ``aleksandar vucic``).
        max_words: the most words of any key.
        acronym_views: the case-keeping views of the acronyms, sorted.
        acronym_forms: for each view, the acronyms (as tables write them) that show as it.
    """

    patterns: tuple[str, ...]
    words: tuple[Trigger, ...]
    longest: int
    prefixes: frozenset[str]
    max_words: int
    acronym_views: tuple[str, ...]
    acronym_forms: tuple[tuple[str, ...], ...]


def build_triggers(
    keys: Mapping[str, tuple[tuple[int, str, float, str, str], ...]],
    acronyms: Iterable[str],
    extra_triggers: Iterable[str],
) -> Triggers:
    """The triggers of an index's ``keys``, its ``acronyms`` and the view words ``extra_triggers``."""
    firsts = {key.split(" ", 1)[0] for key in keys} | set(extra_triggers)
    firsts = {word for word in firsts if len(word) <= MAX_TRIGGER}
    patterns = sorted(p for p in _trigger_patterns(keys, firsts) if p.isascii())  # as views are
    prefixes: set[str] = set()
    # For words that only begin keys: the letters the next word of a key may begin with.
    initials: dict[str, set[str]] = {}
    max_words = 1
    for key in keys:
        words = key.split(" ")
        max_words = max(max_words, len(words))
        for n in range(1, len(words)):
            prefixes.add(" ".join(words[:n]))
        if len(words) > 1:
            initials.setdefault(words[0], set()).add(words[1][:1])
    triggers = []
    for pattern in patterns:
        word = pattern.lower()
        is_key = word in keys
        ends = "" if is_key else "".join(sorted(set(string.ascii_lowercase) - initials.get(word, set())))
        triggers.append(Trigger(word, is_key, word in prefixes, ends, pattern[:1].islower()))
    forms = sorted(acronyms)
    dotted = [".".join(f) + "." for f in forms if f.isascii() and f.isupper() and f.isalpha() and len(f) <= 4]
    # Acronyms are looked for in the view too (so only as whole words), each
    # as its view (U.S. as "U S"); a hit is then compared with the text.
    by_view: dict[str, list[str]] = {}
    for form in [*forms, *dotted]:
        seen = make_view(form, keep_case=True)[0].strip()
        if seen:  # else no letter or digit: never a word of its own
            by_view.setdefault(seen, []).append(form)
    views = sorted(by_view)
    return Triggers(
        tuple(patterns), tuple(triggers), max(map(len, firsts), default=0) + 2, frozenset(prefixes), max_words,
        tuple(views), tuple(tuple(by_view[seen]) for seen in views),
    )


def _trigger_patterns(
    keys: Mapping[str, tuple[tuple[int, str, float, str, str], ...]], firsts: Iterable[str]
) -> set[str]:
    """How the first word of a key shows in a case-keeping view of running text (see the module docstring)."""
    lower: set[str] = set()
    patterns: set[str] = set()
    inner_capitals: dict[str, bool] = {}
    for key, hits in keys.items():
        first = key.split(" ", 1)[0]
        if len(first) > MAX_TRIGGER:
            continue
        if first in SURNAME_PARTICLES and " " in key:  # de Gaulle
            lower.add(first)
        for _, _, _, alias, _ in hits:
            inner = inner_capitals.get(alias)
            if inner is None:
                word = alias[1:].split(" ", 1)[0]
                inner = inner_capitals[alias] = len(word) < MAX_TRIGGER and any(ch.isupper() for ch in word)
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
