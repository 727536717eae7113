"""Dates a record cannot carry: a meeting is held, attended or approves minutes only once it
has begun. Plain functions; each raises RuleRefused naming the date and the rule. Back-entry
after the event stays possible with the global ``--now`` (recorded in the audit event)."""

from __future__ import annotations

from datetime import date, datetime

from decisions.errors import RuleRefused

BACK_ENTRY = "to record it after the event, run the command with --now set to a time after it"


def _when(at: datetime) -> str:
    return f"{at:%H:%M} on {at:%A} {at.day} {at:%B %Y}"


def check_held(what: str, starts_at: datetime, now: datetime) -> None:
    """A meeting cannot be marked held before its start time."""
    if now < starts_at:
        raise RuleRefused("meeting lifecycle (a meeting is held only once it has begun)",
                          f"{what} starts at {_when(starts_at)}; it is now {_when(now)}, so it "
                          f"cannot be marked held; {BACK_ENTRY}")


def check_attendance(what: str, starts_at: datetime, now: datetime, status: str) -> None:
    """Who was present, absent or in attendance is recorded from the day of the meeting;
    apologies may be sent before it."""
    if status != "apologies" and now.date() < starts_at.date():
        raise RuleRefused("attendance (recorded on or after the day of the meeting; apologies "
                          "may be sent earlier)",
                          f"{what} is on {starts_at:%A} {starts_at.day} {starts_at:%B %Y}; "
                          f"{status.replace('_', ' ')} cannot be recorded on "
                          f"{now:%A} {now.day} {now:%B %Y}, before it; {BACK_ENTRY}")


def check_approving_meeting(what: str, starts_at: datetime, now: datetime) -> None:
    """Minutes are approved at a meeting that has begun (not one still to come)."""
    if now < starts_at:
        raise RuleRefused("minutes (approved at a later meeting of the same body, once it "
                          "has begun)",
                          f"{what}, the approving meeting, starts at {_when(starts_at)}; it is "
                          f"now {_when(now)}, so minutes cannot be approved at it yet; "
                          f"{BACK_ENTRY}")


def check_forward_plan(what: str, published_on: date, first_recorded: date) -> None:
    """A forward-plan notice cannot be dated before the matter was first recorded (the item
    drafted): the plan cannot have given notice of what did not yet exist."""
    if published_on < first_recorded:
        raise RuleRefused("forward plan (SI 2012/2089 reg 9: notice of a key decision is "
                          "given of a matter that has been recorded)",
                          f"the forward-plan notice of {what} is dated {published_on:%A} "
                          f"{published_on.day} {published_on:%B %Y}, before the item was first "
                          f"recorded on {first_recorded:%A} {first_recorded.day} "
                          f"{first_recorded:%B %Y}; give the date the notice was published "
                          "(on or after that day)")
