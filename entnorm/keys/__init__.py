"""A name -> its keys: the one normalization shared by the index and every query, and the text view.

The lowest layer: it imports nothing else of entnorm but the data model and the
errors. Its word lists and letter tables are the ``entnorm/data/*.yaml``
lexicons, read by :mod:`entnorm.keys.lexicon`.
"""
