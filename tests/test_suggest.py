"""``entnorm suggest``: near-misses and new titled names, as YAML that loads with the tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

import entnorm
from entnorm.curate.suggest import suggest, to_yaml

TABLE = """\
entities:
  - id: aleksandar-vucic
    name: Aleksandar Vučić
    type: person
  - id: fsb
    name: Federal Security Service
    type: organization
    aliases: [FSB]
"""
CORPUS = [
    "Aleksandar Vučić spoke. Later Vucicc said so. Foreign Minister Marta Kosovar met Vucicc.",
    "Deputy Prime Minister Jane Doerington and Ms Doerington. The FSB and Vuchich. New York Times.",
    "Marta Kosovar, the Foreign Minister, spoke; President Jean van der Berg too.",
]


def test_suggests_aliases_for_near_misses_and_new_titled_names(write_table) -> None:  # type: ignore[no-untyped-def]
    normalizer = entnorm.load(write_table(TABLE))
    found = suggest(normalizer, CORPUS)
    by_surface = {s.surface: s for s in found}
    near = by_surface["Vucicc"]
    assert near.entity is not None and near.entity.id == "aleksandar-vucic"
    assert near.count == 2 and 0.3 <= near.score < normalizer.threshold
    assert by_surface["Marta Kosovar"].entity is None and by_surface["Marta Kosovar"].titles == {"foreign minister": 1}
    assert by_surface["Jane Doerington"].titles == {"deputy prime minister": 1}
    assert by_surface["Jean van der Berg"].titles == {"president": 1}
    # Linked mentions and untitled unknown names are not proposed.
    assert not {"Vuchich", "FSB", "Aleksandar Vučić", "New York Times", "Doerington"} & set(by_surface)
    assert found[0].surface == "Vucicc"  # the most often seen first


def test_yaml_loads_with_the_tables_and_links_what_it_proposed(write_table, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = write_table(TABLE)
    normalizer = entnorm.load(table)
    text = to_yaml(suggest(normalizer, CORPUS), documents=len(CORPUS))
    assert text.startswith("# Suggested by entnorm suggest from 3 document(s).")
    parsed = yaml.safe_load(text)["entities"]
    assert {"extends": "aleksandar-vucic", "aliases": ["Vucicc"]} in parsed
    assert {"id": "marta-kosovar", "name": "Marta Kosovar", "type": "person"} in parsed
    merged = entnorm.load(table, write_table(text))
    assert [m.entity.id for m in merged.annotate("Vucicc met Marta Kosovar.")] == ["aleksandar-vucic", "marta-kosovar"]


def test_nothing_to_suggest_is_an_empty_table(write_table) -> None:  # type: ignore[no-untyped-def]
    normalizer = entnorm.load(write_table(TABLE))
    text = to_yaml(suggest(normalizer, ["Aleksandar Vučić and the FSB."]), documents=1)
    assert yaml.safe_load(text)["entities"] == []
    entnorm.load(write_table(TABLE), write_table(text))


def test_cli_writes_the_suggestions_atomically(write_table, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = write_table(TABLE)
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n\n".join(CORPUS), encoding="utf-8")
    out = tmp_path / "suggested.yaml"
    command = [sys.executable, "-m", "entnorm", "suggest", str(corpus), "--aliases", str(table)]
    result = subprocess.run([*command, "-o", str(out), "--min-count", "2"], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
    parsed = yaml.safe_load(out.read_text(encoding="utf-8"))["entities"]
    assert parsed == [{"extends": "aleksandar-vucic", "aliases": ["Vucicc"]}]
    assert f"# check with: entnorm validate {table} FILE\n" in out.read_text(encoding="utf-8")
    split = subprocess.run([*command, "--doc-separator", r"\n\n"], capture_output=True, check=False)
    assert "from 3 document(s)" in split.stdout.decode("utf-8")
    missing = [*command[:5], str(tmp_path / "missing.txt"), *command[5:], "-o", str(out)]
    bad = subprocess.run(missing, capture_output=True, check=False)
    assert bad.returncode == 1 and b"missing.txt: no such file" in bad.stderr
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["entities"] == parsed  # untouched


def test_the_yaml_says_how_to_validate_it_and_that_command_passes(tmp_path: Path) -> None:
    corpus = tmp_path / "story.txt"
    corpus.write_text("Foreign Minister Marta Kosovar met Vucicc in Belgrade.\n", encoding="utf-8")
    out = tmp_path / "suggested.yaml"
    ran = subprocess.run(
        [sys.executable, "-m", "entnorm", "suggest", str(corpus), "-o", str(out)], capture_output=True, check=False
    )
    assert ran.returncode == 0, ran.stderr
    text = out.read_text(encoding="utf-8")
    assert "  - extends: aleksandar-vucic" in text  # a bundled id: validating the file alone fails
    check = next(line for line in text.splitlines() if line.startswith("# check with: "))
    assert check == "# check with: entnorm validate builtin FILE"
    words = [str(out) if w == "FILE" else w for w in check.removeprefix("# check with: entnorm ").split()]
    validated = subprocess.run([sys.executable, "-m", "entnorm", *words], capture_output=True, text=True, check=False)
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout.endswith(" entities, 0 ambiguous names\n")
    alone = subprocess.run(
        [sys.executable, "-m", "entnorm", "validate", str(out)], capture_output=True, text=True, check=False
    )
    assert alone.returncode == 1 and "extends unknown id 'aleksandar-vucic'" in alone.stderr


def test_the_validate_hint_names_the_tables_given() -> None:
    text = to_yaml([], documents=1, tables=["builtin", "my tables/extra.yaml"])
    assert "# check with: entnorm validate builtin 'my tables/extra.yaml' FILE\n" in text
    assert yaml.safe_load(text)["entities"] == []
