"""Hypothesis properties: invariants that must hold for any input, not just our examples."""

from __future__ import annotations

import re
import string
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import assume, example, given
from hypothesis import strategies as st
from rapidfuzz import fuzz
from unidecode import unidecode

import entnorm
from entnorm import AliasTable, Entity, Normalizer, dump_table, load_table
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


@given(st.text(max_size=40))
def test_scores_are_probabilities_in_rank_order(text: str) -> None:
    normalizer = _builtin()
    ranked = normalizer.candidates(text, limit=10)
    scores = [m.score for m in ranked]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    match = normalizer.match(text)
    assert match is None or match.score >= normalizer.threshold


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
    from entnorm.text.reference import ReferenceScanner
    from entnorm.text.stream import batches, events

    normalizer = _builtin()
    reference = list(events(batches([text], ReferenceScanner(normalizer._index), normalizer._index, 0.5)))
    for chunks in ([text], _cut(text, cuts)):
        assert list(events(batches(chunks, normalizer._scanner, normalizer._index, 0.5))) == reference


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

    from entnorm.text import stream as text_module

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
