"""``python -m entnorm``: the same as the ``entnorm`` command."""

from .cli import main

raise SystemExit(main())
