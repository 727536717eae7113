"""The interest actions (``perform(uow, Action(...))``): a member's entry in the register of
interests (the member themself, or the secretary of a body they sit on), a dispensation (the
secretary of the body), and a declaration on an item at a meeting (the member themself when
they sit on the body, or its secretary)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from decisions.errors import InvalidInput
from decisions.principals import SECRETARY, SELF, Permission, Scope
from decisions.terms import LocalityConfig
from workflows.actions import Action
from workflows.committee import common, interests
from workflows.committee.records import DeclarationRow, DispensationRow, InterestRow
from workflows.committee.scopes import body_business, item_scope, member_scope
from workflows.events import UnitOfWork

OWN = Permission(("secretary", SELF))
"""The member themself, or the secretary of the body concerned."""


@dataclass(frozen=True)
class RegisterInterest(Action[InterestRow]):
    name = "interest register"
    permission = OWN
    member_id: str
    nature: str
    description: str
    registered_on: date | None = None
    sensitive: bool = False

    def load(self, uow: UnitOfWork) -> Any:
        return common.member(uow.config, self.member_id)

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return member_scope(uow, self.member_id, "the register of interests")

    def write(self, uow: UnitOfWork, loaded: Any) -> InterestRow:
        return interests.register(uow, self.member_id, self.nature, self.description,
                                  registered_on=self.registered_on,
                                  sensitive=self.sensitive)


@dataclass(frozen=True)
class GrantDispensation(Action[DispensationRow]):
    """A dispensation (Localism Act 2011 s33) for one item or for a body's business, recorded
    by the secretary of the body (``granted_by`` names who granted it)."""

    name = "dispensation grant"
    permission = SECRETARY
    member_id: str
    granted_by: str
    reason: str
    item_id: int | None = None
    body_id: str | None = None
    expires_on: date | None = None

    def validate(self, cfg: LocalityConfig) -> None:
        if self.item_id is None and self.body_id is None:
            raise InvalidInput("a dispensation is for an item (--item) or a body (--body)")
        if not self.granted_by.strip() or not self.reason.strip():
            raise InvalidInput("a dispensation records who granted it (granted_by) and why "
                               "(reason)")

    def load(self, uow: UnitOfWork) -> Any:
        common.member(uow.config, self.member_id)
        return common.item(uow.session, self.item_id) if self.item_id is not None else None

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        if loaded is not None:
            return item_scope(uow, loaded)
        assert self.body_id is not None
        return body_business(uow, self.body_id, f"a dispensation for {self.member_id} in the "
                             "business")

    def write(self, uow: UnitOfWork, loaded: Any) -> DispensationRow:
        return interests.grant_dispensation(
            uow, self.member_id, granted_by=self.granted_by, reason=self.reason,
            item_id=self.item_id, body_id=self.body_id, expires_on=self.expires_on)


@dataclass(frozen=True)
class DeclareInterest(Action[DeclarationRow]):
    """A member's declaration on an item and how it was managed."""

    name = "interest declare"
    permission = OWN
    item_id: int
    member_id: str
    nature: str
    description: str
    managed: str = "left_room"
    dispensation_by: str | None = None
    dispensation_reason: str | None = None

    def load(self, uow: UnitOfWork) -> Any:
        return common.item(uow.session, self.item_id)

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return item_scope(uow, loaded, member=self.member_id)

    def write(self, uow: UnitOfWork, loaded: Any) -> DeclarationRow:
        return interests.declare(uow, self.item_id, self.member_id, self.nature,
                                 self.description, managed=self.managed,
                                 dispensation_by=self.dispensation_by,
                                 dispensation_reason=self.dispensation_reason)
