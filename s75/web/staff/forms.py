"""The secretary's and report author's forms: each builds exactly one action of the pipeline
(workflows/committee/*_actions.py) from the posted fields, as the CLI commands do; the
pipeline checks the permission and the rules. :data:`FORMS` maps a form's name to its builder
and the fields it has (for the error beside the field)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from decisions.agenda_rules import ACTIONS as ITEM_ACTIONS
from decisions.errors import InvalidInput
from workflows.actions import Action
from workflows.committee.circulation import CirculateMinutes
from workflows.committee.decide import OUTCOMES
from workflows.committee.interest_actions import DeclareInterest
from workflows.committee.item_actions import (
    AcceptItem,
    AddItem,
    Decide,
    DeferItem,
    PublishItem,
    ReorderItem,
    RouteItem,
    SubmitItem,
    WithdrawItem,
)
from workflows.committee.meeting_actions import (
    ApproveMinutes,
    HoldMeeting,
    PublishMeeting,
    RecordAttendance,
    WriteMinute,
)
from workflows.committee.records import ATTENDANCE_STATUSES, MANAGED
from workflows.committee.tables import COVER_FIELDS

Builder = Callable[[int, FormData], Action[Any]]


def text(data: FormData, name: str, limit: int = 20000) -> str:
    value = data.get(name, "")
    value = value if isinstance(value, str) else ""
    if len(value) > limit:
        raise InvalidInput(f"{name}: {len(value)} characters is too long; at most {limit}")
    return "".join(c for c in value if c in "\n\t" or c.isprintable()).strip()


def number(data: FormData, name: str, *, optional: bool = False) -> int | None:
    raw = text(data, name, 12)
    if not raw and optional:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 2**31:
        raise InvalidInput(f"{name}: {raw!r} is not valid; expected a whole number"
                           if raw else f"{name}: missing; choose one")
    return int(raw)


def item_id(data: FormData) -> int:
    value = number(data, "item_id")
    assert value is not None
    return value


def choice(data: FormData, name: str, allowed: tuple[str, ...]) -> str:
    value = text(data, name, 64)
    if value not in allowed:
        raise InvalidInput(f"{name}: {value!r} is not valid; expected one of "
                           f"{', '.join(allowed)}")
    return value


def _add_item(meeting: int, d: FormData) -> Action[Any]:
    part = choice(d, "part", ("1", "2"))
    return AddItem(meeting_id=meeting, title=text(d, "title", 300),
                   action=choice(d, "action", tuple(ITEM_ACTIONS)), lead=text(d, "lead", 200),
                   part=int(part), exempt_paragraph=number(d, "exempt_paragraph", optional=True),
                   public_interest_reason=text(d, "public_interest_reason") or None,
                   body_text=text(d, "body_text"),
                   cover={k: text(d, k, 5000) for k in COVER_FIELDS},
                   author=text(d, "author", 64) or None)


def _submit(meeting: int, d: FormData) -> Action[Any]:
    return SubmitItem(item_id=item_id(d),
                      urgency_reason=text(d, "urgency_reason", 2000) or None,
                      chair_consent_by=text(d, "chair_consent_by", 64) or None)


def _publish_item(meeting: int, d: FormData) -> Action[Any]:
    return PublishItem(item_id=item_id(d),
                       urgency_reason=text(d, "urgency_reason", 2000) or None,
                       chair_consent_by=text(d, "chair_consent_by", 64) or None)


def _decide(meeting: int, d: FormData) -> Action[Any]:
    return Decide(item_id=item_id(d), outcome=choice(d, "outcome", OUTCOMES),
                  resolution=text(d, "resolution"), reasons=text(d, "reasons"),
                  alternatives_rejected=text(d, "alternatives_rejected"))


def _attendance(meeting: int, d: FormData) -> Action[Any]:
    person = text(d, "person", 64)
    return RecordAttendance(meeting_id=meeting, people=(person,) if person else (),
                            status=choice(d, "status", ATTENDANCE_STATUSES),
                            substitute_for=text(d, "substitute_for", 64) or None)


def _declare(meeting: int, d: FormData) -> Action[Any]:
    return DeclareInterest(item_id=item_id(d), member_id=text(d, "member_id", 64),
                           nature=text(d, "nature", 64), description=text(d, "description"),
                           managed=choice(d, "managed", MANAGED))


def _minutes(meeting: int, d: FormData) -> Action[Any]:
    return ApproveMinutes(meeting_id=number(d, "minutes_of") or 0, at_meeting_id=meeting,
                          amendments=text(d, "amendments"))


def _reorder(meeting: int, d: FormData) -> Action[Any]:
    position = number(d, "position")
    assert position is not None
    return ReorderItem(item_id=item_id(d), position=position)


def _minute(meeting: int, d: FormData) -> Action[Any]:
    return WriteMinute(meeting_id=meeting, item_id=item_id(d), text=text(d, "text"))


@dataclass(frozen=True)
class Form:
    build: Builder
    fields: tuple[str, ...]
    done: str
    """What the page says after it worked."""
    item: bool = False
    """The form names an item (``item_id``), which must be on this meeting's agenda."""


FORMS: dict[str, Form] = {
    "add-item": Form(_add_item, ("title", "action", "lead", "author", "part",
                                 "exempt_paragraph",
                                 "public_interest_reason", "body_text", *COVER_FIELDS),
                     "Item added (draft)."),
    "submit": Form(_submit,
                   ("urgency_reason", "chair_consent_by"), "Item submitted.", item=True),
    "accept": Form(lambda m, d: AcceptItem(item_id=item_id(d)), (), "Item accepted.", item=True),
    "publish-item": Form(_publish_item,
                         ("urgency_reason", "chair_consent_by"), "Item published.", item=True),
    "withdraw": Form(lambda m, d: WithdrawItem(item_id=item_id(d), reason=text(d, "reason")),
                     ("reason",), "Item withdrawn.", item=True),
    "defer": Form(lambda m, d: DeferItem(item_id=item_id(d), reason=text(d, "reason")),
                  ("reason",), "Item deferred to the next meeting.", item=True),
    "route": Form(lambda m, d: RouteItem(item_id=item_id(d),
                                         meeting_id=number(d, "to_meeting") or 0,
                                         action=choice(d, "action", tuple(ITEM_ACTIONS))),
                  ("to_meeting", "action"), "Item routed.", item=True),
    "publish": Form(lambda m, d: PublishMeeting(meeting_id=m), (), "Agenda published."),
    "attendance": Form(_attendance, ("person", "status", "substitute_for"),
                       "Attendance recorded."),
    "declare": Form(_declare, ("member_id", "nature", "description", "managed"),
                    "Declaration recorded.", item=True),
    "hold": Form(lambda m, d: HoldMeeting(meeting_id=m), (), "Meeting recorded as held."),
    "decide": Form(_decide, ("outcome", "resolution", "reasons", "alternatives_rejected"),
                   "Decision recorded.", item=True),
    "minutes": Form(_minutes, ("minutes_of", "amendments"), "Minutes approved and signed."),
    "reorder": Form(_reorder, ("position",), "Agenda order changed.", item=True),
    "minute": Form(_minute, ("text",), "Minute written.", item=True),
    "circulate": Form(lambda m, d: CirculateMinutes(meeting_id=m), (),
                      "Draft minutes circulated to the members."),
}
FRAGMENTS = {"reorder": "staff/_agenda.html", "attendance": "staff/_attendance.html"}
"""Forms that, sent by htmx (``HX-Request``), are answered with their part of the page alone
(the agenda; the attendance list and its form)."""


def field_of(message: str, form: Form) -> str | None:
    """The field a refusal names (``"title: missing; ..."``), if it is one of the form's."""
    head = message.split(":", 1)[0].strip().lstrip("-").replace("-", "_")
    aliases = {"people": "person", "member": "member_id", "meeting": "to_meeting"}
    head = aliases.get(head, head)
    return head if head in form.fields else None
