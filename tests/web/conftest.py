"""Fixtures shared by the web tests: the staff web app in process, on the test's database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from s75.web.app import create_app
from tests.web.client import TestClient
from tests.web.web_helpers import web_app


@pytest.fixture
def client(db_url: str, engine: Engine) -> Iterator[TestClient]:
    """The web app (no scheduler) on the migrated database ``engine`` holds; tests that need
    accounts, a secret or another config define their own ``client``."""
    app = web_app(db_url)
    with TestClient(create_app(app, start_scheduler=False)) as c:
        yield c
    app.close()
