"""Reads of the proposal lifecycle's tables, shared by the guards and the services."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from decisions.errors import NotFound
from decisions.terms import LocalityConfig
from workflows.committee.tables import PartnerRow
from workflows.events import UnitOfWork
from workflows.prepared import Prepared, connection
from workflows.proposal.loading import find_proposal, load_proposal, take_returns
from workflows.proposal.rules import (
    MonthStatus,
    default_start,
    gateway_month_status,
    months_between,
    signing_deadline,
)
from workflows.proposal.tables import (
    ApprovalRow,
    ChecklistRow,
    ConditionRow,
    GatewayReturnRow,
    GatewayRow,
    SignatureRow,
)
from workflows.tables import ProposalRow


def local_today(config: LocalityConfig, now: datetime) -> date:
    return now.astimezone(config.zone).date()


def get_proposal(session: Session, proposal_id: int, *, with_returns: bool = False
                 ) -> ProposalRow:
    """The proposal (NotFound naming the ids that exist); one Core SELECT, or none if the
    session holds it already (workflows/proposal/loading.py)."""
    row = find_proposal(session, proposal_id, with_returns=with_returns)
    if row is None:
        last = session.exec(select(ProposalRow.id).order_by(col(ProposalRow.id).desc())).first()
        hint = f"proposal ids run from 1 to {last}" if last else "there are no proposals yet"
        raise NotFound(f"proposal {proposal_id} does not exist ({hint}; see 's75 proposal "
                       "list')")
    return row


def proposal_of(uow: UnitOfWork, proposal_id: int, *, with_returns: bool = False
                ) -> ProposalRow:
    """:func:`get_proposal` in a unit of work, on its connection alone while it has no ORM
    session (workflows/proposal/loading.py: :func:`load_proposal`)."""
    row = load_proposal(uow, proposal_id, with_returns=with_returns)
    return row if row is not None else get_proposal(uow.session, proposal_id)


def partner_ids(session: Session) -> list[str]:
    """The partners that pool (a partner that only attends returns no gateways)."""
    return list(session.exec(select(PartnerRow.id).where(col(PartnerRow.pools).is_(True))
                             .order_by(col(PartnerRow.id))).all())


def approvals(session: Session, proposal: ProposalRow, stage: str | None = None
              ) -> list[ApprovalRow]:
    q = select(ApprovalRow).where(ApprovalRow.proposal_id == proposal.id,
                                  ApprovalRow.variation == proposal.variation)
    if stage is not None:
        q = q.where(ApprovalRow.stage == stage)
    return list(session.exec(q.order_by(col(ApprovalRow.id))).all())


_RETURNS = Prepared(
    sa_select(col(GatewayRow.month), col(GatewayReturnRow.partner_id),
              col(GatewayReturnRow.decision))
    .join(GatewayReturnRow, col(GatewayReturnRow.gateway_id) == col(GatewayRow.id))
    .where(col(GatewayRow.proposal_id) == bindparam("pid"))
    .order_by(col(GatewayRow.month), col(GatewayReturnRow.id)))


def gateway_returns(session: Session, proposal_id: int) -> dict[date, dict[str, str]]:
    """Month -> partner -> decision, in the order recorded (read with the proposal when the
    trigger's guard needs them: :func:`~workflows.proposal.loading.take_returns`)."""
    kept = take_returns(session, proposal_id)
    if kept is not None:
        return kept
    if session.autoflush:
        session.flush()
    rows = _RETURNS.rows(connection(session), {"pid": proposal_id})
    out: dict[date, dict[str, str]] = {}
    for month, partner, decision in rows:
        out.setdefault(month, {})[partner] = decision
    return out


def returns_in(uow: UnitOfWork, proposal_id: int) -> dict[date, dict[str, str]]:
    """:func:`gateway_returns` in a unit of work, on its connection alone while it has no ORM
    session (nothing then is pending to flush)."""
    if uow.has_session:
        return gateway_returns(uow.session, proposal_id)
    kept = take_returns(uow, proposal_id)
    if kept is not None:
        return kept
    out: dict[date, dict[str, str]] = {}
    for month, partner, decision in _RETURNS.rows(uow.connection, {"pid": proposal_id}):
        out.setdefault(month, {})[partner] = decision
    return out


def late_returns(session: Session, proposal_id: int) -> dict[date, dict[str, str]]:
    """Month -> partner -> the reason its return was recorded late."""
    rows = session.exec(
        select(col(GatewayRow.month), col(GatewayReturnRow.partner_id),
               col(GatewayReturnRow.late_reason))
        .join(GatewayReturnRow, col(GatewayReturnRow.gateway_id) == col(GatewayRow.id))
        .where(GatewayRow.proposal_id == proposal_id,
               col(GatewayReturnRow.late_reason).is_not(None))).all()
    out: dict[date, dict[str, str]] = {}
    for month, partner, reason in rows:
        out.setdefault(month, {})[partner] = reason or ""
    return out


def gateway_status(session: Session, proposal_id: int, today: date) -> list[MonthStatus]:
    """Per-month RAG of a proposal's shadow operation, from the month it started to the month it
    ended (or ``today``): green every partner go; amber conditions or a pause; red a stop or a
    month with no gateway held (missed); due for the current month while returns are awaited."""
    proposal = get_proposal(session, proposal_id)
    if proposal.shadow_start is None:
        return []
    last = proposal.shadow_end or today
    returns = gateway_returns(session, proposal_id)
    late = late_returns(session, proposal_id)
    partners = partner_ids(session)
    return [gateway_month_status(m, partners, returns.get(m, {}), today, late.get(m))
            for m in months_between(proposal.shadow_start, last)]


def latest_returns(session: Session | UnitOfWork, proposal_id: int) -> dict[str, str]:
    """Each partner's most recent gateway decision (given a unit of work: :func:`returns_in`)."""
    latest: dict[str, str] = {}
    found = returns_in(session, proposal_id) if isinstance(session, UnitOfWork) else \
        gateway_returns(session, proposal_id)
    for month_returns in found.values():
        latest.update(month_returns)
    return latest


def open_conditions(session: Session, proposal_id: int) -> list[ConditionRow]:
    return list(session.exec(select(ConditionRow).where(
        ConditionRow.proposal_id == proposal_id, ConditionRow.status == "open")
        .order_by(col(ConditionRow.due), col(ConditionRow.id))).all())


def checklist_present(session: Session, proposal: ProposalRow) -> dict[str, str]:
    rows = session.exec(select(ChecklistRow).where(
        ChecklistRow.proposal_id == proposal.id, ChecklistRow.variation == proposal.variation,
        col(ChecklistRow.present).is_(True))).all()
    return {r.item: r.reference for r in rows}


def signatures(session: Session, proposal: ProposalRow) -> list[SignatureRow]:
    return list(session.exec(select(SignatureRow).where(
        SignatureRow.proposal_id == proposal.id, SignatureRow.variation == proposal.variation)
        .order_by(col(SignatureRow.id))).all())


def start_of(config: LocalityConfig, proposal: ProposalRow) -> date:
    return proposal.start_date or default_start(config, proposal.variation)


def deadline_of(config: LocalityConfig, proposal: ProposalRow) -> date:
    return signing_deadline(config, start_of(config, proposal), proposal.start_moved)
