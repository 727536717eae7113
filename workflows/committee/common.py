"""Shared look-ups for the committee services: rows by id (NotFound naming what exists), the
working calendar and time zone from config, the body of a meeting, its next meetings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam
from sqlmodel import Session, col, func, select

from decisions.calendar import WorkingCalendar, calendar_for
from decisions.errors import InvalidInput, NotFound
from decisions.terms import Body, LocalityConfig, Member
from workflows.committee.tables import AgendaItemRow, DecisionRow, MeetingRow

CLOSING_POSITION = 9000
"""Agenda positions from here on hold the closing standing business (any other business)."""


def calendar(cfg: LocalityConfig) -> WorkingCalendar:
    return calendar_for(cfg.locality.extra_closure_days)


def zone(cfg: LocalityConfig) -> ZoneInfo:
    return cfg.zone


def local_day(cfg: LocalityConfig, when: datetime) -> date:
    return when.astimezone(zone(cfg)).date()


def body(cfg: LocalityConfig, body_id: str) -> Body:
    for b in cfg.body:
        if b.id == body_id:
            return b
    raise NotFound(f"body {body_id!r} is not in the config; expected one of "
                   f"{sorted(b.id for b in cfg.body)}")


def member(cfg: LocalityConfig, member_id: str, body_id: str | None = None) -> Member:
    for m in cfg.member:
        if m.id == member_id:
            if body_id is not None and body_id not in m.bodies:
                seated = "; ".join(f"{x.display} ({x.id})" for x in cfg.members_of(body_id))
                raise InvalidInput(f"member {member_id!r} ({m.display}) does not sit on the "
                                   f"{body(cfg, body_id).name}; its members are {seated}")
            return m
    raise NotFound(f"member {member_id!r} is not in the config; expected one of "
                   f"{sorted(m.id for m in cfg.member)}")


def meeting(session: Session, meeting_id: int) -> MeetingRow:
    row = session.get(MeetingRow, meeting_id)
    if row is None:
        raise NotFound(f"meeting {meeting_id} does not exist; 's75 meeting list' shows the "
                       "meetings")
    return row


def item(session: Session, item_id: int) -> AgendaItemRow:
    row = session.get(AgendaItemRow, item_id)
    if row is None:
        raise NotFound(f"agenda item {item_id} does not exist; 's75 meeting show MEETING' "
                       "lists a meeting's items")
    return row


def decision(session: Session, decision_id: int, field: str = "") -> DecisionRow:
    """The decision, or NotFound saying which ids exist (``field`` names the option given)."""
    row = session.get(DecisionRow, decision_id)
    if row is None:
        last = session.exec(select(func.max(DecisionRow.id))).one()
        known = f"decision ids run from 1 to {last}" if last else "no decision is recorded yet"
        prefix = f"{field}: " if field else ""
        raise NotFound(f"{prefix}decision {decision_id} does not exist ({known}); "
                       "'s75 item show ITEM' shows the decision taken on an item")
    return row


def describe_meeting(cfg: LocalityConfig, m: MeetingRow) -> str:
    when = m.starts_at.astimezone(zone(cfg))
    return f"meeting {m.id} ({body(cfg, m.body_id).name}, {when:%a %d %b %Y %H:%M})"


def describe_item(i: AgendaItemRow) -> str:
    return f"item {i.id} '{i.title}'"


def meetings_after(session: Session, body_id: str, after: datetime) -> list[MeetingRow]:
    """The body's scheduled (not held, not cancelled) meetings starting after ``after``."""
    return list(session.exec(
        select(MeetingRow).where(MeetingRow.body_id == body_id,
                                 MeetingRow.status == "scheduled",
                                 col(MeetingRow.starts_at) > after)
        .order_by(col(MeetingRow.starts_at))).all())


_ITEMS_OF: list[Any] = []


def items_of(session: Session, meeting_id: int) -> list[AgendaItemRow]:
    """The meeting's items in agenda order (the statement built once)."""
    if not _ITEMS_OF:
        _ITEMS_OF.append(select(AgendaItemRow)
                         .where(AgendaItemRow.meeting_id == bindparam("meeting_id"))
                         .order_by(col(AgendaItemRow.position), col(AgendaItemRow.id)))
    return list(session.exec(_ITEMS_OF[0], params={"meeting_id": meeting_id}).all())


def bump(row: MeetingRow | AgendaItemRow) -> None:
    row.version += 1
