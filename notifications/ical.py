"""iCalendar (RFC 5545) feeds: per member (the meetings of the bodies they sit on and the
deadlines they own) and per body (its meetings and their deadlines). Meetings are timed
events in Europe/London; deadlines are all-day events on their due day. UIDs are stable, so a
calendar that re-imports the feed updates events rather than duplicating them; a cancelled
meeting stays in the feed with STATUS:CANCELLED.

A body's feed is public: an action arising from Part 2 (exempt) business appears only as such,
without its text, since that text may carry the exempt information (LGA 1972 s100B(2),(5)).
A member's own feed keeps it: members are entitled to the Part 2 papers.

Every TZID an event uses has its VTIMEZONE in the feed (RFC 5545 3.2.19), generated from the
zone database by icalendar. Given the site's ``base_url``, each meeting (and each deadline of a
meeting) links back to the meeting's page (URL property, and in the description).

A feed is polled by calendar services every few hours for years, so it is bounded: the
meetings and deadlines of a window around today (:data:`PAST` back, :data:`AHEAD` on), read in
a fixed number of queries whatever the record holds (the meetings, the deadlines, and the
exempt actions among those deadlines), each through an index that starts with the feed's own
filter (migration 0006_feeds). ``s75 calendar export --since/--until`` widens the window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event
from sqlmodel import Session, col, or_, select

from decisions.terms import LocalityConfig
from notifications.deadlines import local_date, tz
from notifications.exempt_actions import EXEMPT_ACTION, exempt_among, public_title
from notifications.tables import DeadlineRow
from workflows.committee.tables import MeetingRow

__all__ = ["AHEAD", "EXEMPT_ACTION", "PAST", "Window", "body_feed", "member_feed",
           "public_title"]

PRODID = "-//s75//Section 75 governance engine//EN"
PAST = timedelta(days=366)
"""How far back a feed reaches: the last year's meetings and deadlines."""
AHEAD = timedelta(days=731)
"""How far on: two years of planned meetings and deadlines."""


@dataclass(frozen=True)
class Window:
    """The moments a feed covers: from ``start`` (inclusive) to ``end`` (exclusive)."""

    start: datetime
    end: datetime

    @classmethod
    def around(cls, now: datetime, since: datetime | None = None,
               until: datetime | None = None) -> Window:
        """The feed's window at ``now``, either end replaced where given."""
        return cls(since or now - PAST, until or now + AHEAD)

    def holds(self, column: Any) -> Any:
        return (column >= self.start) & (column < self.end)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _finish(cal: Calendar) -> bytes:
    """The feed with a VTIMEZONE for every TZID its events use, its transitions covering the
    events' years (a year either side), not the library's default 1970-2038."""
    days = [d.date() if isinstance(d, datetime) else d
            for d in (e.decoded("dtstart") for e in cal.walk("VEVENT"))]
    if days:
        cal.add_missing_timezones(first_date=date(min(days).year - 1, 1, 1),
                                  last_date=date(max(days).year + 2, 1, 1))
    return bytes(cal.to_ical())


def meeting_url(base_url: str, meeting_id: int | None) -> str:
    return f"{base_url.rstrip('/')}/meetings/{meeting_id}" if base_url and meeting_id else ""


def _meeting_event(cfg: LocalityConfig, m: MeetingRow, stamp: datetime,
                   base_url: str = "") -> Event:
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
    url = meeting_url(base_url, m.id)
    if url:
        ev.add("url", url)
        desc += f" Agenda, papers and decisions: {url}"
    ev.add("description", desc)
    ev.add("status", "CANCELLED" if m.status == "cancelled" else "CONFIRMED")
    return ev


def _deadline_event(cfg: LocalityConfig, d: DeadlineRow, stamp: datetime,
                    title: str | None = None, base_url: str = "") -> Event:
    day = local_date(cfg, d.due_at)
    ev = Event()
    ev.add("uid", f"deadline-{d.key.replace(':', '-')}@s75")
    ev.add("dtstamp", stamp)
    ev.add("dtstart", day)
    ev.add("dtend", day + timedelta(days=1))
    ev.add("summary", f"Deadline: {d.title if title is None else title}")
    desc = f"Due {d.due_at.astimezone(tz(cfg)):%H:%M} on {day:%A %d %B %Y}. State: " \
           f"{d.state}. Rule: {d.rule}"
    url = meeting_url(base_url, d.meeting_id)
    if url:
        ev.add("url", url)
        desc += f" Meeting: {url}"
    ev.add("description", desc)
    ev.add("categories", [d.kind])
    ev.add("transp", "TRANSPARENT")
    if d.state == "waived":
        ev.add("status", "CANCELLED")
    return ev


def _meetings(session: Session, bodies: list[str], window: Window) -> list[MeetingRow]:
    return list(session.exec(
        select(MeetingRow).where(col(MeetingRow.body_id).in_(bodies),
                                 window.holds(col(MeetingRow.starts_at)))
        .order_by(col(MeetingRow.starts_at), col(MeetingRow.id))))


def _deadlines(session: Session, which: Any, window: Window) -> list[DeadlineRow]:
    return list(session.exec(
        select(DeadlineRow).where(which, window.holds(col(DeadlineRow.due_at)))
        .order_by(col(DeadlineRow.due_at), col(DeadlineRow.id))))


def body_feed(session: Session, cfg: LocalityConfig, body_id: str, now: datetime,
              base_url: str = "", window: Window | None = None) -> bytes:
    """A body's meetings and their deadlines in ``window`` (the feed's, around ``now``, by
    default): three queries. Public: an exempt action shows only that it is one."""
    body = cfg.body_by_id(body_id)  # NotFound naming the known bodies
    window = window or Window.around(now)
    cal = _calendar(f"{body.name} ({cfg.locality.name})")
    for m in _meetings(session, [body_id], window):
        cal.add_component(_meeting_event(cfg, m, now, base_url))
    deadlines = _deadlines(session, col(DeadlineRow.body_id) == body_id, window)
    exempt = exempt_among(session, deadlines)
    for d in deadlines:
        cal.add_component(_deadline_event(cfg, d, now, public_title(d, exempt), base_url))
    return _finish(cal)


def member_feed(session: Session, cfg: LocalityConfig, member_id: str, now: datetime,
                base_url: str = "", redact_exempt: bool = False,
                window: Window | None = None) -> bytes:
    """The member's bodies' meetings; the deadlines they own, and their bodies' calls for
    agenda items, in ``window`` (the feed's, around ``now``, by default). ``redact_exempt``:
    an action arising from Part 2 business is titled as in the public feed (a subscription
    link leaves the site: calendar services keep copies)."""
    member = cfg.member_by_id(member_id)  # NotFound naming the known members
    window = window or Window.around(now)
    cal = _calendar(f"{member.name} — {cfg.locality.name} meetings and deadlines")
    bodies = list(member.bodies)
    for m in _meetings(session, bodies, window):
        cal.add_component(_meeting_event(cfg, m, now, base_url))
    owned = or_(col(DeadlineRow.owner_id) == member.id,
                col(DeadlineRow.owner_email) == member.email,
                (col(DeadlineRow.kind) == "agenda_items") & col(DeadlineRow.body_id).in_(bodies))
    deadlines = _deadlines(session, owned, window)
    exempt = exempt_among(session, deadlines) if redact_exempt else set()
    for d in deadlines:
        title = public_title(d, exempt) if redact_exempt else None
        cal.add_component(_deadline_event(cfg, d, now, title, base_url=base_url))
    return _finish(cal)
