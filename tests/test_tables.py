"""Loading, validating and merging alias tables; every error names file and line."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import entnorm
from entnorm import TableError, dump_table, find_collisions, load_table, validate_table
from entnorm.cli import main


def error_of(path: Path) -> str:
    with pytest.raises(TableError) as info:
        load_table(path)
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("entities:\n  - id: x\n    name: [unclosed\n", 3, "invalid YAML: while parsing a flow sequence (line 3)"),
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


# -- hostile and odd YAML: one line naming file:line, at bounded cost -------------------------------

# Billion laughs: 9 ** 9 'lol' once expanded (the first ones took 43 s and 3 GB, then printed 39 MB).
BOMB = "entities:\n  - id: a\n    name: A\n    aliases: [" + ",".join(
    [f"&l0 [{','.join(['lol'] * 9)}]"]
    + [f"&l{n} [{','.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
) + "]\n"


def test_an_alias_bomb_is_refused_at_once_in_one_short_line(write_table) -> None:
    path = write_table(BOMB)
    assert len(BOMB.encode()) < 500
    start = time.perf_counter()
    message = error_of(path)
    assert time.perf_counter() - start < 2.0
    assert message == f"{path}:4: YAML aliases (*l0) are not supported in tables"
    assert len(message) < 300


def test_yaml_aliases_are_refused_where_they_are_used(write_table) -> None:
    path = write_table("entities:\n  - id: a\n    name: A\n    aliases: &names [Alpha]\n    weak_aliases: *names\n")
    assert error_of(path) == f"{path}:5: YAML aliases (*names) are not supported in tables"


@pytest.mark.parametrize("depth", [65, 400, 10_000, 100_000])
def test_deep_nesting_is_one_line_at_any_depth(write_table, depth: int) -> None:
    path = write_table("entities:\n  - id: a\n    name: A\n    aliases: " + "[" * depth + "x" + "]" * depth + "\n")
    assert error_of(path) == f"{path}:4: YAML nested deeper than 64 levels"


def test_nesting_up_to_the_bound_reads(write_table) -> None:
    nested = "[" * 60 + "x" + "]" * 60  # the entry, its mapping and the list around: 64 levels
    assert "is not a string" in error_of(write_table(f"entities:\n  - id: a\n    name: A\n    aliases: [{nested}]\n"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!foo x", "YAML tag !foo is not supported in tables"),
        ('!!python/object/apply:os.system ["echo hi"]', "YAML tag !!python/object/apply:os.system is not supported"),
        ("!!binary aGVsbG8=", "YAML tag !!binary is not supported in tables"),
        ("!!set {x}", "YAML tag !!set is not supported in tables"),
        ("=", "YAML tag !!value is not supported in tables: quote '=' to make it a string"),
        ('!!float "abc"', "YAML value 'abc' is not a valid !!float"),
        ('!!int "x"', "YAML value 'x' is not a valid !!int"),
        ("!!int ''", "YAML value '' is not a valid !!int"),
        ('!!timestamp "bad"', "YAML value 'bad' is not a valid !!timestamp"),
        ("2001-02-30", "YAML value '2001-02-30' is not a valid !!timestamp"),
        ('!!bool "maybe"', "YAML value 'maybe' is not a valid !!bool"),
    ],
)
def test_tags_and_values_tables_cannot_hold_are_one_line(write_table, value: str, message: str) -> None:
    path = write_table(f"entities:\n  - id: a\n    name: A\n    aliases:\n      - {value}\n")
    error = error_of(path)
    assert error.startswith(f"{path}:5: {message}"), error
    assert "\n" not in error


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("base: &base {type: city}\nentities:\n  - id: a\n    name: A\n    <<: *base\n", 5, "YAML merge keys (<<)"),
        ("entities:\n  - id: a\n    name: A\n    <<: {type: city}\n", 4, "YAML merge keys (<<)"),
        ("entities:\n  - id: a\n    ? [name]\n    : A\n", 3, "a mapping key must be a single value"),
        ("entities: []\n---\nentities: []\n", 2, "a table file holds one YAML document, found another"),
        ("entities:\n  - id: a\n    name: A\x00\n", 3, "invalid YAML: control characters are not allowed"),
    ],
)
def test_other_yaml_a_table_cannot_hold_is_one_line(write_table, text: str, line: int, message: str) -> None:
    path = write_table(text)
    error = error_of(path)
    assert error.startswith(f"{path}:{line}: {message}"), error
    assert "\n" not in error


def test_a_syntax_error_leads_with_the_line_where_the_construct_began(write_table) -> None:
    path = write_table("entities:\n  - id: a\n    name: A\n    aliases:\n      - 'Vucic\n      - Vucich\n\n\n")
    assert error_of(path) == (
        f"{path}:5: invalid YAML: while scanning a quoted scalar (line 5): found unexpected end of stream (line 9)"
    )


def test_values_in_messages_are_cut(write_table) -> None:
    long_list = "[" + ", ".join(["word"] * 20_000) + "]"
    long_name = "Ж" * 100_000
    for text in (
        f"entities:\n  - id: a\n    name: A\n    aliases: [{long_list}]\n",
        f"entities:\n  - id: a\n    name: A\n    type: {long_name}\n",
        f"entities:\n  - {{id: a, name: A, country: {long_name}}}\n",
    ):
        message = error_of(write_table(text))
        assert len(message) < 300 and "…" in message, message[:400]


HOSTILE = {
    "bomb": BOMB,
    "deep": "entities: " + "[" * 400 + "]" * 400 + "\n",
    "tag": "entities:\n  - !!python/object/apply:os.system ['true']\n",
    "merge": "x: &x {id: a}\nentities:\n  - <<: *x\n    name: A\n",
    "float": "entities:\n  - {id: a, name: !!float 'abc'}\n",
    "syntax": "entities:\n  - id: 'a\n",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
@pytest.mark.parametrize("verb", ["validate", "match"])
def test_the_command_reports_bad_yaml_in_two_lines_at_most(
    write_table, capsys: pytest.CaptureFixture[str], kind: str, verb: str
) -> None:
    path = write_table(HOSTILE[kind])
    argv = ["validate", str(path)] if verb == "validate" else ["match", "--aliases", str(path), "x"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert 1 <= len(err.splitlines()) <= 2 and "Traceback" not in err and f"{path}:" in err, err
    assert len(err) < 400


def test_the_command_in_a_process_refuses_the_bomb_quickly(write_table) -> None:
    path = write_table(BOMB)
    start = time.perf_counter()
    ran = subprocess.run(
        [sys.executable, "-m", "entnorm", "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert time.perf_counter() - start < 10.0
    assert ran.returncode == 1
    assert ran.stderr.splitlines()[0].endswith(f"{path}:4: YAML aliases (*l0) are not supported in tables")


# -- validate: every problem --------------------------------------------------------------------------

MANY_PROBLEMS = """\
entities:
  - id: Bad
    name: A
    type: planet
    aliases: [ok, '...', 12]
  - {extends: nowhere, aliases: [x]}
  - {id: b, name: B, country: atlantis, colour: red}
  - {id: b, name: B again}
"""


def test_validate_table_lists_every_problem_in_file_order(write_table) -> None:
    many = write_table(MANY_PROBLEMS)
    broken = write_table("entities:\n  - id: c\n    name: 'unclosed\n\n")
    good = write_table("entities:\n  - {id: d, name: D}\n")
    problems = validate_table(broken, many, good)
    assert [str(p) for p in problems] == [
        f"{broken}:3: invalid YAML: while scanning a quoted scalar (line 3): found unexpected end of stream (line 5)",
        f"{many}:2: bad id 'Bad': use lower-case letters and digits joined by '-'",
        f"{many}:4: type 'planet' is not one of person, organization, country, city, other",
        f"{many}:5: alias '...' normalizes to nothing (no letter or digit)",
        f"{many}:5: alias 12 is not a string",
        f"{many}:7: unknown field 'colour' (did you mean 'country'?)",
        f"{many}:8: id 'b' repeated (first defined at {many}:7); use 'extends' to add names",
        f"{many}:6: extends unknown id 'nowhere'",
        f"{many}:7: country 'atlantis' of 'b' is not a known id",
    ]
    assert {p.path for p in problems} == {str(broken), str(many)}
    assert validate_table(good) == []
    with pytest.raises(TableError, match="bad id 'Bad'"):  # loading still stops at the first
        load_table(many, good)


def test_validate_names_missing_paths_and_goes_on(write_table, tmp_path: Path) -> None:
    good = write_table("entities:\n  - {id: d, name: D}\n")
    problems = validate_table(tmp_path / "nope.yaml", good, tmp_path / "nope2.yml")
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'nope.yaml'}: no such file or folder", f"{tmp_path / 'nope2.yml'}: no such file or folder"
    ]


def test_the_validate_command_prints_every_problem_then_a_count(
    write_table, capsys: pytest.CaptureFixture[str]
) -> None:
    many = write_table(MANY_PROBLEMS)
    broken = write_table("entities: [\n")
    assert main(["validate", str(many), str(broken)]) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 10 and lines[-1] == "9 problems in 2 files", lines
    assert all(line.startswith((f"{many}:", f"{broken}:")) for line in lines[:-1])
    assert captured.out == ""
    assert main(["validate", str(broken)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "1 problem in 1 file"


def test_a_table_that_extends_bundled_ids_validates_with_builtin(
    write_table, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = write_table(
        "entities:\n  - {extends: aleksandar-vucic, aliases: [Vucicc]}\n  - {id: k, name: K, country: serbia}\n"
    )
    assert main(["validate", "builtin", str(mine)]) == 0
    assert capsys.readouterr().out.endswith(" entities, 0 ambiguous names\n")
    assert main(["validate", str(mine)]) == 1
    assert "extends unknown id 'aleksandar-vucic'" in capsys.readouterr().err
