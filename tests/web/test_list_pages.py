"""List pages are bounded (issue 17, point 2; issue 16): /deadlines, a body's past meetings and
search results come a page at a time (``?page=``), each page at a fixed number of queries
whatever the number of rows, with GOV.UK pagination links; a bad page is 400 naming it and a
page past the last is 404 naming the last."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from decisions.terms import LocalityConfig
from notifications.tables import DeadlineRow
from tests.web.client import TestClient
from tests.web.test_board import count_queries
from tests.web.web_helpers import schedule_jcc, visible

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _deadlines(engine: Engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(DeadlineRow)).one()


def test_pages_cost_the_same_queries_at_any_size(engine: Engine, config: LocalityConfig,
                                                client: TestClient) -> None:
    schedule_jcc(engine, config, date(2018, 4, 1), date(2019, 6, 30))  # past and next meetings
    urls = ("/deadlines", "/bodies/jcc")
    small = {u: count_queries(client, u)[0] for u in urls}
    few = _deadlines(engine)
    schedule_jcc(engine, config, date(2012, 4, 1), date(2018, 3, 31))
    schedule_jcc(engine, config, date(2019, 7, 1), date(2024, 3, 31))
    assert _deadlines(engine) > 4 * few
    for url, n in small.items():
        big, r = count_queries(client, url)
        assert r.status_code == 200, r.text
        assert big == n, url

    first = visible(client.get("/deadlines").text)
    assert "Page 1 of" in first and "(1 to 100 of" in first and "Next page" in first
    last = int(first.split("Page 1 of ")[1].split()[0])
    end = visible(client.get(f"/deadlines?page={last}").text)
    assert f"Page {last} of {last}" in end and "Previous page" in end and "Next page" not in end
    body = visible(client.get("/bodies/jcc").text)
    assert "Past meetings, page 1 of 2" in body and "Next page" in body
    assert "The next 50 meetings are shown" in body
    older = visible(client.get("/bodies/jcc?page=2").text)
    assert "Past meetings, page 2 of 2" in older and "2012" in older


@pytest.mark.parametrize("url", ["/deadlines?page=0", "/deadlines?page=abc",
                                 "/bodies/jcc?page=-1", "/search?q=beds&page=1.5"])
def test_a_bad_page_is_refused_naming_it(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 400
    assert "page:" in visible(r.text) and "expected a whole number from 1" in visible(r.text)


def test_a_page_past_the_last_is_not_found(client: TestClient) -> None:
    r = client.get("/deadlines?page=9")
    assert r.status_code == 404
    assert "page 9 is past the last page (1) of the deadlines from today" in visible(r.text)
