"""Proposal services: create, fire a trigger, record a partner's approval, history, summary.

Every function that changes anything takes a :class:`UnitOfWork` and emits its event there;
events about a proposal (approvals, gateways, conditions, signatures) all have the proposal as
their subject, so ``history`` is one query.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from decisions.errors import ConflictError, InvalidInput, RuleRefused
from workflows.committee.tables import BodyRow, PartnerRow
from workflows.engine import allowed_triggers, describe, fire
from workflows.events import UnitOfWork
from workflows.proposal.citations import cited_source
from workflows.proposal.events import ApprovalRecorded, ProposalCreated
from workflows.proposal.queries import (
    approvals,
    checklist_present,
    deadline_of,
    gateway_status,
    get_proposal,
    local_today,
    open_conditions,
    proposal_of,
    signatures,
    start_of,
)
from workflows.proposal.rules import (
    REG7_CHECKLIST,
    STAGES,
    approval_refusal,
    attending_refusal,
    consecutive_go,
    missing_approvals,
)
from workflows.proposal.tables import ApprovalRow
from workflows.tables import AuditEventRow, ProposalRow

__all__ = ["KINDS", "WORKFLOW", "create_proposal", "fire_proposal", "get_proposal", "history",
           "list_proposals", "record_approval", "summary", "triggers_now"]

WORKFLOW = "proposal"
KINDS = ("pool_expansion", "new_pool", "joint_committee", "other")


def create_proposal(uow: UnitOfWork, title: str, *, kind: str = "pool_expansion",
                    description: str = "", start_date: date | None = None) -> ProposalRow:
    title = title.strip()
    if not title:
        raise InvalidInput("title: a proposal needs a title, e.g. 'Expand the pool to include "
                           "Population Health'")
    if kind not in KINDS:
        raise InvalidInput(f"--kind: {kind!r} is not a proposal kind; expected one of {KINDS}")
    row = ProposalRow(title=title, kind=kind, description=description, state="draft",
                      created_at=uow.now, created_by=uow.actor, start_date=start_date)
    uow.session.add(row)
    uow.session.flush()
    assert row.id is not None
    uow.emit(ProposalCreated(proposal_id=row.id, title=title, kind=kind,
                             start_date=start_of(uow.config, row)))
    return row


def list_proposals(session: Session) -> list[ProposalRow]:
    return list(session.exec(select(ProposalRow).order_by(col(ProposalRow.id))).all())


def fire_proposal(uow: UnitOfWork, proposal_id: int, trigger: str,
                  facts: Mapping[str, Any] | None = None, *,
                  expected_version: int | None = None) -> ProposalRow:
    """Apply ``trigger``; with ``expected_version`` (what the user last saw) refuse if the
    proposal has changed since."""
    row = proposal_of(uow, proposal_id)
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(
            f"{describe(row, WORKFLOW)} was changed by someone else since you loaded it (you "
            f"saw version {expected_version}; it is now version {row.version}, {row.state!r}); "
            "reload it and try again")
    fire(uow, row, WORKFLOW, trigger, facts)
    return row


def record_approval(uow: UnitOfWork, proposal_id: int, *, partner_id: str, body_id: str,
                    meeting_date: date, minute_ref: str, decision_id: int | None = None
                    ) -> ApprovalRow:
    """Record that ``partner_id`` approved the stage the proposal is in, by ``body_id``'s
    decision at its meeting on ``meeting_date`` (minute ``minute_ref``)."""
    s = uow.session
    row = get_proposal(s, proposal_id)
    who = describe(row, WORKFLOW)
    stage = row.state
    if stage not in STAGES:
        stages = ", ".join(STAGES)
        raise RuleRefused("the proposal workflow",
                          f"{who} is {stage!r}; partners' approvals are recorded while it is in "
                          f"one of the approval stages: {stages}")
    if s.get(PartnerRow, partner_id) is None:
        known = list(s.exec(select(PartnerRow.id)).all())
        raise InvalidInput(f"--partner: {partner_id!r} is not a partner; expected one of {known}")
    if s.get(BodyRow, body_id) is None:
        known = list(s.exec(select(BodyRow.id)).all())
        raise InvalidInput(f"--body: {body_id!r} is not a body; expected one of {known}")
    attending = attending_refusal(uow.config, partner_id, "approvals")
    if attending:
        raise RuleRefused("partners that only attend", attending)
    refusal = approval_refusal(uow.config, partner_id, body_id, stage)
    if refusal:
        raise RuleRefused("the scheme of delegation", refusal)
    if not minute_ref.strip():
        raise InvalidInput("--minute: give the minute reference of the decision, e.g. 'CAB/19/42'")
    today = local_today(uow.config, uow.now)
    if meeting_date > today:
        raise InvalidInput(f"--meeting-date: {meeting_date.isoformat()} is in the future; an "
                           "approval is recorded after the meeting that gave it")
    source = cited_source(uow, body_id, meeting_date, decision_id)
    existing = [a for a in approvals(s, row, stage) if a.partner_id == partner_id]
    if existing:
        a = existing[0]
        raise RuleRefused("the proposal workflow",
                          f"{STAGES[stage]} of {who} was already approved for {partner_id} by "
                          f"{a.body_id} on {a.meeting_date.isoformat()} (minute {a.minute_ref})")
    approval = ApprovalRow(proposal_id=proposal_id, variation=row.variation, stage=stage,
                           partner_id=partner_id, body_id=body_id, meeting_date=meeting_date,
                           minute_ref=minute_ref.strip(), decision_id=decision_id,
                           recorded_at=uow.now, recorded_by=uow.actor, source=source)
    s.add(approval)
    s.flush()
    done = [a.partner_id for a in approvals(s, row, stage)]
    awaiting = missing_approvals(uow.config, stage, done)
    assert approval.id is not None
    uow.emit(ApprovalRecorded(proposal_id=proposal_id, approval_id=approval.id, stage=stage,
                              variation=row.variation, partner_id=partner_id, body_id=body_id,
                              meeting_date=meeting_date, minute_ref=approval.minute_ref,
                              decision_id=decision_id, awaiting=tuple(awaiting)))
    return approval


def history(session: Session, proposal_id: int) -> list[AuditEventRow]:
    get_proposal(session, proposal_id)
    return list(session.exec(select(AuditEventRow).where(
        AuditEventRow.subject_type == "proposal", AuditEventRow.subject_id == str(proposal_id))
        .order_by(col(AuditEventRow.id))).all())


def summary(uow: UnitOfWork, proposal_id: int) -> dict[str, Any]:
    """Everything a secretary needs to see about one proposal, and what blocks each trigger."""
    from workflows.definition import load_definition
    from workflows.engine import merged_facts, unmet_guards
    from workflows.machine import transition, triggers_from

    s = uow.session
    row = get_proposal(s, proposal_id)
    today = local_today(uow.config, uow.now)
    defn = load_definition(WORKFLOW)
    blocked: dict[str, list[str]] = {}
    for trig in triggers_from(defn, row.state):
        t = transition(defn, trig, row.state)
        assert t is not None
        blocked[trig] = unmet_guards(uow, row, t, merged_facts(row, {"reason": "-"}))
    months = gateway_status(s, proposal_id, today)
    present = checklist_present(s, row)
    out: dict[str, Any] = {
        "id": row.id, "title": row.title, "kind": row.kind, "description": row.description,
        "state": row.state, "state_label": defn.states[row.state].label,
        "version": row.version, "variation": row.variation,
        "created": row.created_at, "created_by": row.created_by,
        "start_date": start_of(uow.config, row), "signing_deadline": deadline_of(uow.config, row),
        "approvals": [
            {"stage": a.stage, "partner": a.partner_id, "body": a.body_id,
             "meeting_date": a.meeting_date, "minute": a.minute_ref, "decision_id": a.decision_id,
             "recorded": "from outside s75" if a.source == "outside"
             else f"decision {a.decision_id}"}
            for a in approvals(s, row)],
        "gateways": [{"month": m.month.strftime("%Y-%m"), "rag": m.rag, "summary": m.summary}
                     for m in months],
        "consecutive_go": consecutive_go(months),
        "open_conditions": [
            {"id": c.id, "partner": c.partner_id, "text": c.text, "owner": c.owner_id,
             "due": c.due} for c in open_conditions(s, proposal_id)],
        "checklist_missing": [k for k in REG7_CHECKLIST if k not in present],
        "signatures": [{"partner": g.partner_id, "signatory": g.signatory_id,
                        "signed_on": g.signed_on} for g in signatures(s, row)],
        "triggers_now": [t for t, unmet in blocked.items() if not unmet],
        "blocked": {t: unmet for t, unmet in blocked.items() if unmet},
    }
    if row.state in STAGES:
        done = [a.partner_id for a in approvals(s, row, row.state)]
        out["awaiting"] = missing_approvals(uow.config, row.state, done)
    from workflows.proposal.start_date import awaiting as start_awaiting
    from workflows.proposal.start_date import pending

    moving = pending(uow, row)
    if moving:
        out["start_move"] = {"to": moving[0].new_start,
                             "decided_by": [m.body_id for m in moving],
                             "awaiting": start_awaiting(uow, row)}
    return out


def triggers_now(uow: UnitOfWork, proposal_id: int) -> list[str]:
    """Triggers whose guards are met now (a reason, where one is needed, is taken as given)."""
    return allowed_triggers(get_proposal(uow.session, proposal_id), WORKFLOW, uow,
                            {"reason": "(given when fired)"})
