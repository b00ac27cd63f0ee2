"""Normalizer.match and .candidates: bundled-table cases, fixture tables, ambiguity, sharing."""

from __future__ import annotations

import gc
import pickle
import random
import sys
import threading
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


# Running text that fills the scanner's caches: names repeated and misspelled (a few typos
# per document, most of them new), acronyms a document defines, and short forms that link
# only by context.
_PEOPLE = ["Aleksandar Vučić", "Vladimir Putin", "Volodymyr Zelensky", "Dmitry Peskov", "Sergei Shoigu",
           "Xavier Bettel"]
# The table's own acronym; one it lacks (linked by the definition); one of another entity (a conflict).
_DEFINED = [("Federal Intelligence Service", "BND"), ("Security Service of Ukraine", "SBU"),
            ("Council of Europe", "CoE"), ("World Bank", "WBG"), ("European Parliament", "EP"),
            ("Russia’s Federal Security Service", "SVR"), ("African Union", "AU")]
_SENTENCES = [
    "{person} met {other} in Belgrade on Monday.", "Mr {surname}'s office said {other} would visit Kiev.",
    "The {long} ({acronym}) published a report.", "Officials of the {long}, {acronym}, declined to comment.",
    "A spokesman for the {acronym} said {acronym} staff were safe.", "{typo} told {outlet} that NATO was wrong.",
    "VUCIC SAYS THE US WILL STAY NEUTRAL.", "The feed printed him as Aleksandar Vui, then as VUI and Vu?i?.",
    "Russia's foreign intelligence service and the SVR disagree.", "{surname} and {typo} spoke in Novi Sad.",
    "Crowds in NOVI SAD chanted against {surname}.",
]


def _typo(rng: random.Random, name: str) -> str:
    i = rng.randrange(1, len(name) - 1)
    return rng.choice([name[:i] + name[i + 1 :], name[:i] + name[i] + name[i:], name[:i] + "e" + name[i + 1 :]])


def _documents(count: int) -> list[str]:
    rng = random.Random(20240501)
    documents = []
    for _ in range(count):
        cast = rng.sample(_PEOPLE, 3)
        long, acronym = rng.choice(_DEFINED)
        sentences = [f"The {long} ({acronym}) said {cast[0]} had been briefed."]
        for _ in range(rng.randrange(10, 20)):
            sentences.append(rng.choice(_SENTENCES).format(
                person=cast[0], other=rng.choice(cast[1:]), surname=cast[0].split()[-1], long=long,
                acronym=acronym, typo=_typo(rng, rng.choice(cast)), outlet=rng.choice(["Reuters", "the BBC"]),
            ))
        documents.append(" ".join(sentences) + ("\n" if rng.random() < 0.5 else ""))
    return documents


def _chunks(text: str, size: int) -> list[bytes]:
    data = text.encode("utf-8")  # cut anywhere, inside names and inside characters
    return [data[i : i + size] for i in range(0, len(data), size)]


def _everything(normalizer: Normalizer, documents: list[str], order: list[int]) -> dict[int, tuple[object, ...]]:
    """Each document's mentions, rewritten texts and streamed mentions, in ``order``."""
    return {
        number: (
            normalizer.annotate(documents[number]),
            normalizer.normalize_text(documents[number]),
            normalizer.normalize_text(documents[number], style="inline"),
            list(normalizer.stream(_chunks(documents[number], 7 + number % 13))),
        )
        for number in order
    }


def test_running_text_is_safe_to_share_between_threads(builtin: Normalizer) -> None:
    """annotate, normalize_text and stream in 8 threads at once give what one thread gives.

    The threads share a fresh normalizer, so they fill its caches (word keys, answers,
    fuzzy evidence) together, switching every 100 µs instead of every 5 ms.
    """
    documents = _documents(50)
    corpus = "\n---\n".join(documents)
    expected = _everything(builtin, documents, list(range(len(documents))))
    expected_corpus = list(builtin.stream_documents(corpus, doc_separator=r"\n---\n"))
    assert sum(len(mentions) for mentions, *_ in expected.values()) > 50 * 20
    assert {m.method for mentions, *_ in expected.values() for m in mentions} >= {"acronym", "context", "fuzzy"}
    assert any(m.conflict for mentions, *_ in expected.values() for m in mentions)
    shared = entnorm.load()
    start = threading.Barrier(8)

    def work(seed: int) -> tuple[dict[int, tuple[object, ...]], list[tuple[int, entnorm.Mention]]]:
        order = list(range(len(documents)))
        random.Random(seed).shuffle(order)
        start.wait()
        return _everything(shared, documents, order), list(shared.stream_documents(corpus, doc_separator=r"\n---\n"))

    interval, collecting = sys.getswitchinterval(), gc.isenabled()
    sys.setswitchinterval(1e-4)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(work, range(8)))
    finally:
        sys.setswitchinterval(interval)
        left_paused = collecting and not gc.isenabled()
        if collecting:
            gc.enable()  # whatever happened, the tests after this one run with the collector
    for found, found_corpus in results:
        assert found == expected
        assert found_corpus == expected_corpus
    if left_paused:  # in about one run of three
        pytest.xfail(
            "entnorm bug: the threads left the cycle collector paused for the whole process "
            "(collector_paused reads gc.isenabled(), then disables: another thread may enable in between)"
        )


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
