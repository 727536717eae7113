"""The board's deadlines at risk: open ones due within a week (or overdue) and those missed in
the last four weeks, soonest first, twenty at most, read by ranges of the (state, due time)
index whatever else the table holds (issue 17: a crowd of open deadlines used to be sorted
whole for the twenty shown)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, insert
from sqlmodel import Session

from decisions.terms import LocalityConfig
from notifications.tables import DeadlineRow
from s75.web.deadline_risk import LIMIT, _statement, deadlines_at_risk

NOW = datetime(2020, 3, 18, 12, tzinfo=UTC)


def _row(i: int, due: datetime, state: str) -> dict[str, Any]:
    return {"key": f"t:{i}", "kind": "publication", "subject_type": "meeting",
            "subject_id": str(i), "title": f"Deadline {i}", "rule": "", "body_id": "jcc",
            "owner_email": "clerk@example.org", "due_at": due, "next_at": due, "state": state,
            "reminder_at": [], "created_at": NOW - timedelta(days=400), "details": {}}


def _seed(engine: Engine) -> list[tuple[datetime, str, str]]:
    """A year of deadlines each side of now: met and some missed before, open after; and the
    ones expected at risk, soonest first."""
    rows = []
    for i in range(2000):
        due = NOW - timedelta(days=365) + timedelta(hours=i * 9)
        state = ("missed" if i % 40 == 0 else "met") if due < NOW - timedelta(days=2) \
            else "pending"
        rows.append(_row(i, due, state))
    rows.append(_row(5000, NOW - timedelta(days=29), "missed"))  # missed too long ago
    with Session(engine) as s:
        s.execute(insert(DeadlineRow), rows)  # type: ignore[arg-type]
        s.commit()
    expected = sorted((r["due_at"], str(r["title"]), str(r["state"])) for r in rows
                      if (r["state"] == "pending" and r["due_at"] <= NOW + timedelta(days=7))
                      or (r["state"] == "missed"
                          and NOW - timedelta(days=28) <= r["due_at"] <= NOW))
    return expected[:LIMIT]


def test_the_twenty_soonest_at_risk_in_order(engine: Engine, config: LocalityConfig) -> None:
    expected = _seed(engine)
    assert {state for _d, _t, state in expected} == {"missed", "pending"}  # both kinds shown
    with Session(engine) as s:
        got = deadlines_at_risk(s, config, NOW)
    assert [(d.title, d.position == "missed") for d in got] == \
        [(t, state == "missed") for _d, t, state in expected]
    assert [d.due for d in got] == sorted(d.due for d in got)
    assert got[-1].position.startswith(("due", "overdue"))


def _steps(engine: Engine) -> int:
    """SQLite virtual-machine steps the at-risk statement takes (a count, not a time)."""
    compiled = _statement().compile(engine)
    params = compiled.construct_params({"soon": NOW + timedelta(days=7),
                                        "since": NOW - timedelta(days=28), "now": NOW})
    args = [params[k] for k in compiled.positiontup or ()]
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.set_progress_handler(count, 1)
        try:
            rows = raw.execute(str(compiled), [a.isoformat(sep=" ") if isinstance(a, datetime)
                                               else a for a in args]).fetchall()
        finally:
            raw.set_progress_handler(None, 1)
    assert len(rows) == LIMIT
    return steps[0]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_crowd_of_open_deadlines_is_not_sorted_whole(engine: Engine) -> None:
    _seed(engine)
    before = _steps(engine)
    crowd = [_row(10_000 + i, NOW - timedelta(days=1) + timedelta(seconds=i), "pending")
             for i in range(20_000)]  # twenty thousand open, overdue or due this week
    with Session(engine) as s:
        s.execute(insert(DeadlineRow), crowd)  # type: ignore[arg-type]
        s.commit()
    assert _steps(engine) < 2 * before, (before, _steps(engine))
