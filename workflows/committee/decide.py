"""Taking an item at the meeting: quorum per item (an inquorate item is deferred to the body's
next meeting), the chair for the item, key-decision checks for executive bodies, the decision
rule, referral when consensus fails or the money is above the delegated limit, and the
decision record (SI 2012/2089 reg 12 for executive bodies, with the call-in window).

Emits ``item.considered`` and ``item.decided`` (or ``item.deferred``), ``decision.recorded``
(decision_id, item_id, meeting_id, body_id, outcome, decision_date, call_in_expires) and one
``referral.created`` per referral; deciding a referred item reports the decision back to the
referring body (``referral.reported``, workflows/committee/referrals.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import select

from decisions.chairs import chair_for_item
from decisions.delegation import delegation_message, delegation_route, within_delegation
from decisions.errors import InvalidInput, RuleRefused
from decisions.interests import excluded_from_item
from decisions.key_decisions import (
    DecisionRecordFields,
    check_key_decision,
    is_key_decision,
    subject_to_call_in,
)
from decisions.quorum import QuorumResult, quorum_for_item
from decisions.referral import next_open_meeting, referral_bodies, referral_reason
from decisions.terms import Body
from decisions.voting import Outcome, VotePosition, decide
from workflows.committee import attendance, common, interests, items, key_decisions
from workflows.committee import referrals as referral_flow
from workflows.committee.events import DecisionRecorded, ReferralCreated
from workflows.committee.meetings import refresh_chair
from workflows.committee.records import DeclarationRow, ReferralRow, UrgencyConsentRow, VoteRow
from workflows.committee.tables import AgendaItemRow, DecisionRow, MeetingRow
from workflows.events import UnitOfWork

OUTCOMES = ("approved", "amended", "noted")


@dataclass
class DecideResult:
    item: AgendaItemRow
    quorum: QuorumResult
    decision: DecisionRow | None = None
    deferred_to: AgendaItemRow | None = None
    referrals: list[ReferralRow] = field(default_factory=list)
    refusal: RuleRefused | None = None
    """Set when the item could not be decided (inquorate): the deferral is recorded and the
    caller reports the refusal after the transaction commits."""


def refer(uow: UnitOfWork, item: AgendaItemRow, body: Body, targets: list[str], *, rule: str,
          reason: str, at: datetime) -> list[ReferralRow]:
    """Place a referral item on each target body's next meeting whose item deadline has not
    passed at ``at`` (the time of the meeting that referred it); a target with no such meeting
    gets it on the first one scheduled later (workflows/committee/referrals.py)."""
    out = []
    lines = [item.pool_line_id] if item.pool_line_id and item.pool_line_id != "*" else []
    for target in targets:
        slot = next_open_meeting(referral_flow.slots(uow, target), target, at)
        new: AgendaItemRow | None = None
        if slot is not None:
            to = common.meeting(uow.session, slot.meeting_id)
            new = referral_flow.copy_referred(uow, item, to, rule=rule, reason=reason)
        row = ReferralRow(from_item_id=item.id or 0, from_body_id=body.id, to_body_id=target,
                          to_meeting_id=slot.meeting_id if slot else None,
                          to_item_id=new.id if new else None, rule=rule, reason=reason,
                          pool_lines=lines, created_at=uow.now)
        uow.session.add(row)
        uow.session.flush()
        assert row.id is not None and item.id is not None
        uow.emit(ReferralCreated(referral_id=row.id, from_item_id=item.id,
                                 from_body_id=body.id, to_body_id=target,
                                 to_meeting_id=row.to_meeting_id, to_item_id=row.to_item_id,
                                 rule=rule, reason=reason, placed=slot is not None,
                                 to_starts_at=slot.starts_at.isoformat() if slot else None))
        out.append(row)
    return out


def _check_key_decision(uow: UnitOfWork, item: AgendaItemRow, body: Body,
                        decision_date: date) -> bool:
    kd = key_decisions.facts_for(uow, item.id or 0)
    if not is_key_decision(body, item.amount, kd.wards_affected if kd else 0):
        return False
    exception = kd.exception if kd and kd.exception != "none" else None
    check_key_decision(decision_date, body, common.calendar(uow.config),
                       forward_plan_published=kd.forward_plan_published_on if kd else None,
                       exception=exception,  # type: ignore[arg-type]
                       scrutiny_chair_notified=kd.scrutiny_chair_notified_on if kd else None,
                       scrutiny_chair_agreed=bool(kd and kd.scrutiny_chair_agreed_by))
    return True


def _record_votes(uow: UnitOfWork, item_id: int, objections: Collection[str],
                  votes: Mapping[str, str] | None, partner_votes: Mapping[str, str] | None
                  ) -> None:
    for old in uow.session.exec(select(VoteRow).where(VoteRow.item_id == item_id)).all():
        uow.session.delete(old)
    for mid in objections:
        uow.session.add(VoteRow(item_id=item_id, kind="objection", member_id=mid, vote="object"))
    for mid, v in (votes or {}).items():
        uow.session.add(VoteRow(item_id=item_id, kind="member", member_id=mid, vote=v))
    for pid, v in (partner_votes or {}).items():
        uow.session.add(VoteRow(item_id=item_id, kind="partner", partner_id=pid, vote=v))


RULE_OUTCOMES = ("not_approved", "referred")
"""Outcomes the body's decision rule produces from the objections or votes, never given."""
NOT_DECISIONS = ("deferred", "withdrawn")
RULE_INPUT = {"consensus": "the objections recorded (--objection)",
              "majority": "the members' votes (--vote)",
              "one_vote_per_partner": "each partner's block vote (--partner-vote)"}


def validate_decision(outcome: str, resolution: str) -> None:
    """The input on its own: a known outcome; an amended decision states its resolution."""
    if outcome not in (*OUTCOMES, *RULE_OUTCOMES, *NOT_DECISIONS):
        raise InvalidInput(f"outcome: {outcome!r} is not valid; expected one of "
                           f"{', '.join(OUTCOMES)}")
    if outcome == "amended" and not resolution.strip():
        raise InvalidInput("resolution: missing; an amended decision records the resolution as "
                           "amended (--resolution)")


def check_outcome(uow: UnitOfWork, item: AgendaItemRow, m: MeetingRow, outcome: str) -> None:
    """An outcome the meeting may give: approved, approved as amended or noted. A refusal or
    a referral is what the body's rule makes of the objections or votes; a deferral or a
    withdrawal is not a decision."""
    if outcome in OUTCOMES:
        return
    body = uow.config.body_by_id(m.body_id)
    if outcome in NOT_DECISIONS:
        verb = "defer" if outcome == "deferred" else "withdraw"
        raise RuleRefused("the agenda_item workflow (a deferral or withdrawal is not a "
                          "decision)", f"{common.describe_item(item)} is not decided as "
                          f"{outcome}; use 's75 item {verb} {item.id} --reason ...'")
    rule = body.decision_rule
    raise RuleRefused(
        f"decision rule of the {body.name} ({rule.replace('_', ' ')})",
        f"{common.describe_item(item)} cannot be recorded as {outcome.replace('_', ' ')} by "
        f"--outcome: under the terms of reference the {rule.replace('_', ' ')} rule gives it "
        f"from {RULE_INPUT.get(rule, 'the votes')}; record those with --outcome approved, "
        "amended or noted and the rule decides")


def check_decidable(uow: UnitOfWork, item: AgendaItemRow, m: MeetingRow) -> None:
    """The rules before an item is taken: business (not standing), a meeting not cancelled,
    published with the agenda, attendance recorded."""
    cfg = uow.config
    if item.standing:
        raise RuleRefused("standing business", f"{common.describe_item(item)} is standing "
                          "business: record it with 's75 meeting attend|apologies', "
                          "'s75 interest declare', 's75 minutes approve' or 's75 action'")
    if m.status == "cancelled":
        raise RuleRefused("meeting lifecycle", f"{common.describe_meeting(cfg, m)} was cancelled")
    if item.state not in ("published", "considered"):
        raise RuleRefused("the agenda_item workflow", f"{common.describe_item(item)} is "
                          f"{item.state!r}; only an item published with the agenda can be "
                          "decided (or, if late, one the chair accepted as urgent and published)")
    present = attendance.attendees(uow.session, m.id or 0)
    if not any(a.capacity != "in_attendance" for a in present):
        raise RuleRefused(f"quorum (terms of reference of the {cfg.body_by_id(m.body_id).name})",
                          f"no attendance is recorded for {common.describe_meeting(cfg, m)}; "
                          "record who is present ('s75 meeting attend') first")


@dataclass(frozen=True)
class Motion:
    """What the meeting is asked to record on the item."""

    outcome: str = "approved"
    objections: Collection[str] = ()
    votes: Mapping[str, VotePosition] | None = None
    partner_votes: Mapping[str, VotePosition] | None = None
    casting: VotePosition | None = None
    resolution: str = ""
    reasons: str = ""
    alternatives_rejected: str = ""


def decide_item(uow: UnitOfWork, item_id: int, *, outcome: str = "approved",
                objections: Collection[str] = (), votes: Mapping[str, VotePosition] | None = None,
                partner_votes: Mapping[str, VotePosition] | None = None,
                casting: VotePosition | None = None, resolution: str = "", reasons: str = "",
                alternatives_rejected: str = "") -> DecideResult:
    """Take the item at its meeting and record what was decided, by the body's rules."""
    validate_decision(outcome, resolution)
    item = common.item(uow.session, item_id)
    m = common.meeting(uow.session, item.meeting_id)
    check_decidable(uow, item, m)
    check_outcome(uow, item, m, outcome)
    return take(uow, item, m, Motion(outcome, objections, votes, partner_votes, casting,
                                     resolution, reasons, alternatives_rejected))


def _defer_inquorate(uow: UnitOfWork, result: DecideResult, body: Body) -> DecideResult:
    cfg, item, why = uow.config, result.item, result.quorum.explain()
    new = items.defer_item(uow, item, f"inquorate for this item: {why}")
    result.deferred_to = new
    if new is not None:
        to = common.meeting(uow.session, new.meeting_id)
        where = f"it is deferred to {common.describe_meeting(cfg, to)} as item {new.id}"
    else:
        where = "it is deferred; no later meeting is scheduled, so place it when one is"
    result.refusal = RuleRefused(
        f"quorum (terms of reference of the {body.name})",
        f"{common.describe_item(item)} cannot be decided: {why}; {where}")
    return result


def take(uow: UnitOfWork, item: AgendaItemRow, m: MeetingRow, motion: Motion) -> DecideResult:
    """The write step: quorum for the item (inquorate: deferred), the chair for it, the
    key-decision checks, the decision rule, referrals, the votes and the decision record."""
    cfg = uow.config
    body = cfg.body_by_id(m.body_id)
    present = attendance.attendees(uow.session, m.id or 0)
    decls = interests.declarations_for(uow.session, item.id or 0)
    excluded = excluded_from_item(interests.as_declarations(decls))
    q = quorum_for_item(body, cfg, present, excluded)
    result = DecideResult(item, q)
    if not q.quorate:
        return _defer_inquorate(uow, result, body)
    if m.status == "scheduled":
        refresh_chair(uow, m)
    if not m.chair_id:
        raise RuleRefused(f"terms of reference of the {body.name} (chairing)", m.chair_reason or
                          "no chair is available for the meeting")
    item_chair = chair_for_item(body, m.chair_id, excluded, [a.member_id for a in present],
                                lambda x: cfg.member_by_id(x).display)
    decision_date = m.local_date or common.local_day(cfg, m.starts_at)
    key = body.executive and _check_key_decision(uow, item, body, decision_date)
    eligible = [a for a in present if a.member_id in q.counted]
    if motion.outcome == "noted":
        o = Outcome("agreed", "noted", "Noted.", {"eligible": sorted(q.counted)})
    else:
        o = decide(body, cfg, eligible, item_chair, objections=motion.objections,
                   votes=motion.votes, partner_votes=motion.partner_votes,
                   casting=motion.casting)
    # The resolution as moved; an empty one is worded from the outcome in the documents
    # (decisions/outcomes.py), so a referral never reads "approved".
    text = motion.resolution.strip()
    if body.executive and motion.outcome != "noted":
        DecisionRecordFields(text or "That the recommendations be approved.", decision_date,
                             motion.reasons, motion.alternatives_rejected,
                             tuple(d.member_id for d in decls)).validate()
    final, rule, explanation, referrals = _route(uow, item, m, body, motion.outcome, o)
    _record_votes(uow, item.id or 0, motion.objections, motion.votes, motion.partner_votes)
    d = _record(uow, item, m, body, motion, Ruling(final, rule, explanation, text,
                                                  decision_date, item_chair, bool(key)),
                q, o, decls, referrals)
    result.decision, result.referrals = d, referrals
    return result


def _route(uow: UnitOfWork, item: AgendaItemRow, m: MeetingRow, body: Body, outcome: str,
           o: Outcome) -> tuple[str, str, str, list[ReferralRow]]:
    """The final outcome and rule, referring the item on when consensus failed or the sum is
    above the body's delegated limit."""
    cfg = uow.config
    final = {"agreed": outcome, "not_agreed": "not_approved", "no_consensus": "referred"}[o.result]
    rule, explanation = o.rule, o.explanation
    referrals: list[ReferralRow] = []
    if o.result == "agreed" and outcome != "noted" and not within_delegation(body, item.amount):
        final, rule = "referred", "delegated_limit"
        explanation = f"{o.explanation} {delegation_message(cfg, body, item.amount)}"
        referrals = refer(uow, item, body, delegation_route(cfg, body, item.amount),
                          rule="delegated_limit", reason=delegation_message(cfg, body, item.amount),
                          at=m.starts_at)
    elif o.result == "no_consensus":
        lines = [item.pool_line_id] if item.pool_line_id and item.pool_line_id != "*" else None
        targets = referral_bodies(cfg, body, lines)
        referrals = refer(uow, item, body, targets, rule="no_consensus",
                          reason=" ".join(referral_reason(cfg, body, lines, t) for t in targets),
                          at=m.starts_at)
    return final, rule, explanation, referrals


@dataclass(frozen=True)
class Ruling:
    final: str
    rule: str
    explanation: str
    text: str
    decision_date: date
    chair: str | None
    key: bool


def _record(uow: UnitOfWork, item: AgendaItemRow, m: MeetingRow, body: Body, motion: Motion,
            r: Ruling, q: QuorumResult, o: Outcome, decls: list[DeclarationRow],
            referrals: list[ReferralRow]) -> DecisionRow:
    """The decision record, the item moved to decided, and DecisionRecorded."""
    assert item.id is not None and m.id is not None
    # The call-in window opens when the notice is published (call_in.notice_published).
    subject = subject_to_call_in(body, r.final)
    exempt = uow.session.exec(select(UrgencyConsentRow).where(
        UrgencyConsentRow.item_id == item.id, UrgencyConsentRow.kind == "call_in_exempt")).first()
    d = DecisionRow(
        item_id=item.id, meeting_id=m.id, body_id=body.id, outcome=r.final, rule_applied=r.rule,
        decided_at=uow.now, decision_date=r.decision_date, chair_id=r.chair, text=r.text,
        reasons=motion.reasons, alternatives_rejected=motion.alternatives_rejected,
        interests_declared=[{"member_id": x.member_id, "nature": x.nature,
                             "description": x.description, "managed": x.managed} for x in decls],
        dispensations=[{"member_id": x.member_id, "granted_by": x.dispensation_by,
                        "reason": x.dispensation_reason} for x in decls if x.dispensation_by],
        key_decision=r.key, call_in_expires=None,
        call_in_state="exempt" if exempt and subject else ("open" if subject else "none"),
        details={"explanation": r.explanation, "tally": o.tally, "quorum": q.explain(),
                 "counted": list(q.counted), "not_counted": q.not_counted,
                 "referrals": [x.id for x in referrals], "meeting_chair": m.chair_id})
    uow.session.add(d)
    uow.session.flush()
    if item.state == "published":
        items.move(uow, item, "considered")
    items.move(uow, item, "decided", outcome=r.final, decision_id=d.id)
    referral_flow.report_back(uow, item, d)
    assert d.id is not None
    uow.emit(DecisionRecorded(
        decision_id=d.id, item_id=item.id, meeting_id=m.id, body_id=body.id, outcome=r.final,
        rule=r.rule, decision_date=r.decision_date.isoformat(), key_decision=r.key,
        executive=body.executive,
        call_in_expires=d.call_in_expires.isoformat() if d.call_in_expires else None,
        referral_ids=[x.id for x in referrals if x.id is not None]))
    return d
