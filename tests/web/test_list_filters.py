"""The board's at-risk filter agrees with the risks each row shows, on any day: the filter
keeps exactly the proposals with a risk, and its count is theirs (issue 16). The meeting
lists (a body's past meetings, the OParl meeting list) cost the same queries whatever the
number of meetings (issue 17, point 2)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bench.board import seed
from bench.lists import seed_meetings
from decisions.terms import LocalityConfig
from s75.web import board
from s75.web.app import create_app
from tests.web.client import TestClient
from tests.web.test_board import count_queries
from tests.web.web_helpers import NOW, web_app

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

DAYS = (date(2019, 3, 1), date(2019, 4, 11), date(2019, 5, 2), date(2019, 6, 1),
        date(2020, 2, 20))


def test_the_at_risk_filter_keeps_exactly_the_rows_with_a_risk(
        engine: Engine, config: LocalityConfig) -> None:
    seed(engine, config, 40, date(2019, 4, 11))
    flagged: set[str] = set()
    with Session(engine) as s:
        for today in DAYS:
            every = board.proposal_rows(s, config, today, board.Filters(), 1000)
            risky = board.proposal_rows(s, config, today, board.Filters(at_risk=True), 1000)
            with_risk = [r.id for r in every if any(getattr(r, k) for k in board.RISKS)]
            assert [r.id for r in risky] == with_risk, today
            assert board.count(s, config, today, board.Filters(at_risk=True)) == len(with_risk)
            flagged |= {k for r in every for k in board.RISKS if getattr(r, k)}
            paused = board.Filters(stage="paused", at_risk=True)
            assert [r.id for r in board.proposal_rows(s, config, today, paused, 1000)] == [
                r.id for r in every if r.state == "paused" and r.id in with_risk]
    assert flagged == set(board.RISKS)  # every test was exercised


@pytest.fixture
def client(db_url: str, engine: Engine) -> Iterator[TestClient]:
    app = web_app(db_url)
    with TestClient(create_app(app, start_scheduler=False)) as c:
        yield c
    app.close()


def test_meeting_lists_cost_the_same_queries_at_any_size(engine: Engine,
                                                         client: TestClient) -> None:
    seed_meetings(engine, 240, NOW)
    urls = ("/bodies/jcc?page=2", "/oparl/v1/body/meetings?page=2")
    small = {u: count_queries(client, u)[0] for u in urls}
    seed_meetings_more(engine)
    for url, n in small.items():
        big, r = count_queries(client, url)
        assert r.status_code == 200, r.text
        assert big == n, url
    assert small["/bodies/jcc?page=2"] == 3  # the next meetings, the count, the page


def seed_meetings_more(engine: Engine) -> None:
    from sqlalchemy import delete

    from workflows.committee.tables import MeetingRow

    with Session(engine) as s:
        s.execute(delete(MeetingRow))
        s.commit()
    seed_meetings(engine, 2400, NOW)
