"""The bundled tables are found from a source checkout and from an installed wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import entnorm

ROOT = Path(__file__).resolve().parents[1]


def test_source_checkout_finds_the_aliases_folder() -> None:
    assert entnorm.BUILTIN == ROOT / "aliases"
    assert entnorm.load().match("Vucich") is not None


def test_wheel_carries_the_tables_and_loads_them_installed(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path),
         str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("entnorm-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for table in (ROOT / "aliases").glob("*.yaml"):
        assert f"entnorm/_aliases/{table.name}" in names
    # The lexicons (word lists, letter tables) are read at import from the package's data folder.
    for lexicon in (ROOT / "entnorm" / "data").glob("*.yaml"):
        assert f"entnorm/data/{lexicon.name}" in names
    assert "entnorm/py.typed" in names
    probe = (
        "import entnorm, sys; m = entnorm.load().match('Vucich');"
        "print(entnorm.__file__); print(entnorm.BUILTIN); print(m.entity.id)"
    )
    # From an empty folder, with the unpacked wheel first on the path, as after `pip install .`.
    ran = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""}, check=False,
    )
    assert ran.returncode == 0, ran.stderr
    module, builtin, answer = ran.stdout.splitlines()
    assert module.startswith(str(tmp_path / "site"))
    assert builtin == str(tmp_path / "site" / "entnorm" / "_aliases")
    assert answer == "aleksandar-vucic"


def test_countries_table_is_what_the_script_generates() -> None:
    generated = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_countries.py")],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout
    assert generated == (ROOT / "aliases" / "countries.yaml").read_text(encoding="utf-8")
