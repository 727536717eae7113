"""The accepted items read as plain rows for publishing an agenda hold what the ORM loads,
column for column (the money as a Decimal on either backend), in agenda order; an item the
session already holds is published as that row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from tests.committee.test_publish_by_hand import _accepted
from workflows.committee import common, item_rows
from workflows.committee.item_rows import COLUMNS, ItemRow


def test_accepted_items_as_plain_rows_hold_what_the_orm_loads(
        jcc: list[dict[str, Any]], s75json: Callable[..., Any], engine: Engine) -> None:
    m = jcc[0]["id"]
    _accepted(s75json, m, "Winter beds", "--amount", "1200000.50")
    _accepted(s75json, m, "Care home contract award", "--part", "2", "--paragraph", "3",
              "--exempt-reason", "Commercially sensitive tender prices")
    s75json("--as", "commissioning_lead", "item", "add", m, "Still a draft")
    with Session(engine) as s:
        plain = item_rows.accepted(s, m)
    assert plain and all(isinstance(r, ItemRow) for r in plain)
    with Session(engine) as s:
        mapped = [i for i in common.items_of(s, m) if i.state == "accepted"]
        assert [tuple(getattr(r, c) for c in COLUMNS) for r in plain] == \
            [tuple(getattr(i, c) for c in COLUMNS) for i in mapped]
        assert {str(r.amount) for r in plain} >= {"1200000.50"}
        held = item_rows.accepted(s, m)
        assert all(a is b for a, b in zip(held, mapped, strict=True))


def test_the_identity_keys_built_by_hand_are_the_sessions(engine: Engine) -> None:
    """item_rows and notifications/due_rows look a row up in the session's identity map by the
    key Session.identity_key builds (class, primary key, no identity token)."""
    from notifications.tables import DeadlineRow
    from workflows.committee.tables import AgendaItemRow

    with Session(engine) as s:
        assert s.identity_key(AgendaItemRow, 7) == (AgendaItemRow, (7,), None)
        assert s.identity_key(DeadlineRow, 7) == (DeadlineRow, (7,), None)
