"""Deadlines of a proposal: the monthly gateway while in shadow operation (file 002), the s75
signing deadline (file 001: signed by 31 March), quarterly pooled-fund reports once the
agreement is live (SI 2000/617 reg 7), and each gateway condition's owner and due date.
Handlers subscribed by type (:func:`install`) to the proposal's events
(workflows/proposal/events.py); ids come from the events' fields, the proposal's state from its
row (the engine writes it before emitting)."""

from __future__ import annotations

from datetime import date

from notifications import deadlines as dl
from notifications import store
from notifications.messages import tell_owner
from workflows.events import EventBus, UnitOfWork
from workflows.proposal.events import (
    ConditionAdded,
    ConditionClosed,
    GatewayRecorded,
    ProposalCreated,
    ProposalMoved,
    StartMoved,
)
from workflows.tables import ProposalRow

SHADOW_STATES = ("shadow_operation", "paused")
"""Gateways are held monthly in shadow operation; a paused proposal resumes at a gateway."""
AFTER_SHADOW = ("s75_drafting", "s75_approval", "signing", "live", "variation")
SIGNED_STATES = ("live",)
ENDED_STATES = ("stopped", "withdrawn")
SIGNING_INPUTS = ("variation", "start_date", "signing_deadline")
"""What a transition's effects return when they change what the signing deadline is computed
from (the variation, the start date): only then is it recomputed on a move (it is planned when
the proposal is created and when a decision moves the start)."""


def _signing_inputs_changed(ev: ProposalCreated | ProposalMoved | StartMoved) -> bool:
    if not isinstance(ev, ProposalMoved):
        return True
    return ev.from_state in SIGNED_STATES or any(k in ev.extra for k in SIGNING_INPUTS)


def _month_gateway_key(uow: UnitOfWork, proposal_id: int) -> str:
    today = dl.local_date(uow.config, uow.now)
    return dl.gateway_key(proposal_id, today.year, today.month)


_MONTH_GATEWAY = store.read_ahead(_month_gateway_key)
"""A trigger in shadow operation plans the month's gateway deadline: read with the proposal
(one object, so every bus's proposal read is the same prepared statement)."""


def install(bus: EventBus) -> None:
    bus.read_with(ProposalRow, _MONTH_GATEWAY)
    bus.subscribe(ProposalCreated, on_proposal)
    bus.subscribe(ProposalMoved, on_proposal)
    bus.subscribe(StartMoved, on_proposal)
    bus.subscribe(GatewayRecorded, on_gateway)
    bus.subscribe(ConditionAdded, on_condition_added)
    bus.subscribe(ConditionClosed, on_condition_closed)


def live_from(uow: UnitOfWork, p: ProposalRow) -> date:
    return p.start_date or dl.financial_year_start(uow.config,
                                                   uow.config.pool.start_year + p.variation)


def plan_gateway(uow: UnitOfWork, p: ProposalRow, month: date) -> None:
    assert p.id is not None
    store.plan_in(uow, dl.gateway_deadline(uow.config, p.id, p.title, month.year, month.month))


def on_proposal(uow: UnitOfWork, ev: ProposalCreated | ProposalMoved | StartMoved) -> None:
    p = uow.get(ProposalRow, ev.proposal_id)  # the row the trigger read, if it did
    if p is None or p.id is None:
        return
    cfg, state = uow.config, p.state
    if state in ENDED_STATES:
        store.close_matching(uow.session, uow.now, "waived", f"proposal {state}",
                             proposal_id=p.id)
        return
    if state in SIGNED_STATES:
        rows = store.find(uow.session, kind="signing", proposal_id=p.id)
        for row in rows:
            store.close(row, "met", "s75 agreement signed", uow.now)
            uow.session.add(row)
    elif _signing_inputs_changed(ev):
        store.plan(uow.session, dl.signing_deadline(cfg, p.id, p.title, live_from(uow, p),
                                                      moved=p.start_moved,
                                                      variation=p.variation), uow.now)
    if state in AFTER_SHADOW:
        store.close_matching(uow.session, uow.now, "waived", "shadow operation ended",
                             kind="gateway", proposal_id=p.id)
    if state in SHADOW_STATES:
        today = dl.local_date(cfg, uow.now)
        plan_gateway(uow, p, date(today.year, today.month, 1))
    if state == "live":
        for q in dl.quarterly_report_deadlines(cfg, live_from(uow, p), f"proposal{p.id}", p.id):
            store.plan(uow.session, q, uow.now)


def on_gateway(uow: UnitOfWork, ev: GatewayRecorded) -> None:
    p = uow.session.get(ProposalRow, ev.proposal_id)
    if p is None or p.id is None:
        return
    month = ev.month.replace(day=1)
    key = dl.gateway_key(p.id, month.year, month.month)
    if ev.complete:
        for row in store.find(uow.session, kind="gateway", proposal_id=p.id):
            if row.key == key:
                store.close(row, "met", "gateway held: every partner made its return", uow.now)
                uow.session.add(row)
    if p.state in SHADOW_STATES:
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        plan_gateway(uow, p, nxt)


def on_condition_added(uow: UnitOfWork, ev: ConditionAdded) -> None:
    """The condition's owner gets a deadline (reminded before it is due) and an email."""
    cfg = uow.config
    title = f"Gateway condition: {ev.text or f'condition {ev.condition_id}'}"
    planned = dl.owned_deadline(cfg, "condition", "condition", str(ev.condition_id),
                                ev.owner_id, ev.due, title,
                                "a gateway condition must be closed before s75 drafting "
                                "(file 002)", proposal_id=ev.proposal_id)
    row = store.upsert(uow.session, planned, uow.now)
    tell_owner(uow.session, cfg, uow.now, row, key=f"condition.added:{ev.condition_id}",
               title=title, due=ev.due, kind="condition")


def on_condition_closed(uow: UnitOfWork, ev: ConditionClosed) -> None:
    for row in store.find(uow.session, kind="condition", subject_id=ev.condition_id):
        store.close(row, "met", "condition closed", uow.now)
        uow.session.add(row)
