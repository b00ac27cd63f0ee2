"""Every test under tests/text/ runs twice: through the fast scanner and through its reference twin.

The reference (:class:`entnorm.text.reference.ReferenceScanner`) is the careful
scan written to be obviously right; a result that differs between the two is a
bug in the fast one (or in both).
"""

from __future__ import annotations

import pytest

import entnorm
import entnorm.api
from entnorm.text.reference import ReferenceScanner


@pytest.fixture(params=["fast", "reference"], autouse=True)
def scanner(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which scanner this run of the test uses; normalizers built during it use the same."""
    if request.param == "reference":
        monkeypatch.setattr(entnorm.api, "Scanner", ReferenceScanner)
    return str(request.param)


@pytest.fixture
def builtin(builtin: entnorm.Normalizer, scanner: str) -> entnorm.Normalizer:
    """The bundled tables' normalizer (built once), reading text with this run's scanner."""
    return builtin._with_scanner(ReferenceScanner) if scanner == "reference" else builtin
