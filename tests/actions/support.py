"""The permission table every action is tested against.

Each area's test module registers, for every action it declares, a :class:`Case`: how to set
up a database where the action could succeed, the action itself, a principal who may perform
it and one who may not. ``test_every_action_has_a_case`` fails when an action in
``workflows.actions.ACTIONS`` has no case; ``check_case`` asserts the refusal (its words, and
that nothing was written) and then that the allowed principal succeeds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from decisions.principals import PermissionRefused, find_principal
from s75.app import App
from workflows.actions import Action
from workflows.tables import AuditEventRow


@dataclass(frozen=True)
class Case:
    action: Action[Any]
    allowed: str
    """A principal (member id in config.toml) who may perform it."""
    refused: str
    """One who may not (and holds some other role)."""


Setup = Callable[[App], Case]
CASES: dict[str, Setup] = {}


def case(name: str) -> Callable[[Setup], Setup]:
    """Register the set-up for action ``name``."""

    def register(fn: Setup) -> Setup:
        assert name not in CASES, f"two cases for {name!r}"
        CASES[name] = fn
        return fn

    return register


def audit_count(app: App) -> int:
    with app.session() as s:
        return int(s.exec(select(func.count()).select_from(AuditEventRow)).one())


def check_case(app: App, name: str) -> None:
    c = CASES[name](app)
    assert c.action.name == name
    before = audit_count(app)
    refused = find_principal(app.config, c.refused)
    with pytest.raises(PermissionRefused) as exc:
        app.perform(c.action, principal=refused)
    message = str(exc.value)
    assert f"permission refused: {name} on " in message, message
    assert refused.describe() in message and "may be done by" in message, message
    assert audit_count(app) == before, "a refused action wrote to the audit log"
    app.perform(c.action, principal=find_principal(app.config, c.allowed))
    assert audit_count(app) > before, "the allowed action raised no event"
