"""Hypothesis properties: invariants that must hold for any input, not just our examples."""

from __future__ import annotations

import functools
import re
import string
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from hypothesis import Phase, assume, event, example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from unidecode import unidecode

import entnorm
from entnorm import AliasTable, Entity, Match, Normalizer, dump_table, load_table
from entnorm.index.fuzzy import FuzzyIndex
from entnorm.keys.normalize import is_name_char, normalize_name

LETTERS = string.ascii_letters + "čćšžđäöüéñ" + "абвгдежзиклмнопрстуфхцчшщыэюяђћј"
words = st.text(alphabet=LETTERS, min_size=3, max_size=9)
names = st.lists(words, min_size=1, max_size=3).map(" ".join)
kinds = st.sampled_from(entnorm.ENTITY_TYPES)


@st.composite
def tables(draw: st.DrawFn) -> AliasTable:
    count = draw(st.integers(min_value=1, max_value=8))
    entities = []
    for number in range(count):
        name = draw(names)
        taken = {normalize_name(name)}
        aliases = []
        for alias in draw(st.lists(names, max_size=3)):  # as the loader keeps them: one per key
            if normalize_name(alias) not in taken:
                taken.add(normalize_name(alias))
                aliases.append(alias)
        entities.append(Entity(f"e{number}", name, draw(kinds), tuple(aliases)))
    return AliasTable(tuple(entities))


# Letters unidecode has no romanization for (Tifinagh, Gothic, Coptic in both cases,
# Ol Chiki, Cuneiform, Old Persian, Batak), letters whose romanization is no letter,
# and what sits around names.
ODD = list("ⴰⵣⵓⵍⵜ𐌲𐌿𐍄𐌰ⲬⲭⲏⲘⲙᱥᱟᱱ𒆠𒀭𐎠𐎼ᯅᯖᯂЪъЬʻʼӀǃعƏ") + list("as'’?.- —…!★") + ["Mr ", "the "]
texts = st.one_of(st.text(), st.lists(st.sampled_from(ODD), max_size=12).map("".join))


@given(texts)
def test_normalization_is_idempotent(text: str) -> None:
    key = normalize_name(text)
    assert normalize_name(key) == key


@given(texts)
def test_keys_are_lower_case_words_ascii_but_for_unromanized_letters(text: str) -> None:
    key = normalize_name(text)
    assert key == " ".join(key.split())
    ascii_part = "".join(c for c in key if c.isascii())
    assert ascii_part == ascii_part.lower()
    assert all(c.isascii() or is_name_char(c) for c in key)


@given(texts)
def test_a_name_with_a_letter_or_digit_has_a_key(text: str) -> None:
    if any(map(is_name_char, unicodedata.normalize("NFKC", text))):
        assert normalize_name(text)


# Names as a feed writes them: an entity's name, alias or acronym from the bundled tables (plus
# rivals that claim some of them too, so that ambiguous answers come up), then a few of the
# edits text goes through on its way to us.
RIVALS = (
    Entity("georgia-us-state", "Georgia", "other", aliases=("State of Georgia",), acronyms=("GA",)),
    Entity("ana-vucic", "Ana Vučić", "person"),
    Entity("federal-savings-bank", "Federal Savings Bank", "organization", acronyms=("FSB",)),
    Entity("paris-texas", "Paris", "city", aliases=("Paris, Texas",)),
    Entity("paris-france", "Paris", "city"),
)
CLAIMED_TWICE = ("Georgia", "GA", "FSB", "Paris", "Vučić", "Vucic")  # by a rival and another entity
_ACCENTED = {"a": "áä", "c": "čć", "e": "éë", "i": "í", "n": "ñ", "o": "öó", "s": "š", "u": "üú", "z": "ž"}
_ACCENTED.update({k.upper(): v.upper() for k, v in _ACCENTED.items()})
_RIVALS_CACHE: list[Normalizer] = []


def _with_rivals() -> Normalizer:
    """The bundled tables plus :data:`RIVALS`, built once."""
    if not _RIVALS_CACHE:
        _RIVALS_CACHE.append(Normalizer(AliasTable(_builtin().table.entities + RIVALS)))
    return _RIVALS_CACHE[0]


@functools.cache
def _written_names(pool: str) -> tuple[str, ...]:
    """The table's ``acronyms``, or its ``names`` (aliases and weak aliases included)."""
    entities = _with_rivals().table.entities
    if pool == "acronyms":
        return tuple(a for e in entities for a in e.acronyms)
    return tuple(n for e in entities for n in (*e.names(), *e.weak_aliases))


def _letter_at(draw: st.DrawFn, name: str, fits: Callable[[str], bool] = str.isalpha) -> int | None:
    places = [i for i, c in enumerate(name) if fits(c)]
    return draw(st.sampled_from(places)) if places else None


def _recase(draw: st.DrawFn, name: str) -> str:
    return draw(st.sampled_from([str.upper, str.lower, str.title, str.swapcase, str.capitalize]))(name)


def _drop_letter(draw: st.DrawFn, name: str) -> str:
    i = _letter_at(draw, name)
    return name if i is None else name[:i] + name[i + 1 :]


def _double_letter(draw: st.DrawFn, name: str) -> str:
    i = _letter_at(draw, name)
    return name if i is None else name[: i + 1] + name[i:]


def _swap_letters(draw: st.DrawFn, name: str) -> str:
    places = [i for i in range(len(name) - 1) if name[i].isalpha() and name[i + 1].isalpha()]
    if not places:
        return name
    i = draw(st.sampled_from(places))
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _add_accent(draw: st.DrawFn, name: str) -> str:
    i = _letter_at(draw, name, lambda c: c in _ACCENTED)
    return name if i is None else name[:i] + draw(st.sampled_from(_ACCENTED[name[i]])) + name[i + 1 :]


def _strip_accents(draw: st.DrawFn, name: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


def _lose_non_ascii(draw: st.DrawFn, name: str) -> str:
    """What a pipeline that cannot encode a letter does to it: a '?' in its place, or nothing."""
    lost = draw(st.sampled_from(["?", ""]))
    return "".join(c if c.isascii() else lost for c in unicodedata.normalize("NFC", name))


def _add_title(draw: st.DrawFn, name: str) -> str:
    return draw(st.sampled_from(["Mr ", "Mrs ", "Dr ", "President ", "Prime Minister ", "the "])) + name


def _add_possessive(draw: st.DrawFn, name: str) -> str:
    return name + draw(st.sampled_from(["'s", "’s", "'"]))


def _add_spaces(draw: st.DrawFn, name: str) -> str:
    spaces = draw(st.sampled_from(["  ", "   ", " \t "]))
    where = draw(st.sampled_from(["start", "end", "inside"]))
    if where == "inside" and " " in name:
        return name.replace(" ", spaces, 1)
    return spaces + name if where == "start" else name + spaces


def _add_dots(draw: st.DrawFn, name: str) -> str:
    return ".".join(name) + "." if name.isalpha() else name


EDITS = [
    _recase, _drop_letter, _double_letter, _swap_letters, _add_accent, _strip_accents, _lose_non_ascii,
    _add_title, _add_possessive, _add_spaces,
]
# A typo in a two- or three-letter code mostly makes no name at all (or another code).
ACRONYM_EDITS = [_recase, _add_possessive, _add_spaces, _add_dots]


@st.composite
def perturbed_names(draw: st.DrawFn) -> str:
    """A name of the table behind :func:`_with_rivals`, through up to three random edits.

    A fifth are names two entities claim, a fifth the table's acronyms, with edits that
    keep them acronyms, and the rest its names.
    """
    pool = draw(st.sampled_from(["claimed twice", "acronyms", "names", "names", "names"]))
    name = draw(st.sampled_from(CLAIMED_TWICE if pool == "claimed twice" else _written_names(pool)))
    for edit in draw(st.lists(st.sampled_from(ACRONYM_EDITS if pool == "acronyms" else EDITS), max_size=3)):
        name = edit(draw, name)
    return name


def _check_ranking(normalizer: Normalizer, name: str, limit: int) -> list[Match]:
    """The invariants of a ranking (asserted); returns it."""
    ranked = normalizer.candidates(name, limit=limit)
    scores = [m.score for m in ranked]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert len(ranked) <= limit
    assert len({m.entity.id for m in ranked}) == len(ranked)  # each entity once
    for m in ranked:  # each says how, and which entry of its entity's table it matched
        assert m.method in entnorm.METHODS
        assert m.alias in (*m.entity.names(), *m.entity.acronyms, *m.entity.weak_aliases)
    assert normalizer.candidates(name, limit=10)[:limit] == ranked  # a longer list only adds to the end
    # An ambiguous answer: the first places, one score, each naming the same group of entities.
    tied = [m for m in ranked if m.ambiguous]
    assert ranked[: len(tied)] == tied
    assert all(not m.alternatives for m in ranked[len(tied) :])
    if tied:
        group = {tied[0].entity.id, *(e.id for e in tied[0].alternatives)}
        assert len(group) == len(tied[0].alternatives) + 1 >= 2
        for m in tied:
            assert m.score == tied[0].score
            assert m.entity.id not in {e.id for e in m.alternatives}
            assert {m.entity.id, *(e.id for e in m.alternatives)} == group
        assert len(tied) == min(limit, len(group))
    match = normalizer.match(name)
    assert match is None or match.score >= normalizer.threshold
    assert match == (ranked[0] if ranked and ranked[0].score >= normalizer.threshold else None)
    assert normalizer.match(name, threshold=0.0) == (ranked[0] if ranked else None)
    return ranked


@given(perturbed_names(), st.integers(min_value=1, max_value=6))
def test_scores_are_probabilities_in_rank_order(name: str, limit: int) -> None:
    ranked = _check_ranking(_with_rivals(), name, limit)
    event("candidates" if ranked else "no candidate")
    if ranked:
        event(f"first by {ranked[0].method}{', ambiguous' if ranked[0].ambiguous else ''}")


def test_perturbed_names_mostly_have_candidates() -> None:
    """The property above is not vacuous: most drawn names reach an entity."""
    found: list[bool] = []

    @settings(max_examples=200, derandomize=True, database=None, phases=[Phase.generate])
    @given(perturbed_names())
    def draw(name: str) -> None:
        found.append(bool(_with_rivals().candidates(name)))

    draw()
    assert len(found) >= 150 and sum(found) >= 0.8 * len(found), (sum(found), len(found))


@given(tables())
def test_every_unique_alias_matches_its_own_entity(table: AliasTable) -> None:
    normalizer = Normalizer(table)
    owners: dict[str, set[str]] = {}
    for entity in table.entities:
        for alias in entity.names():
            owners.setdefault(normalize_name(alias), set()).add(entity.id)
    for entity in table.entities:
        for alias in entity.names():
            key = normalize_name(alias)
            if len(key) >= 4 and owners[key] == {entity.id}:
                match = normalizer.match(alias)
                assert match is not None and match.entity.id == entity.id, (alias, normalizer.candidates(alias))


@given(tables())
def test_tables_round_trip_through_yaml(table: AliasTable) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.yaml"
        path.write_text(dump_table(table), encoding="utf-8")
        assert load_table(path) == table


@given(st.lists(st.text(alphabet=string.ascii_lowercase, min_size=5, max_size=9), min_size=2, max_size=30),
       st.data())
def test_one_typo_per_word_is_found_like_brute_force(vocabulary: list[str], data: st.DataObject) -> None:
    keys = [" ".join(vocabulary[i : i + 2]) for i in range(0, len(vocabulary) - 1, 2)]
    origin = data.draw(st.sampled_from(keys))
    typo_words = []
    for word in origin.split():
        position = data.draw(st.integers(0, len(word) - 1))
        letter = data.draw(st.sampled_from(string.ascii_lowercase))
        typo_words.append(word[:position] + letter + word[position + 1 :])
    typo = " ".join(typo_words)
    assume(typo not in keys)
    found = dict(FuzzyIndex(keys).search(typo, limit=len(keys), cutoff=0.0))
    assert origin in found
    assert abs(found[origin] - fuzz.ratio(typo, origin) / 100) < 1e-9


_CACHE: list[Normalizer] = []


def _builtin() -> Normalizer:
    if not _CACHE:
        _CACHE.append(entnorm.load())
    return _CACHE[0]


@given(tables(), st.data())
def test_precomputed_answers_equal_the_full_lookup(table: AliasTable, data: st.DataObject) -> None:
    from unidecode import unidecode

    normalizer = Normalizer(table)
    alias = data.draw(st.sampled_from([a for e in table.entities for a in e.names()]))
    query = data.draw(
        st.sampled_from([alias, alias.upper(), alias.lower(), unidecode(alias), f"Mr {alias}", f"{alias}’s"])
    )
    full = normalizer.candidates(query, limit=1)
    assert normalizer.match(query, threshold=0.0) == (full[0] if full else None)


FRAGMENTS = [
    "Aleksandar Vučić", "Vucic", "VUCIC", "Mr Vucic's", "Vucich", "Aleksandar Vui", "Vui", "VUI", "Vu?i?",
    "SVR", "Russia’s Federal Security Service (SVR)", "the Russian Foreign Intelligence Service, SVR,",
    "Russia's foreign intelligence service", "Xavier Bethel", "Novi-Sad", "NOVI SAD", "Kiev", "US", "us",
    "Nato", "Serbian", "pro-VUCIC", "Russia-Ukraine", "said.Serbia", "Vuitton", "Вучић", "Шойгу", "é",
    "Vuc\u030cic\u0301", "the", "and", "said", "\n", "\n\n", " ", "  ", ", ", ". ", "(", ")", "’", "-", "?",
    # words that only begin names, and what may end a word after them
    "Aleksandar", "European", "Union", "security", "foreign", "Xavier Bethel!", "!", "?!", ".",
]
documents = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(" ".join)


def _written(name: str, how: int) -> str:
    """One of the ways running text writes a table's name."""
    forms = (name, name.upper(), name.lower(), f"{name}'s", f"Mr {name}", f"the {name}", name.replace(" ", "-"),
             name.replace(" ", "\n"), f"{name} ({''.join(w[:1] for w in name.split()).upper()})", f"{name},")
    return forms[how % len(forms)]


@st.composite
def news(draw: st.DrawFn) -> str:
    """Random documents of the bundled tables' names, written many ways, among fragments and random text."""
    table = _builtin().table
    names = sorted({n for e in table.entities for n in (*e.names(), *e.acronyms, *e.weak_aliases)})
    piece = st.one_of(
        st.builds(_written, st.sampled_from(names), st.integers(min_value=0, max_value=9)),
        st.sampled_from(FRAGMENTS),
        st.text(alphabet=LETTERS + " .,;:'’-()?\n", max_size=12),
    )
    glue = st.sampled_from([" ", " ", " ", "\n", ", ", ". ", " - ", "’s ", " (", ") ", "\n\n"])
    parts = draw(st.lists(st.tuples(piece, glue), max_size=30))
    text = "".join(a + b for a, b in parts)
    # ASCII text takes the fast scanner's fast path (verdicts read from the view): half the documents are.
    return unidecode(text) if draw(st.booleans()) else text


def _cut(data: str | bytes, cuts: list[int]) -> list[str] | list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]  # type: ignore[misc]


@given(documents, st.lists(st.integers(min_value=0, max_value=10_000), max_size=12))
def test_streaming_results_do_not_depend_on_chunk_boundaries(text: str, cuts: list[int]) -> None:
    normalizer = _builtin()
    whole = normalizer.annotate(text)
    for m in whole:
        assert text[m.start : m.end] == m.text
    assert list(normalizer.stream(_cut(text, cuts))) == whole
    assert list(normalizer.stream(_cut(text.encode("utf-8"), cuts))) == whole


@given(documents, st.lists(st.integers(min_value=0, max_value=10_000), max_size=8))
def test_rewriting_changes_mentions_only(text: str, cuts: list[int]) -> None:
    import io
    import re

    normalizer = _builtin()
    out = io.StringIO()
    normalizer.rewrite(_cut(text, cuts), out, style="inline")
    assert out.getvalue() == normalizer.normalize_text(text, style="inline")
    assert re.sub(r" \[\[[^\]]*\]\]", "", out.getvalue()) == text


@given(st.one_of(documents, news()), st.lists(st.integers(min_value=0, max_value=10_000), max_size=6))
def test_the_fast_scanner_finds_what_the_reference_finds(text: str, cuts: list[int]) -> None:
    """The fast scanner, fed in chunks, decides each document as the reference reading it whole does."""
    from entnorm.text import TextOptions, batches, events
    from entnorm.text.reference import ReferenceScanner

    normalizer = _builtin()
    options = TextOptions.of(0.5)
    reference = list(events(batches([text], ReferenceScanner(normalizer._index), normalizer._index, options)))
    for chunks in ([text], _cut(text, cuts)):
        assert list(events(batches(chunks, normalizer._scanner, normalizer._index, options))) == reference


SEPARATORS = [
    r"\n", r"\n\n+", r"\n---\n", r"\s+---", r"(?m)^---$", r"b|ab", r"a*", r"(?<=a)\n", r"(?i)B\n", r"\n\s*\n",
]


def _documents_by_finditer(text: str, separator: re.Pattern[str]) -> list[str]:
    """The reference: a document ends after each non-empty match over the whole text."""
    documents, last = [], 0
    for found in separator.finditer(text):
        if found.end() > found.start():
            documents.append(text[last : found.end()])
            last = found.end()
    return [*documents, text[last:]]


@given(
    st.lists(st.sampled_from(["a", "b", "B", "\n", "\n\n", "---", " ", "   ", "x" * 40, "\n" * 50]), max_size=60)
    .map("".join),
    st.sampled_from(SEPARATORS),
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=8),
    st.sampled_from([300, 1 << 16]),
)
@example("ba", "a*", [], 1 << 16)  # a later non-empty match after an empty one
@example("y" * 10 + "\n---\n" + "z" * 254, r"\n---\n", [269], 1 << 16)  # a match across where a chunk was cut
@example("a" + "\n" * 400 + "b", r"\n+", [200], 300)  # a match longer than the window, across chunks
def test_documents_are_the_separators_matches_for_any_chunking(
    text: str, pattern: str, cuts: list[int], window: int
) -> None:
    from unittest import mock

    from entnorm.text import separators as text_module

    separator = re.compile(pattern)
    expected = _documents_by_finditer(text, separator)
    with mock.patch.object(text_module, "_SEARCH_WINDOW", window):
        for chunks in ([text], _cut(text, cuts)):
            documents, parts = [], []
            for piece, ends in text_module.split_documents(chunks, separator):
                parts.append(piece)
                if ends:
                    documents.append("".join(parts))
                    parts = []
            assert documents == expected


# Any code point a str can hold, lone surrogates ("\ud800", common in scraped JSONL) included.
any_text = st.text(
    st.one_of(st.characters(exclude_categories=()), st.characters(categories=["Cs"]), st.sampled_from(LETTERS))
)
text_with_surrogates = st.lists(st.one_of(st.sampled_from(FRAGMENTS), any_text), max_size=20).map(" ".join)


@example("\ud800")
@example("Vu\udcc4\udc8di\u0107 met Vučić\ud83d")  # surrogateescape'd bytes, half an emoji
@given(text_with_surrogates)
def test_names_with_lone_surrogates_are_looked_up_without_error(text: str) -> None:
    normalizer = _builtin()
    key = normalize_name(text)
    assert normalize_name(key) == key
    ranked = normalizer.candidates(text)
    match = normalizer.match(text, threshold=0.0)
    assert match == (ranked[0] if ranked else None)
    if all("\ud800" <= c <= "\udfff" or c.isspace() for c in text):
        assert match is None


@example("\ud800", [])
@example("Vu\udcc4\udc8di\u0107 met Vučić\ud83d and \udfffAleksandar Vučić\udfff", [3, 20])
@given(text_with_surrogates, st.lists(st.integers(min_value=0, max_value=10_000), max_size=6))
def test_running_text_with_lone_surrogates_keeps_its_offsets(text: str, cuts: list[int]) -> None:
    normalizer = _builtin()
    mentions = normalizer.annotate(text)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    assert list(normalizer.stream(_cut(text, cuts))) == mentions
    assume("[[" not in text)
    inline = normalizer.normalize_text(text, style="inline")
    assert re.sub(r" \[\[[^\]]*\]\]", "", inline) == text  # surrogates pass through unchanged
    normalizer.normalize_text(text)


def test_a_lone_surrogate_is_no_name() -> None:
    normalizer = _builtin()
    assert normalizer.match("\ud800") is None and normalizer.candidates("\ud800") == []
    assert normalize_name("Vu\ud800cic") == "vu cic"
    assert [m.text for m in normalizer.annotate("\ud800Vučić\udfff")] == ["Vučić"]
    assert normalizer.normalize_text("\ud800 Vucic \udfff") == "\ud800 Aleksandar Vučić \udfff"
