"""Planned meetings from a body's schedule: an RFC 5545 recurrence rule at a local time
(Europe/London, so BST-aware), converted to UTC. A date that falls on a bank holiday or a
closure day moves as the body's ``meetings.on_bank_holiday`` says (default: the next working
day), and the move and its reason are kept for the notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from decisions.calendar import WorkingCalendar
from decisions.errors import InvalidInput
from decisions.terms import Body


@dataclass(frozen=True)
class PlannedMeeting:
    starts_at: datetime
    """UTC, timezone-aware."""
    local_date: date
    """The meeting's date in the locality's timezone (after any move)."""
    moved_from: date | None = None
    reason: str | None = None


def local_to_utc(day: date, body: Body, tz: str) -> datetime:
    """The body's usual meeting time on ``day`` in ``tz``, as a UTC datetime."""
    if body.meetings is None:
        raise InvalidInput(f"body {body.id}: has no [body.meetings] schedule (rule, time, venue)")
    local = datetime.combine(day, body.meetings.time, tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def _closed_reason(day: date, cal: WorkingCalendar) -> str:
    name = cal.bank_holiday_name(day)
    if name:
        return f"{day:%a %d %b %Y} is a bank holiday ({name})"
    if day.weekday() >= 5:
        return f"{day:%a %d %b %Y} is a weekend day"
    return f"{day:%a %d %b %Y} is a closure day"


def scheduled_meetings(body: Body, start: date, end: date, cal: WorkingCalendar,
                       tz: str) -> list[PlannedMeeting]:
    """The body's meetings whose scheduled dates fall in ``start``..``end`` (inclusive), in
    date order. A scheduled date that is not a working day moves per
    ``body.meetings.on_bank_holiday`` and carries ``moved_from`` and ``reason``."""
    if body.meetings is None:
        raise InvalidInput(f"body {body.id}: has no [body.meetings] schedule (rule, time, venue)")
    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}; give an end date on or after "
                           "the start date")
    schedule = body.meetings
    dtstart = datetime.combine(start, schedule.time)
    try:
        rule = rrulestr(schedule.rule, dtstart=dtstart)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(
            f"body {body.id}: meetings.rule {schedule.rule!r} is not a valid RFC 5545 rule ({exc})"
        ) from exc
    until = datetime.combine(end + timedelta(days=1), schedule.time)
    planned: list[PlannedMeeting] = []
    seen: set[date] = set()
    for occurrence in rule.between(dtstart, until, inc=True):
        day = occurrence.date()
        if day > end:
            break
        moved_from: date | None = None
        reason: str | None = None
        if not cal.is_working_day(day) and schedule.on_bank_holiday != "keep":
            why = _closed_reason(day, cal)
            if schedule.on_bank_holiday == "next_working_day":
                new_day = cal.next_working_day(day)
                reason = f"{why}; moved to the next working day, {new_day:%a %d %b %Y}"
            else:
                new_day = cal.previous_working_day(day)
                reason = f"{why}; moved to the previous working day, {new_day:%a %d %b %Y}"
            moved_from, day = day, new_day
        if day in seen:
            continue
        seen.add(day)
        planned.append(PlannedMeeting(local_to_utc(day, body, tz), day, moved_from, reason))
    return sorted(planned, key=lambda m: m.starts_at)
