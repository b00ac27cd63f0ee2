"""Optional integrations (pandas, Dask, spaCy); each imports its library, so import it only when used."""
