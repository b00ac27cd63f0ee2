"""YAML alias tables -> a validated :class:`AliasTable` (see :mod:`entnorm.tables.load`)."""

from .collisions import Collision, find_collisions
from .dump import dump_table
from .load import load_table, table_files, validate_table
from .table import BUILTIN, AliasTable, Location

__all__ = [
    "BUILTIN", "AliasTable", "Collision", "Location", "dump_table", "find_collisions", "load_table", "table_files",
    "validate_table",
]
