"""process_due over a real database (SQLite; PostgreSQL when configured), driven by the
committees' own services so the events are the real ones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from decisions.terms import LocalityConfig
from notifications.process_due import process_due
from notifications.tables import DeadlineRow, OutboxRow
from tests.notifications.notif_support import uow_at
from tests.principals import FULL_COVER
from workflows.committee import actions, items, meetings
from workflows.committee.tables import AgendaItemRow, MeetingRow
from workflows.tables import AuditEventRow

LONDON = ZoneInfo("Europe/London")
COVER = {**FULL_COVER, "decisions_required": "To approve the recommendations",
         "key_points": "Costs"}


def at(day: date, hh: int = 9, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LONDON).astimezone(UTC)


def schedule_jcc(engine: Engine, config: LocalityConfig) -> list[int]:
    with uow_at(engine, config, at(date(2019, 3, 1))) as uow:
        made = meetings.schedule(uow, "jcc", date(2019, 4, 1), date(2019, 6, 30))
        return [m.id for m in made if m.id is not None]


def deadlines(engine: Engine, meeting_id: int | None = None) -> dict[str, DeadlineRow]:
    with Session(engine) as s:
        stmt = select(DeadlineRow)
        if meeting_id is not None:
            stmt = stmt.where(DeadlineRow.meeting_id == meeting_id)
        return {d.kind: d for d in s.exec(stmt)}


def outbox(engine: Engine) -> list[OutboxRow]:
    with Session(engine) as s:
        return list(s.exec(select(OutboxRow).order_by(col(OutboxRow.id))))


def run(engine: Engine, config: LocalityConfig, now: datetime):  # type: ignore[no-untyped-def]
    with uow_at(engine, config, now, actor="scheduler") as uow:
        return process_due(uow)


def test_meeting_scheduled_plans_its_deadlines(engine: Engine, config: LocalityConfig) -> None:
    first, *_ = schedule_jcc(engine, config)
    planned = deadlines(engine, first)
    assert set(planned) == {"agenda_items", "notice", "publication"}
    # JCC meets Wed 10 Apr 2019: items 10 working days before, papers 5 clear days before.
    assert planned["agenda_items"].due_at == at(date(2019, 3, 27), 17)
    assert planned["publication"].due_at == at(date(2019, 4, 2), 17)
    assert all(d.state == "pending" for d in planned.values())


def test_reminders_at_lead_times_and_a_second_call_does_nothing_more(
        engine: Engine, config: LocalityConfig) -> None:
    _first, *_ = schedule_jcc(engine, config)
    now = at(date(2019, 3, 20))  # 5 working days before the items deadline, 09:00
    report = run(engine, config, now)
    reminded = [e for e in report.events if e.what == "reminded"]
    assert [e.kind for e in reminded] == ["agenda_items"]
    sent_to = {m.recipient for m in outbox(engine)}
    assert {"jcc.secretary@example.org", "leader@example.org", "ccg.chair@example.org"} <= sent_to
    assert all(m.subject.startswith("Reminder: Agenda items for Joint Commissioning Committee, "
                                    "10 Apr 2019") for m in outbox(engine))
    before = len(outbox(engine))
    again = run(engine, config, now)
    assert again.events == []
    assert len(outbox(engine)) == before
    # The 2-day reminder comes on its own day, once.
    assert [e.kind for e in run(engine, config, at(date(2019, 3, 25))).events] == ["agenda_items"]
    assert run(engine, config, at(date(2019, 3, 25))).events == []


def test_item_submitted_in_time_meets_the_deadline_and_a_late_report_moves_on(
        engine: Engine, config: LocalityConfig) -> None:
    first, second, _ = schedule_jcc(engine, config)
    with uow_at(engine, config, at(date(2019, 3, 20))) as uow:
        ready = items.add(uow, first, "Care homes fees 2019/20", cover=COVER, lead="dass")
        notready = items.add(uow, first, "Learning disability review", cover=COVER)
        urgent = items.add(uow, first, "Winter pressures", cover=COVER)
        items.submit(uow, ready.id, submitted_by="dass")  # type: ignore[arg-type]
        items.accept(uow, ready.id)  # type: ignore[arg-type]
        items.submit(uow, notready.id, submitted_by="dcs")  # type: ignore[arg-type]
    assert deadlines(engine, first)["agenda_items"].state == "met"
    with uow_at(engine, config, at(date(2019, 3, 29))) as uow:  # after the items deadline
        items.submit(uow, urgent.id, submitted_by="dph",  # type: ignore[arg-type]
                     urgency_reason="Funding announced 28 March", chair_consent_by="leader")

    report = run(engine, config, at(date(2019, 4, 2), 17))  # the publication deadline
    got = {(e.kind, e.what) for e in report.events}
    assert {("publication", "published"), ("publication", "met"), ("notice", "met")} <= got
    planned = deadlines(engine, first)
    assert planned["publication"].state == "met" and planned["notice"].state == "met"
    with Session(engine) as s:
        states = {i.title: i.state for i in s.exec(select(AgendaItemRow).where(
            AgendaItemRow.meeting_id == first))}
        assert states["Care homes fees 2019/20"] == "published"
        assert states["Learning disability review"] == "deferred"  # moved to the next meeting
        assert states["Winter pressures"] == "submitted"  # the chair gave urgency consent
        moved = s.exec(select(AgendaItemRow).where(AgendaItemRow.meeting_id == second,
                                                   AgendaItemRow.title ==
                                                   "Learning disability review")).one()
        assert moved.carried_from_item_id == notready.id
        published = s.exec(select(AuditEventRow).where(
            AuditEventRow.action == "meeting.published")).all()
        assert [p.subject_id for p in published] == [str(first)]
    assert any(e.what == "moved" for e in report.events)
    # Members are told the agenda is out.
    assert any(m.kind == "agenda_published" and m.recipient == "dph@example.org"
               for m in outbox(engine))
    assert run(engine, config, at(date(2019, 4, 2), 17)).events == []


def test_missed_deadline_is_escalated_to_the_secretary(engine: Engine,
                                                       config: LocalityConfig) -> None:
    first, *_ = schedule_jcc(engine, config)
    report = run(engine, config, at(date(2019, 3, 27), 17))
    assert [(e.kind, e.what) for e in report.events if e.what != "reminded"] == [
        ("agenda_items", "missed")]
    assert deadlines(engine, first)["agenda_items"].state == "missed"
    esc = [m for m in outbox(engine) if m.kind == "escalation"]  # owner is the secretary
    assert [m.recipient for m in esc] == ["jcc.secretary@example.org"]
    assert esc[0].subject == "MISSED: Agenda items for Joint Commissioning Committee, 10 Apr 2019" \
                             " (due 27 Mar 2019)"


def test_catch_up_after_downtime_sends_only_the_latest_reminder_and_marks_late(
        engine: Engine, config: LocalityConfig) -> None:
    first, *_ = schedule_jcc(engine, config)
    report = run(engine, config, at(date(2019, 4, 3), 12))  # down for two weeks
    kinds = {(e.kind, e.what) for e in report.events}
    assert ("agenda_items", "missed") in kinds and ("publication", "met") in kinds
    assert not any(e.what == "reminded" for e in report.events if e.kind == "agenda_items")
    assert len(report.late) >= 2
    with Session(engine) as s:
        row = s.exec(select(DeadlineRow).where(DeadlineRow.kind == "publication",
                                               DeadlineRow.meeting_id == first)).one()
        assert "processed_late" in row.details and row.details.get("late") is True


def test_cancelled_meeting_waives_its_deadlines(engine: Engine, config: LocalityConfig) -> None:
    first, *_ = schedule_jcc(engine, config)
    with uow_at(engine, config, at(date(2019, 3, 5))) as uow:
        meetings.cancel(uow, first, "No business")
    assert {d.state for d in deadlines(engine, first).values()} == {"waived"}
    cancelled = [m for m in outbox(engine) if m.kind == "meeting_cancelled"]
    assert len(cancelled) == len(config.members_of("jcc"))
    assert run(engine, config, at(date(2019, 4, 10), 18)).events == []


def test_action_owner_is_reminded_then_met_when_closed(engine: Engine,
                                                       config: LocalityConfig) -> None:
    first, *_ = schedule_jcc(engine, config)
    with Session(engine) as s:
        m = s.get(MeetingRow, first)
        assert m is not None
    with uow_at(engine, config, at(date(2019, 4, 10), 16)) as uow:
        a = actions.add(uow, first, "Report flu vaccination uptake", owner="dph",
                        due_on=date(2019, 5, 1))
    row = deadlines(engine)["action"]
    assert (row.owner_email, row.due_at) == ("dph@example.org", at(date(2019, 5, 1), 17))
    assert any(m.kind == "action" and m.recipient == "dph@example.org" for m in outbox(engine))
    rep = run(engine, config, at(date(2019, 4, 29), 9))  # 2 working days before (Mon)
    assert any(e.kind == "action" and e.what == "reminded" for e in rep.events)
    with uow_at(engine, config, at(date(2019, 4, 30))) as uow:
        actions.close(uow, a.id, note="Done")  # type: ignore[arg-type]
    assert deadlines(engine)["action"].state == "met"


def test_items_notified_by_a_deadline_are_counted_to_the_microsecond(
        engine: Engine, config: LocalityConfig) -> None:
    """already_met's count of an agenda's items notified by its deadline (one COUNT, not the
    items loaded): standing business left out, the submission time compared as stored."""
    from datetime import timedelta

    from notifications.automatic import already_met, notified

    first, *_ = schedule_jcc(engine, config)
    with uow_at(engine, config, at(date(2019, 3, 20), 10, 7)) as uow:
        item = items.add(uow, first, "Care homes fees 2019/20", cover=COVER, lead="dass")
        items.submit(uow, item.id, submitted_by="dass")  # type: ignore[arg-type]
    with uow_at(engine, config, at(date(2019, 3, 28))) as uow:
        got = uow.session.get(AgendaItemRow, item.id)
        assert got is not None and got.submitted_at is not None
        when = got.submitted_at
        assert notified(uow, first, when) == 1
        assert notified(uow, first, when - timedelta(microseconds=1)) == 0
        row = uow.session.exec(select(DeadlineRow).where(
            DeadlineRow.meeting_id == first, DeadlineRow.kind == "agenda_items")).one()
        assert already_met(uow, row) == "1 item(s) notified"


def test_a_refused_reminder_fails_its_deadline_alone_in_the_outbox_order(
        engine: Engine, config: LocalityConfig) -> None:
    """Reminders due at one moment are queued together, yet a refused one (a member with no
    email address: a config copied past its validation) fails its own deadline only: the
    escalation is queued where it was when each reminder was queued alone, then the other
    deadline's reminder; nothing of the refused one is queued."""
    from datetime import timedelta

    first, second, _ = schedule_jcc(engine, config)
    items_due = deadlines(engine, second)["agenda_items"]  # its reminders: the action's too
    with uow_at(engine, config, at(date(2019, 4, 10), 16)) as uow:
        actions.add(uow, first, "Report flu vaccination uptake", owner="dass",
                    due_on=items_due.due_at.astimezone(LONDON).date())
    assert deadlines(engine)["action"].reminder_at == items_due.reminder_at
    bad = config.model_copy(update={"member": [
        m.model_copy(update={"email": "dph, no address"}) if m.id == "dph" else m
        for m in config.member]})
    moment = datetime.fromisoformat(items_due.reminder_at[0])
    run(engine, config, moment - timedelta(minutes=1))  # the first meeting's business
    before = len(outbox(engine))
    report = run(engine, bad, moment)
    got = [(e.kind, e.what) for e in report.events]
    assert got == [("agenda_items", "failed"), ("action", "reminded")]
    assert "recipient 'dph, no address'" in report.events[0].detail
    row = deadlines(engine, second)["agenda_items"]
    assert row.state == "missed" and row.outcome.startswith("automatic step refused: outbox")
    queued = outbox(engine)[before:]
    assert [(m.kind, m.recipient) for m in queued] == [
        ("escalation", "jcc.secretary@example.org"), ("reminder", "dass@example.org")]


def test_a_refused_publication_puts_back_the_deadlines_it_had_met(
        engine: Engine, config: LocalityConfig) -> None:
    """A rule refusing the publication at its deadline after MeetingPublished has met the
    publication and notice deadlines (in process_due's own rows) rolls them back with the
    savepoint: the publication is missed and escalated; the notice, due at the same moment,
    is then processed as its own deadline (issued to the members), not met by the agenda."""
    from decisions.errors import InvalidInput
    from tests.notifications.notif_support import planner_bus
    from workflows.committee.events import MeetingPublished

    first, *_ = schedule_jcc(engine, config)
    planned = deadlines(engine, first)
    assert planned["notice"].due_at == planned["publication"].due_at
    bus = planner_bus()

    def refuse(_uow: object, _ev: MeetingPublished) -> None:
        raise InvalidInput("refused for the test")

    bus.subscribe(MeetingPublished, refuse)
    now = planned["publication"].due_at
    with uow_at(engine, config, now, bus=bus, actor="scheduler") as uow:
        report = process_due(uow)
    got = [(e.kind, e.what) for e in report.events if e.kind in ("publication", "notice")]
    assert got == [("publication", "failed"), ("notice", "met")]
    after = deadlines(engine, first)
    assert after["publication"].state == "missed"
    assert after["publication"].outcome == "automatic step refused: refused for the test"
    assert after["notice"].outcome == "notice issued automatically to members"
    with Session(engine) as s:
        assert s.get(MeetingRow, first).status != "published"  # type: ignore[union-attr]
