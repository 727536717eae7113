"""The committee's domain events: one frozen dataclass per thing that happens to a meeting, an
agenda item, a decision, an interest, an action arising or minutes, raised by the services in
workflows/committee/ where the state changes (``uow.emit(MeetingHeld(...))``).

Each keeps the audit action name (``name``) and the payload keys the audit log has always
carried; dates are ISO strings in the payload as before. Subscribers (notifications/, wired in
s75/wiring.py) register for a type and take ids from the fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from workflows.events import DomainEvent, Transitioned, transition_event


# Meetings --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MeetingEvent(DomainEvent):
    """Something happened to a meeting (the base every meeting event shares)."""

    subject_type: ClassVar[str] = "meeting"
    subject_field: ClassVar[str] = "meeting_id"
    meeting_id: int
    body_id: str
    starts_at: str


@dataclass(frozen=True)
class MeetingFacts(MeetingEvent):
    """A meeting event carrying the meeting's dates (scheduled, cancelled, held)."""

    local_date: str = ""
    kind: str = "ordinary"
    venue: str = ""
    item_deadline: str | None = None
    notice_by: str = ""
    publish_by: str = ""


@dataclass(frozen=True)
class MeetingScheduled(MeetingFacts):
    name: ClassVar[str] = "meeting.scheduled"

    def states(self) -> tuple[str | None, str | None]:
        return None, "scheduled"


@dataclass(frozen=True)
class MeetingCancelled(MeetingFacts):
    name: ClassVar[str] = "meeting.cancelled"
    reason: str = ""
    carried: list[dict[str, Any]] = field(default_factory=list)

    def states(self) -> tuple[str | None, str | None]:
        return "scheduled", "cancelled"


@dataclass(frozen=True)
class MeetingHeld(MeetingFacts):
    name: ClassVar[str] = "meeting.held"
    chair_id: str | None = None
    chair_reason: str = ""

    def states(self) -> tuple[str | None, str | None]:
        return "scheduled", "held"


@dataclass(frozen=True)
class MeetingPublished(MeetingEvent):
    """The agenda and reports are open to inspection: by a secretary (``s75 meeting
    publish``) or by the scheduler at the publication deadline (``automatic``)."""

    name: ClassVar[str] = "meeting.published"
    published_on: str = ""
    items: list[int] = field(default_factory=list)
    automatic: bool = False


@dataclass(frozen=True)
class AttendanceRecorded(MeetingEvent):
    name: ClassVar[str] = "attendance.recorded"
    person: str = ""
    status: str = "present"
    substitute_for: str | None = None
    chair_id: str | None = None
    chair_reason: str = ""


# Agenda items ----------------------------------------------------------------------------------
def item_payload(data: dict[str, Any]) -> dict[str, Any]:
    """The audit payload of an item event: the item's action under its usual key."""
    return {("action" if k == "item_action" else k): v for k, v in data.items()}
@transition_event("agenda_item")
@dataclass(frozen=True)
class ItemMoved(Transitioned):
    """An agenda_item workflow trigger fired (``item.submitted``, ``item.accepted``,
    ``item.published``, ``item.deferred``, ``item.decided`` ...)."""

    prefix: ClassVar[str] = "item"
    subject_type: ClassVar[str] = "agenda_item"
    subject_field: ClassVar[str] = "item_id"
    item_id: int = 0
    meeting_id: int = 0
    body_id: str = ""
    title: str = ""
    part: int = 1
    item_action: str = ""
    """The item's action (for_decision, to_note ...): ``action`` in the payload (the event's
    own ``action`` is the audit name)."""
    starts_at: str = ""
    # what particular triggers add (submitted, a referral; deferred; decided)
    item_deadline: str | None = None
    late: bool | None = None
    submitted_by: str | None = None
    to_meeting_id: int | None = None
    to_item_id: int | None = None
    to_starts_at: str | None = None
    outcome: str | None = None
    decision_id: int | None = None
    referral: bool | None = None
    from_item_id: int | None = None

    def payload(self) -> dict[str, Any]:
        return item_payload(super().payload())


@dataclass(frozen=True)
class AgendaReordered(MeetingEvent):
    """The secretary set the order of the business items (``order``: item ids)."""

    name: ClassVar[str] = "meeting.reordered"
    order: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ItemEdited(DomainEvent):
    """An item's title, report, cover sheet, action or checklist changed (``fields``); after
    publication with the ``reason`` recorded (the packs are then republished)."""

    name: ClassVar[str] = "item.edited"
    subject_type: ClassVar[str] = "agenda_item"
    subject_field: ClassVar[str] = "item_id"
    item_id: int
    meeting_id: int
    fields: list[str] = field(default_factory=list)
    reason: str = ""
    version: int = 1
    published: bool = False


@dataclass(frozen=True)
class ItemDrafted(DomainEvent):
    """A new draft item on a meeting's agenda (added, or a report routed to another meeting)."""

    name: ClassVar[str] = "item.drafted"
    subject_type: ClassVar[str] = "agenda_item"
    subject_field: ClassVar[str] = "item_id"
    item_id: int
    meeting_id: int
    body_id: str
    title: str
    part: int
    item_action: str
    starts_at: str
    report_id: int | None = None

    def payload(self) -> dict[str, Any]:
        return item_payload(super().payload())

    def states(self) -> tuple[str | None, str | None]:
        return None, "draft"


@dataclass(frozen=True)
class KeyDecisionRecorded(DomainEvent):
    """The forward-plan notice date, or the exception relied on, for an executive item."""

    name: ClassVar[str] = "item.key_decision"
    subject_type: ClassVar[str] = "agenda_item"
    subject_field: ClassVar[str] = "item_id"
    item_id: int
    meeting_id: int
    body_id: str
    forward_plan_published_on: str | None = None
    exception: str = "none"


# Interests -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class InterestRegistered(DomainEvent):
    name: ClassVar[str] = "interest.registered"
    subject_type: ClassVar[str] = "member"
    subject_field: ClassVar[str] = "member_id"
    member_id: str
    interest_id: int
    nature: str
    registered_on: str


@dataclass(frozen=True)
class DispensationGranted(DomainEvent):
    name: ClassVar[str] = "interest.dispensation"
    subject_type: ClassVar[str] = "member"
    subject_field: ClassVar[str] = "member_id"
    member_id: str
    dispensation_id: int
    item_id: int | None = None
    body_id: str | None = None


@dataclass(frozen=True)
class InterestDeclared(DomainEvent):
    name: ClassVar[str] = "interest.declared"
    subject_type: ClassVar[str] = "agenda_item"
    subject_field: ClassVar[str] = "item_id"
    item_id: int
    meeting_id: int
    member_id: str
    nature: str
    managed: str
    minute: str


# Decisions and referrals -----------------------------------------------------------------------
@dataclass(frozen=True)
class DecisionRecorded(DomainEvent):
    name: ClassVar[str] = "decision.recorded"
    subject_type: ClassVar[str] = "decision"
    subject_field: ClassVar[str] = "decision_id"
    decision_id: int
    item_id: int
    meeting_id: int
    body_id: str
    outcome: str
    rule: str
    decision_date: str
    key_decision: bool
    executive: bool
    call_in_expires: str | None = None
    referral_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class DecisionCalledIn(DomainEvent):
    name: ClassVar[str] = "decision.called_in"
    subject_type: ClassVar[str] = "decision"
    subject_field: ClassVar[str] = "decision_id"
    decision_id: int
    item_id: int
    requested_by: str
    requested_on: str


@dataclass(frozen=True)
class ReferralCreated(DomainEvent):
    """A decision one body could not take, placed on another body's next open meeting."""

    name: ClassVar[str] = "referral.created"
    subject_type: ClassVar[str] = "referral"
    subject_field: ClassVar[str] = "referral_id"
    referral_id: int
    from_item_id: int
    from_body_id: str
    to_body_id: str
    to_meeting_id: int | None
    to_item_id: int | None
    rule: str
    reason: str
    placed: bool
    to_starts_at: str | None = None


# Actions arising and minutes -------------------------------------------------------------------
@dataclass(frozen=True)
class ActionAdded(DomainEvent):
    name: ClassVar[str] = "action.added"
    subject_type: ClassVar[str] = "action"
    subject_field: ClassVar[str] = "action_id"
    action_id: int
    meeting_id: int
    body_id: str
    item_id: int | None
    owner: str
    owner_email: str | None
    due_on: str
    description: str

    def states(self) -> tuple[str | None, str | None]:
        return None, "open"


@dataclass(frozen=True)
class ActionClosed(DomainEvent):
    name: ClassVar[str] = "action.closed"
    subject_type: ClassVar[str] = "action"
    subject_field: ClassVar[str] = "action_id"
    action_id: int
    body_id: str
    meeting_id: int
    status: str = "done"
    """done or dropped."""

    def states(self) -> tuple[str | None, str | None]:
        return "open", self.status


@dataclass(frozen=True)
class MinutesApproved(DomainEvent):
    name: ClassVar[str] = "minutes.approved"
    subject_type: ClassVar[str] = "minutes"
    subject_field: ClassVar[str] = "minutes_id"
    minutes_id: int
    meeting_id: int
    body_id: str
    approved_at_meeting_id: int
    approved_on: str
    amended: bool

    def states(self) -> tuple[str | None, str | None]:
        return "draft", "approved"


@dataclass(frozen=True)
class MinutesSigned(DomainEvent):
    name: ClassVar[str] = "minutes.signed"
    subject_type: ClassVar[str] = "minutes"
    subject_field: ClassVar[str] = "minutes_id"
    minutes_id: int
    meeting_id: int
    signed_by: str

    def states(self) -> tuple[str | None, str | None]:
        return "approved", "signed"


@dataclass(frozen=True)
class MinuteWritten(DomainEvent):
    """The secretary wrote (or rewrote) the minute of one item before circulation."""

    name: ClassVar[str] = "minutes.written"
    subject_type: ClassVar[str] = "agenda_item"
    subject_field: ClassVar[str] = "item_id"
    item_id: int
    meeting_id: int
    body_id: str
    chars: int


@dataclass(frozen=True)
class MinuteCorrected(DomainEvent):
    """Approved minutes corrected: the minute of one item replaced, the reason stated; the
    earlier text is kept here (and in the earlier issue's stored document)."""

    name: ClassVar[str] = "minutes.corrected"
    subject_type: ClassVar[str] = "agenda_item"
    subject_field: ClassVar[str] = "item_id"
    item_id: int
    meeting_id: int
    body_id: str
    reason: str
    previous_text: str
