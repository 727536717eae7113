"""Key decisions of executive bodies: The Local Authorities (Executive Arrangements) (Meetings
and Access to Information) (England) Regulations 2012 (SI 2012/2089) and the Local Government
Act 2000.

- A key decision spends or saves more than the council's threshold, or significantly affects
  two or more wards (reg 8; the threshold is the body's ``key_decision_threshold``).
- Notice in the forward plan 28 clear days before the decision (reg 9); otherwise the general
  exception (reg 10: the scrutiny chair told in writing and 5 clear days elapsed) or special
  urgency (reg 11: the scrutiny chair agrees the decision is urgent and cannot reasonably be
  deferred).
- The decision record (reg 12): decision, date, reasons, alternatives rejected, interests
  declared, dispensations.
- Call-in (Local Government Act 2000 s9F and the council's constitution): the decision may not
  be implemented until the call-in window closes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from decisions.calendar import WorkingCalendar
from decisions.errors import InvalidInput, RuleRefused
from decisions.terms import Body

Exception_ = Literal["general_exception", "special_urgency"]
GENERAL_EXCEPTION_CLEAR_DAYS = 5


def is_key_decision(body: Body, amount: Decimal | None, wards_affected: int = 0) -> bool:
    """Whether a decision of ``body`` is a key decision (reg 8): only executive bodies take key
    decisions; spending or saving above the body's threshold, or affecting 2+ wards."""
    if not body.executive:
        return False
    if wards_affected >= 2:
        return True
    threshold = body.key_decision_threshold
    return amount is not None and threshold is not None and abs(amount) > threshold


def _clear_days(published: date, decision: date, body: Body, cal: WorkingCalendar) -> int:
    return cal.clear_days_before(published, decision,
                                 working=not body.deadlines.forward_plan_calendar_days)


def forward_plan_deadline(decision_date: date, body: Body, cal: WorkingCalendar) -> date:
    """The last day the forward-plan notice may be published for a decision on
    ``decision_date`` (28 clear days, calendar or working per the body's config)."""
    return cal.latest_day_for_clear_days(
        decision_date, body.deadlines.forward_plan_clear_days,
        working=not body.deadlines.forward_plan_calendar_days)


def check_key_decision(decision_date: date, body: Body, cal: WorkingCalendar, *,
                       forward_plan_published: date | None,
                       exception: Exception_ | None,
                       scrutiny_chair_notified: date | None = None,
                       scrutiny_chair_agreed: bool = False) -> None:
    """Refuse a key decision on ``decision_date`` unless the forward-plan notice gave 28 clear
    days, or a general exception or special urgency is properly recorded."""
    need = body.deadlines.forward_plan_clear_days
    kind = "calendar" if body.deadlines.forward_plan_calendar_days else "working"
    if forward_plan_published is not None:
        got = _clear_days(forward_plan_published, decision_date, body, cal)
        if got >= need and forward_plan_published < decision_date:
            return
        plan = (f"the forward-plan notice was published on {forward_plan_published:%d %b %Y}, "
                f"{got} clear {kind} days before the decision on {decision_date:%d %b %Y}")
    else:
        plan = "no forward-plan notice was published"
    latest = forward_plan_deadline(decision_date, body, cal)
    if exception is None:
        raise RuleRefused(
            "SI 2012/2089 reg 9 (key decision notice)",
            f"{plan}; a key decision needs notice {need} clear {kind} days before "
            f"(by {latest:%d %b %Y}), or a general exception (reg 10) or special urgency "
            "(reg 11) recorded",
        )
    if exception == "general_exception":
        if scrutiny_chair_notified is None:
            raise RuleRefused(
                "SI 2012/2089 reg 10 (general exception)",
                f"{plan}; the general exception needs the date the chair of the overview and "
                "scrutiny committee was told in writing, and notice made public")
        clear = cal.clear_days_before(scrutiny_chair_notified, decision_date, working=True)
        if clear < GENERAL_EXCEPTION_CLEAR_DAYS or scrutiny_chair_notified >= decision_date:
            earliest = cal.add_working_days(scrutiny_chair_notified,
                                            GENERAL_EXCEPTION_CLEAR_DAYS + 1)
            raise RuleRefused(
                "SI 2012/2089 reg 10 (general exception)",
                f"the scrutiny chair was told on {scrutiny_chair_notified:%d %b %Y}, {clear} "
                f"clear working days before the decision; {GENERAL_EXCEPTION_CLEAR_DAYS} are "
                f"needed, so the earliest date is {earliest:%d %b %Y} (or use special urgency, "
                "reg 11, with the scrutiny chair's agreement)")
        return
    if exception == "special_urgency":
        if not scrutiny_chair_agreed:
            raise RuleRefused(
                "SI 2012/2089 reg 11 (special urgency)",
                f"{plan}; special urgency needs the agreement of the chair of the overview and "
                "scrutiny committee (or, if none, the chair or vice-chair of the council) that "
                "the decision is urgent and cannot reasonably be deferred")
        return
    raise InvalidInput(f"exception: {exception!r} is not valid; expected general_exception or "
                       "special_urgency")


def call_in_expires(decision_date: date, body: Body, cal: WorkingCalendar) -> date:
    """The last day of the call-in window: ``deadlines.call_in_working_days`` working days after
    the decision is published (Local Government Act 2000 s9F; default 5). The decision may be
    implemented from the next working day."""
    return cal.add_working_days(decision_date, body.deadlines.call_in_working_days)


def implementable_from(decided_on: date, call_in_expires: date | None,
                       cal: WorkingCalendar) -> date:
    """The first day a decision may be implemented: the working day after its call-in window
    closes, or (not subject to call-in, or exempted for urgency) the day it was taken."""
    if call_in_expires is None:
        return decided_on
    return cal.next_working_day(call_in_expires + timedelta(days=1))


def implementation_wording(decided_on: date, call_in_expires: date | None,
                           cal: WorkingCalendar) -> str:
    """The sentence notices and listings print: from which date the decision may be
    implemented."""
    day = implementable_from(decided_on, call_in_expires, cal)
    return f"This decision may be implemented from {day:%A} {day.day} {day:%B %Y}."


@dataclass(frozen=True)
class DecisionRecordFields:
    """What SI 2012/2089 reg 12 requires the written statement of an executive decision to
    hold. ``interests_declared`` and ``dispensations`` are empty when there were none."""

    decision: str
    decision_date: date | None
    reasons: str
    alternatives_rejected: str
    interests_declared: tuple[str, ...] = field(default=())
    dispensations: tuple[str, ...] = field(default=())

    def missing_fields(self) -> list[str]:
        missing = [name for name in ("decision", "reasons", "alternatives_rejected")
                   if not str(getattr(self, name) or "").strip()]
        if self.decision_date is None:
            missing.insert(1, "decision_date")
        return missing

    def validate(self) -> None:
        missing = self.missing_fields()
        if missing:
            raise RuleRefused(
                "SI 2012/2089 reg 12 (record of executive decision)",
                f"the decision record is missing: {', '.join(missing)}; the record holds the "
                "decision, its date, the reasons, the alternatives considered and rejected, "
                "any interests declared and any dispensations (write 'none considered' if no "
                "alternatives were)")
