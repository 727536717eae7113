"""Attendance: members present or sending apologies, named substitutes, and people in
attendance who are not members. Recording apologies recomputes the meeting's chair (the
co-chair or vice-chair stands in for a due chair who sent apologies)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from decisions.errors import InvalidInput, RuleRefused
from decisions.quorum import Attendee
from decisions.record_dates import check_attendance
from decisions.terms import LocalityConfig
from workflows.committee import common
from workflows.committee.events import AttendanceRecorded
from workflows.committee.meetings import refresh_chair
from workflows.committee.records import ATTENDANCE_STATUSES, AttendanceRow
from workflows.events import UnitOfWork


def _named(cfg: LocalityConfig, member_id: str) -> str:
    """A member in words with the id typed ("Margaret Asquith, Director of People
    (director_people)"); a name typed for someone who is not a member stays as typed."""
    m = next((x for x in cfg.member if x.id == member_id), None)
    return f"{m.display} ({m.id})" if m else member_id

def record(uow: UnitOfWork, meeting_id: int, person: str, status: str = "present", *,
           substitute_for: str | None = None, note: str = "") -> AttendanceRow:
    """Record ``person`` (a member id, or a name for someone in attendance) at the meeting.
    Recording the same person again replaces their entry."""
    cfg = uow.config
    m = common.meeting(uow.session, meeting_id)
    if m.status == "cancelled":
        raise RuleRefused("meeting lifecycle", f"{common.describe_meeting(cfg, m)} was "
                          "cancelled; attendance cannot be recorded")
    if status not in ATTENDANCE_STATUSES:
        raise InvalidInput(f"status: {status!r} is not valid; expected one of "
                           f"{', '.join(ATTENDANCE_STATUSES)}")
    b = cfg.body_by_id(m.body_id)
    member_id: str | None = None
    partner_id: str | None = None
    if status == "in_attendance":
        known = [x for x in cfg.member if x.id == person]
        if known:
            member_id, partner_id = known[0].id, known[0].partner
    elif substitute_for is not None:
        if not b.substitutes_allowed:
            raise RuleRefused(f"terms of reference of the {b.name}",
                              f"the {b.name} does not allow substitutes; record "
                              f"{_named(cfg, person)} as in attendance instead")
        seat = common.member(cfg, substitute_for, b.id)
        if seat.substitute != person:
            raise RuleRefused(f"terms of reference of the {b.name}",
                              f"{_named(cfg, person)} is not the named substitute for "
                              f"{seat.display} (named: "
                              f"{_named(cfg, seat.substitute) if seat.substitute else 'none'})")
        if status != "present":
            raise InvalidInput("a substitute is recorded as present; record apologies for "
                               f"{seat.display} separately")
        sub = common.member(cfg, person)
        member_id, partner_id = sub.id, sub.partner
    else:
        mem = common.member(cfg, person, b.id)
        member_id, partner_id = mem.id, mem.partner
    check_attendance(common.describe_meeting(cfg, m), m.starts_at.astimezone(cfg.zone),
                     uow.now.astimezone(cfg.zone), status)
    row = uow.session.exec(select(AttendanceRow).where(AttendanceRow.meeting_id == meeting_id,
                                                       AttendanceRow.person == person)).first()
    if row is None:
        row = AttendanceRow(meeting_id=meeting_id, person=person, recorded_at=uow.now)
    row.member_id, row.partner_id, row.status = member_id, partner_id, status
    row.substitute_for, row.note, row.recorded_at = substitute_for, note, uow.now
    uow.session.add(row)
    uow.session.flush()
    choice = refresh_chair(uow, m) if m.status == "scheduled" else None
    uow.emit(AttendanceRecorded(meeting_id=meeting_id, body_id=m.body_id,
                                starts_at=m.starts_at.isoformat(), person=person, status=status,
                                substitute_for=substitute_for, chair_id=m.chair_id,
                                chair_reason=str(getattr(choice, "reason", m.chair_reason))))
    return row


def rows(session: Session, meeting_id: int) -> list[AttendanceRow]:
    return list(session.exec(select(AttendanceRow).where(
        AttendanceRow.meeting_id == meeting_id).order_by(col(AttendanceRow.id))).all())


def attendees(session: Session, meeting_id: int) -> list[Attendee]:
    """The plain facts the quorum rule needs: who is in the room and in what capacity."""
    out = []
    for r in rows(session, meeting_id):
        if r.status == "present" and r.member_id:
            if r.substitute_for:
                out.append(Attendee(r.member_id, r.partner_id or "", "substitute",
                                    r.substitute_for))
            else:
                out.append(Attendee(r.member_id, r.partner_id or "", "member"))
        elif r.status == "in_attendance" and r.member_id:
            out.append(Attendee(r.member_id, r.partner_id or "", "in_attendance"))
    return out
