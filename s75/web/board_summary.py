"""What the gateway board's risk tests need of a proposal's gateways and conditions, one row per
proposal (``proposal_gateway_summary``): the latest gateway month, whether its returns were
other than go, and the earliest due date of an open condition. With it the at-risk filter is a
comparison of two rows' columns per proposal instead of index searches in three tables.

Kept in step by the code that changes its inputs: gateways, their returns and conditions are
written only by the gateway actions (workflows/proposal/gateways.py), each write followed by
its event (``GatewayRecorded``, ``ConditionAdded``, ``ConditionClosed``); the handlers here
recompute the proposal's row from the tables, in the same transaction. A proposal without a
row has no gateway and no condition (the columns' NULLs say the same). Bulk loads that write
the tables directly (the benchmarks' seed) call :func:`refresh` after. Migration 0004_lists
fills it for an existing database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Column, Date, Table, delete, exists, func, insert, select
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel

from workflows.events import EventBus, UnitOfWork
from workflows.proposal.events import ConditionAdded, ConditionClosed, GatewayRecorded
from workflows.proposal.tables import ConditionRow, GatewayReturnRow, GatewayRow
from workflows.tables import ProposalRow


class GatewaySummaryRow(SQLModel, table=True):
    __tablename__ = "proposal_gateway_summary"
    proposal_id: int = Field(foreign_key="proposal.id", primary_key=True)
    latest_month: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    """The month of the latest gateway held (NULL: none)."""
    latest_not_go: bool = False
    """A return other than go at the latest gateway."""
    first_open_due: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    """The earliest due date of an open condition (NULL: none open)."""


SUMMARY: Table = GatewaySummaryRow.__table__  # type: ignore[attr-defined]


def refresh(session: Session, ids: Sequence[int] | None = None) -> None:
    """Recompute the rows of the proposals ``ids`` (every proposal: None) from the tables:
    two statements whatever their number."""
    p = ProposalRow.__table__.c  # type: ignore[attr-defined]
    g = GatewayRow.__table__  # type: ignore[attr-defined]
    r = GatewayReturnRow.__table__.c  # type: ignore[attr-defined]
    c = ConditionRow.__table__.c  # type: ignore[attr-defined]
    latest = g.alias("latest")
    latest_month = select(func.max(g.c.month)).where(g.c.proposal_id == p.id).scalar_subquery()
    latest_id = (select(latest.c.id).where(latest.c.proposal_id == p.id)
                 .order_by(latest.c.month.desc()).limit(1).scalar_subquery())
    not_go = exists().where(r.gateway_id == latest_id, r.decision != "go")
    first_due = (select(func.min(c.due)).where(c.proposal_id == p.id, c.status == "open")
                 .scalar_subquery())
    rows = select(p.id, latest_month, not_go, first_due)
    clear = delete(SUMMARY)
    if ids is not None:
        rows = rows.where(p.id.in_(list(ids)))
        clear = clear.where(SUMMARY.c.proposal_id.in_(list(ids)))
    session.execute(clear)
    session.execute(insert(SUMMARY).from_select(
        ["proposal_id", "latest_month", "latest_not_go", "first_open_due"], rows))


def on_gateway_change(uow: UnitOfWork,
                      event: GatewayRecorded | ConditionAdded | ConditionClosed) -> None:
    refresh(uow.session, [event.proposal_id])


def install(bus: EventBus) -> None:
    bus.subscribe(GatewayRecorded, on_gateway_change)
    bus.subscribe(ConditionAdded, on_gateway_change)
    bus.subscribe(ConditionClosed, on_gateway_change)
