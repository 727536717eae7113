"""The iCalendar feeds are bounded (issue 17, point 2): a body's feed and a member's personal
link carry the meetings and deadlines of a window around today (a year back, two years on),
read in the same number of queries however many years the record holds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from decisions.terms import LocalityConfig
from notifications.ical import AHEAD, PAST
from s75 import api_tokens
from tests.web.client import TestClient
from tests.web.test_board import count_queries
from tests.web.web_helpers import NOW, schedule_jcc
from workflows.committee.tables import MeetingRow

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _starts(ics: bytes, prefix: str) -> list[datetime | date]:
    return sorted(e.decoded("dtstart") for e in Calendar.from_ical(ics).walk("VEVENT")
                  if str(e["uid"]).startswith(prefix))


def test_feeds_hold_their_window_at_a_fixed_number_of_queries(
        engine: Engine, config: LocalityConfig, client: TestClient) -> None:
    with client.app.state.s75.session() as s:  # type: ignore[attr-defined]
        _row, secret = api_tokens.issue_token(s, "leader", "phone", "calendar", cfg=config)
        s.commit()
    urls = ("/calendar/jcc.ics", api_tokens.calendar_path(secret))
    schedule_jcc(engine, config, date(2018, 4, 1), date(2019, 6, 30))
    for url in urls:
        client.get(url)  # the link's first use records when it was used (a write, once)
    small = {u: count_queries(client, u)[0] for u in urls}
    schedule_jcc(engine, config, date(2011, 4, 1), date(2018, 3, 31))
    schedule_jcc(engine, config, date(2019, 7, 1), date(2025, 3, 31))
    start, end = NOW - PAST, NOW + AHEAD
    with Session(engine) as s:
        held = s.exec(select(MeetingRow.starts_at).where(MeetingRow.body_id == "jcc")
                      .order_by(col(MeetingRow.starts_at))).all()
    inside = [t for t in held if start <= t < end]
    assert len(held) > 3 * len(inside) > 0  # most of the record is outside the window

    for url, n in small.items():
        big, r = count_queries(client, url)
        assert r.status_code == 200, r.text
        assert big == n, url  # the same queries as with a year's meetings
        got = _starts(r.content, "meeting-")
        assert [t.astimezone(UTC) for t in got] == inside, url  # type: ignore[union-attr]
        days = _starts(r.content, "deadline-")
        assert days and start.date() <= min(days) and max(days) < end.date(), url
    assert 3 <= small["/calendar/jcc.ics"] <= 4  # meetings, deadlines, exempt actions
