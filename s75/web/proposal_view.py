"""The proposal page: the timeline of its stages, each partner's approval (body, meeting,
minute), the gateway conditions with owners and dates, signing readiness against the start
date, and the audit trail in words, a page at a time (``?page=``, :data:`TRAIL_PAGE_SIZE`
events a page, oldest first as recorded; a count and a page query on the audit log's subject
index whatever the number of events). Plain data for templates/web/proposal.html."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from decisions.terms import LocalityConfig
from s75.web.board import stage_labels
from s75.web.paging import Paging, paging
from workflows.audit import back_entry
from workflows.committee.tables import MeetingRow
from workflows.proposal.queries import (
    checklist_present,
    deadline_of,
    get_proposal,
    signatures,
    start_of,
)
from workflows.proposal.rules import REG7_CHECKLIST, STAGES
from workflows.proposal.tables import ApprovalRow, ConditionRow
from workflows.tables import AuditEventRow

TRAIL_PAGE_SIZE = 50
DECISION_WORDS = {"go": "go", "go_with_conditions": "go with conditions", "pause": "pause",
                  "stop": "stop"}


@dataclass(frozen=True)
class Step:
    at: datetime
    stage: str
    by: str
    reason: str


@dataclass(frozen=True)
class Approval:
    stage: str
    variation: int
    partner: str
    body: str
    meeting_date: date
    minute_ref: str
    meeting_id: int | None


@dataclass(frozen=True)
class Condition:
    text: str
    partner: str
    owner: str
    due: date
    status: str
    overdue: bool
    note: str


@dataclass(frozen=True)
class Signing:
    start: date
    deadline: date
    days_left: int
    checklist_missing: tuple[str, ...]
    signed: tuple[str, ...]
    awaiting: tuple[str, ...]
    ready: str
    """The position in words."""


@dataclass(frozen=True)
class Event:
    at: datetime
    by: str
    what: str
    back_entry: str = ""
    """"entered 2 Dec 2026 09:14 as of 10 Apr 2019 16:00" for an event entered with --now."""


@dataclass(frozen=True)
class ProposalPage:
    id: int
    title: str
    description: str
    stage: str
    variation: int
    timeline: tuple[Step, ...]
    approvals: tuple[Approval, ...]
    conditions: tuple[Condition, ...]
    signing: Signing
    trail: tuple[Event, ...]
    """The page of the audit trail that ``trail_paged`` names."""
    trail_paged: Paging


def _who(cfg: LocalityConfig, member_id: str) -> str:
    try:
        return cfg.member_by_id(member_id).name
    except Exception:  # the operator or a system actor: shown as recorded
        return {"scheduler": "the scheduler", "operator": "the operator"}.get(
            member_id, member_id.replace("_", " "))


def _partner(cfg: LocalityConfig, partner_id: str) -> str:
    return next((p.name for p in cfg.partner if p.id == partner_id), partner_id)


def _body(cfg: LocalityConfig, body_id: str) -> str:
    return next((b.name for b in cfg.body if b.id == body_id), body_id)


def describe_event(cfg: LocalityConfig, action: str, data: dict[str, Any],
                   labels: dict[str, str]) -> str:
    """One audit event in words."""
    kind = action.split(".", 1)[-1]
    if action == "proposal.created":
        return f"Proposal created: {data.get('title', '')}"
    if data.get("to_state"):
        facts = data.get("facts") or {}
        reason = f" ({facts['reason']})" if facts.get("reason") else ""
        return (f"{labels.get(data.get('from_state', ''), '')} → "
                f"{labels.get(data['to_state'], data['to_state'])}{reason}")
    if action == "approval.recorded":
        return (f"{_partner(cfg, data.get('partner_id', ''))} approved "
                f"{STAGES.get(data.get('stage', ''), data.get('stage', '')).lower()}: "
                f"{_body(cfg, data.get('body_id', ''))}, {data.get('meeting_date', '')}, "
                f"{data.get('minute_ref', '')}")
    if action == "gateway.recorded":
        return (f"{_partner(cfg, data.get('partner_id', ''))} returned "
                f"{DECISION_WORDS.get(data.get('decision', ''), data.get('decision', ''))} at "
                f"the {str(data.get('month', ''))[:7]} gateway")
    if action == "condition.added":
        return f"Condition set: {data.get('text', '')} (due {data.get('due', '')})"
    if action == "condition.closed":
        return "Condition closed"
    if action == "signature.recorded":
        return (f"Signed for {_partner(cfg, data.get('partner_id', ''))} by "
                f"{_who(cfg, data.get('signatory_id', ''))} on {data.get('signed_on', '')}")
    if action == "checklist.marked":
        return "SI 2000/617 reg 7 checklist marked"
    return kind.replace("_", " ").capitalize()


def proposal_page(session: Session, cfg: LocalityConfig, proposal_id: int,
                  today: date, trail_page: int = 1) -> ProposalPage:
    """The page, with page ``trail_page`` of the audit trail (NotFound past its last)."""
    p = get_proposal(session, proposal_id)  # NotFound
    labels = stage_labels()
    mine = (AuditEventRow.subject_type == "proposal",
            AuditEventRow.subject_id == str(proposal_id))  # ix_audit_event_subject
    total = session.exec(select(func.count()).select_from(AuditEventRow).where(*mine)).one()
    paged = paging(total, trail_page, f"the audit trail of P-{proposal_id}", TRAIL_PAGE_SIZE)
    events = session.exec(select(AuditEventRow).where(*mine).order_by(col(AuditEventRow.id))
                          .offset(paged.offset).limit(paged.size)).all()
    stages = session.exec(select(AuditEventRow).where(
        *mine, col(AuditEventRow.to_state).is_not(None)).order_by(col(AuditEventRow.id))).all()
    zone = cfg.zone
    timeline = tuple(
        Step(e.at.astimezone(zone), labels.get(e.to_state or "", e.to_state or ""),
             _who(cfg, e.actor), str((e.payload.get("facts") or {}).get("reason", "")))
        for e in stages)
    trail = tuple(Event(e.at.astimezone(zone), _who(cfg, e.actor),
                        describe_event(cfg, e.action, dict(e.payload), labels)
                        + (f" ({late})" if (late := back_entry(e.payload, zone)) else ""),
                        late)
                  for e in events)
    rows = session.exec(select(ApprovalRow).where(ApprovalRow.proposal_id == proposal_id)
                        .order_by(col(ApprovalRow.variation), col(ApprovalRow.id))).all()
    meetings = {(m.body_id, m.local_date): m.id for m in session.exec(select(MeetingRow).where(
        col(MeetingRow.body_id).in_({a.body_id for a in rows}),
        col(MeetingRow.local_date).in_({a.meeting_date for a in rows}))).all()} if rows else {}
    approvals = tuple(Approval(STAGES.get(a.stage, a.stage), a.variation,
                               _partner(cfg, a.partner_id), _body(cfg, a.body_id),
                               a.meeting_date, a.minute_ref,
                               meetings.get((a.body_id, a.meeting_date))) for a in rows)
    conds = session.exec(select(ConditionRow).where(ConditionRow.proposal_id == proposal_id)
                         .order_by(col(ConditionRow.due), col(ConditionRow.id))).all()
    conditions = tuple(Condition(c.text, _partner(cfg, c.partner_id), _who(cfg, c.owner_id),
                                 c.due, c.status, c.status == "open" and c.due < today,
                                 c.closing_note) for c in conds)
    return ProposalPage(proposal_id, p.title, p.description, labels.get(p.state, p.state),
                        p.variation, timeline, approvals, conditions,
                        signing(session, cfg, p, today), trail, paged)


def signing(session: Session, cfg: LocalityConfig, p: Any, today: date) -> Signing:
    start, deadline = start_of(cfg, p), deadline_of(cfg, p)
    missing = tuple(REG7_CHECKLIST[k] for k in REG7_CHECKLIST
                    if k not in checklist_present(session, p))
    signed_by = {s.partner_id: s for s in signatures(session, p)}
    signed = tuple(f"{_partner(cfg, s.partner_id)}: {_who(cfg, s.signatory_id)}, "
                   f"{s.signed_on:%-d %B %Y}" for s in signed_by.values())
    awaiting = tuple(f"{pt.name} ({_who(cfg, pt.authorised_signatory)})"
                     for pt in cfg.pooling_partners if pt.id not in signed_by)
    days = (deadline - today).days
    if p.state in ("stopped", "withdrawn"):
        ready = f"The proposal was {p.state}; it will not be signed."
    elif p.state == "live":
        ready = f"Signed by every partner; in force from {start:%-d %B %Y}."
    elif days < 0:
        ready = (f"The signing deadline ({deadline:%-d %B %Y}) has passed unsigned: the start "
                 f"date of {start:%-d %B %Y} cannot be met unless a recorded decision moves it.")
    else:
        todo = []
        if p.state != "signing":
            todo.append("every partner's approval of the agreement")
        if missing:
            todo.append(f"{len(missing)} of the reg 7 checklist items")
        if awaiting:
            todo.append(f"{len(awaiting)} signature(s)")
        ready = (f"{days} days to the signing deadline ({deadline:%-d %B %Y}); still needed: "
                 f"{'; '.join(todo)}.")
    return Signing(start, deadline, days, missing, signed, awaiting, ready)
