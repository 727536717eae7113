"""The board's at-risk filter agrees with the risks each row shows, on any day: the filter
keeps exactly the proposals with a risk, and its count is theirs (issue 16). The meeting
lists (a body's past meetings, the OParl meeting list) cost the same queries whatever the
number of meetings (issue 17, point 2). The board's gateway summary is kept in step by the
gateway actions' events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bench.board import seed
from bench.lists import seed_meetings
from decisions.terms import LocalityConfig
from s75.db import session_scope
from s75.web import board
from s75.web.board_summary import GatewaySummaryRow, refresh
from s75.wiring import build_bus
from tests.principals import as_principal
from tests.web.client import TestClient
from tests.web.test_board import count_queries
from tests.web.web_helpers import NOW
from tests.workflows.wf_helpers import Driver, at
from workflows.events import UnitOfWork
from workflows.proposal import gateways
from workflows.proposal.tables import ConditionRow

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


class WiredDriver(Driver):
    """The workflow driver with the application's event handlers, as the CLI and web run."""

    @contextmanager
    def uow(self, actor: str = "secretary") -> Iterator[UnitOfWork]:
        with session_scope(self.engine) as s:
            yield UnitOfWork(s, self.config, at(self.today), as_principal(actor), build_bus())


def _summaries(engine: Engine) -> list[tuple[object, ...]]:
    with Session(engine) as s:
        return [tuple(r) for r in s.execute(select(GatewaySummaryRow.proposal_id,
                                                   GatewaySummaryRow.latest_month,
                                                   GatewaySummaryRow.latest_not_go,
                                                   GatewaySummaryRow.first_open_due)
                                            .order_by(GatewaySummaryRow.proposal_id))]


def test_the_gateway_summary_is_kept_in_step_by_the_gateway_actions(
        engine: Engine, config: LocalityConfig) -> None:
    d = WiredDriver(engine, config)
    pid = d.create("Falls prevention")
    d.today = "2018-10-05"
    d.to_shadow(pid)
    d.gateway(pid, "2018-10-30", council="go", ccg="go_with_conditions")
    assert _summaries(engine) == [(pid, date(2018, 10, 1), True, date(2030, 1, 1))]
    d.gateway(pid, "2018-11-29", council="go", ccg="go")
    assert _summaries(engine) == [(pid, date(2018, 11, 1), False, date(2030, 1, 1))]
    with Session(engine) as s:
        [cond] = s.execute(select(ConditionRow.id)).scalars().all()
    d.do(gateways.close_condition, cond, "Agreed at the board")
    after = _summaries(engine)
    assert after == [(pid, date(2018, 11, 1), False, None)]
    with Session(engine) as s:  # the same as recomputed from the tables
        refresh(s)
        s.commit()
    assert _summaries(engine) == after
