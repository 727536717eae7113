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


CALL_IN_RULE = "Local Government Act 2000 s9F (call-in)"
URGENCY_RULE = "Local Government Act 2000 s9F and the constitution (urgency: no call-in)"
CallInState = Literal["none", "open", "called_in", "upheld", "referred_back", "withdrawn",
                      "exempt"]
"""A decision's standing under call-in: ``none`` (not subject to call-in), ``open`` (the
window is running, or has closed without a call-in), ``called_in`` (pending), the three
resolutions, and ``exempt`` (urgency, with the scrutiny chair's consent)."""
RESOLUTIONS = ("upheld", "referred_back", "withdrawn")
SUBJECT_TO_CALL_IN = ("approved", "amended")
"""Outcomes with something to implement: only these executive decisions may be called in."""


def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def call_in_expires(published_on: date, body: Body, cal: WorkingCalendar) -> date:
    """The last day of the call-in window: ``deadlines.call_in_working_days`` working days
    after the decision notice is **published** (Local Government Act 2000 s9F; default 5), not
    after the meeting. The decision may be implemented from the next working day."""
    return cal.add_working_days(published_on, body.deadlines.call_in_working_days)


def subject_to_call_in(body: Body, outcome: str) -> bool:
    """Only an executive body's decision with something to implement may be called in."""
    return body.executive and outcome in SUBJECT_TO_CALL_IN


def check_call_in(body: Body, what: str, *, outcome: str, state: str,
                  published_on: date | None, expires: date | None, requested_on: date,
                  earlier: str | None = None) -> None:
    """Refuse a call-in of ``what`` (e.g. "decision CAB/2019/3") on ``requested_on`` unless it
    is an executive decision, its notice is published, the day falls within the window, and it
    has not been called in before (``earlier`` describes the earlier call-in)."""
    n = body.deadlines.call_in_working_days
    if not body.executive:
        raise RuleRefused(CALL_IN_RULE, (
            f"{what} was taken by {body.name}, which is not an executive body; only executive "
            f"decisions may be called in, and {body.name}'s terms of reference and notices say "
            "its decisions are not subject to call-in"))
    if earlier is not None:
        raise RuleRefused(CALL_IN_RULE, f"{what} has already been called in ({earlier}); a "
                          "decision is called in once")
    if state == "exempt":
        raise RuleRefused(CALL_IN_RULE, f"{what} was exempted from call-in for urgency with "
                          "the scrutiny chair's consent and may be implemented at once")
    if outcome not in SUBJECT_TO_CALL_IN or state == "none":
        raise RuleRefused(CALL_IN_RULE, f"{what} is not subject to call-in: its outcome is "
                          f"{outcome.replace('_', ' ')}, so there is nothing to implement")
    if published_on is None or expires is None:
        raise RuleRefused(CALL_IN_RULE, f"the decision notice of {what} is not yet published; "
                          f"the call-in window of {n} working days runs from its publication")
    window = (f"the window runs from the publication of the decision notice on "
              f"{_day(published_on)} for {n} working days, to {_day(expires)}")
    if requested_on < published_on:
        raise RuleRefused(CALL_IN_RULE, f"a call-in on {_day(requested_on)} is before the "
                          f"decision notice of {what} was published: {window}")
    if requested_on > expires:
        raise RuleRefused(CALL_IN_RULE, f"the call-in of {what} on {_day(requested_on)} is "
                          f"too late: {window}")


def check_urgency(body: Body, what: str, *, outcome: str, state: str, consent_by: str,
                  reason: str) -> None:
    """Refuse an urgency exemption from call-in unless ``what`` is an executive decision with
    something to implement, not already called in, and the scrutiny chair consented."""
    if not body.executive:
        raise RuleRefused(URGENCY_RULE, f"{what} was taken by {body.name}, which is not an "
                          "executive body; its decisions are not subject to call-in, so there "
                          "is nothing to exempt")
    if outcome not in SUBJECT_TO_CALL_IN:
        raise RuleRefused(URGENCY_RULE, f"{what} is {outcome.replace('_', ' ')}: there is "
                          "nothing to implement, so nothing to exempt from call-in")
    if state not in ("open",):
        now = {"exempt": "is already exempt for urgency", "called_in": "has been called in",
               "upheld": "was called in and upheld", "withdrawn": "was called in (withdrawn)",
               "referred_back": "was called in and referred back"}.get(state, state)
        raise RuleRefused(URGENCY_RULE, f"{what} {now}; urgency must be agreed before any "
                          "call-in")
    if not consent_by.strip():
        raise InvalidInput("consent_by: missing; urgency needs the consent of the chair of the "
                           "overview and scrutiny committee (name them)")
    if not reason.strip():
        raise InvalidInput("reason: missing; say why the decision cannot wait for the call-in "
                           "period (it is published in the notice)")


def implementable_from(decided_on: date, call_in_expires: date | None,
                       cal: WorkingCalendar, *, state: str = "open",
                       resolved_on: date | None = None) -> date | None:
    """The first day a decision may be implemented: the working day after its call-in window
    closes; the day it was taken when it is not subject to call-in or exempted for urgency;
    the day a call-in was upheld; for a withdrawn call-in, the later of that day and the end
    of the window. None while a call-in is pending or after it was referred back."""
    if state in ("called_in", "referred_back"):
        return None
    if state == "upheld" and resolved_on is not None:
        return resolved_on
    if call_in_expires is None:
        return decided_on
    after = cal.next_working_day(call_in_expires + timedelta(days=1))
    if state == "withdrawn" and resolved_on is not None:
        return max(after, resolved_on)
    return after


def implementation_wording(decided_on: date, call_in_expires: date | None,
                           cal: WorkingCalendar, *, state: str = "open",
                           resolved_on: date | None = None) -> str:
    """The sentence notices and listings print: from which date the decision may be
    implemented, or that it may not be before the call-in is resolved."""
    if state == "called_in":
        return ("This decision has been called in: it may not be implemented before the "
                "call-in is resolved.")
    if state == "referred_back":
        on = f" on {_day(resolved_on)}" if resolved_on else ""
        return (f"This decision was referred back to the decision-maker for reconsideration"
                f"{on}: it may not be implemented unless confirmed.")
    day = implementable_from(decided_on, call_in_expires, cal, state=state,
                             resolved_on=resolved_on)
    assert day is not None
    if state == "exempt":
        return (f"This decision is exempt from call-in for urgency and may be implemented at "
                f"once, from {_day(day)}.")
    return f"This decision may be implemented from {_day(day)}."


def implementation_short(decided_on: date, call_in_expires: date | None,
                         cal: WorkingCalendar, *, state: str = "open",
                         resolved_on: date | None = None) -> str:
    """The same for a table cell: "from Wed 29 May 2019", "not before the call-in is
    resolved"."""
    if state == "called_in":
        return "not before the call-in is resolved"
    if state == "referred_back":
        return "no: referred back for reconsideration"
    day = implementable_from(decided_on, call_in_expires, cal, state=state,
                             resolved_on=resolved_on)
    assert day is not None
    return f"from {day:%a} {day.day} {day:%b %Y}" + (" (urgent)" if state == "exempt" else "")


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
