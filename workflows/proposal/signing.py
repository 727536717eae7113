"""The s75 agreement: the SI 2000/617 reg 7 checklist, signatures by each partner's authorised
signatory by the signing deadline, and recorded decisions that move the start date."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from decisions.errors import InvalidInput, RuleRefused
from workflows.engine import allowed_triggers, describe, fire
from workflows.events import UnitOfWork
from workflows.proposal.events import ChecklistMarked, SignatureRecorded
from workflows.proposal.queries import (
    checklist_present,
    deadline_of,
    get_proposal,
    local_today,
    signatures,
    start_of,
)
from workflows.proposal.rules import REG7_CHECKLIST, attending_refusal, checklist_missing
from workflows.proposal.tables import ChecklistRow, SignatureRow

RULE = "SI 2000/617 reg 7"


def checklist(session: Session, proposal_id: int) -> list[dict[str, Any]]:
    row = get_proposal(session, proposal_id)
    present = checklist_present(session, row)
    return [{"item": k, "covers": label, "present": k in present,
             "reference": present.get(k, "")} for k, label in REG7_CHECKLIST.items()]


def mark_checklist(uow: UnitOfWork, proposal_id: int, items: list[str], *,
                   present: bool = True, reference: str = "") -> list[str]:
    """Mark reg 7 items present (or not) in the draft agreement; returns the items still
    missing."""
    s = uow.session
    row = get_proposal(s, proposal_id)
    if row.state != "s75_drafting":
        raise RuleRefused("the proposal workflow",
                          f"{describe(row, 'proposal')} is {row.state!r}; the reg 7 checklist is "
                          "marked while the agreement is in s75 drafting")
    unknown = [i for i in items if i not in REG7_CHECKLIST]
    if unknown or not items:
        raise InvalidInput(f"ITEM: {unknown or items!r} not a reg 7 checklist item; expected "
                           f"some of {list(REG7_CHECKLIST)} (or --all)")
    for item in items:
        mark = s.get(ChecklistRow, (proposal_id, row.variation, item))
        if mark is None:
            mark = ChecklistRow(proposal_id=proposal_id, variation=row.variation, item=item,
                                marked_at=uow.now)
        mark.present = present
        mark.reference = reference
        mark.marked_at = uow.now
        mark.marked_by = uow.actor
        s.add(mark)
    s.flush()
    missing = checklist_missing(checklist_present(s, row))
    uow.emit(ChecklistMarked(proposal_id=proposal_id, items=tuple(items), present=present,
                             reference=reference, missing=tuple(missing)))
    return missing


def record_signature(uow: UnitOfWork, proposal_id: int, *, partner_id: str,
                     signatory_id: str, signed_on: date | None = None) -> SignatureRow:
    """Record that ``signatory_id`` signed for ``partner_id``; when every partner has signed the
    proposal goes live."""
    s = uow.session
    cfg = uow.config
    row = get_proposal(s, proposal_id)
    who = describe(row, "proposal")
    attending = attending_refusal(cfg, partner_id, "signing the agreement")
    if attending:
        raise RuleRefused("partners that only attend", attending)
    if row.state != "signing":
        raise RuleRefused("the proposal workflow",
                          f"{who} is {row.state!r}; the agreement is signed once every partner "
                          "has approved it (state 'signing')")
    partner = next((p for p in cfg.partner if p.id == partner_id), None)
    if partner is None:
        raise InvalidInput(f"--partner: {partner_id!r} is not a partner; expected one of "
                           f"{[p.id for p in cfg.partner]}")
    if signatory_id != partner.authorised_signatory:
        officer = cfg.member_by_id(partner.authorised_signatory)
        raise RuleRefused("the authorised signatories",
                          f"{partner.name} signs by its authorised signatory, {officer.name} "
                          f"({officer.id}), not {signatory_id!r} (config partner."
                          "authorised_signatory)")
    today = local_today(cfg, uow.now)
    day = signed_on or today
    if day > today:
        raise InvalidInput(f"--on: {day.isoformat()} is in the future")
    deadline = deadline_of(cfg, row)
    if day > deadline:
        raise RuleRefused("the signing deadline",
                          f"{who} had to be signed by {deadline.isoformat()} to start on "
                          f"{start_of(cfg, row).isoformat()}; signing on {day.isoformat()} is "
                          "refused unless a recorded decision moves the start date ('s75 "
                          "proposal move-start')")
    if any(g.partner_id == partner_id for g in signatures(s, row)):
        raise RuleRefused("the authorised signatories",
                          f"{who} was already signed for {partner.name}")
    sig = SignatureRow(proposal_id=proposal_id, variation=row.variation, partner_id=partner_id,
                       signatory_id=signatory_id, signed_on=day, recorded_at=uow.now,
                       recorded_by=uow.actor)
    s.add(sig)
    s.flush()
    done = {g.partner_id for g in signatures(s, row)}
    uow.emit(SignatureRecorded(proposal_id=proposal_id, partner_id=partner_id,
                               signatory_id=signatory_id, signed_on=day,
                               variation=row.variation, signing_deadline=deadline,
                               awaiting=tuple(p.id for p in cfg.pooling_partners
                                              if p.id not in done)))
    if "go_live" in allowed_triggers(row, "proposal", uow):
        fire(uow, row, "proposal", "go_live", event_data={"start_date": start_of(cfg, row)})
    return sig
