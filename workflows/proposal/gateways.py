"""Monthly gateways in shadow operation (seeds file 002): each partner returns go, go with
conditions, pause or stop, with reasons. A stop stops the proposal; a pause holds it until that
partner returns go; conditions have an owner and a due date and must be closed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from decisions.errors import InvalidInput, NotFound, RuleRefused
from workflows.committee.tables import MemberRow, PartnerRow
from workflows.engine import allowed_triggers, describe, fire
from workflows.events import UnitOfWork
from workflows.proposal.events import ConditionAdded, ConditionClosed, GatewayRecorded
from workflows.proposal.loading import forget_returns
from workflows.proposal.queries import (
    gateway_returns,
    gateway_status,
    get_proposal,
    local_today,
    partner_ids,
)
from workflows.proposal.rules import (
    DECISIONS,
    attending_refusal,
    gateway_month_status,
    month_end,
    month_missed,
    month_start,
    next_month,
)
from workflows.proposal.tables import ConditionRow, GatewayReturnRow, GatewayRow
from workflows.tables import ProposalRow

__all__ = ["ConditionSpec", "close_condition", "conditions", "gateway_status", "record_return"]

RULE = "the monthly gateways"


@dataclass(frozen=True)
class ConditionSpec:
    text: str
    owner_id: str
    due: date


def record_return(uow: UnitOfWork, proposal_id: int, *, partner_id: str, decision: str,
                  reasons: str = "", month: date | None = None, held_on: date | None = None,
                  conditions: Sequence[ConditionSpec] = (), late: bool = False
                  ) -> GatewayReturnRow:
    """Record one partner's return at the gateway of ``month`` (default: this month), and apply
    it: a stop stops the proposal, a pause pauses it, a go that ends every pause resumes it.
    The steps of the ``gateway record`` action, in its order."""
    validate_return(decision, reasons, conditions, late)
    row = get_proposal(uow.session, proposal_id)
    m, held = check_return(uow, row, partner_id, decision, month, held_on, conditions, late)
    return write_return(uow, row, partner_id, decision, reasons.strip(), m, held, conditions,
                        late)


def validate_return(decision: str, reasons: str, conditions: Sequence[ConditionSpec],
                    late: bool = False) -> None:
    """The input on its own: a known return, reasons where needed (a late return always
    says why), conditions only with (and always with) go with conditions, each with its
    text."""
    if decision not in DECISIONS:
        raise InvalidInput(f"--return: {decision!r} is not a gateway return; expected one of "
                           f"{', '.join(DECISIONS)}")
    if decision != "go" and not reasons.strip():
        raise InvalidInput(f"--reason: a {decision} return needs the partner's reasons")
    if late and not reasons.strip():
        raise InvalidInput("--reason: a return recorded --late says why it is late, e.g. "
                           "--reason 'Board meeting moved to 5 November'")
    if decision == "go_with_conditions" and not conditions:
        raise InvalidInput("--condition: a go_with_conditions return needs at least one "
                           "condition, each with --owner and --due")
    if decision != "go_with_conditions" and conditions:
        raise InvalidInput(f"--condition: conditions go with a go_with_conditions return, not "
                           f"{decision}")
    for i, c in enumerate(conditions, 1):
        if not c.text.strip():
            raise InvalidInput(f"--condition {i}: the condition needs its text")


def check_return(uow: UnitOfWork, row: ProposalRow, partner_id: str, decision: str,
                 month: date | None, held_on: date | None,
                 conditions: Sequence[ConditionSpec], late: bool = False) -> tuple[date, date]:
    """The rules: gateways are held in shadow operation, for a month of it that has begun, once
    per partner; a month already marked missed takes a return only recorded as late, with a
    reason; condition owners are members and due after the gateway. Returns the gateway month
    and the day it was held."""
    s = uow.session
    who = describe(row, "proposal")
    today = local_today(uow.config, uow.now)
    attending = attending_refusal(uow.config, partner_id, "the monthly gateways")
    if attending:
        raise RuleRefused("partners that only attend", attending)
    if row.state not in ("shadow_operation", "paused"):
        raise RuleRefused(RULE, f"{who} is {row.state!r}; gateways are held only in shadow "
                                "operation (or while paused)")
    if s.get(PartnerRow, partner_id) is None:
        raise InvalidInput(f"--partner: {partner_id!r} is not a partner; expected one of "
                           f"{partner_ids(s)}")
    m, held = gateway_dates(uow, month, held_on)
    if held > today:
        raise InvalidInput(f"--held-on: {held.isoformat()} is in the future")
    assert row.shadow_start is not None
    if m < row.shadow_start or m > month_start(today):
        raise InvalidInput(f"--month: {m:%Y-%m} is outside shadow operation, which runs from "
                           f"{row.shadow_start:%Y-%m} to {today:%Y-%m}")
    for i, c in enumerate(conditions, 1):
        if s.get(MemberRow, c.owner_id) is None:
            raise InvalidInput(f"--owner {i}: {c.owner_id!r} is not a member id; the owner of a "
                               "condition is a member (see 's75 check-config')")
        if c.due <= held:
            raise InvalidInput(f"--due {i}: {c.due.isoformat()} must be after the gateway "
                               f"({held.isoformat()})")
    assert row.id is not None
    before = gateway_returns(s, row.id).get(m, {})
    if partner_id in before:
        raise RuleRefused(RULE, f"{partner_id} already returned {before[partner_id]} at the "
                                f"{m:%B %Y} gateway of {who}")
    missed = month_missed(m, today)
    if missed and not late:
        raise RuleRefused(RULE, f"--month: the {m:%B %Y} gateway of {who} was marked missed "
                                f"(no return from {partner_id} by {month_end(m).isoformat()}); "
                                "record this return as late with --late and --reason (why it "
                                f"is late), or for the current month ({today:%Y-%m})")
    if late and not missed:
        raise InvalidInput(f"--late: the {m:%B %Y} gateway is not marked missed (it is due by "
                           f"{month_end(m).isoformat()}); record the return without --late")
    return m, held


def gateway_dates(uow: UnitOfWork, month: date | None, held_on: date | None
                  ) -> tuple[date, date]:
    """The gateway's month and the day it was held (defaults: today, and today's month)."""
    held = held_on or local_today(uow.config, uow.now)
    return month_start(month or held), held


def write_return(uow: UnitOfWork, row: ProposalRow, partner_id: str, decision: str,
                 reasons: str, m: date, held: date,
                 conditions: Sequence[ConditionSpec], late: bool = False) -> GatewayReturnRow:
    """The return, its conditions and their events, then its effect on the proposal."""
    s = uow.session
    assert row.id is not None
    proposal_id = row.id
    gateway = s.exec(select(GatewayRow).where(GatewayRow.proposal_id == proposal_id,
                                              GatewayRow.month == m)).first()
    if gateway is None:
        gateway = GatewayRow(proposal_id=proposal_id, month=m, held_on=held)
        s.add(gateway)
        s.flush()
    assert gateway.id is not None
    before = gateway_returns(s, proposal_id).get(m, {})
    ret = GatewayReturnRow(gateway_id=gateway.id, proposal_id=proposal_id,
                           partner_id=partner_id, decision=decision, reasons=reasons,
                           recorded_at=uow.now, recorded_by=uow.actor,
                           late_reason=reasons if late else None)
    s.add(ret)
    s.flush()
    forget_returns(s)
    partners = partner_ids(s)
    now_returns = {**before, partner_id: decision}
    status = gateway_month_status(m, partners, now_returns, local_today(uow.config, uow.now))
    nxt = next_month(m)
    uow.emit(GatewayRecorded(proposal_id=proposal_id, gateway_id=gateway.id, month=m,
                             partner_id=partner_id, decision=decision, reasons=reasons,
                             complete=all(p in now_returns for p in partners), rag=status.rag,
                             awaiting=tuple(p for p in partners if p not in now_returns),
                             next_gateway_month=nxt, gateway_due=month_end(nxt)))
    for c in conditions:
        cond = ConditionRow(proposal_id=proposal_id, gateway_id=gateway.id,
                            partner_id=partner_id, text=c.text.strip(), owner_id=c.owner_id,
                            due=c.due)
        s.add(cond)
        s.flush()
        assert cond.id is not None
        uow.emit(ConditionAdded(proposal_id=proposal_id, condition_id=cond.id,
                                gateway_id=gateway.id, partner_id=partner_id, text=cond.text,
                                owner_id=c.owner_id, due=c.due))
    _apply(uow, proposal_id, partner_id, decision, reasons, m)
    return ret


def _apply(uow: UnitOfWork, proposal_id: int, partner_id: str, decision: str, reasons: str,
           month: date) -> None:
    row = get_proposal(uow.session, proposal_id)
    partner = next((p for p in uow.config.partner if p.id == partner_id), None)
    who = partner.name if partner is not None else partner_id
    said = f"{who} returned {decision} at the {month:%B %Y} gateway" + (
        f": {reasons}" if reasons else "")
    facts = {"reason": said, "partner_id": partner_id, "month": month.strftime("%Y-%m")}
    if decision == "stop":
        fire(uow, row, "proposal", "stop", facts)
    elif decision == "pause" and row.state == "shadow_operation":
        fire(uow, row, "proposal", "pause", facts)
    elif row.state == "paused" and "resume" in allowed_triggers(row, "proposal", uow):
        fire(uow, row, "proposal", "resume", facts)


def close_condition(uow: UnitOfWork, condition_id: int, note: str = "") -> ConditionRow:
    cond = uow.session.get(ConditionRow, condition_id)
    if cond is None:
        raise NotFound(f"condition {condition_id} does not exist (see 's75 gateway conditions "
                       "PROPOSAL')")
    if cond.status == "closed":
        raise RuleRefused(RULE, f"condition {condition_id} {cond.text!r} was already closed on "
                                f"{cond.closed_at:%Y-%m-%d} by {cond.closed_by}")
    cond.status = "closed"
    cond.closed_at = uow.now
    cond.closed_by = uow.actor
    cond.closing_note = note.strip()
    uow.session.add(cond)
    uow.session.flush()
    assert cond.id is not None
    uow.emit(ConditionClosed(proposal_id=cond.proposal_id, condition_id=cond.id, text=cond.text,
                             owner_id=cond.owner_id, due=cond.due, note=cond.closing_note))
    return cond


def conditions(session: Session, proposal_id: int, *, open_only: bool = False
               ) -> list[ConditionRow]:
    get_proposal(session, proposal_id)
    q = select(ConditionRow).where(ConditionRow.proposal_id == proposal_id)
    if open_only:
        q = q.where(ConditionRow.status == "open")
    return list(session.exec(q.order_by(col(ConditionRow.id))).all())

