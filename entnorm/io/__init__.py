"""Files and records: atomic output files, input decoding, CSV/JSONL/Parquet rows."""
