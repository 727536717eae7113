"""What a document says about its publication: the date the agenda was published (the
``meeting.published`` act in the audit log, whoever performed it), the chair of the day, and
times of day in the one style the documents use ("10.00am")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from decisions.chairs import ChairRecord, chair_for_meeting
from decisions.errors import RuleRefused
from decisions.terms import LocalityConfig
from workflows.committee.records import AttendanceRow
from workflows.committee.tables import MeetingRow
from workflows.tables import AuditEventRow


@dataclass(frozen=True)
class Published:
    on: date
    by: str
    """The acting principal's id, as the audit log records it."""
    at: datetime


def first_publication(session: Session, meeting_id: int) -> Published | None:
    """The meeting's agenda publication, from the audit log (None while unpublished)."""
    row = session.exec(select(AuditEventRow).where(
        AuditEventRow.subject_type == "meeting", AuditEventRow.subject_id == str(meeting_id),
        AuditEventRow.action == "meeting.published").order_by(col(AuditEventRow.id))).first()
    if row is None:
        return None
    on = str((row.payload or {}).get("published_on") or "")
    return Published(date.fromisoformat(on) if on else row.at.date(), row.actor, row.at)


def chair_of_the_day(session: Session, cfg: LocalityConfig, m: MeetingRow) -> str | None:
    """Who chairs ``m``: the recorded chair, else the fixed chair or the rotation run forward
    over the body's meetings (as ``workflows.committee.meetings.projected_chairs`` does), with
    the apologies sent so far. None only when the rules leave no chair available."""
    if m.chair_id:
        return m.chair_id
    body = cfg.body_by_id(m.body_id)
    rows = session.exec(select(MeetingRow).where(
        MeetingRow.body_id == m.body_id, col(MeetingRow.status).in_(("held", "scheduled")),
        col(MeetingRow.starts_at) < m.starts_at).order_by(col(MeetingRow.starts_at))).all()
    history: list[ChairRecord] = []
    try:
        for past in rows:
            if past.status == "held" and past.chair_id:
                history.append(ChairRecord(past.chair_due_id or past.chair_id, past.chair_id))
            else:
                choice = chair_for_meeting(body, history, _apologies(session, past.id or 0))
                history.append(ChairRecord(choice.due, choice.chair))
        return chair_for_meeting(body, history, _apologies(session, m.id or 0)).chair
    except RuleRefused:
        return None


def _apologies(session: Session, meeting_id: int) -> set[str]:
    return set(session.exec(select(AttendanceRow.person).where(
        AttendanceRow.meeting_id == meeting_id, AttendanceRow.status == "apologies")).all())


def clock_text(hhmm: str | None) -> str:
    """An agenda's indicative time "14:15" in the documents' style: "2.15pm"."""
    if not hhmm:
        return ""
    hour, _, minute = hhmm.partition(":")
    if not (hour.isdigit() and minute.isdigit()):
        return hhmm
    h, mi = int(hour), int(minute)
    return f"{(h % 12) or 12}.{mi:02d}{'am' if h < 12 else 'pm'}"
