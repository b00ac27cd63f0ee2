"""The table every benchmark runs on: the bundled tables plus generated person names."""

from __future__ import annotations

from entnorm import BUILTIN, AliasTable, Entity, load_table

from . import synthetic

__all__ = ["benchmark_table"]


def benchmark_table(size: int) -> tuple[AliasTable, list[str]]:
    """The bundled tables plus ``size`` generated people, and every canonical name in it."""
    base = load_table(BUILTIN)
    people = synthetic.names(size)
    entities = base.entities + tuple(Entity(f"p{i}", name, "person") for i, name in enumerate(people))
    return AliasTable(entities), [e.name for e in entities]
