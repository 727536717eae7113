"""Permission cases for the proposal lifecycle's actions (workflows/proposal/actions.py).

Each set-up creates a proposal as the operator and puts it in the state where the action could
succeed (the state written directly where reaching it needs months of gateways), then names a
principal who may act and one who may not.
"""

from __future__ import annotations

from datetime import date, timedelta

from s75.app import App
from tests.actions.support import Case, case
from workflows.proposal.actions import (
    CloseCondition,
    CreateProposal,
    FireProposal,
    MarkChecklist,
    MoveStart,
    RecordApproval,
    RecordGatewayReturn,
    RecordSignature,
)
from workflows.proposal.queries import local_today
from workflows.proposal.rules import REG7_CHECKLIST, month_start
from workflows.proposal.tables import ConditionRow, GatewayRow
from workflows.tables import ProposalRow


def today(app: App) -> date:
    return local_today(app.config, app.clock.now())


def proposal_in(app: App, state: str = "draft") -> int:
    """A proposal starting in a year's time, put in ``state``."""
    row = app.perform(CreateProposal("Expand the pool",
                                     start_date=today(app) + timedelta(days=400)))
    assert isinstance(row, ProposalRow) and row.id is not None
    if state != "draft":
        with app.session() as s:
            stored = s.get(ProposalRow, row.id)
            assert stored is not None
            stored.state = state
            if state in ("shadow_operation", "paused"):
                stored.shadow_start = month_start(today(app))
            s.add(stored)
    return row.id


@case("proposal create")
def _create(app: App) -> Case:
    return Case(CreateProposal("Expand the pool to include Population Health"),
                allowed="programme_director", refused="commissioning_lead")


@case("proposal fire")
def _fire(app: App) -> Case:
    return Case(FireProposal(proposal_in(app), "submit"),
                allowed="programme_director", refused="board_secretary")


@case("proposal approve")
def _approve(app: App) -> Case:
    pid = proposal_in(app, "approval_in_principle")
    return Case(RecordApproval(pid, "ccg", "ccg_board", today(app), "CCG/19/1"),
                allowed="board_secretary", refused="programme_director")


@case("proposal checklist")
def _checklist(app: App) -> Case:
    pid = proposal_in(app, "s75_drafting")
    return Case(MarkChecklist(pid, tuple(REG7_CHECKLIST)),
                allowed="programme_director", refused="exec_adults")


@case("proposal sign")
def _sign(app: App) -> Case:
    pid = proposal_in(app, "signing")
    return Case(RecordSignature(pid, "ccg", "accountable_officer"),
                allowed="board_secretary", refused="exec_adults")


@case("proposal move-start")
def _move_start(app: App) -> Case:
    pid = proposal_in(app)
    return Case(MoveStart(pid, today(app) + timedelta(days=500), "ccg_board", today(app),
                          "CCG/19/2"), allowed="board_secretary", refused="programme_director")


@case("gateway record")
def _gateway(app: App) -> Case:
    pid = proposal_in(app, "shadow_operation")
    return Case(RecordGatewayReturn(pid, "ccg", "go"),
                allowed="board_secretary", refused="commissioning_lead")


@case("gateway close-condition")
def _close_condition(app: App) -> Case:
    pid = proposal_in(app, "shadow_operation")
    with app.session() as s:
        gateway = GatewayRow(proposal_id=pid, month=month_start(today(app)), held_on=today(app))
        s.add(gateway)
        s.flush()
        assert gateway.id is not None
        cond = ConditionRow(proposal_id=pid, gateway_id=gateway.id, partner_id="ccg",
                            text="Agree the workforce plan", owner_id="director_transformation",
                            due=today(app) + timedelta(days=30))
        s.add(cond)
        s.flush()
        assert cond.id is not None
        condition_id = cond.id
    return Case(CloseCondition(condition_id, "Agreed."),
                allowed="director_transformation", refused="exec_adults")
