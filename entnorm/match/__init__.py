"""A name -> ranked, calibrated answers from an Index: evidence, scoring, precomputed answers, lookup."""
