"""The call-in actions (``perform(uow, Action(...))``), by the secretary of the decision's body:
call a decision in, resolve the call-in, exempt a decision from call-in for urgency. The rules
are in decisions/key_decisions.py; the writes in call_in.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from decisions.errors import InvalidInput
from decisions.principals import SECRETARY, Scope
from decisions.terms import LocalityConfig
from workflows.actions import Action
from workflows.committee import call_in, common
from workflows.committee.records import CallInRow
from workflows.committee.scopes import decision_scope
from workflows.committee.tables import DecisionRow
from workflows.events import UnitOfWork

OUTCOMES = {"upheld": "upheld", "referred-back": "referred_back",
            "referred_back": "referred_back", "withdrawn": "withdrawn"}


@dataclass(frozen=True)
class CallIn(Action[CallInRow]):
    """Call in an executive decision within its window (LGA 2000 s9F), as requested by
    ``requested_by`` (a member id or a name), to ``scrutiny_body`` (default: the body's
    ``scrutiny_committee``); recorded by the body's secretary."""

    name = "call-in"
    permission = SECRETARY
    decision_id: int
    requested_by: str
    reason: str
    requested_on: date | None = None
    scrutiny_body: str | None = None

    def validate(self, cfg: LocalityConfig) -> None:
        if not self.requested_by.strip():
            raise InvalidInput("requested_by: missing; name who calls the decision in (a "
                               "member id or a name)")
        if not self.reason.strip():
            raise InvalidInput("reason: missing; a call-in states its reasons")

    def load(self, uow: UnitOfWork) -> Any:
        return common.decision(uow.session, self.decision_id)

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return decision_scope(uow, loaded)

    def write(self, uow: UnitOfWork, loaded: Any) -> CallInRow:
        return call_in.call_in(uow, self.decision_id, requested_by=self.requested_by,
                               reason=self.reason, scrutiny_body=self.scrutiny_body,
                               requested_on=self.requested_on)


@dataclass(frozen=True)
class ResolveCallIn(Action[CallInRow]):
    """Resolve a call-in: upheld, referred back (placed on the decision-maker's next
    meeting), or withdrawn."""

    name = "call-in resolve"
    permission = SECRETARY
    call_in_id: int
    outcome: str
    reason: str = ""
    resolved_on: date | None = None

    def validate(self, cfg: LocalityConfig) -> None:
        if self.outcome not in OUTCOMES:
            raise InvalidInput(f"--outcome: {self.outcome!r} is not valid; expected upheld, "
                               "referred-back or withdrawn")

    def load(self, uow: UnitOfWork) -> Any:
        return call_in.call_in_row(uow, self.call_in_id)

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return decision_scope(uow, common.decision(uow.session, loaded.decision_id))

    def write(self, uow: UnitOfWork, loaded: Any) -> CallInRow:
        return call_in.resolve(uow, self.call_in_id, outcome=OUTCOMES[self.outcome],
                               reason=self.reason, resolved_on=self.resolved_on)


@dataclass(frozen=True)
class MakeUrgent(Action[DecisionRow]):
    """Exempt a recorded executive decision from call-in for urgency, with the scrutiny
    chair's consent: it may be implemented at once, and its notice says so."""

    name = "decision urgent"
    permission = SECRETARY
    decision_id: int
    consent_by: str
    reason: str
    on: date | None = None

    def load(self, uow: UnitOfWork) -> Any:
        return common.decision(uow.session, self.decision_id)

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return decision_scope(uow, loaded)

    def write(self, uow: UnitOfWork, loaded: Any) -> DecisionRow:
        return call_in.make_urgent(uow, self.decision_id, consent_by=self.consent_by,
                                   reason=self.reason, on=self.on)
