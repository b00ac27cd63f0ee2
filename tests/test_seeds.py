"""Names as the real seed articles write them (run with ENTNORM_SEEDS_DIR set)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from entnorm import Normalizer

GOLD = yaml.safe_load((Path(__file__).parent / "gold" / "seeds.yaml").read_text(encoding="utf-8"))
NAMES = [
    (article, surface, expected)
    for article, names in GOLD["names"].items()
    for surface, expected in names.items()
]

pytestmark = pytest.mark.seeds


@pytest.mark.parametrize(("article", "surface", "expected"), NAMES)
def test_names_in_the_articles(builtin: Normalizer, seeds_dir: Path, article: str, surface: str, expected: str) -> None:
    text = (seeds_dir / article).read_text(encoding="utf-8")
    assert surface in text, f"{surface!r} does not occur in {article}"
    match = builtin.match(surface)
    if expected == "none":
        assert match is None, match
    elif expected.startswith("context "):
        assert match is None, match
        assert builtin.candidates(surface)[0].entity.id == expected.removeprefix("context ")
    else:
        assert match is not None and match.entity.id == expected, builtin.candidates(surface)


def test_suggest_proposes_the_unknown_prime_minister(builtin: Normalizer, seeds_dir: Path, tmp_path: Path) -> None:
    from entnorm import load
    from entnorm.curate.suggest import suggest, to_yaml
    from entnorm.tables import BUILTIN

    texts = [path.read_text(encoding="utf-8") for path in sorted(seeds_dir.glob("*.txt"))]
    found = suggest(builtin, texts)
    assert "Albin Kurti" in {s.surface for s in found if s.entity is None}
    proposed = tmp_path / "suggested.yaml"
    proposed.write_text(to_yaml(found, documents=len(texts)), encoding="utf-8")
    merged = load(BUILTIN, proposed)
    assert [m.entity.id for m in merged.annotate("Prime Minister Albin Kurti said.")] == ["albin-kurti"]
