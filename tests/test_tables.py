"""Loading, validating and merging alias tables; every error names file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import entnorm
from entnorm import TableError, dump_table, find_collisions, load_table


def error_of(path: Path) -> str:
    with pytest.raises(TableError) as info:
        load_table(path)
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("entities:\n  - id: x\n    name: [unclosed\n", 4, "invalid YAML"),
        ("- just a list\n", 1, "must be a mapping with an 'entities' list"),
        ("entities:\n  - plain string\n", 2, "must be a mapping"),
        ("entities:\n  - id: a\n", 2, "without 'name'"),
        ("entities:\n  - name: A\n", 2, "without 'id'"),
        ("entities:\n  - {id: Bad_Id, name: A}\n", 2, "bad id 'Bad_Id'"),
        ("entities:\n  - {id: a, name: A, type: planet}\n", 2, "type 'planet'"),
        ("entities:\n  - id: a\n    name: A\n    aliases: [NO]\n", 4, 'quote it: "NO"'),
        ("entities:\n  - id: a\n    name: A\n    aliases:\n      - 12\n", 5, "alias 12 is not a string"),
        ("entities:\n  - id: a\n    name: A\n    aliases: ['']\n", 4, "alias is empty"),
        ("entities:\n  - id: a\n    name: A\n    aliases: ['...']\n", 4, "normalizes to nothing"),
        ("entities:\n  - id: a\n    name: A\n    aliases: Solo\n", 4, "must be a list"),
        ("entities:\n  - id: a\n    name: A\n    aliasses: [B]\n", 4, "did you mean 'aliases'"),
        ("entities:\n  - id: a\n    name: A\n    name: B\n", 4, "key 'name' repeated (first on line 3)"),
        ("entities:\n  - {extends: nowhere, aliases: [B]}\n", 2, "extends unknown id 'nowhere'"),
        ("entities:\n  - {id: a, name: A}\n  - {extends: a, name: B}\n", 3, "may only add"),
        ("entities:\n  - {id: a, name: A, country: atlantis}\n", 2, "country 'atlantis'"),
        ("entitys: []\n", 1, "did you mean 'entities'"),
    ],
)
def test_errors_start_with_file_and_line(write_table, text: str, line: int, fragment: str) -> None:
    path = write_table(text)
    message = error_of(path)
    assert message.startswith(f"{path}:{line}: "), message
    assert fragment in message


def test_repeated_id_names_both_places(write_table) -> None:
    first = write_table("entities:\n  - {id: a, name: A}\n")
    second = write_table("entities:\n\n  - {id: a, name: Another}\n")
    with pytest.raises(TableError) as info:
        load_table(first, second)
    assert str(info.value).startswith(f"{second}:3: id 'a' repeated (first defined at {first}:2)")


def test_invalid_utf8_table_names_the_line(write_table) -> None:
    path = write_table("")
    path.write_bytes(b"entities:\n  - {id: a, name: \xff}\n")
    assert error_of(path).startswith(f"{path}:2: not UTF-8")


def test_missing_path_and_empty_folder_are_errors(tmp_path: Path) -> None:
    assert "no such file" in error_of(tmp_path / "nope.yaml")
    assert "no *.yaml" in error_of(tmp_path)


def test_table_errors_are_value_errors(write_table) -> None:
    with pytest.raises(ValueError, match="bad id"):
        load_table(write_table("entities:\n  - {id: '-', name: A}\n"))


def test_empty_files_hold_no_entities(write_table) -> None:
    assert len(load_table(write_table(""))) == 0
    assert len(load_table(write_table("entities:\n"))) == 0


def test_folder_reads_yaml_files_sorted_and_extends_across_files(tmp_path: Path) -> None:
    (tmp_path / "b.yml").write_text("entities:\n  - {extends: a, aliases: [Alpha], acronyms: [AA]}\n")
    (tmp_path / "a.yaml").write_text("entities:\n  - {id: a, name: A, aliases: [Aa]}\n")
    (tmp_path / "notes.txt").write_text("ignored")
    table = load_table(tmp_path)
    entity = table.get("a")
    assert entity is not None
    assert entity.aliases == ("Aa", "Alpha") and entity.acronyms == ("AA",)
    assert str(table.locations[("a", "Alpha")]) == f"{tmp_path / 'b.yml'}:2"


def test_the_same_file_twice_is_read_once(write_table) -> None:
    path = write_table("entities:\n  - {id: a, name: A}\n")
    assert len(load_table(path, path)) == 1


def test_duplicate_aliases_of_one_entity_are_merged(write_table) -> None:
    table = load_table(write_table("entities:\n  - {id: a, name: Novi Sad, aliases: [NOVI SAD, Novi-Sad, NS]}\n"))
    assert table.entities[0].aliases == ("NS",)


def test_collisions_are_reported_not_overwritten(write_table) -> None:
    path = write_table(
        "entities:\n"
        "  - {id: svr, name: Foreign Intelligence Service, acronyms: [SVR]}\n"
        "  - {id: fsb, name: Federal Security Service, aliases: [foreign intelligence service], acronyms: [SVR]}\n"
    )
    collisions = find_collisions(load_table(path))
    assert sorted(c.key for c in collisions) == ["SVR", "foreign intelligence service"]
    text = "\n".join(map(str, collisions))
    assert re.search(rf"{re.escape(str(path))}:3: alias 'SVR' claimed by 'svr' and 'fsb'", text)


def test_weak_aliases_shared_by_several_entities_are_not_collisions(builtin) -> None:
    assert find_collisions(builtin.table) == []


def test_dump_and_load_round_trip(builtin, write_table) -> None:
    again = load_table(write_table(dump_table(builtin.table)))
    assert again == builtin.table


def test_bundled_tables_have_the_seed_entities(builtin) -> None:
    ids = {e.id for e in builtin.table}
    wanted = """aleksandar-vucic vladimir-putin volodymyr-zelensky dmitry-peskov sergei-shoigu
        xavier-bettel svr fsb gru nato european-union united-nations financial-times kosovo kyiv
        belgrade novi-sad moscow serbia russia ukraine czech-republic united-states""".split()
    assert set(wanted) <= ids
    assert sum(e.type == "country" for e in builtin.table) >= 249


def test_demonyms_are_not_aliases(builtin) -> None:
    russia = builtin.table.get("russia")
    assert russia is not None and "Russian" in russia.demonyms
    assert all(a != "Russian" for e in builtin.table for a in e.names())


def test_builtin_constant_points_at_the_tables() -> None:
    assert sorted(p.name for p in entnorm.BUILTIN.glob("*.yaml")) == [
        "agencies.yaml", "countries.yaml", "countries_extra.yaml", "organizations.yaml",
        "people.yaml", "places.yaml",
    ]


UNROMANIZED = Path(__file__).parent / "cases" / "unromanized.yaml"


def test_names_in_scripts_without_romanization_load_and_match_themselves() -> None:
    normalizer = entnorm.Normalizer(load_table(UNROMANIZED))
    names = [(e.id, name) for e in normalizer.table for name in e.names()]
    assert len(names) == 11
    for entity_id, name in names:
        match = normalizer.match(name)
        assert match is not None and (match.entity.id, match.method) == (entity_id, "exact"), name
    coptic = normalizer.match("ⲔⲎⲘⲈ")  # case-folded like any other script
    assert coptic is not None and coptic.entity.id == "coptic-land"


def test_running_text_finds_such_names_only_after_an_ascii_first_word() -> None:
    normalizer = entnorm.Normalizer(load_table(UNROMANIZED))
    text = "They met at Asif ⴰⵎⵇⵔⴰⵏ and ⴰⵙⵉⴼ today."
    found = [(m.text, m.entity.id) for m in normalizer.annotate(text)]
    assert found == [("Asif ⴰⵎⵇⵔⴰⵏ", "mixed-river")]  # the view is ASCII: ⴰⵙⵉⴼ cannot trigger (README)


@pytest.mark.parametrize("alias", ["—…!", "★", "'?'", "· · ·"])
def test_a_name_without_letter_or_digit_is_an_error(write_table, alias: str) -> None:
    path = write_table(f"entities:\n  - id: a\n    name: A\n    aliases:\n      - {alias!r}\n")
    assert error_of(path) == f"{path}:5: alias {alias!r} normalizes to nothing (no letter or digit)"
