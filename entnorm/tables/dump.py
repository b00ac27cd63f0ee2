"""Writing a table back as YAML."""

from __future__ import annotations

from typing import Any

import yaml

from .table import LIST_FIELDS, AliasTable

__all__ = ["dump_table"]


def dump_table(table: AliasTable) -> str:
    """The table as YAML that :func:`load_table` reads back to an equal table."""
    entries = []
    for e in table.entities:
        entry: dict[str, Any] = {"id": e.id, "name": e.name, "type": e.type}
        if e.country:
            entry["country"] = e.country
        for name in LIST_FIELDS:
            values = getattr(e, name)
            if values:
                entry[name] = list(values)
        entries.append(entry)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump({"entities": entries}, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
    return "# entnorm alias table (see entnorm.tables for the fields)\n" + body
