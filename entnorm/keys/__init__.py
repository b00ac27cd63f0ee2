"""A name -> its keys: the one normalization shared by the index and every query, and the text view.

The lowest layer: it imports nothing else of entnorm but :mod:`entnorm.data` lexicons.
"""
