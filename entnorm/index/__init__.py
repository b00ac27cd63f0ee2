"""An AliasTable -> its Index: every structure derived once per table (keys, acronyms, fuzzy blocks, triggers)."""
