"""The proposal actions' permissions beyond the table in tests/actions/: whose secretary may
act, and a trigger's permission taken from its transition's actors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from decisions.principals import PermissionRefused, find_principal
from s75.app import App, make_app
from s75.db import upgrade
from s75.standing import sync_standing
from tests.actions.proposal_cases import proposal_in, today
from tests.actions.support import audit_count
from tests.conftest import CONFIG
from workflows.proposal.actions import FireProposal, RecordApproval, RecordSignature
from workflows.tables import ProposalRow


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    a = make_app(CONFIG, f"sqlite:///{tmp_path / 's75.db'}")
    upgrade(a.raw_engine)
    with a.session() as s:
        sync_standing(s, a.config, a.clock.now())
    yield a
    a.close()


def test_a_secretary_records_only_their_own_bodys_approval(app: App) -> None:
    pid = proposal_in(app, "approval_in_principle")
    before = audit_count(app)
    with pytest.raises(PermissionRefused) as exc:
        app.perform(RecordApproval(pid, "council", "cabinet", today(app), "CAB/19/1"),
                    principal=find_principal(app.config, "board_secretary"))
    assert str(exc.value) == (
        f"permission refused: proposal approve on proposal {pid} 'Expand the pool' may be done "
        "by the secretary of the Council Cabinet or an admin; CCG Board Secretary is secretary "
        "of the CCG Board")
    assert audit_count(app) == before


def test_a_partners_signature_is_recorded_by_its_own_sovereign_bodys_secretary(app: App
                                                                               ) -> None:
    pid = proposal_in(app, "signing")
    with pytest.raises(PermissionRefused, match="may be done by the programme director, the "
                                                "secretary of the Council Cabinet"):
        app.perform(RecordSignature(pid, "council", "director_people"),
                    principal=find_principal(app.config, "board_secretary"))


def test_fire_takes_its_permission_from_the_transitions_actors(app: App) -> None:
    pid = proposal_in(app, "shadow_operation")
    pause = FireProposal(pid, "pause", {"reason": "Awaiting legal advice"})
    with pytest.raises(PermissionRefused) as exc:
        app.perform(pause, principal=find_principal(app.config, "programme_director"))
    message = str(exc.value)
    assert message.startswith(f"permission refused: proposal fire on proposal {pid} 'Expand "
                              "the pool' ('pause' from 'shadow_operation') may be done by the "
                              "secretary of"), message
    assert "Integrated Commissioning Programme Director is programme director" in message
    moved = app.perform(pause, principal=find_principal(app.config, "board_secretary"))
    assert isinstance(moved, ProposalRow) and moved.state == "paused"


def test_a_trigger_not_defined_from_the_state_is_refused_by_the_workflow_when_permitted(
        app: App) -> None:
    from decisions.errors import RuleRefused

    pid = proposal_in(app)
    with pytest.raises(RuleRefused, match="is 'draft', where 'start_drafting' cannot be fired"):
        app.perform(FireProposal(pid, "start_drafting"),
                    principal=find_principal(app.config, "programme_director"))


def test_a_condition_set_at_a_gateway_is_owned_mailed_and_met_when_closed(app: App) -> None:
    from datetime import timedelta

    from sqlmodel import select

    from notifications.tables import DeadlineRow, OutboxRow
    from workflows.proposal.actions import CloseCondition, RecordGatewayReturn
    from workflows.proposal.gateways import ConditionSpec
    from workflows.tables import AuditEventRow

    pid = proposal_in(app, "shadow_operation")
    due = today(app) + timedelta(days=30)
    spec = ConditionSpec("Agree the [b]workforce[/b] plan", "director_transformation", due)
    app.perform(RecordGatewayReturn(pid, "ccg", "go_with_conditions", "Workforce",
                                    conditions=(spec,)),
                principal=find_principal(app.config, "board_secretary"))
    with app.session() as s:
        deadline = s.exec(select(DeadlineRow).where(DeadlineRow.kind == "condition")).one()
        assert deadline.state == "pending"
        assert deadline.title == "Gateway condition: Agree the [b]workforce[/b] plan"
        mail = s.exec(select(OutboxRow).where(OutboxRow.kind == "condition")).one()
        assert mail.recipient == "transformation@example.org"
        assert f"(due {due:%d %b %Y})" in mail.subject
        added = s.exec(select(AuditEventRow).where(AuditEventRow.action == "condition.added")
                       ).one()
        condition_id = int(added.payload["condition_id"])
        assert added.payload["due"] == due.isoformat()
        gateway = s.exec(select(AuditEventRow).where(
            AuditEventRow.action == "gateway.recorded")).one()
        assert gateway.actor == "board_secretary"
        assert gateway.payload["awaiting"] == ["council"]
    with pytest.raises(PermissionRefused, match="director_transformation themself"):
        app.perform(CloseCondition(condition_id), principal=find_principal(app.config,
                                                                            "board_secretary"))
    app.perform(CloseCondition(condition_id, "Agreed at the Board."),
                principal=find_principal(app.config, "director_transformation"))
    with app.session() as s:
        deadline = s.exec(select(DeadlineRow).where(DeadlineRow.kind == "condition")).one()
        assert (deadline.state, deadline.outcome) == ("met", "condition closed")


def test_proposal_events_are_heard_by_type_only() -> None:
    from s75.wiring import build_bus
    from workflows.proposal import events

    bus = build_bus()
    for kind in (events.ProposalCreated, events.ProposalMoved, events.StartMoved,
                 events.GatewayRecorded, events.ConditionAdded, events.ConditionClosed):
        assert bus.handlers.get(kind), f"nothing subscribed to {kind.__name__}"
