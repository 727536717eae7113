"""iCalendar (RFC 5545) feeds: per member (the meetings of the bodies they sit on and the
deadlines they own) and per body (its meetings and their deadlines). Meetings are timed
events in Europe/London; deadlines are all-day events on their due day. UIDs are stable, so a
calendar that re-imports the feed updates events rather than duplicating them; a cancelled
meeting stays in the feed with STATUS:CANCELLED.

A body's feed is public: an action arising from Part 2 (exempt) business appears only as such,
without its text, since that text may carry the exempt information (LGA 1972 s100B(2),(5)).
A member's own feed keeps it: members are entitled to the Part 2 papers."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlmodel import Session, col, or_, select

from decisions.access import exempt_clause
from decisions.terms import LocalityConfig
from notifications.deadlines import local_date, tz
from notifications.tables import DeadlineRow
from workflows.committee.records import ActionRow
from workflows.committee.tables import AgendaItemRow, MeetingRow

PRODID = "-//s75//Section 75 governance engine//EN"
EXEMPT_ACTION = "Action arising from exempt (Part 2) business"


def exempt_action_ids(session: Session) -> set[str]:
    """Actions arising from a Part 2 item: public output shows only that such an action is due."""
    rows = session.exec(select(ActionRow.id).join(
        AgendaItemRow, col(AgendaItemRow.id) == col(ActionRow.item_id))
        .where(exempt_clause(AgendaItemRow.part))).all()
    return {str(i) for i in rows}


def public_title(d: DeadlineRow, exempt_actions: set[str]) -> str:
    """The deadline's title as the public may read it."""
    if d.subject_type == "action" and d.subject_id in exempt_actions:
        return EXEMPT_ACTION
    return d.title


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _meeting_event(cfg: LocalityConfig, m: MeetingRow, stamp: datetime) -> Event:
    body = cfg.body_by_id(m.body_id)
    minutes = body.meetings.duration_minutes if body.meetings else 120
    zone = tz(cfg)
    ev = Event()
    ev.add("uid", f"meeting-{m.id}@s75")
    ev.add("dtstamp", stamp)
    ev.add("dtstart", m.starts_at.astimezone(zone))
    ev.add("dtend", (m.starts_at + timedelta(minutes=minutes)).astimezone(zone))
    ev.add("summary", f"{body.name}" + (f" ({m.kind})" if m.kind != "ordinary" else ""))
    if m.venue:
        ev.add("location", m.venue)
    desc = f"Meeting of the {body.name}."
    if m.move_reason:
        desc += f" Moved from {m.moved_from}: {m.move_reason}."
    ev.add("description", desc)
    ev.add("status", "CANCELLED" if m.status == "cancelled" else "CONFIRMED")
    return ev


def _deadline_event(cfg: LocalityConfig, d: DeadlineRow, stamp: datetime,
                    title: str | None = None) -> Event:
    day = local_date(cfg, d.due_at)
    ev = Event()
    ev.add("uid", f"deadline-{d.key.replace(':', '-')}@s75")
    ev.add("dtstamp", stamp)
    ev.add("dtstart", day)
    ev.add("dtend", day + timedelta(days=1))
    ev.add("summary", f"Deadline: {d.title if title is None else title}")
    ev.add("description", f"Due {d.due_at.astimezone(tz(cfg)):%H:%M} on {day:%A %d %B %Y}. "
                          f"State: {d.state}. Rule: {d.rule}")
    ev.add("categories", [d.kind])
    ev.add("transp", "TRANSPARENT")
    if d.state == "waived":
        ev.add("status", "CANCELLED")
    return ev


def body_feed(session: Session, cfg: LocalityConfig, body_id: str, now: datetime) -> bytes:
    body = cfg.body_by_id(body_id)  # NotFound naming the known bodies
    cal = _calendar(f"{body.name} ({cfg.locality.name})")
    for m in session.exec(select(MeetingRow).where(MeetingRow.body_id == body_id)
                          .order_by(col(MeetingRow.starts_at))):
        cal.add_component(_meeting_event(cfg, m, now))
    exempt = exempt_action_ids(session)
    for d in session.exec(select(DeadlineRow).where(DeadlineRow.body_id == body_id)
                          .order_by(col(DeadlineRow.due_at))):
        cal.add_component(_deadline_event(cfg, d, now, public_title(d, exempt)))
    return bytes(cal.to_ical())


def member_feed(session: Session, cfg: LocalityConfig, member_id: str, now: datetime) -> bytes:
    """The member's bodies' meetings; the deadlines they own, and their bodies' calls for
    agenda items."""
    member = cfg.member_by_id(member_id)  # NotFound naming the known members
    cal = _calendar(f"{member.name} — {cfg.locality.name} meetings and deadlines")
    bodies = list(member.bodies)
    for m in session.exec(select(MeetingRow).where(col(MeetingRow.body_id).in_(bodies))
                          .order_by(col(MeetingRow.starts_at))):
        cal.add_component(_meeting_event(cfg, m, now))
    owned = or_(col(DeadlineRow.owner_id) == member.id,
                col(DeadlineRow.owner_email) == member.email,
                (col(DeadlineRow.kind) == "agenda_items") & col(DeadlineRow.body_id).in_(bodies))
    for d in session.exec(select(DeadlineRow).where(owned).order_by(col(DeadlineRow.due_at))):
        cal.add_component(_deadline_event(cfg, d, now))
    return bytes(cal.to_ical())
