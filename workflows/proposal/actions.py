"""The proposal lifecycle's user actions, run by :func:`workflows.actions.perform`: create a
proposal, fire a trigger, record an approval, mark the reg 7 checklist, record a signature,
move the start date, record a gateway return, close a condition.

Each validates its input, loads the proposal, names it in words for the permission check
(``proposal 3 'Expand the pool'``), then calls the service that checks the rules and writes
(workflows/proposal/lifecycle.py, signing.py, gateways.py). Who may act:

- the programme director: create, fire (per the transition's ``actors``), the checklist;
- the secretary of the body that decided: approvals and start-date moves;
- the secretary of the partner's sovereign body: its signature and its gateway returns (the
  programme director may record these too);
- the programme director or the condition's owner: closing a gateway condition.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from decisions.errors import InvalidInput, NotFound
from decisions.principals import PROGRAMME_DIRECTOR, SECRETARY, SELF, Permission, Scope
from decisions.terms import LocalityConfig
from workflows.actions import Action, body_scope
from workflows.engine import describe, transition_permission
from workflows.events import UnitOfWork
from workflows.proposal import gateways, lifecycle, signing, start_date
from workflows.proposal.guards import reads_returns
from workflows.proposal.loading import forget_returns
from workflows.proposal.queries import get_proposal, proposal_of
from workflows.proposal.tables import (
    ApprovalRow,
    ConditionRow,
    GatewayReturnRow,
    SignatureRow,
    StartDateChangeRow,
)
from workflows.tables import ProposalRow

PROGRAMME_DIRECTOR_OR_SECRETARY = Permission(("programme_director", "secretary"))


def proposal_scope(uow: UnitOfWork, row: ProposalRow, *body_ids: str) -> Scope:
    """The proposal in words; ``body_ids`` (default: every partner's sovereign body) are those
    whose secretary may act on it."""
    cfg = uow.config
    bodies = body_ids or _partner_bodies(cfg)
    return body_scope(cfg, describe(row, lifecycle.WORKFLOW), *bodies)


_BODIES: dict[int, tuple[LocalityConfig, tuple[str, ...]]] = {}
"""id(config) -> (the config, its pooling partners' sovereign bodies): worked out once per
config (every proposal action's scope names them)."""


def _partner_bodies(cfg: LocalityConfig) -> tuple[str, ...]:
    found = _BODIES.get(id(cfg))
    if found is None or found[0] is not cfg:
        if len(_BODIES) > 16:
            _BODIES.clear()
        found = _BODIES[id(cfg)] = (cfg, tuple(cfg.sovereign_body_of(p.id).id
                                               for p in cfg.pooling_partners))
    return found[1]


def _known_partner(cfg: LocalityConfig, partner_id: str) -> None:
    if partner_id not in {p.id for p in cfg.partner}:
        raise InvalidInput(f"--partner: {partner_id!r} is not a partner; expected one of "
                           f"{[p.id for p in cfg.partner]}")


def _known_body(cfg: LocalityConfig, body_id: str) -> None:
    if body_id not in {b.id for b in cfg.body}:
        raise InvalidInput(f"--body: {body_id!r} is not a body; expected one of "
                           f"{[b.id for b in cfg.body]}")


@dataclass(frozen=True)
class CreateProposal(Action[ProposalRow]):
    name = "proposal create"
    permission = PROGRAMME_DIRECTOR
    title: str
    kind: str = "pool_expansion"
    description: str = ""
    start_date: date | None = None

    def validate(self, cfg: LocalityConfig) -> None:
        if not self.title.strip():
            raise InvalidInput("title: a proposal needs a title, e.g. 'Expand the pool to "
                               "include Population Health'")
        if self.kind not in lifecycle.KINDS:
            raise InvalidInput(f"--kind: {self.kind!r} is not a proposal kind; expected one of "
                               f"{lifecycle.KINDS}")

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return Scope(f"a new proposal {self.title.strip()!r}")

    def write(self, uow: UnitOfWork, loaded: Any) -> ProposalRow:
        return lifecycle.create_proposal(uow, self.title, kind=self.kind,
                                         description=self.description,
                                         start_date=self.start_date)


@dataclass(frozen=True)
class FireProposal(Action[ProposalRow]):
    """Fire ``trigger``; the permission is the transition's ``actors`` in the definition."""

    name = "proposal fire"
    permission = PROGRAMME_DIRECTOR
    proposal_id: int
    trigger: str
    facts: Mapping[str, Any] = field(default_factory=dict)
    expected_version: int | None = None

    def load(self, uow: UnitOfWork) -> ProposalRow:
        # the guard inputs read with the row where the trigger's guard needs them
        return proposal_of(uow, self.proposal_id, with_returns=reads_returns(self.trigger))

    def required(self, uow: UnitOfWork, loaded: ProposalRow) -> Permission:
        return transition_permission(lifecycle.WORKFLOW, self.trigger, loaded.state,
                                     self.permission)

    def scope(self, uow: UnitOfWork, loaded: ProposalRow) -> Scope:
        s = proposal_scope(uow, loaded)
        return Scope(f"{s.what} ({self.trigger!r} from {loaded.state!r})", s.bodies, s.member,
                     s.body_names, s.member_name)

    def write(self, uow: UnitOfWork, loaded: ProposalRow) -> ProposalRow:
        try:
            return lifecycle.fire_proposal(uow, self.proposal_id, self.trigger, self.facts,
                                           expected_version=self.expected_version)
        finally:
            forget_returns(uow.session if uow.has_session else uow)


@dataclass(frozen=True)
class RecordApproval(Action[ApprovalRow]):
    """A partner's approval of the stage the proposal is in, by its body's decision."""

    name = "proposal approve"
    permission = SECRETARY
    proposal_id: int
    partner_id: str
    body_id: str
    meeting_date: date
    minute_ref: str
    decision_id: int | None = None

    def validate(self, cfg: LocalityConfig) -> None:
        _known_body(cfg, self.body_id)

    def load(self, uow: UnitOfWork) -> ProposalRow:
        return get_proposal(uow.session, self.proposal_id)

    def scope(self, uow: UnitOfWork, loaded: ProposalRow) -> Scope:
        return proposal_scope(uow, loaded, self.body_id)

    def write(self, uow: UnitOfWork, loaded: ProposalRow) -> ApprovalRow:
        return lifecycle.record_approval(
            uow, self.proposal_id, partner_id=self.partner_id, body_id=self.body_id,
            meeting_date=self.meeting_date, minute_ref=self.minute_ref,
            decision_id=self.decision_id)


@dataclass(frozen=True)
class MarkChecklist(Action[list[str]]):
    """Mark SI 2000/617 reg 7 items present (or absent); returns the items still missing."""

    name = "proposal checklist"
    permission = PROGRAMME_DIRECTOR
    proposal_id: int
    items: tuple[str, ...]
    present: bool = True
    reference: str = ""

    def load(self, uow: UnitOfWork) -> ProposalRow:
        return get_proposal(uow.session, self.proposal_id)

    def scope(self, uow: UnitOfWork, loaded: ProposalRow) -> Scope:
        return Scope(f"the reg 7 checklist of {describe(loaded, lifecycle.WORKFLOW)}")

    def write(self, uow: UnitOfWork, loaded: ProposalRow) -> list[str]:
        return signing.mark_checklist(uow, self.proposal_id, list(self.items),
                                      present=self.present, reference=self.reference)


@dataclass(frozen=True)
class RecordSignature(Action[SignatureRow]):
    """A partner's signature, recorded by its sovereign body's secretary (or the programme
    director); the last one takes the proposal live."""

    name = "proposal sign"
    permission = PROGRAMME_DIRECTOR_OR_SECRETARY
    proposal_id: int
    partner_id: str
    signatory_id: str
    signed_on: date | None = None

    def validate(self, cfg: LocalityConfig) -> None:
        _known_partner(cfg, self.partner_id)

    def load(self, uow: UnitOfWork) -> ProposalRow:
        return get_proposal(uow.session, self.proposal_id)

    def scope(self, uow: UnitOfWork, loaded: ProposalRow) -> Scope:
        return proposal_scope(uow, loaded, uow.config.sovereign_body_of(self.partner_id).id)

    def write(self, uow: UnitOfWork, loaded: ProposalRow) -> SignatureRow:
        return signing.record_signature(uow, self.proposal_id, partner_id=self.partner_id,
                                        signatory_id=self.signatory_id,
                                        signed_on=self.signed_on)


@dataclass(frozen=True)
class MoveStart(Action[StartDateChangeRow]):
    """The decision of ``body_id`` that moved the start date (and so the signing deadline)."""

    name = "proposal move-start"
    permission = SECRETARY
    proposal_id: int
    new_start: date
    body_id: str
    meeting_date: date
    minute_ref: str
    decision_id: int | None = None

    def validate(self, cfg: LocalityConfig) -> None:
        _known_body(cfg, self.body_id)

    def load(self, uow: UnitOfWork) -> ProposalRow:
        return get_proposal(uow.session, self.proposal_id)

    def scope(self, uow: UnitOfWork, loaded: ProposalRow) -> Scope:
        return proposal_scope(uow, loaded, self.body_id)

    def write(self, uow: UnitOfWork, loaded: ProposalRow) -> StartDateChangeRow:
        return start_date.move_start(uow, self.proposal_id, new_start=self.new_start,
                                  body_id=self.body_id, meeting_date=self.meeting_date,
                                  minute_ref=self.minute_ref, decision_id=self.decision_id)


@dataclass(frozen=True)
class RecordGatewayReturn(Action[GatewayReturnRow]):
    """A partner's return at a monthly gateway, and its effect on the proposal."""

    name = "gateway record"
    permission = PROGRAMME_DIRECTOR_OR_SECRETARY
    proposal_id: int
    partner_id: str
    decision: str
    reasons: str = ""
    month: date | None = None
    held_on: date | None = None
    conditions: Sequence[gateways.ConditionSpec] = ()
    late: bool = False
    """Recorded after the month was marked missed (``reasons`` says why)."""

    def validate(self, cfg: LocalityConfig) -> None:
        _known_partner(cfg, self.partner_id)
        gateways.validate_return(self.decision, self.reasons, self.conditions, self.late)

    def load(self, uow: UnitOfWork) -> ProposalRow:
        return get_proposal(uow.session, self.proposal_id)

    def scope(self, uow: UnitOfWork, loaded: ProposalRow) -> Scope:
        return proposal_scope(uow, loaded, uow.config.sovereign_body_of(self.partner_id).id)

    def check(self, uow: UnitOfWork, loaded: ProposalRow) -> None:
        gateways.check_return(uow, loaded, self.partner_id, self.decision, self.month,
                              self.held_on, self.conditions, self.late)

    def write(self, uow: UnitOfWork, loaded: ProposalRow) -> GatewayReturnRow:
        month, held = gateways.gateway_dates(uow, self.month, self.held_on)
        return gateways.write_return(uow, loaded, self.partner_id, self.decision,
                                     self.reasons.strip(), month, held, tuple(self.conditions),
                                     self.late)


@dataclass(frozen=True)
class CloseCondition(Action[ConditionRow]):
    """Close a gateway condition: by the programme director or the condition's owner."""

    name = "gateway close-condition"
    permission = Permission(("programme_director", SELF))
    condition_id: int
    note: str = ""

    def load(self, uow: UnitOfWork) -> ConditionRow:
        cond = uow.session.get(ConditionRow, self.condition_id)
        if cond is None:
            raise NotFound(f"condition {self.condition_id} does not exist (see 's75 gateway "
                           "conditions PROPOSAL')")
        return cond

    def scope(self, uow: UnitOfWork, loaded: ConditionRow) -> Scope:
        row = get_proposal(uow.session, loaded.proposal_id)
        return Scope(f"condition {loaded.id} {loaded.text!r} of "
                     f"{describe(row, lifecycle.WORKFLOW)}", member=loaded.owner_id)

    def write(self, uow: UnitOfWork, loaded: ConditionRow) -> ConditionRow:
        return gateways.close_condition(uow, self.condition_id, self.note)
