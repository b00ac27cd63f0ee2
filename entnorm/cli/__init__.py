"""The ``entnorm`` command (see :mod:`entnorm.cli.app`)."""

from .app import main

__all__ = ["main"]
