"""The benchmarks' ASGI driver (bench/asgi.py) answers as Starlette's TestClient does: the same
status, page and statements for the list pages, and the same cookies sent back (the session
cookie is Secure, so neither sends it over http)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from bench.asgi import AsgiClient
from bench.board import seed
from bench.lists import recording, seed_deadlines
from decisions.terms import LocalityConfig
from s75.web.app import create_app
from tests.web.client import TestClient
from tests.web.web_helpers import web_app

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

URLS = ("/proposals", "/proposals?page=2", "/proposals?at_risk=yes", "/deadlines",
        "/deadlines?page=2", "/deadlines?page=x", "/proposals?page=999", "/no-such-page")


def test_the_asgi_driver_answers_as_the_test_client(db_url: str, engine: Engine,
                                                    config: LocalityConfig) -> None:
    seed(engine, config, 60, date(2019, 4, 11))
    seed_deadlines(engine, 120)
    app = web_app(db_url)
    api = create_app(app, start_scheduler=False)
    try:
        with TestClient(api) as tc, AsgiClient(api) as direct:
            for url in URLS:
                with recording(app.engine) as by_client:
                    expected = tc.get(url)
                with recording(app.engine) as by_driver:
                    got = direct.get(url)
                assert got.status_code == expected.status_code, url
                assert got.text == expected.text, url
                assert by_driver == by_client, url
                assert dict(got.headers)[b"content-type"].decode() == \
                    expected.headers["content-type"], url
            login = direct.get("/login")
            assert any(k == b"set-cookie" and b"Secure" in v for k, v in login.headers)
            assert direct.cookies == {}  # not kept for http, as httpx's jar sends it not
    finally:
        app.close()
