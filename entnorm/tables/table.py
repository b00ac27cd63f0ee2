"""The merged, validated entities of one or more table files, and where the bundled tables live."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..model import Entity

__all__ = ["BUILTIN", "LIST_FIELDS", "AliasTable", "Location"]

#: The fields of an entry that hold lists of names, in the order a table writes them.
LIST_FIELDS = ("aliases", "acronyms", "weak_aliases", "demonyms")


def _builtin_dir() -> Path:
    """The bundled ``aliases/`` folder: packaged into the wheel, or the source checkout's."""
    packaged = Path(str(resources.files("entnorm") / "_aliases"))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "aliases"


#: Folder of the bundled tables; pass it to :func:`load_table` or :func:`entnorm.load`.
BUILTIN: Path = _builtin_dir()


@dataclass(frozen=True, slots=True)
class Location:
    """Where something was written: file and 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class AliasTable:
    """The merged, validated entities of one or more table files.

    Attributes:
        entities: the entities, in the order their definitions were read.
        locations: where each ``(entity id, written name)`` was defined; not
            part of equality.
    """

    entities: tuple[Entity, ...]
    locations: Mapping[tuple[str, str], Location] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities)

    def get(self, entity_id: str) -> Entity | None:
        """The entity with ``entity_id``, or None."""
        return next((e for e in self.entities if e.id == entity_id), None)
