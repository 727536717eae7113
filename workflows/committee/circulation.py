"""Circulating the draft minutes: after the meeting the secretary writes the minute of each
item (``s75 minutes write``), then circulates the draft to the body's members for comment
before the next meeting approves it (``s75 minutes circulate``, the workspace's "Circulate the
draft minutes"). The action raises :class:`MinutesCirculated`; the documents area reissues the
draft as it now stands (a new ``minutes_version``) and e-mails it to the members
(notifications/documents/circulate.py). The draft may be circulated again after changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlmodel import select

from decisions.errors import RuleRefused
from decisions.principals import SECRETARY, Scope
from workflows.actions import Action
from workflows.committee import common, minutes
from workflows.committee.records import MinutesRow, MinuteTextRow
from workflows.committee.scopes import meeting_scope
from workflows.events import DomainEvent, UnitOfWork


@dataclass(frozen=True)
class MinutesCirculated(DomainEvent):
    """The draft minutes of a held meeting were circulated to the body's members."""

    name: ClassVar[str] = "minutes.circulated"
    subject_type: ClassVar[str] = "meeting"
    subject_field: ClassVar[str] = "meeting_id"
    meeting_id: int
    body_id: str
    minuted: int = 0
    """Items with a minute written."""
    unminuted: list[str] = field(default_factory=list)
    """Business items decided or considered without a minute (their decision is printed)."""


@dataclass(frozen=True)
class CirculateMinutes(Action[MinutesRow]):
    """Send the draft minutes of a held meeting to the body's members."""

    name = "minutes circulate"
    permission = SECRETARY
    meeting_id: int

    def load(self, uow: UnitOfWork) -> Any:
        return common.meeting(uow.session, self.meeting_id)

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return meeting_scope(uow, loaded)

    def check(self, uow: UnitOfWork, loaded: Any) -> None:
        row = minutes.get(uow, self.meeting_id)  # NotFound: not held, no minutes yet
        if row.state != "draft":
            raise RuleRefused("minutes (the draft is circulated before it is approved)",
                              f"the minutes of {common.describe_meeting(uow.config, loaded)} "
                              f"are {row.state}; approved minutes are changed only by a "
                              "correction ('s75 minutes correct')")

    def write(self, uow: UnitOfWork, loaded: Any) -> MinutesRow:
        row = minutes.get(uow, self.meeting_id)
        written = {t.item_id for t in uow.session.exec(select(MinuteTextRow).where(
            MinuteTextRow.meeting_id == self.meeting_id)).all()}
        business = [i for i in common.items_of(uow.session, self.meeting_id)
                    if i.standing is None and i.state in ("considered", "decided")]
        uow.emit(MinutesCirculated(
            meeting_id=self.meeting_id, body_id=loaded.body_id, minuted=len(written),
            unminuted=[common.describe_item(i) for i in business if i.id not in written]))
        return row
