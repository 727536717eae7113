"""What notices, listings and pages say about a decision's call-in and implementation: the
day its notice was published, the end of the call-in window (counted from that publication),
any call-in and its resolution, an urgency exemption, and the date from which the decision may
be implemented (decisions/key_decisions.py words it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from decisions.calendar import calendar_for
from decisions.key_decisions import (
    call_in_expires,
    implementable_from,
    implementation_short,
    implementation_wording,
)
from decisions.terms import LocalityConfig
from workflows.committee.records import CallInRow, UrgencyConsentRow
from workflows.committee.tables import DecisionRow

NOT_IMPLEMENTED = ("referred", "deferred", "withdrawn", "not_approved", "no_decision")
"""Outcomes with nothing to implement: no implementation date is given."""


@dataclass(frozen=True)
class CallInFacts:
    published_on: date
    """The day the notice was (or, being issued now, is) first published."""
    expires: date | None
    """The last day of the call-in window; None when not subject to call-in."""
    state: str
    urgency: str = ""
    """Why call-in does not apply: the urgency exemption, with who consented and why."""
    note: str = ""
    """The call-in and its resolution, in words."""
    implementation: str = ""
    """The sentence: "This decision may be implemented from ..." (blank: nothing to do)."""
    short: str = ""
    """The same for a table cell ("from Wed 29 May 2019", "not before the call-in is
    resolved"); blank when there is nothing to implement."""
    implementable_from: date | None = None
    call_in_id: int | None = None


def _name(cfg: LocalityConfig, who: str) -> str:
    ids = {m.id: m.display for m in cfg.member}
    return ids.get(who, who)


def call_in_facts(session: Session, cfg: LocalityConfig, d: DecisionRow,
                  today: date) -> CallInFacts:
    """The call-in facts of ``d``; a notice not yet published counts as published ``today``
    (the notice being issued is its publication)."""
    cal = calendar_for(cfg.locality.extra_closure_days)
    body = cfg.body_by_id(d.body_id or "")
    published = d.notice_published_on or today
    expires = d.call_in_expires
    if expires is None and d.call_in_state == "open":
        expires = call_in_expires(published, body, cal)
    decided = d.decision_date or d.decided_at.astimezone(cfg.zone).date()
    urgency = ""
    if d.call_in_state == "exempt":
        consent = session.exec(select(UrgencyConsentRow).where(
            UrgencyConsentRow.item_id == d.item_id, UrgencyConsentRow.kind == "call_in_exempt")
            .order_by(col(UrgencyConsentRow.id).desc())).first()
        urgency = "exempted from call-in for urgency with the scrutiny chair's consent."
        if consent is not None:
            urgency = (f"exempted from call-in for urgency with the consent of "
                       f"{_name(cfg, consent.consented_by)}, chair of the overview and scrutiny "
                       f"committee, on {consent.given_on:%-d %B %Y}: "
                       f"{consent.reason.rstrip('.')}.")
    c = session.exec(select(CallInRow).where(CallInRow.decision_id == d.id)
                     .order_by(col(CallInRow.id))).first()
    note, resolved = "", None
    if c is not None:
        note = (f"Called in on {c.requested_on:%-d %B %Y} by {_name(cfg, c.requested_by)} to "
                f"the {c.scrutiny_body or 'overview and scrutiny committee'}: "
                f"{c.reason.rstrip('.')}.")
        if c.outcome != "pending" and c.resolved_on is not None:
            resolved = c.resolved_on
            words = {"upheld": "the call-in was upheld and the decision stands",
                     "referred_back": "the decision was referred back to the "
                                      f"{body.name} for reconsideration",
                     "withdrawn": "the call-in was withdrawn"}[c.outcome]
            why = f" ({c.resolution_reason.rstrip('.')})" if c.resolution_reason else ""
            note += f" On {c.resolved_on:%-d %B %Y} {words}{why}."
        else:
            note += " The call-in is not yet resolved."
    if d.outcome in NOT_IMPLEMENTED:
        return CallInFacts(published, expires, d.call_in_state, urgency, note,
                           call_in_id=c.id if c else None)
    window = None if d.call_in_state == "exempt" else expires
    state = d.call_in_state
    return CallInFacts(
        published, expires, state, urgency, note,
        implementation_wording(decided, window, cal, state=state, resolved_on=resolved),
        implementation_short(decided, window, cal, state=state, resolved_on=resolved),
        implementable_from(decided, window, cal, state=state, resolved_on=resolved),
        c.id if c else None)
