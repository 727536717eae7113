"""The meeting actions a secretary performs (``perform(uow, Action(...))``): schedule a body's
meetings, add, cancel, hold and publish a meeting, record attendance, add and close actions
arising, approve and sign minutes. Each declares its permission (the secretary of the
meeting's body, or an admin) and runs validate, load, the permission, the rules, the write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any, TypeVar

from decisions.errors import InvalidInput, NotFound
from decisions.principals import SECRETARY, Scope
from decisions.terms import LocalityConfig
from workflows.actions import Action
from workflows.committee import actions, attendance, common, items, meetings, minutes
from workflows.committee.item_rows import Item
from workflows.committee.records import (
    ATTENDANCE_STATUSES,
    ActionRow,
    AttendanceRow,
    MinutesRow,
    MinuteTextRow,
)
from workflows.committee.scopes import action_scope, body_business, meeting_scope
from workflows.committee.tables import MeetingRow
from workflows.events import UnitOfWork

R = TypeVar("R")


def _reason(value: str, why: str) -> None:
    if not value.strip():
        raise InvalidInput(f"reason: missing; {why}")


@dataclass(frozen=True)
class ScheduleMeetings(Action[list[MeetingRow]]):
    """The body's meetings from its schedule rule for ``start``..``end``."""

    name = "meeting schedule"
    permission = SECRETARY
    body_id: str
    start: date
    end: date

    def validate(self, cfg: LocalityConfig) -> None:
        if self.end < self.start:
            raise InvalidInput(f"--to: {self.end} is before --from {self.start}; give a later "
                               "last day")

    def load(self, uow: UnitOfWork) -> Any:
        return uow.config.body_by_id(self.body_id)

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return body_business(uow, self.body_id,
                             f"the meetings from {self.start:%d %b %Y} to {self.end:%d %b %Y}")

    def write(self, uow: UnitOfWork, loaded: Any) -> list[MeetingRow]:
        return meetings.schedule(uow, self.body_id, self.start, self.end)


@dataclass(frozen=True)
class AddMeeting(Action[MeetingRow]):
    """An ad-hoc or extraordinary meeting (its provisional chair worked out)."""

    name = "meeting add"
    permission = SECRETARY
    body_id: str
    day: date
    at: time | None = None
    kind: str = "adhoc"
    venue: str | None = None
    reason: str = ""

    def validate(self, cfg: LocalityConfig) -> None:
        if self.kind not in meetings.KINDS:
            raise InvalidInput(f"kind: {self.kind!r} is not valid; expected one of "
                               f"{', '.join(meetings.KINDS)}")

    def load(self, uow: UnitOfWork) -> Any:
        return uow.config.body_by_id(self.body_id)

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return body_business(uow, self.body_id, f"a meeting on {self.day:%d %b %Y}")

    def write(self, uow: UnitOfWork, loaded: Any) -> MeetingRow:
        m = meetings.add_meeting(uow, self.body_id, self.day, self.at, kind=self.kind,
                                 venue=self.venue, reason=self.reason)
        meetings.refresh_chair(uow, m)
        return m


class _OnMeeting(Action[R]):
    """An action on one meeting, by its body's secretary."""

    meeting_id: int

    def load(self, uow: UnitOfWork) -> Any:
        return common.meeting(uow.session, self.meeting_id)

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return meeting_scope(uow, loaded)


@dataclass(frozen=True)
class CancelMeeting(_OnMeeting[MeetingRow]):
    name = "meeting cancel"
    permission = SECRETARY
    meeting_id: int
    reason: str

    def validate(self, cfg: LocalityConfig) -> None:
        _reason(self.reason, "say why the meeting is cancelled (it goes in the notice to members)")

    def write(self, uow: UnitOfWork, loaded: Any) -> MeetingRow:
        return meetings.cancel(uow, self.meeting_id, self.reason)


@dataclass(frozen=True)
class HoldMeeting(_OnMeeting[MeetingRow]):
    name = "meeting hold"
    permission = SECRETARY
    meeting_id: int

    def write(self, uow: UnitOfWork, loaded: Any) -> MeetingRow:
        return meetings.hold(uow, self.meeting_id)


@dataclass(frozen=True)
class PublishMeeting(_OnMeeting[list[Item]]):
    """Publish the agenda (every accepted item) and raise MeetingPublished: by a secretary,
    or by the scheduler at the publication deadline (``automatic``)."""

    name = "meeting publish"
    permission = SECRETARY
    meeting_id: int
    published_on: date | None = None
    automatic: bool = False

    def write(self, uow: UnitOfWork, loaded: Any) -> list[Item]:
        if isinstance(loaded, MeetingRow) and loaded.status == "scheduled":
            meetings.refresh_chair(uow, loaded)  # the chair of the day the agenda prints
        return items.publish_meeting(uow, self.meeting_id, published_on=self.published_on,
                                     automatic=self.automatic)


@dataclass(frozen=True)
class RecordAttendance(_OnMeeting[list[AttendanceRow]]):
    """People present, in attendance, absent or sending apologies; a named substitute."""

    name = "attendance"
    permission = SECRETARY
    meeting_id: int
    people: tuple[str, ...]
    status: str = "present"
    substitute_for: str | None = None

    def validate(self, cfg: LocalityConfig) -> None:
        if not self.people:
            raise InvalidInput("people: missing; name the members (or, in attendance, people)")
        if self.status not in ATTENDANCE_STATUSES:
            raise InvalidInput(f"status: {self.status!r} is not valid; expected one of "
                               f"{', '.join(ATTENDANCE_STATUSES)}")
        if self.substitute_for and len(self.people) != 1:
            raise InvalidInput("--substitute-for: give exactly one substitute at a time")

    def write(self, uow: UnitOfWork, loaded: Any) -> list[AttendanceRow]:
        return [attendance.record(uow, self.meeting_id, p, self.status,
                                  substitute_for=self.substitute_for) for p in self.people]


@dataclass(frozen=True)
class AddAction(_OnMeeting[ActionRow]):
    name = "action add"
    permission = SECRETARY
    meeting_id: int
    description: str
    owner: str
    due_on: date
    item_id: int | None = None

    def write(self, uow: UnitOfWork, loaded: Any) -> ActionRow:
        return actions.add(uow, self.meeting_id, self.description, owner=self.owner,
                           due_on=self.due_on, item_id=self.item_id)


@dataclass(frozen=True)
class CloseAction(Action[ActionRow]):
    name = "action close"
    permission = SECRETARY
    action_id: int
    note: str = ""
    status: str = "done"

    def validate(self, cfg: LocalityConfig) -> None:
        if self.status not in ("done", "dropped"):
            raise InvalidInput(f"status: {self.status!r} is not valid; expected done or dropped")

    def load(self, uow: UnitOfWork) -> Any:
        row = uow.session.get(ActionRow, self.action_id)
        if row is None:
            raise NotFound(f"action {self.action_id} does not exist; 's75 action list' shows "
                           "them")
        return row

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return action_scope(uow, loaded)

    def write(self, uow: UnitOfWork, loaded: Any) -> ActionRow:
        return actions.close(uow, self.action_id, note=self.note, status=self.status)


@dataclass(frozen=True)
class ApproveMinutes(_OnMeeting[MinutesRow]):
    """Approve the minutes of ``meeting_id`` at a later meeting (then, with ``sign``, signed
    by that meeting's chair)."""

    name = "minutes approve"
    permission = SECRETARY
    meeting_id: int
    at_meeting_id: int | None = None
    amendments: str = ""
    sign: bool = True
    signed_by: str | None = None

    def write(self, uow: UnitOfWork, loaded: Any) -> MinutesRow:
        return minutes.approve(uow, self.meeting_id, at_meeting_id=self.at_meeting_id,
                               amendments=self.amendments, sign=self.sign,
                               signed_by=self.signed_by)


@dataclass(frozen=True)
class SignMinutes(_OnMeeting[MinutesRow]):
    name = "minutes sign"
    permission = SECRETARY
    meeting_id: int
    signed_by: str | None = None

    def write(self, uow: UnitOfWork, loaded: Any) -> MinutesRow:
        return minutes.sign_minutes(uow, self.meeting_id, signed_by=self.signed_by)


@dataclass(frozen=True)
class WriteMinute(_OnMeeting[MinuteTextRow]):
    """The secretary's minute of one item of a held meeting, before the minutes are approved."""

    name = "minutes write"
    permission = SECRETARY
    meeting_id: int
    item_id: int
    text: str

    def validate(self, cfg: LocalityConfig) -> None:
        if not self.text.strip():
            raise InvalidInput("text: missing; write the minute of the item (a summary of the "
                               "discussion; paragraphs separated by a blank line)")

    def write(self, uow: UnitOfWork, loaded: Any) -> MinuteTextRow:
        return minutes.write_text(uow, self.meeting_id, self.item_id, self.text)


@dataclass(frozen=True)
class CorrectMinute(_OnMeeting[MinuteTextRow]):
    """Correct the minute of one item in approved minutes, with the reason: the minutes are
    reissued as a new version; the earlier issue is kept, marked superseded."""

    name = "minutes correct"
    permission = SECRETARY
    meeting_id: int
    item_id: int
    text: str
    reason: str

    def validate(self, cfg: LocalityConfig) -> None:
        if not self.text.strip():
            raise InvalidInput("text: missing; give the corrected minute of the item")
        _reason(self.reason, "say why the approved minutes are corrected (it is recorded)")

    def write(self, uow: UnitOfWork, loaded: Any) -> MinuteTextRow:
        return minutes.write_text(uow, self.meeting_id, self.item_id, self.text,
                                  correction=self.reason.strip())
