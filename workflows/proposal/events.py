"""The proposal lifecycle's domain events: each has the proposal as its subject, so a
proposal's history is one query of the audit log (``subject_type = "proposal"``).

The audit names and payload keys are those the history display reads
(``s75 proposal history``); dates are typed here and stored as ISO text in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflows.events import DomainEvent, Transitioned, transition_event


@dataclass(frozen=True)
class ProposalCreated(DomainEvent):
    name = "proposal.created"
    subject_type = "proposal"
    subject_field = "proposal_id"
    proposal_id: int
    title: str
    kind: str
    start_date: date

    def states(self) -> tuple[str | None, str | None]:
        return None, "draft"


@transition_event("proposal")
@dataclass(frozen=True)
class ProposalMoved(Transitioned):
    """A trigger of the proposal workflow fired (``proposal.<trigger>``)."""

    prefix = "proposal"
    subject_type = "proposal"
    subject_field = "proposal_id"
    proposal_id: int = 0
    start_date: date | None = None
    """Set when the proposal goes live: the date the agreement takes effect."""


@dataclass(frozen=True)
class ApprovalRecorded(DomainEvent):
    name = "approval.recorded"
    subject_type = "proposal"
    subject_field = "proposal_id"
    proposal_id: int
    approval_id: int
    stage: str
    variation: int
    partner_id: str
    body_id: str
    meeting_date: date
    minute_ref: str
    decision_id: int | None
    awaiting: tuple[str, ...]


@dataclass(frozen=True)
class GatewayRecorded(DomainEvent):
    name = "gateway.recorded"
    subject_type = "proposal"
    subject_field = "proposal_id"
    proposal_id: int
    gateway_id: int
    month: date
    """The first day of the gateway's month."""
    partner_id: str
    decision: str
    reasons: str
    complete: bool
    """Every partner has made its return for the month."""
    rag: str
    awaiting: tuple[str, ...]
    next_gateway_month: date
    gateway_due: date


@dataclass(frozen=True)
class ConditionAdded(DomainEvent):
    name = "condition.added"
    subject_type = "proposal"
    subject_field = "proposal_id"
    proposal_id: int
    condition_id: int
    gateway_id: int
    partner_id: str
    text: str
    owner_id: str
    due: date


@dataclass(frozen=True)
class ConditionClosed(DomainEvent):
    name = "condition.closed"
    subject_type = "proposal"
    subject_field = "proposal_id"
    proposal_id: int
    condition_id: int
    text: str
    owner_id: str
    due: date
    note: str


@dataclass(frozen=True)
class ChecklistMarked(DomainEvent):
    name = "checklist.marked"
    subject_type = "proposal"
    subject_field = "proposal_id"
    proposal_id: int
    items: tuple[str, ...]
    present: bool
    reference: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class SignatureRecorded(DomainEvent):
    name = "signature.recorded"
    subject_type = "proposal"
    subject_field = "proposal_id"
    proposal_id: int
    partner_id: str
    signatory_id: str
    signed_on: date
    variation: int
    signing_deadline: date
    awaiting: tuple[str, ...]


@dataclass(frozen=True)
class StartMoved(DomainEvent):
    name = "proposal.start_moved"
    subject_type = "proposal"
    subject_field = "proposal_id"
    proposal_id: int
    old_start: date
    start_date: date
    body_id: str
    meeting_date: date
    minute_ref: str
    decision_id: int | None
    signing_deadline: date


@dataclass(frozen=True)
class StartMoveDecided(DomainEvent):
    """One partner's body decided to move the start date; the start moves when every pooling
    partner has decided the same date (``awaiting`` those still to decide)."""

    name = "proposal.start_move_decided"
    subject_type = "proposal"
    subject_field = "proposal_id"
    proposal_id: int
    partner_id: str
    body_id: str
    new_start: date
    meeting_date: date
    minute_ref: str
    decision_id: int | None
    awaiting: tuple[str, ...]
