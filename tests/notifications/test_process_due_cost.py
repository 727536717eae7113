"""What process_due costs, in SQL statements (a figure that does not depend on the machine):
flat per deadline as the year fills with meetings; and the agenda published at its deadline
as one set (one versioned UPDATE for its items, their audit events in one batch) with the
audit chain exactly as valid as when they are appended one by one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import Session, col, select

from decisions.terms import LocalityConfig
from notifications.process_due import DueReport, process_due
from notifications.tables import DeadlineRow
from s75.db import make_engine, upgrade
from s75.standing import sync_standing
from tests.notifications.notif_support import uow_at
from workflows.audit import _HEAD_KEY, append_event, append_events, count_events, verify_chain
from workflows.committee import meetings
from workflows.committee.tables import AgendaItemRow
from workflows.tables import AuditEventRow

START = datetime(2019, 3, 1, 8, tzinfo=UTC)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent meanwhile (BEGIN, SAVEPOINT and RELEASE left out)."""
    sent: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            sent.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def walk(engine: Engine, config: LocalityConfig, until: datetime) -> list[DueReport]:
    """process_due from each next moment to the next, as the scheduler moves."""
    now: datetime | None = START
    reports = []
    while now is not None and now <= until:
        with uow_at(engine, config, now, actor="scheduler") as uow:
            report = process_due(uow)
        reports.append(report)
        now = report.next_at
    return reports


def year_of(engine: Engine, config: LocalityConfig, end: date) -> tuple[int, int]:
    """(statements, deadlines closed) walking the JCC's meetings up to ``end``."""
    with uow_at(engine, config, START) as uow:
        meetings.schedule(uow, "jcc", date(2019, 4, 1), end)
    with statements(engine) as sent:
        walk(engine, config, datetime.combine(end, datetime.min.time(), tzinfo=UTC))
    with Session(engine) as s:
        closed = len(s.exec(select(DeadlineRow.id).where(DeadlineRow.state != "pending")).all())
    return len(sent), closed


def _fresh(tmp_path: Path, name: str, config: LocalityConfig) -> Engine:
    eng = make_engine(f"sqlite:///{tmp_path / name}")
    upgrade(eng)
    with Session(eng) as s:
        sync_standing(s, config, START)
        s.commit()
    return eng


def test_statements_per_deadline_are_few_and_flat_as_the_year_fills(
        config: LocalityConfig, tmp_path: Path) -> None:
    runs = []
    for name, end in (("quarter.db", date(2019, 6, 30)), ("year.db", date(2019, 12, 31))):
        eng = _fresh(tmp_path, name, config)
        runs.append(year_of(eng, config, end))
        eng.dispose()
    (small, closed_small), (large, closed_large) = runs
    assert closed_large >= 2 * closed_small
    per_small, per_large = small / closed_small, large / closed_large
    # Each deadline: its reminders (one INSERT for all recipients), its row, and at the
    # publication deadline the agenda (a fixed number of statements whatever its length).
    assert per_small <= 18, (small, closed_small)
    assert per_large <= per_small * 1.1, (per_small, per_large)


def test_the_agenda_published_at_its_deadline_is_one_set_and_the_chain_holds(
        engine: Engine, config: LocalityConfig) -> None:
    with uow_at(engine, config, START) as uow:
        first = meetings.schedule(uow, "jcc", date(2019, 4, 1), date(2019, 4, 30))[0]
    with Session(engine) as s:
        items = list(s.exec(select(AgendaItemRow).where(AgendaItemRow.meeting_id == first.id)
                            .order_by(col(AgendaItemRow.position), col(AgendaItemRow.id))))
    before = {i.id: i.version for i in items}
    with statements(engine) as sent:
        reports = walk(engine, config, datetime(2019, 4, 5, tzinfo=UTC))
    assert any(e.what == "published" for r in reports for e in r.events)
    updates = [q for q in sent if q.startswith("UPDATE agenda_item SET state")]
    assert len(updates) == 1  # one executemany for every item of the agenda
    with Session(engine) as s:
        assert verify_chain(s) is None
        now = {i.id: (i.state, i.version) for i in s.exec(
            select(AgendaItemRow).where(AgendaItemRow.meeting_id == first.id))}
        events = list(s.exec(select(AuditEventRow).where(
            col(AuditEventRow.action).in_(("item.published", "meeting.published")))
            .order_by(col(AuditEventRow.id))))
    assert all(now[i] == ("published", v + 1) for i, v in before.items())
    # One event per item, in agenda order, then the meeting's, as one by one.
    assert [(e.action, e.subject_id) for e in events] == [
        ("item.published", str(i.id)) for i in items] + [("meeting.published", str(first.id))]
    assert all((e.from_state, e.to_state) == ("accepted", "published") for e in events[:-1])


def test_a_batch_after_another_writer_moved_the_head_links_to_the_new_head(
        engine: Engine) -> None:
    at = datetime(2019, 4, 1, 9, tzinfo=UTC)
    with Session(engine) as s:
        append_event(s, at=at, actor="a", subject_type="x", subject_id="1", action="x.one")
        conn = s.connection()
        stale = conn.info[_HEAD_KEY]
        append_event(s, at=at, actor="a", subject_type="x", subject_id="2", action="x.two")
        conn.info[_HEAD_KEY] = stale  # as if another writer appended since this one last did
        append_events(s, [{"at": at, "actor": "b", "subject_type": "x", "subject_id": str(n),
                           "action": "x.batch", "payload": {"n": n}} for n in range(3)])
        s.commit()
    with Session(engine) as s:
        assert verify_chain(s) is None
        assert count_events(s) == 5
        actions = [e.action for e in s.exec(select(AuditEventRow)
                                            .order_by(col(AuditEventRow.id)))]
    assert actions == ["x.one", "x.two", "x.batch", "x.batch", "x.batch"]


def test_a_batch_writes_the_rows_appending_one_by_one_writes(engine: Engine) -> None:
    """The same links, hashes and stored payload text, a key that is not a string included."""
    at = datetime(2019, 4, 1, 9, tzinfo=UTC)
    events: list[dict[str, Any]] = [
        {"at": at, "actor": "a", "subject_type": "x", "subject_id": str(n), "action": "x.n",
         "from_state": "a" if n else None, "to_state": "b",
         "payload": {"n": n, "t": ("é", n), "nested": {"k": [1, {"z": None}]},
                     "m": {2: "two", 10: "ten"}}
         if n % 2 else {}} for n in range(4)]

    def rows(s: Session) -> list[Any]:
        text = s.connection().exec_driver_sql(
            "SELECT prev_hash, hash, CAST(payload AS TEXT) FROM audit_event ORDER BY id")
        return list(text.all())

    with Session(engine) as s:
        for e in events:
            append_event(s, **e)
        one_by_one = rows(s)
        s.rollback()
    with Session(engine) as s:
        append_events(s, events)
        batch = rows(s)
        s.commit()
    with Session(engine) as s:
        assert verify_chain(s) is None
    assert batch == one_by_one and len(batch) == 4
