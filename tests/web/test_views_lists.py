"""The staff dashboard costs the same queries whatever the number of meetings it lists (a
meeting query per body clerked, then every listed meeting's deadlines in one query), issue
17, point 2."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine

from decisions.terms import LocalityConfig
from s75.web.app import create_app
from tests.web.client import TestClient
from tests.web.staff_helpers import BASE, SECRET, add_accounts, sign_in
from tests.web.test_board import count_queries
from tests.web.test_list_pages import _schedule
from tests.web.web_helpers import build_record, visible, web_app

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def client(db_url: str, engine: Engine, config: LocalityConfig) -> Iterator[TestClient]:
    add_accounts(engine, config)
    app = web_app(db_url)
    with TestClient(create_app(app, start_scheduler=False, secret=SECRET), base_url=BASE) as c:
        yield c
    app.close()


def test_the_staff_dashboard_costs_the_same_queries_at_any_number_of_meetings(
        engine: Engine, config: LocalityConfig, client: TestClient) -> None:
    build_record(engine, config)
    assert sign_in(client, "secretary") == 303
    few, r = count_queries(client, "/staff")
    assert r.status_code == 200
    shown = r.text.count("govuk-tag")  # a tag per deadline listed
    _schedule(engine, config, date(2019, 1, 1), date(2021, 12, 31))
    many, r = count_queries(client, "/staff")
    assert r.status_code == 200 and many == few, (few, many)
    assert r.text.count("govuk-tag") > shown  # more meetings and deadlines listed
    assert "Joint Commissioning Committee" in visible(r.text)
