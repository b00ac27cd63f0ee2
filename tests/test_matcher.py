"""Normalizer.match and .candidates: bundled-table cases, fixture tables, ambiguity, sharing."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

import entnorm
from entnorm import Normalizer

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "match.yaml").read_text(encoding="utf-8"))
RESOLVE = [(query, entity_id) for entity_id, queries in CASES["resolve"].items() for query in queries]


@pytest.mark.parametrize(("query", "entity_id"), RESOLVE)
def test_bundled_tables_resolve(builtin: Normalizer, query: str, entity_id: str) -> None:
    match = builtin.match(query)
    assert match is not None, f"{query!r} abstained; candidates: {builtin.candidates(query)}"
    assert match.entity.id == entity_id
    assert builtin.threshold <= match.score <= 1.0


@pytest.mark.parametrize("query", CASES["abstain"])
def test_bundled_tables_abstain(builtin: Normalizer, query: str) -> None:
    assert builtin.match(query) is None, builtin.candidates(query)


@pytest.mark.parametrize(("query", "entity_id"), CASES["first_candidate"].items())
def test_abstentions_still_rank_the_likely_entity_first(
    builtin: Normalizer, query: str, entity_id: str
) -> None:
    assert builtin.match(query) is None
    first = builtin.candidates(query, limit=5)[0]
    assert first.entity.id == entity_id
    assert first.score < entnorm.DEFAULT_THRESHOLD


def test_threshold_zero_answers_with_the_best_candidate(builtin: Normalizer) -> None:
    match = builtin.match("Vui", threshold=0.0)
    assert match is not None and match.entity.id == "aleksandar-vucic"
    assert match.method == "dropped"


def test_threshold_is_checked(builtin: Normalizer) -> None:
    with pytest.raises(ValueError, match="threshold"):
        builtin.match("Vucic", threshold=1.5)


def test_methods_name_how_the_match_was_made(builtin: Normalizer) -> None:
    expected = {
        "Aleksandar Vučić": "exact",
        "ALEKSANDAR VUCIC": "folded",
        "SVR": "acronym",
        "Vucic Aleksandar": "reordered",
        "Vucic": "surname",
        "Aleksandar Vui": "dropped",
        "Xavier Bethel": "fuzzy",
        "Sergei Shoygu": "translit",
        "Sergey Shoygu": "folded",
    }
    for query, method in expected.items():
        match = builtin.match(query)
        assert match is not None and match.method == method, (query, match)


def test_weak_alias_alone_is_a_candidate_not_an_answer(builtin: Normalizer) -> None:
    found = {m.entity.id for m in builtin.candidates("foreign intelligence service", limit=10)}
    assert {"svr", "mi6"} <= found
    assert all(m.score < 0.5 for m in builtin.candidates("foreign intelligence service", limit=10))


def test_federal_security_service_never_resolves_to_svr(builtin: Normalizer) -> None:
    for query in ("Federal Security Service", "Russia's Federal Security Service", "FSB"):
        match = builtin.match(query)
        assert match is not None and match.entity.id == "fsb"


SOLE_NAME = """
entities:
  - id: aleksandar-vucic
    name: Aleksandar Vučić
    type: person
"""


@pytest.mark.parametrize(
    "query",
    ["Vucic", "Vucich", "Vuchich", "VUCIC", "Aleksandar Vui", "Vu?i?", "Александар Вучић", "Vučić"],
)
def test_generated_spellings_resolve_from_a_table_with_one_name(write_table, query: str) -> None:
    normalizer = entnorm.load(write_table(SOLE_NAME))
    match = normalizer.match(query)
    assert match is not None and match.entity.id == "aleksandar-vucic", normalizer.candidates(query)


def test_cyrillic_only_table_resolves_latin_spellings(write_table) -> None:
    normalizer = entnorm.load(
        write_table("entities:\n  - {id: vucic, name: Александар Вучић, type: person}\n")
    )
    for query in ("Aleksandar Vucic", "Aleksandar Vučić", "Vucic", "Vučić", "Vucich"):
        match = normalizer.match(query)
        assert match is not None and match.entity.id == "vucic", query


def test_an_alias_claimed_twice_is_an_ambiguous_match(write_table) -> None:
    normalizer = entnorm.load(
        write_table(
            "entities:\n"
            "  - {id: georgia, name: Georgia, type: country}\n"
            "  - {id: georgia-state, name: Georgia, type: other}\n"
        )
    )
    match = normalizer.match("Georgia")
    assert match is not None and match.ambiguous
    assert {match.entity.id, *(e.id for e in match.alternatives)} == {"georgia", "georgia-state"}
    ranked = normalizer.candidates("Georgia")
    assert [m.ambiguous for m in ranked] == [True, True]


def test_an_exact_alias_beats_another_entitys_surname(write_table) -> None:
    normalizer = entnorm.load(
        write_table(
            "entities:\n"
            "  - {id: jordan, name: Jordan, type: country}\n"
            "  - {id: michael-jordan, name: Michael Jordan, type: person}\n"
        )
    )
    match = normalizer.match("Jordan")
    assert match is not None and match.entity.id == "jordan" and not match.ambiguous
    assert [m.entity.id for m in normalizer.candidates("Jordan")] == ["jordan", "michael-jordan"]


def test_acronyms_are_case_sensitive(write_table) -> None:
    normalizer = entnorm.load(
        write_table("entities:\n  - {id: svr, name: Foreign Intelligence Service, acronyms: [SVR]}\n")
    )
    assert normalizer.match("SVR") is not None
    assert normalizer.match("Svr") is None
    assert normalizer.candidates("svr")[0].entity.id == "svr"


def test_candidates_respects_limit_and_orders_by_score(builtin: Normalizer) -> None:
    ranked = builtin.candidates("Vladimir Puttin", limit=3)
    assert 1 <= len(ranked) <= 3
    assert ranked[0].entity.id == "vladimir-putin"
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)
    assert builtin.candidates("Vladimir Puttin", limit=0) == []


def test_match_and_candidates_agree(builtin: Normalizer) -> None:
    for query in ["Vucic", "vucic", "VUCIC", "Vui", "Getty", "NATO", "svr", "Kiev", "Xavier Bethel"]:
        match = builtin.match(query, threshold=0.0)
        ranked = builtin.candidates(query, limit=1)
        assert (match is None) == (not ranked)
        if match is not None:
            assert match == ranked[0], query


def test_normalizer_pickles_and_answers_the_same(builtin: Normalizer) -> None:
    copy = pickle.loads(pickle.dumps(builtin))
    for query in ["Vucich", "Xavier Bethel", "Vui", "SVR"]:
        assert copy.candidates(query) == builtin.candidates(query)


def test_normalizer_is_safe_to_share_between_threads(builtin: Normalizer) -> None:
    queries = [q for q, _ in RESOLVE] * 5
    expected = [builtin.match(q) for q in queries]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(builtin.match, queries)) == expected


def test_normalizer_is_immutable(builtin: Normalizer) -> None:
    with pytest.raises(AttributeError):
        builtin.threshold = 0.1  # type: ignore[misc]
    with pytest.raises(AttributeError):
        builtin.extra = 1  # type: ignore[attr-defined]


def test_load_names_builtin_with_user_tables(write_table) -> None:
    extra = write_table("entities:\n  - {id: acme, name: Acme Corporation, type: organization}\n")
    normalizer = entnorm.load(entnorm.BUILTIN, extra)
    assert normalizer.match("Acme Corporation").entity.id == "acme"  # type: ignore[union-attr]
    assert normalizer.match("Vucich").entity.id == "aleksandar-vucic"  # type: ignore[union-attr]
