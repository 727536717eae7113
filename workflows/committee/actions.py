"""Actions arising: an owner, a due date and a status; reviewed at each meeting of the body
(matters arising and the action log) until closed."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from decisions.errors import InvalidInput, NotFound, RuleRefused
from workflows.committee import common
from workflows.committee.events import ActionAdded, ActionClosed
from workflows.committee.records import ActionRow
from workflows.events import UnitOfWork

STATUSES = ("open", "done", "dropped")


def add(uow: UnitOfWork, meeting_id: int, description: str, *, owner: str, due_on: date,
        item_id: int | None = None) -> ActionRow:
    m = common.meeting(uow.session, meeting_id)
    if not description.strip():
        raise InvalidInput("description: missing; say what is to be done")
    if not owner.strip():
        raise InvalidInput("owner: missing; name who will do it (a member id or an officer)")
    if item_id is not None and common.item(uow.session, item_id).meeting_id != meeting_id:
        raise InvalidInput(f"item: {item_id} is not on meeting {meeting_id}'s agenda")
    day = m.local_date or common.local_day(uow.config, m.starts_at)
    if due_on < day:
        raise InvalidInput(f"due: {due_on} is before the meeting ({day}); give a later date")
    email = next((x.email for x in uow.config.member if x.id == owner), None)
    row = ActionRow(body_id=m.body_id, meeting_id=meeting_id, item_id=item_id,
                    description=description.strip(), owner=owner, owner_email=email,
                    due_on=due_on, created_at=uow.now)
    uow.session.add(row)
    uow.session.flush()
    assert row.id is not None
    uow.emit(ActionAdded(action_id=row.id, meeting_id=meeting_id, body_id=m.body_id,
                         item_id=item_id, owner=owner, owner_email=email,
                         due_on=due_on.isoformat(), description=row.description))
    return row


def close(uow: UnitOfWork, action_id: int, *, note: str = "", status: str = "done") -> ActionRow:
    row = uow.session.get(ActionRow, action_id)
    if row is None:
        raise NotFound(f"action {action_id} does not exist; 's75 action list' shows them")
    if status not in ("done", "dropped"):
        raise InvalidInput(f"status: {status!r} is not valid; expected done or dropped")
    if row.status != "open":
        raise RuleRefused("action log", f"action {action_id} is already {row.status}")
    row.status, row.closing_note = status, note
    row.closed_on = common.local_day(uow.config, uow.now)
    uow.session.add(row)
    uow.session.flush()
    uow.emit(ActionClosed(action_id=action_id, body_id=row.body_id, meeting_id=row.meeting_id,
                          status=status))
    return row


def listing(session: Session, *, body_id: str | None = None, status: str | None = "open",
            owner: str | None = None) -> list[ActionRow]:
    q = select(ActionRow).order_by(col(ActionRow.due_on), col(ActionRow.id))
    if body_id is not None:
        q = q.where(ActionRow.body_id == body_id)
    if status is not None:
        if status not in STATUSES:
            raise InvalidInput(f"status: {status!r} is not valid; expected one of "
                               f"{', '.join(STATUSES)}")
        q = q.where(ActionRow.status == status)
    if owner is not None:
        q = q.where(ActionRow.owner == owner)
    return list(session.exec(q).all())
