"""Call-in of executive decisions (Local Government Act 2000 s9F): the window opened by the
publication of the decision notice, the call-in itself, its resolution, and the urgency
exemption. The rules (who may call in, when, what may be implemented) are plain functions in
decisions/key_decisions.py; these write them down and raise the events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from sqlmodel import col, select

from decisions.errors import InvalidInput, NotFound, RuleRefused
from decisions.key_decisions import (
    CALL_IN_RULE,
    RESOLUTIONS,
    call_in_expires,
    check_call_in,
    check_urgency,
)
from workflows.committee import common, items
from workflows.committee.events import DecisionCalledIn
from workflows.committee.records import CallInRow, UrgencyConsentRow
from workflows.committee.tables import AgendaItemRow, DecisionRow
from workflows.events import DomainEvent, UnitOfWork


@dataclass(frozen=True)
class DecisionNoticePublished(DomainEvent):
    """The decision notice was first published: the call-in window (if any) runs from today."""

    name: ClassVar[str] = "decision.notice_published"
    subject_type: ClassVar[str] = "decision"
    subject_field: ClassVar[str] = "decision_id"
    decision_id: int
    body_id: str
    meeting_id: int | None
    published_on: str
    call_in_expires: str | None = None


@dataclass(frozen=True)
class CallInResolved(DomainEvent):
    """A call-in resolved: upheld (the decision stands), referred back, or withdrawn."""

    name: ClassVar[str] = "decision.call_in_resolved"
    subject_type: ClassVar[str] = "decision"
    subject_field: ClassVar[str] = "decision_id"
    decision_id: int
    call_in_id: int
    outcome: str
    resolved_on: str
    reconsideration_item_id: int | None = None


@dataclass(frozen=True)
class DecisionMadeUrgent(DomainEvent):
    """An executive decision exempted from call-in for urgency (the scrutiny chair's consent)."""

    name: ClassVar[str] = "decision.urgent"
    subject_type: ClassVar[str] = "decision"
    subject_field: ClassVar[str] = "decision_id"
    decision_id: int
    consent_by: str
    reason: str


def describe(uow: UnitOfWork, d: DecisionRow) -> str:
    """A decision as refusals name it: "decision 7 of the Council Cabinet on 20 May 2019
    ('Carers' breaks grant')"."""
    item = common.item(uow.session, d.item_id)
    body = uow.config.body_by_id(d.body_id or "")
    on = f" on {d.decision_date:%-d %B %Y}" if d.decision_date else ""
    return f"decision {d.id} of the {body.name}{on} ('{item.title}')"


def requester(uow: UnitOfWork, who: str) -> str:
    """A member id as its name, or the name as given."""
    ids = {m.id: m for m in uow.config.member}
    return ids[who].display if who in ids else who


def notice_published(uow: UnitOfWork, decision_id: int, on: date) -> DecisionRow | None:
    """Record the first publication of a decision's notice; an executive decision's call-in
    window runs from it. Later issues of the notice change nothing."""
    d = uow.session.get(DecisionRow, decision_id)
    if d is None or d.notice_published_on is not None:
        return None
    d.notice_published_on = on
    body = uow.config.body_by_id(d.body_id or "")
    if d.call_in_state == "open" and d.call_in_expires is None:
        d.call_in_expires = call_in_expires(on, body, common.calendar(uow.config))
    uow.session.add(d)
    uow.session.flush()
    uow.emit(DecisionNoticePublished(
        decision_id=decision_id, body_id=body.id, meeting_id=d.meeting_id,
        published_on=on.isoformat(),
        call_in_expires=d.call_in_expires.isoformat() if d.call_in_expires else None))
    return d


def earlier_call_in(uow: UnitOfWork, decision_id: int) -> CallInRow | None:
    return uow.session.exec(select(CallInRow).where(CallInRow.decision_id == decision_id)
                            .order_by(col(CallInRow.id))).first()


def _earlier_words(uow: UnitOfWork, c: CallInRow) -> str:
    words = f"call-in {c.id} by {requester(uow, c.requested_by)} on {c.requested_on:%-d %B %Y}"
    if c.outcome != "pending" and c.resolved_on is not None:
        words += f", {c.outcome.replace('_', ' ')} on {c.resolved_on:%-d %B %Y}"
    else:
        words += ", not yet resolved"
    return words


def call_in(uow: UnitOfWork, decision_id: int, *, requested_by: str, reason: str,
            scrutiny_body: str | None = None, requested_on: date | None = None) -> CallInRow:
    """Call in an executive decision within its window; it may not be implemented until the
    call-in is resolved."""
    d = common.decision(uow.session, decision_id)
    on = requested_on or common.local_day(uow.config, uow.now)
    body = uow.config.body_by_id(d.body_id or "")
    earlier = earlier_call_in(uow, decision_id)
    check_call_in(body, describe(uow, d), outcome=d.outcome, state=d.call_in_state,
                  published_on=d.notice_published_on, expires=d.call_in_expires,
                  requested_on=on,
                  earlier=_earlier_words(uow, earlier) if earlier is not None else None)
    if not reason.strip():
        raise InvalidInput("reason: missing; a call-in states its reasons")
    scrutiny = (scrutiny_body or "").strip() or body.scrutiny_committee
    if not scrutiny:
        raise InvalidInput(f"scrutiny: missing; name the overview and scrutiny committee that "
                           f"hears the call-in (or set scrutiny_committee for [[body]] "
                           f"{body.id} in the config)")
    row = CallInRow(decision_id=decision_id, requested_by=requested_by.strip(), reason=reason,
                    requested_on=on, scrutiny_body=scrutiny)
    d.call_in_state = "called_in"
    uow.session.add_all([row, d])
    uow.session.flush()
    uow.emit(DecisionCalledIn(decision_id=decision_id, item_id=d.item_id,
                              requested_by=row.requested_by, requested_on=on.isoformat()))
    return row


def call_in_row(uow: UnitOfWork, call_in_id: int) -> CallInRow:
    row = uow.session.get(CallInRow, call_in_id)
    if row is None:
        ids = [c.id for c in uow.session.exec(select(CallInRow)).all()]
        known = (f"call-ins recorded: {', '.join(str(i) for i in ids)}" if ids
                 else "no call-in is recorded")
        raise NotFound(f"call-in {call_in_id} does not exist ({known}); 's75 decision "
                       "call-ins' lists them")
    return row


def resolve(uow: UnitOfWork, call_in_id: int, *, outcome: str, reason: str = "",
            resolved_on: date | None = None) -> CallInRow:
    """Resolve a call-in: ``upheld`` (the decision stands and may be implemented),
    ``referred_back`` (to the decision-maker for reconsideration, placed on its next meeting
    when one is scheduled) or ``withdrawn``."""
    if outcome not in RESOLUTIONS:
        raise InvalidInput(f"outcome: {outcome!r} is not valid; expected upheld, referred-back "
                           "or withdrawn")
    row = call_in_row(uow, call_in_id)
    d = common.decision(uow.session, row.decision_id)
    on = resolved_on or common.local_day(uow.config, uow.now)
    if row.outcome != "pending":
        raise RuleRefused(CALL_IN_RULE, f"call-in {call_in_id} of {describe(uow, d)} was "
                          f"already resolved ({_earlier_words(uow, row)}); a call-in is "
                          "resolved once")
    if on < row.requested_on:
        raise RuleRefused(CALL_IN_RULE, f"call-in {call_in_id} was made on "
                          f"{row.requested_on:%-d %B %Y}; it cannot be resolved before then "
                          f"({on:%-d %B %Y} given)")
    if outcome == "referred_back":
        new = _place_reconsideration(uow, d, row, on)
        row.reconsideration_item_id = new.id if new is not None else None
    row.outcome, row.resolved_on = outcome, on
    row.resolution_reason = reason.strip() or None
    d.call_in_state = outcome
    uow.session.add_all([row, d])
    uow.session.flush()
    assert row.id is not None
    uow.emit(CallInResolved(decision_id=d.id or 0, call_in_id=row.id, outcome=outcome,
                            resolved_on=on.isoformat(),
                            reconsideration_item_id=row.reconsideration_item_id))
    return row


def _place_reconsideration(uow: UnitOfWork, d: DecisionRow, c: CallInRow,
                           on: date) -> AgendaItemRow | None:
    """Referred back: the report goes onto the decision-maker's next scheduled meeting as a
    submitted item (None when no meeting is scheduled yet)."""
    item = common.item(uow.session, d.item_id)
    later = common.meetings_after(uow.session, d.body_id or "", uow.now)
    if not later:
        return None
    cover = dict(item.cover or {})
    cover["previously_discussed"] = "; ".join(x for x in (
        cover.get("previously_discussed", ""),
        f"decided {d.decision_date:%d %B %Y}; called in by {requester(uow, c.requested_by)} "
        f"and referred back by the {c.scrutiny_body} on {on:%d %B %Y}") if x)
    new = items.copy_to(uow, item, later[0], state="draft",
                        title=f"Reconsideration after call-in: {item.title}",
                        action="for_decision", cover=cover,
                        body_text=f"Referred back after call-in: {c.reason}\n\n"
                                  f"{item.body_text}".strip())
    new.carried_from_item_id = item.id
    new.submitted_by = "call-in referred back"
    items.move(uow, new, "submitted", {"submitted_on": on.isoformat()},
               referral=True, from_item_id=item.id)
    return new


def add_urgency_consent(uow: UnitOfWork, item_id: int, consent_by: str, reason: str,
                        on: date) -> UrgencyConsentRow:
    row = UrgencyConsentRow(item_id=item_id, kind="call_in_exempt", consented_by=consent_by,
                            reason=reason, given_on=on, recorded_at=uow.now)
    uow.session.add(row)
    uow.session.flush()
    return row


def make_urgent(uow: UnitOfWork, decision_id: int, *, consent_by: str, reason: str,
                on: date | None = None) -> DecisionRow:
    """Exempt a recorded executive decision from call-in for urgency, with the scrutiny
    chair's consent: it may be implemented at once."""
    d = common.decision(uow.session, decision_id)
    body = uow.config.body_by_id(d.body_id or "")
    check_urgency(body, describe(uow, d), outcome=d.outcome, state=d.call_in_state,
                  consent_by=consent_by, reason=reason)
    add_urgency_consent(uow, d.item_id, consent_by.strip(), reason.strip(),
                        on or common.local_day(uow.config, uow.now))
    d.call_in_state, d.call_in_expires = "exempt", None
    uow.session.add(d)
    uow.session.flush()
    uow.emit(DecisionMadeUrgent(decision_id=decision_id, consent_by=consent_by.strip(),
                                reason=reason.strip()))
    return d


def urgency_consent(uow: UnitOfWork, item_id: int) -> UrgencyConsentRow | None:
    return uow.session.exec(select(UrgencyConsentRow).where(
        UrgencyConsentRow.item_id == item_id, UrgencyConsentRow.kind == "call_in_exempt")
        .order_by(col(UrgencyConsentRow.id).desc())).first()
