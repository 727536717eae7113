"""The action pipeline: every user action runs the same steps, in one order, in one transaction.

An action is a small frozen dataclass holding its input, declared with the name it goes by in
refusals and the :class:`~decisions.principals.Permission` it needs::

    @dataclass(frozen=True)
    class AcceptItem(Action[AgendaItemRow]):
        name = "item accept"
        permission = Permission(("secretary",))
        item_id: int

        def load(self, uow): return common.item(uow.session, self.item_id)
        def scope(self, uow, item): return item_scope(uow, item)
        def write(self, uow, item): return items.accept(uow, item)

:func:`perform` first cleans every text field (decisions/user_text.py: control characters
removed, names folded to one line, lengths bounded), then runs ``validate`` (the input
alone, no database), ``load`` (rows; NotFound),
the permission check against ``scope`` (always: there is no way round it), ``check`` (the
rules; RuleRefused), then ``write`` (the rows, and the events raised with ``uow.emit``), all
inside the caller's unit of work, which commits whole or not at all. The CLI, the web and the
demo call actions and nothing else.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Generic, TypeVar

from decisions.principals import Permission, Principal, Scope, require
from decisions.terms import LocalityConfig
from decisions.user_text import clean_fields
from workflows.events import UnitOfWork

R = TypeVar("R")

ACTIONS: dict[str, type[Action[Any]]] = {}
"""Every declared action by name, for the permission tests and the docs."""


class Action(Generic[R]):
    name: ClassVar[str] = ""
    permission: ClassVar[Permission]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("name")
        if name:
            if name in ACTIONS and ACTIONS[name].__qualname__ != cls.__qualname__:
                raise TypeError(f"action {name!r} is declared twice")
            if not isinstance(cls.__dict__.get("permission"), Permission):
                raise TypeError(f"action {name!r} declares no permission")
            ACTIONS[name] = cls

    # The steps, in the order perform() runs them ------------------------------------------
    def validate(self, cfg: LocalityConfig) -> None:
        """Check the input on its own (InvalidInput naming the field and what is allowed)."""

    def load(self, uow: UnitOfWork) -> Any:
        """Load the rows the action is about (NotFound naming what exists)."""
        return None

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        """What the action is about, for the permission check."""
        raise NotImplementedError

    def required(self, uow: UnitOfWork, loaded: Any) -> Permission:
        """The permission checked: the declared one, unless it depends on what was loaded (a
        workflow trigger's ``actors``)."""
        return self.permission

    def check(self, uow: UnitOfWork, loaded: Any) -> None:
        """The rules: terms of reference, statute, the workflow (RuleRefused)."""

    def write(self, uow: UnitOfWork, loaded: Any) -> R:
        """Write the rows and raise the events."""
        raise NotImplementedError


def perform(uow: UnitOfWork, action: Action[R], principal: Principal | None = None) -> R:
    """Run ``action`` in ``uow`` as ``principal`` (default: the unit of work's)."""
    who = principal or uow.principal
    if dataclasses.is_dataclass(action) and (cleaned := clean_fields(action)):
        action = dataclasses.replace(action, **cleaned)
    action.validate(uow.config)
    loaded = action.load(uow)
    require(action.name, who, action.required(uow, loaded), action.scope(uow, loaded))
    if who is not uow.principal:
        saved, uow.principal = uow.principal, who
        try:
            action.check(uow, loaded)
            return action.write(uow, loaded)
        finally:
            uow.principal = saved
    action.check(uow, loaded)
    return action.write(uow, loaded)


def body_scope(cfg: LocalityConfig, what: str, *body_ids: str,
               member: str | None = None) -> Scope:
    """The scope of an action on the business of ``body_ids`` (their secretaries may act)."""
    who = next((m.display for m in cfg.member if m.id == member), "") if member else ""
    return Scope(what, tuple(body_ids), member, _body_names(cfg, body_ids), who)


_NAMES: dict[tuple[int, tuple[str, ...]], tuple[LocalityConfig, dict[str, str]]] = {}
"""(id(config), body ids) -> (the config, those bodies' names): worked out once per config."""


def _body_names(cfg: LocalityConfig, body_ids: tuple[str, ...]) -> dict[str, str]:
    found = _NAMES.get((id(cfg), body_ids))
    if found is None or found[0] is not cfg:
        if len(_NAMES) > 256:
            _NAMES.clear()
        found = _NAMES[(id(cfg), body_ids)] = (
            cfg, {b.id: b.name for b in cfg.body if b.id in body_ids})
    return dict(found[1])
