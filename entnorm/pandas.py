"""Old path of :mod:`entnorm.integrations.pandas`; importing it registers ``Series.entnorm``::

    import entnorm.pandas
"""

from .integrations.pandas import EntnormAccessor, match_series

__all__ = ["EntnormAccessor", "match_series"]
