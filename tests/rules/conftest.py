"""The committee tests' CLI fixtures (``s75``, ``s75json``, ``jcc``), shared with the rules
tests."""

from tests.committee.conftest import jcc, s75, s75json

__all__ = ["jcc", "s75", "s75json"]
