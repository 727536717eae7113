"""Deadlines of a proposal: the monthly gateway while in shadow operation (file 002), the s75
signing deadline (file 001: signed by 31 March), and quarterly pooled-fund reports once the
agreement is live (SI 2000/617 reg 7). Handlers for ``proposal.*`` and ``gateway.*``; the
proposal's state is read from its row (the engine writes it before emitting)."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, func, select

from notifications import deadlines as dl
from notifications import store
from workflows.events import LegacyEvent, UnitOfWork
from workflows.tables import ProposalRow

SHADOW_STATES = ("shadow_operation", "paused")
"""Gateways are held monthly in shadow operation; a paused proposal resumes at a gateway."""
AFTER_SHADOW = ("s75_drafting", "s75_approval", "signing", "live", "variation")
SIGNED_STATES = ("live",)
ENDED_STATES = ("stopped", "withdrawn")


def _proposal(uow: UnitOfWork, ev: LegacyEvent) -> ProposalRow | None:
    raw = ev.subject_id if ev.subject_type == "proposal" else ev.data.get("proposal_id")
    try:
        pid = int(str(raw))
    except ValueError:
        return None
    return uow.session.get(ProposalRow, pid)


def live_from(uow: UnitOfWork, p: ProposalRow) -> date:
    return p.start_date or dl.financial_year_start(uow.config,
                                                   uow.config.pool.start_year + p.variation)


def plan_gateway(uow: UnitOfWork, p: ProposalRow, month: date) -> None:
    assert p.id is not None
    store.upsert(uow.session, dl.gateway_deadline(uow.config, p.id, p.title, month.year,
                                                  month.month), uow.now)


def on_proposal(uow: UnitOfWork, ev: LegacyEvent) -> None:
    p = _proposal(uow, ev)
    if p is None or p.id is None:
        return
    cfg, state = uow.config, p.state
    if state in ENDED_STATES:
        store.close_matching(uow.session, uow.now, "waived", f"proposal {state}",
                             proposal_id=p.id)
        return
    start = live_from(uow, p)
    if state in SIGNED_STATES:
        rows = store.find(uow.session, kind="signing", proposal_id=p.id)
        for row in rows:
            store.close(row, "met", "s75 agreement signed", uow.now)
            uow.session.add(row)
    else:
        store.upsert(uow.session, dl.signing_deadline(cfg, p.id, p.title, start,
                                                      moved=p.start_moved,
                                                      variation=p.variation), uow.now)
    if state in AFTER_SHADOW:
        store.close_matching(uow.session, uow.now, "waived", "shadow operation ended",
                             kind="gateway", proposal_id=p.id)
    if state in SHADOW_STATES:
        today = dl.local_date(cfg, uow.now)
        plan_gateway(uow, p, date(today.year, today.month, 1))
    if state == "live":
        for q in dl.quarterly_report_deadlines(cfg, start, f"proposal{p.id}", p.id):
            store.upsert(uow.session, q, uow.now)


def _returns_complete(uow: UnitOfWork, ev: LegacyEvent) -> bool:
    """Met when every partner has made its return (if the gateway tables can tell)."""
    gateway_id = ev.data.get("gateway_id")
    if gateway_id is None:
        return True
    try:
        from workflows.proposal.tables import GatewayReturnRow
    except ImportError:  # pragma: no cover - lifecycle area not installed
        return True
    count = uow.session.exec(select(func.count()).select_from(GatewayReturnRow)
                             .where(col(GatewayReturnRow.gateway_id) == gateway_id)).one()
    return int(count) >= len(uow.config.partner)


def on_gateway(uow: UnitOfWork, ev: LegacyEvent) -> None:
    p = _proposal(uow, ev)
    if p is None or p.id is None or not ev.name.endswith(".recorded"):
        return
    month = dl_month(ev.data.get("month")) or date(uow.now.year, uow.now.month, 1)
    key = f"gateway:proposal:{p.id}:{month:%Y-%m}"
    complete = ev.data.get("complete")
    if complete is True or (complete is None and _returns_complete(uow, ev)):
        for row in store.find(uow.session, kind="gateway", proposal_id=p.id):
            if row.key == key:
                store.close(row, "met", "gateway held: every partner made its return", uow.now)
                uow.session.add(row)
    if p.state in SHADOW_STATES:
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        plan_gateway(uow, p, nxt)


def dl_month(value: object) -> date | None:
    if isinstance(value, date):
        return value.replace(day=1)
    if isinstance(value, str) and len(value) >= 7:
        return date(int(value[:4]), int(value[5:7]), 1)
    return None
