"""Meetings: scheduled from each body's rule, ad hoc and extraordinary meetings, cancellation,
holding a meeting (which fixes its chair and opens its minutes), and the chair of each meeting
worked out from the rotation, the meetings held and the apologies sent.

Every function takes a :class:`UnitOfWork` and raises :class:`MeetingScheduled`,
:class:`MeetingCancelled` or :class:`MeetingHeld` (workflows/committee/events.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import bindparam, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from decisions.agenda_rules import (
    STANDING_CLOSING,
    STANDING_OPENING,
    item_deadline,
    notice_deadline,
    publication_deadline,
)
from decisions.chairs import (
    ChairChoice,
    ChairRecord,
    advance,
    chair_for_meeting,
    next_record,
)
from decisions.errors import InvalidInput, RuleRefused
from decisions.meetings import scheduled_meetings
from decisions.record_dates import check_held
from decisions.terms import Body
from workflows.committee import common, referrals
from workflows.committee.common import CLOSING_POSITION
from workflows.committee.events import MeetingCancelled, MeetingHeld, MeetingScheduled
from workflows.committee.items import defer_item
from workflows.committee.records import AttendanceRow, MinutesRow
from workflows.committee.tables import AgendaItemRow, MeetingRow
from workflows.events import UnitOfWork
from workflows.prepared import Prepared, connection

KINDS = ("ordinary", "adhoc", "extraordinary")


def _facts(uow: UnitOfWork, m: MeetingRow) -> dict[str, str | int | None]:
    """The fields every dated meeting event carries."""
    assert m.id is not None
    b = uow.config.body_by_id(m.body_id)
    cal = common.calendar(uow.config)
    day = m.local_date or common.local_day(uow.config, m.starts_at)
    return {"meeting_id": m.id, "body_id": m.body_id, "starts_at": m.starts_at.isoformat(),
            "local_date": day.isoformat(), "kind": m.kind, "venue": m.venue,
            "item_deadline": m.item_deadline.isoformat() if m.item_deadline else None,
            "notice_by": notice_deadline(day, b, cal).isoformat(),
            "publish_by": publication_deadline(day, b, cal).isoformat()}


def add_standing_items(session: Session, m: MeetingRow) -> None:
    """The opening and closing business every agenda carries. An extraordinary meeting takes
    only the business it was called for: apologies and declarations, no minutes or AOB."""
    assert m.id is not None
    opening = STANDING_OPENING
    closing = STANDING_CLOSING
    if m.kind == "extraordinary":
        opening = tuple(s for s in opening if s.key in ("apologies", "declarations"))
        closing = ()
    for pos, s in enumerate(opening, start=1):
        session.add(AgendaItemRow(meeting_id=m.id, title=s.title, standing=s.key,
                                  action=s.action, report="Verbal", state="accepted",
                                  position=pos))
    for pos, s in enumerate(closing, start=CLOSING_POSITION):
        session.add(AgendaItemRow(meeting_id=m.id, title=s.title, standing=s.key,
                                  action=s.action, report="Verbal", state="accepted",
                                  position=pos))


def _create(uow: UnitOfWork, b: Body, starts_at: datetime, local: date, *, kind: str,
            venue: str, reason: str = "", moved_from: date | None = None,
            move_reason: str = "") -> MeetingRow:
    clash = uow.session.exec(select(MeetingRow).where(MeetingRow.body_id == b.id,
                                                      MeetingRow.starts_at == starts_at)).first()
    if clash is not None:
        raise InvalidInput(f"{b.name} already has meeting {clash.id} at that time "
                           f"({local:%a %d %b %Y}); choose another time")
    cal = common.calendar(uow.config)
    m = MeetingRow(body_id=b.id, starts_at=starts_at, local_date=local, venue=venue, kind=kind,
                   reason=reason, moved_from=moved_from, move_reason=move_reason,
                   item_deadline=item_deadline(local, b, cal))
    uow.session.add(m)
    uow.session.flush()
    add_standing_items(uow.session, m)
    uow.session.flush()
    uow.emit(MeetingScheduled(**_facts(uow, m)))  # type: ignore[arg-type]
    referrals.place_waiting(uow, m)  # referrals and reports back waiting for a meeting
    return m


def schedule(uow: UnitOfWork, body_id: str, start: date, end: date) -> list[MeetingRow]:
    """Create the body's meetings from its schedule rule for ``start``..``end``; meetings
    already in the database are kept (running it twice adds nothing). Returns the new ones."""
    b = uow.config.body_by_id(body_id)
    if b.meetings is None:
        raise InvalidInput(f"body {body_id}: has no meetings schedule in config "
                           "([body.meetings] rule, time, venue); add meetings one by one "
                           "with 's75 meeting add'")
    planned = scheduled_meetings(b, start, end, common.calendar(uow.config),
                                 uow.config.locality.timezone)
    existing = set(uow.session.exec(select(MeetingRow.starts_at)
                                    .where(MeetingRow.body_id == body_id)).all())
    created = []
    for p in planned:
        if p.starts_at in existing:
            continue
        created.append(_create(uow, b, p.starts_at, p.local_date, kind="ordinary",
                               venue=b.meetings.venue, moved_from=p.moved_from,
                               move_reason=p.reason or ""))
    return created


def add_meeting(uow: UnitOfWork, body_id: str, day: date, at: time | None = None, *,
                kind: str = "adhoc", venue: str | None = None, reason: str = "") -> MeetingRow:
    """An ad-hoc or extraordinary meeting on ``day`` (local time ``at``, default the body's
    usual time). An extraordinary meeting must say why it was called."""
    b = uow.config.body_by_id(body_id)
    if kind not in KINDS:
        raise InvalidInput(f"kind: {kind!r} is not valid; expected one of {', '.join(KINDS)}")
    if kind == "extraordinary" and not reason.strip():
        raise InvalidInput("reason: missing; an extraordinary meeting states the business it "
                           "was called for and who called it")
    cal = common.calendar(uow.config)
    if not cal.is_working_day(day):
        raise InvalidInput(f"date: {day:%a %d %b %Y} is not a working day; choose a working day "
                           f"(the next is {cal.next_working_day(day):%a %d %b %Y})")
    when = at or (b.meetings.time if b.meetings else None)
    if when is None:
        raise InvalidInput(f"time: missing; {body_id} has no usual meeting time, give --time HH:MM")
    starts_at = datetime.combine(day, when, tzinfo=uow.config.zone).astimezone(UTC)
    place = venue if venue is not None else (b.meetings.venue if b.meetings else "")
    return _create(uow, b, starts_at, day, kind=kind, venue=place, reason=reason)


def cancel(uow: UnitOfWork, meeting_id: int, reason: str) -> MeetingRow:
    """Cancel a scheduled meeting; its open business items are carried to the next meeting."""
    m = common.meeting(uow.session, meeting_id)
    if m.status != "scheduled":
        raise RuleRefused("meeting lifecycle", f"{common.describe_meeting(uow.config, m)} is "
                          f"{m.status}; only a scheduled meeting can be cancelled")
    if not reason.strip():
        raise InvalidInput("reason: missing; say why the meeting is cancelled (it goes in the "
                           "notice to members)")
    m.status = "cancelled"
    m.cancel_reason = reason
    common.bump(m)
    uow.session.add(m)
    uow.session.flush()
    carried = []
    for i in common.items_of(uow.session, meeting_id):
        if i.standing is None and i.state in ("submitted", "accepted", "published"):
            new = defer_item(uow, i, f"meeting {meeting_id} cancelled: {reason}")
            carried.append({"item_id": i.id, "to_item_id": new.id if new else None})
    uow.emit(MeetingCancelled(**_facts(uow, m), reason=reason,  # type: ignore[arg-type]
                              carried=carried))
    return m


# Chairs ---------------------------------------------------------------------------------------
def _apologies_of_body(session: Session, body_id: str) -> dict[int, set[str]]:
    """The apologies sent for each of the body's meetings (one query for all of them)."""
    out: dict[int, set[str]] = {}
    for meeting_id, person in session.exec(
            select(AttendanceRow.meeting_id, AttendanceRow.person)
            .join(MeetingRow, col(MeetingRow.id) == col(AttendanceRow.meeting_id))
            .where(MeetingRow.body_id == body_id, AttendanceRow.status == "apologies")):
        out.setdefault(meeting_id, set()).add(person)
    return out


def projected_chairs(uow: UnitOfWork, body_id: str,
                     until: MeetingRow | None = None) -> dict[int, ChairChoice | str]:
    """Each meeting's chair: the recorded chair for meetings held; for meetings to come, the
    rotation run forward as if each earlier meeting is held (a string when no chair is
    available, saying why). With ``until``, only the meetings up to that one (a meeting's
    chair depends on the earlier ones only). Two queries whatever the number of meetings."""
    b = uow.config.body_by_id(body_id)
    stmt = sa_select(col(MeetingRow.id), col(MeetingRow.status), col(MeetingRow.chair_id),
                     col(MeetingRow.chair_due_id), col(MeetingRow.chair_reason)).where(
        col(MeetingRow.body_id) == body_id, col(MeetingRow.status).in_(("held", "scheduled")))
    if until is not None:
        stmt = stmt.where(col(MeetingRow.starts_at) <= until.starts_at)
    rows = uow.session.execute(stmt.order_by(col(MeetingRow.starts_at))).all()
    apologies = _apologies_of_body(uow.session, body_id)
    names: dict[str, str] = {}

    def name(member_id: str) -> str:
        if member_id not in names:
            names[member_id] = uow.config.member_by_id(member_id).display
        return names[member_id]

    history: list[ChairRecord] = []
    out: dict[int, ChairChoice | str] = {}
    for mid, status, chair_id, chair_due_id, chair_reason in rows:
        assert mid is not None
        if status == "held" and chair_id:
            due = chair_due_id or chair_id
            history.append(ChairRecord(due, chair_id))
            out[mid] = ChairChoice(due, chair_id, chair_reason)
            continue
        try:
            choice = chair_for_meeting(b, history, apologies.get(mid, set()), name)
        except RuleRefused as exc:
            out[mid] = exc.reason
            continue
        history.append(ChairRecord(choice.due, choice.chair))
        out[mid] = choice
    return out


_CHAIN: dict[str, Prepared] = {}


def _chain_statements() -> dict[str, Prepared]:
    """chair_of's queries, built once (prepared statements): the body's last meeting held
    with a recorded chair before a date; the meetings held or scheduled since (``since`` or
    all), up to a date; the apologies sent for them."""
    if not _CHAIN:
        m, a = MeetingRow.__table__.c, AttendanceRow.__table__.c  # type: ignore[attr-defined]
        before = (m.body_id == bindparam("body_id"),
                  m.starts_at < bindparam("until", type_=m.starts_at.type))
        _CHAIN["anchor"] = Prepared(
            sa_select(m.starts_at, m.chair_due_id, m.chair_id)
            .where(*before, m.status == "held", m.chair_id.is_not(None), m.chair_id != "")
            .order_by(m.starts_at.desc()).limit(1))
        for since in (False, True):
            after = (m.starts_at > bindparam("since", type_=m.starts_at.type),) if since else ()
            _CHAIN[f"rows{since}"] = Prepared(sa_select(m.id).where(
                *before, *after, or_(m.status == "held", m.status == "scheduled"))
                .order_by(m.starts_at))
            _CHAIN[f"apologies{since}"] = Prepared(
                sa_select(a.meeting_id, a.person).join_from(
                    AttendanceRow.__table__, MeetingRow.__table__,  # type: ignore[attr-defined]
                    m.id == a.meeting_id)
                .where(m.body_id == bindparam("body_id"),
                       m.starts_at <= bindparam("until", type_=m.starts_at.type), *after,
                       a.status == "apologies"))
    return _CHAIN


def _rows(session: Session, stmt: Prepared, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """``stmt``'s rows, after the session's changes are flushed (as its query would)."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    return stmt.rows(connection(session), params)


def chair_of(uow: UnitOfWork, m: MeetingRow) -> ChairChoice | str:
    """``projected_chairs(uow, m.body_id, until=m)[m.id]`` (or "the meeting is cancelled")
    in a constant number of queries and without wording the other meetings' chairs: the
    rotation looks back one meeting only (:func:`decisions.chairs.due_chair`), so it is run
    forward from the last meeting held with a recorded chair, each meeting since adding the
    record it would add when held as projected."""
    assert m.id is not None
    if m.status not in ("held", "scheduled"):
        return "the meeting is cancelled"
    if m.status == "held" and m.chair_id:
        return ChairChoice(m.chair_due_id or m.chair_id, m.chair_id, m.chair_reason)
    b, q = uow.config.body_by_id(m.body_id), _chain_statements()
    params: dict[str, Any] = {"body_id": m.body_id, "until": m.starts_at}
    s = uow.session
    anchor = _rows(s, q["anchor"], params)
    found = anchor[0] if anchor else None
    last = None
    if found is not None:
        params["since"] = found[0]
        last = ChairRecord(found[1] or found[2], found[2])
    since = found is not None
    apologies: dict[int, set[str]] = {}
    for meeting_id, person in _rows(s, q[f"apologies{since}"], params):
        apologies.setdefault(meeting_id, set()).add(person)
    none: set[str] = set()
    chain = [mid for (mid,) in _rows(s, q[f"rows{since}"], params)]
    done = 0  # the meetings of the chain run forward so far
    if apologies:
        for i, mid in enumerate(chain):
            if mid in apologies:
                last = next_record(b, advance(b, last, i - done), apologies[mid])
                done = i + 1
    last = advance(b, last, len(chain) - done)
    try:
        return chair_for_meeting(b, (last,) if last is not None else (),
                                 apologies.get(m.id, none),
                                 lambda member_id: uow.config.member_by_id(member_id).display)
    except RuleRefused as exc:
        return exc.reason


def refresh_chair(uow: UnitOfWork, m: MeetingRow) -> ChairChoice | str:
    """Recompute and store the (provisional, until held) chair of ``m``."""
    assert m.id is not None
    choice = chair_of(uow, m)
    chair: dict[str, str | None]
    if isinstance(choice, ChairChoice):
        chair = {"chair_due_id": choice.due, "chair_id": choice.chair,
                 "chair_reason": choice.reason}
    else:
        chair = {"chair_id": None, "chair_reason": choice}
    for name, value in chair.items():  # only what changed: an unchanged row is not flushed
        if getattr(m, name) != value:
            setattr(m, name, value)
    uow.session.add(m)
    return choice


def hold(uow: UnitOfWork, meeting_id: int) -> MeetingRow:
    """Record that the meeting took place: its chair is fixed and its draft minutes opened."""
    m = common.meeting(uow.session, meeting_id)
    if m.status != "scheduled":
        raise RuleRefused("meeting lifecycle", f"{common.describe_meeting(uow.config, m)} is "
                          f"{m.status}; only a scheduled meeting can be held")
    tz = uow.config.zone
    check_held(common.describe_meeting(uow.config, m), m.starts_at.astimezone(tz),
               uow.now.astimezone(tz))
    earlier = uow.session.exec(select(MeetingRow).where(
        MeetingRow.body_id == m.body_id, MeetingRow.status == "scheduled",
        col(MeetingRow.starts_at) < m.starts_at)).first()
    if earlier is not None:
        raise RuleRefused("meeting lifecycle", f"{common.describe_meeting(uow.config, earlier)} "
                          "comes first and is neither held nor cancelled; record it first so "
                          "the chair rotation stays in order")
    choice = refresh_chair(uow, m)
    if not isinstance(choice, ChairChoice):
        raise RuleRefused(f"terms of reference of the {uow.config.body_by_id(m.body_id).name} "
                          "(chairing)", choice)
    m.status = "held"
    m.held_at = uow.now
    common.bump(m)
    uow.session.add(m)
    assert m.id is not None
    if uow.session.exec(select(MinutesRow).where(MinutesRow.meeting_id == m.id)).first() is None:
        uow.session.add(MinutesRow(meeting_id=m.id))
    uow.session.flush()
    uow.emit(MeetingHeld(**_facts(uow, m), chair_id=m.chair_id,  # type: ignore[arg-type]
                         chair_reason=m.chair_reason))
    return m
