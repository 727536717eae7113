"""The ``s75`` command line: one module per area, each with ``register(app)``, built by
``s75.cli.main.build_app``; shared options live in ``s75.cli.options``."""

from s75.cli.main import build_app, entry

__all__ = ["build_app", "entry"]
