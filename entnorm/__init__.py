"""entnorm: map the many ways a name is written to one canonical entity, with a confidence.

>>> import entnorm
>>> n = entnorm.load()
>>> m = n.match("Mr Vucic")
>>> m.entity.id, m.method
('aleksandar-vucic', 'surname')
"""

from ._version import __version__
from .api import Normalizer, load
from .errors import EntnormError, InputError, TableError
from .keys.normalize import normalize_name
from .match.scoring import DEFAULT_THRESHOLD
from .model import ENTITY_TYPES, METHODS, Entity, EntityType, Match, Mention, Method
from .tables import BUILTIN, AliasTable, Collision, dump_table, find_collisions, load_table, validate_table

__all__ = [
    "BUILTIN",
    "DEFAULT_THRESHOLD",
    "ENTITY_TYPES",
    "METHODS",
    "AliasTable",
    "Collision",
    "Entity",
    "EntityType",
    "EntnormError",
    "InputError",
    "Match",
    "Mention",
    "Method",
    "Normalizer",
    "TableError",
    "__version__",
    "dump_table",
    "find_collisions",
    "load",
    "load_table",
    "normalize_name",
    "validate_table",
]
