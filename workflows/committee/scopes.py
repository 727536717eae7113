"""What each committee action is about, for the permission check and its message: a meeting,
an item or a decision of a body (its secretary may act), or a member (themself may act)."""

from __future__ import annotations

from decisions.principals import Scope
from workflows.actions import body_scope
from workflows.committee import common
from workflows.committee.records import ActionRow
from workflows.committee.tables import AgendaItemRow, DecisionRow, MeetingRow
from workflows.events import UnitOfWork


def _when(uow: UnitOfWork, m: MeetingRow) -> str:
    day = m.local_date or common.local_day(uow.config, m.starts_at)
    return f"{uow.config.body_by_id(m.body_id).name}, {day:%d %b %Y}"


def meeting_scope(uow: UnitOfWork, m: MeetingRow, member: str | None = None) -> Scope:
    """``meeting 3 (Joint Commissioning Committee, 13 Nov 2019)``."""
    return body_scope(uow.config, f"meeting {m.id} ({_when(uow, m)})", m.body_id,
                      member=member)


def item_scope(uow: UnitOfWork, item: AgendaItemRow, member: str | None = None) -> Scope:
    """``item 12 'Winter beds' (Joint Commissioning Committee, 13 Nov 2019)``."""
    m = common.meeting(uow.session, item.meeting_id)
    return body_scope(uow.config, f"{common.describe_item(item)} ({_when(uow, m)})",
                      m.body_id, member=member)


def decision_scope(uow: UnitOfWork, d: DecisionRow) -> Scope:
    item = common.item(uow.session, d.item_id)
    m = common.meeting(uow.session, item.meeting_id)
    return body_scope(uow.config, f"decision {d.id} on {common.describe_item(item)} "
                      f"({_when(uow, m)})", m.body_id)


def body_business(uow: UnitOfWork, body_id: str, what: str) -> Scope:
    b = uow.config.body_by_id(body_id)
    return body_scope(uow.config, f"{what} of the {b.name}", body_id)


def member_scope(uow: UnitOfWork, member_id: str, what: str) -> Scope:
    """A member's own record: they, or the secretary of a body they sit on, may act."""
    m = common.member(uow.config, member_id)
    return body_scope(uow.config, f"{what} of {m.display}", *m.bodies, member=m.id)


def action_scope(uow: UnitOfWork, a: ActionRow) -> Scope:
    """``action 4 'Report back' (Joint Commissioning Committee, 13 Nov 2019)``."""
    m = common.meeting(uow.session, a.meeting_id)
    return body_scope(uow.config, f"action {a.id} '{a.description}' ({_when(uow, m)})",
                      a.body_id)
