"""The README's first command prints what the README shows."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_shows_the_output_of_its_first_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```sh\npip install -e \. && entnorm (normalize [^\n]+)\n```\n\n```text\n(.*?)```", readme, re.S)
    assert found is not None, "the README no longer starts with the install-and-normalize command and its output"
    ran = subprocess.run(
        [sys.executable, "-m", "entnorm", *found.group(1).split()],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=True,
    )
    assert ran.stdout == found.group(2)
