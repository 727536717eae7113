"""Referrals that come back. A decision one body could not take (no consensus, or above its
delegated limit) is referred to another body (workflows/committee/decide.py). This module
follows it the rest of the way:

- placement: on the receiving body's next meeting whose item deadline had not passed when the
  referral was made; when that body has none, automatically on the first one scheduled later
  (``s75 meeting schedule`` / ``meeting add`` call :func:`place_waiting`), or by the secretary
  on a meeting of their choice (``s75 referral place``, :func:`place`);
- report back: when the receiving body decides, an item "Report back: decision of <body> on
  <item>" goes on the referring body's next agenda (or on its first meeting scheduled later);
- the listing: ``s75 referral list`` (open, placed, decided).

A referral still unplaced ``body.deadlines.referral_placement_working_days`` after it was made
escalates like any missed deadline (notifications/planner_referrals.py).

Emits ``referral.placed`` (a referral placed after it was made) and ``referral.reported``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from sqlmodel import Session, col, select

from decisions.access import regime_of
from decisions.agenda_rules import end_of_day_utc
from decisions.errors import InvalidInput, NotFound, RuleRefused
from decisions.referral import MeetingSlot, next_open_meeting
from workflows.committee import common, items
from workflows.committee.records import ReferralRow
from workflows.committee.tables import AgendaItemRow, DecisionRow, MeetingRow
from workflows.events import DomainEvent, UnitOfWork

RULE = "referral (terms of reference)"
STATES = ("open", "placed", "decided")
OUTCOME_WORDS = {"approved": "approved", "amended": "approved as amended",
                 "not_approved": "not approved", "noted": "noted",
                 "referred": "referred on", "withdrawn": "withdrawn"}


@dataclass(frozen=True)
class ReferralPlaced(DomainEvent):
    """A referral that had no meeting is placed on one of the receiving body's meetings."""

    name: ClassVar[str] = "referral.placed"
    subject_type: ClassVar[str] = "referral"
    subject_field: ClassVar[str] = "referral_id"
    referral_id: int
    to_body_id: str
    to_meeting_id: int
    to_item_id: int
    how: str
    """"automatically" (a meeting was scheduled) or "by command" (``s75 referral place``)."""


@dataclass(frozen=True)
class ReferralReported(DomainEvent):
    """The receiving body decided; the decision is reported back to the referring body."""

    name: ClassVar[str] = "referral.reported"
    subject_type: ClassVar[str] = "referral"
    subject_field: ClassVar[str] = "referral_id"
    referral_id: int
    from_body_id: str
    to_body_id: str
    decision_id: int
    outcome: str
    report_item_id: int | None
    report_meeting_id: int | None


# Reads --------------------------------------------------------------------------------------
def slots(uow: UnitOfWork, body_id: str) -> list[MeetingSlot]:
    """The body's scheduled meetings, each with the instant after which items are too late."""
    tz = uow.config.locality.timezone
    rows = uow.session.exec(select(MeetingRow).where(MeetingRow.body_id == body_id,
                                                     MeetingRow.status == "scheduled")).all()
    return [MeetingSlot(m.id, m.body_id, m.starts_at,
                        end_of_day_utc(m.item_deadline, tz) if m.item_deadline else m.starts_at)
            for m in rows if m.id is not None]


def get(session: Session, referral_id: int) -> ReferralRow:
    row = session.get(ReferralRow, referral_id)
    if row is None:
        raise NotFound(f"referral {referral_id} does not exist; 's75 referral list' shows the "
                       "referrals")
    return row


def referring_meeting(session: Session, r: ReferralRow) -> MeetingRow:
    return common.meeting(session, common.item(session, r.from_item_id).meeting_id)


def current_item(session: Session, item_id: int | None) -> AgendaItemRow | None:
    """The item as it stands now: a deferred item is followed to the meeting it went to."""
    seen: set[int] = set()
    item = session.get(AgendaItemRow, item_id) if item_id is not None else None
    while item is not None and item.deferred_to_item_id and item.id not in seen:
        seen.add(item.id or 0)
        item = session.get(AgendaItemRow, item.deferred_to_item_id)
    return item


def decision_of(session: Session, r: ReferralRow) -> DecisionRow | None:
    item = current_item(session, r.to_item_id)
    if item is None or item.state != "decided":
        return None
    return session.exec(select(DecisionRow).where(DecisionRow.item_id == item.id)).first()


def state_of(session: Session, r: ReferralRow) -> str:
    if r.to_item_id is None:
        return "open"
    return "decided" if decision_of(session, r) is not None else "placed"


def _when(uow: UnitOfWork, m: MeetingRow) -> str:
    day = m.local_date or common.local_day(uow.config, m.starts_at)
    return f"{uow.config.body_by_id(m.body_id).name}, {day:%d %b %Y}"


def describe(uow: UnitOfWork, r: ReferralRow) -> dict[str, Any]:
    """One referral as a person reads it (names), with its ids for --json."""
    cfg, s = uow.config, uow.session
    from_item = common.item(s, r.from_item_id)
    state = state_of(s, r)
    to_item = current_item(s, r.to_item_id)
    placed = "not yet placed"
    if to_item is not None:
        placed = _when(uow, common.meeting(s, to_item.meeting_id))
    d = decision_of(s, r)
    outcome = OUTCOME_WORDS.get(d.outcome, d.outcome) if d else "—"
    report = "—"
    if d is not None:
        if r.report_item_id is not None:
            rep = common.item(s, r.report_item_id)
            report = _when(uow, common.meeting(s, rep.meeting_id))
        else:
            report = f"awaits a meeting of the {cfg.body_by_id(r.from_body_id).name}"
    return {"id": r.id, "state": state, "from_body": cfg.body_by_id(r.from_body_id).name,
            "item": from_item.title, "to_body": cfg.body_by_id(r.to_body_id).name,
            "placed_at": placed, "outcome": outcome, "reported_back": report,
            "rule": r.rule.replace("_", " "),
            "referred_on": (referring_meeting(s, r).local_date or
                            common.local_day(cfg, referring_meeting(s, r).starts_at)),
            "from_body_id": r.from_body_id, "to_body_id": r.to_body_id,
            "from_item_id": r.from_item_id, "to_meeting_id": to_item.meeting_id if to_item
            else None, "to_item_id": to_item.id if to_item else None,
            "decision_id": d.id if d else None, "report_item_id": r.report_item_id}


def listing(uow: UnitOfWork, state: str | None = None) -> list[dict[str, Any]]:
    if state is not None and state not in STATES:
        raise InvalidInput(f"--state: {state!r} is not valid; expected one of "
                           f"{', '.join(STATES)}")
    rows = uow.session.exec(select(ReferralRow).order_by(col(ReferralRow.id))).all()
    out = [describe(uow, r) for r in rows]
    return [x for x in out if state is None or x["state"] == state]


# Placement ----------------------------------------------------------------------------------
def copy_referred(uow: UnitOfWork, item: AgendaItemRow, target: MeetingRow, *, rule: str,
                  reason: str, urgency_reason: str | None = None,
                  chair_consent_by: str | None = None) -> AgendaItemRow:
    """The referred item on the receiving body's meeting, submitted on the day it was
    referred (after that meeting's item deadline: as a late item, with the chair's consent
    and the special circumstances)."""
    cfg = uow.config
    m = common.meeting(uow.session, item.meeting_id)
    body = cfg.body_by_id(m.body_id)
    day = m.local_date or common.local_day(cfg, m.starts_at)
    cover = dict(item.cover or {})
    cover["previously_discussed"] = "; ".join(x for x in (
        cover.get("previously_discussed", ""),
        f"{body.name}, {day:%d %B %Y}: referred ({rule.replace('_', ' ')})") if x)
    new = items.copy_to(
        uow, item, target, state="draft", title=f"Referral from {body.name}: {item.title}",
        action="for_decision", cover=cover, body_text=f"{reason}\n\n{item.body_text}".strip())
    new.carried_from_item_id = item.id
    if urgency_reason or chair_consent_by:
        assert new.id is not None
        return items.submit(uow, new.id, submitted_by=f"referral from {body.id}",
                            submitted_on=day, urgency_reason=urgency_reason,
                            chair_consent_by=chair_consent_by)
    new.submitted_by = f"referral from {body.id}"
    items.move(uow, new, "submitted", {"submitted_on": day.isoformat()},
               referral=True, from_item_id=item.id)
    return new


def _place(uow: UnitOfWork, r: ReferralRow, target: MeetingRow, how: str,
           urgency_reason: str | None = None, chair_consent_by: str | None = None
           ) -> AgendaItemRow:
    new = copy_referred(uow, common.item(uow.session, r.from_item_id), target, rule=r.rule,
                        reason=r.reason, urgency_reason=urgency_reason,
                        chair_consent_by=chair_consent_by)
    r.to_meeting_id, r.to_item_id = target.id, new.id
    uow.session.add(r)
    uow.session.flush()
    assert r.id is not None and target.id is not None and new.id is not None
    uow.emit(ReferralPlaced(referral_id=r.id, to_body_id=r.to_body_id, to_meeting_id=target.id,
                            to_item_id=new.id, how=how))
    return new


def _open_for(slot_list: Sequence[MeetingSlot], m: MeetingRow, after: datetime) -> bool:
    """Whether ``m`` is the body's next meeting open to items made at ``after``."""
    nxt = next_open_meeting(slot_list, m.body_id, after)
    return nxt is not None and nxt.meeting_id == m.id


def place_waiting(uow: UnitOfWork, m: MeetingRow) -> None:
    """A meeting of the body was scheduled: place on it every referral to the body still
    waiting for a meeting, and every report back to the body still waiting, when it is the
    body's next meeting open to them."""
    s = uow.session
    body_slots = slots(uow, m.body_id)
    for r in s.exec(select(ReferralRow).where(ReferralRow.to_body_id == m.body_id,
                                              col(ReferralRow.to_item_id).is_(None))).all():
        if _open_for(body_slots, m, referring_meeting(s, r).starts_at):
            _place(uow, r, m, "automatically")
    for r in s.exec(select(ReferralRow).where(ReferralRow.from_body_id == m.body_id,
                                              col(ReferralRow.report_item_id).is_(None),
                                              col(ReferralRow.to_item_id).is_not(None))).all():
        d = decision_of(s, r)
        if d is not None and _open_for(body_slots, m,
                                       common.meeting(s, d.meeting_id or 0).starts_at):
            _report(uow, r, d, m)


def check_place(uow: UnitOfWork, r: ReferralRow, m: MeetingRow, *, urgent: bool = False) -> None:
    """The rules for ``s75 referral place``: an unplaced referral, a scheduled meeting of the
    receiving body after the meeting that referred it, whose item deadline had not passed
    when the referral was made (or, ``urgent``, as a late item with the chair's consent)."""
    cfg, s = uow.config, uow.session
    to_body = cfg.body_by_id(r.to_body_id)
    if r.to_item_id is not None:
        placed = common.meeting(s, r.to_meeting_id or 0)
        raise RuleRefused(RULE, f"referral {r.id} is already placed on "
                                f"{common.describe_meeting(cfg, placed)}")
    ref_m = referring_meeting(s, r)
    later = [x for x in common.meetings_after(s, to_body.id, ref_m.starts_at)]
    valid = ", ".join(common.describe_meeting(cfg, x) for x in later) or \
        f"none is scheduled yet: schedule one ('s75 meeting add {to_body.id} DATE')"
    if m.body_id != to_body.id:
        raise RuleRefused(RULE, f"--meeting: {common.describe_meeting(cfg, m)} is a meeting of "
                                f"the {cfg.body_by_id(m.body_id).name}; referral {r.id} goes to "
                                f"the {to_body.name}; its scheduled meetings: {valid}")
    if m.status != "scheduled" or m.starts_at <= ref_m.starts_at:
        why = m.status if m.status != "scheduled" else \
            f"before the referring meeting ({_when(uow, ref_m)})"
        raise RuleRefused(RULE, f"--meeting: {common.describe_meeting(cfg, m)} is {why}; a "
                                f"referral goes to a later scheduled meeting: {valid}")
    slot = next((x for x in slots(uow, m.body_id) if x.meeting_id == m.id), None)
    if not urgent and slot is not None and slot.item_deadline <= ref_m.starts_at:
        ref_day = ref_m.local_date or common.local_day(cfg, ref_m.starts_at)
        deadline = m.item_deadline.isoformat() if m.item_deadline else "its start"
        raise RuleRefused(
            f"late items ({regime_of(to_body).urgency_rule})",
            f"--meeting: the item deadline of {common.describe_meeting(cfg, m)} ({deadline}) "
            f"had passed when the referral was made ({ref_day.isoformat()}); place it there as "
            "a late item (--urgency-reason and --chair-consent), or on a later meeting "
            "(it is placed automatically on the first one scheduled)")


def place(uow: UnitOfWork, referral_id: int, meeting_id: int, *,
          urgency_reason: str | None = None, chair_consent_by: str | None = None
          ) -> AgendaItemRow:
    r = get(uow.session, referral_id)
    m = common.meeting(uow.session, meeting_id)
    check_place(uow, r, m, urgent=bool(urgency_reason or chair_consent_by))
    return _place(uow, r, m, "by command", urgency_reason, chair_consent_by)


# Report back ---------------------------------------------------------------------------------
def referral_for(session: Session, item: AgendaItemRow) -> ReferralRow | None:
    """The referral whose receiving item this is (directly, or through deferrals)."""
    seen: set[int] = set()
    cur: AgendaItemRow | None = item
    while cur is not None and cur.id is not None and cur.id not in seen:
        seen.add(cur.id)
        r = session.exec(select(ReferralRow).where(ReferralRow.to_item_id == cur.id)).first()
        if r is not None:
            return r
        prev = session.get(AgendaItemRow, cur.carried_from_item_id) \
            if cur.carried_from_item_id else None
        cur = prev if prev is not None and prev.deferred_to_item_id == cur.id else None
    return None


def report_back(uow: UnitOfWork, item: AgendaItemRow, d: DecisionRow) -> None:
    """The receiving body decided ``item``: report the decision to the referring body's next
    meeting open to it (or, when none is scheduled, the first one scheduled later)."""
    r = referral_for(uow.session, item)
    if r is None or r.report_item_id is not None:
        return
    decided_at = common.meeting(uow.session, d.meeting_id or 0).starts_at
    slot = next_open_meeting(slots(uow, r.from_body_id), r.from_body_id, decided_at)
    target = common.meeting(uow.session, slot.meeting_id) if slot else None
    _report(uow, r, d, target)


def _report(uow: UnitOfWork, r: ReferralRow, d: DecisionRow, target: MeetingRow | None) -> None:
    cfg, s = uow.config, uow.session
    from_item = common.item(s, r.from_item_id)
    to_body, from_body = cfg.body_by_id(r.to_body_id), cfg.body_by_id(r.from_body_id)
    dm = common.meeting(s, d.meeting_id or 0)
    day: date = d.decision_date or dm.local_date or common.local_day(cfg, dm.starts_at)
    ref_m = referring_meeting(s, r)
    ref_day = ref_m.local_date or common.local_day(cfg, ref_m.starts_at)
    words = OUTCOME_WORDS.get(d.outcome, d.outcome)
    new: AgendaItemRow | None = None
    if target is not None:
        cover = dict(from_item.cover or {})
        cover["decisions_required"] = f"To note the decision of the {to_body.name}."
        cover["previously_discussed"] = "; ".join(x for x in (
            cover.get("previously_discussed", ""),
            f"{from_body.name}, {ref_day:%d %B %Y}: referred to the {to_body.name}",
            f"{to_body.name}, {day:%d %B %Y}: {words}") if x)
        text = (f"On {day:%d %B %Y} the {to_body.name} decided the matter the {from_body.name} "
                f"referred to it on {ref_day:%d %B %Y}: {words}.")
        if d.text.strip():
            text += f"\n\nThe decision: {d.text.strip()}"
        new = items.copy_to(uow, from_item, target, state="draft",
                            title=f"Report back: decision of {to_body.name} on "
                                  f"{from_item.title}",
                            action="to_note", action_text="", cover=cover, body_text=text,
                            amount=None)
        new.submitted_by = f"report back from {to_body.id}"
        items.move(uow, new, "submitted", {"submitted_on": day.isoformat()},
                   referral=True, from_item_id=from_item.id)
        r.report_item_id = new.id
        s.add(r)
        s.flush()
    assert r.id is not None and d.id is not None
    uow.emit(ReferralReported(referral_id=r.id, from_body_id=r.from_body_id,
                              to_body_id=r.to_body_id, decision_id=d.id, outcome=d.outcome,
                              report_item_id=new.id if new else None,
                              report_meeting_id=target.id if target else None))
