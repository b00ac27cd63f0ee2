"""entnorm: map the many ways a name is written to one canonical entity, with a confidence.

>>> import entnorm
>>> n = entnorm.load()
>>> m = n.match("Mr Vucic")
>>> m.entity.id, m.method
('aleksandar-vucic', 'surname')
"""

from .errors import EntnormError, InputError, TableError
from .matcher import Normalizer, load
from .model import ENTITY_TYPES, METHODS, Entity, EntityType, Match, Mention, Method
from .normalize import normalize_name
from .scoring import DEFAULT_THRESHOLD
from .tables import BUILTIN, AliasTable, Collision, dump_table, find_collisions, load_table, validate_table

__version__ = "0.1.0"

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
