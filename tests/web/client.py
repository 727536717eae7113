"""Starlette's TestClient. Starlette 1.x prefers the ``httpx2`` package and warns once, at
import, when it falls back to ``httpx`` (the project's dev dependency); that one warning is
expected here and silenced at the import only, so any other warning still fails the tests."""

from __future__ import annotations

import warnings

from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`",
                            category=StarletteDeprecationWarning)
    from starlette.testclient import TestClient

__all__ = ["TestClient"]
