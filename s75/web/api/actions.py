"""``POST /api/v1/...``: the staff web's forms as JSON endpoints, one action each.

Each endpoint builds exactly the action its form builds (s75/web/staff/forms.py) from a
pydantic body (models.py) and performs it through the pipeline as the token's principal, so
the permission, the rules and the messages are the pipeline's (docs/actions.md). The answer
is :class:`~s75.web.api.models.Done`: what was done and the item or meeting as it is now."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request

from decisions.principals import Principal
from s75.web import security  # noqa: F401  registers the {name:id} convertor
from s75.web.api.auth import app_of, token_principal
from s75.web.api.errors import JsonRoute
from s75.web.api.models import (
    AddItemIn,
    AttendanceIn,
    DecideIn,
    DeclareIn,
    Done,
    ItemOut,
    LateIn,
    MeetingOut,
    MinuteIn,
    MinutesIn,
    NoFields,
    Problem,
    ReasonIn,
    ReorderIn,
    RouteIn,
)
from workflows.actions import Action
from workflows.committee import common
from workflows.committee.circulation import CirculateMinutes
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

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No token, or a wrong, revoked or calendar token"},
    403: {"model": Problem, "description": "Permission refused: the message says which role "
          "may"},
    404: {"model": Problem, "description": "No such meeting, item or member"},
    409: {"model": Problem, "description": "A rule refused it, or the record changed meanwhile"},
    422: {"model": Problem, "description": "A field is missing, unknown or not valid (named "
          "in `field`)"},
}

router = APIRouter(prefix="/api/v1", tags=["actions"], route_class=JsonRoute,
                   responses=ERRORS)
Who = Depends(token_principal)
NOTHING = Body(default=None)


def _run(request: Request, who: Principal, action: Action[Any], done: str,
         item_id: int | None = None, meeting_id: int | None = None) -> Done:
    a = app_of(request)
    result = a.perform(action, principal=who)
    if item_id is None and meeting_id is None:  # item add: the new item
        item_id = getattr(result, "id", None)
    with a.session() as s:
        out = Done(action=action.name, done=done)
        if item_id is not None:
            i = common.item(s, item_id)
            out.item = ItemOut(id=i.id or 0, meeting_id=i.meeting_id, title=i.title,
                               state=i.state, part=i.part, version=i.version)
        if meeting_id is not None:
            m = common.meeting(s, meeting_id)
            out.meeting = MeetingOut(id=m.id or 0, body_id=m.body_id,
                                     starts_at=m.starts_at.isoformat(), status=m.status,
                                     version=m.version)
    return out


@router.post("/meetings/{meeting_id:id}/items", status_code=201, summary="Add an item (draft)",
             operation_id="add_item")
def add_item(request: Request, meeting_id: int, body: AddItemIn, who: Principal = Who) -> Done:
    """``item add``: a draft item with its cover sheet and report (secretary or report
    author)."""
    action = AddItem(meeting_id=meeting_id, title=body.title, action=body.action,
                     lead=body.lead, part=body.part, exempt_paragraph=body.exempt_paragraph,
                     public_interest_reason=body.public_interest_reason or None,
                     body_text=body.body_text, cover=body.cover.model_dump())
    return _run(request, who, action, "Item added (draft).")


@router.post("/items/{item_id:id}/submit", summary="Submit an item", operation_id="submit_item")
def submit(request: Request, item_id: int, body: LateIn | None = NOTHING,
           who: Principal = Who) -> Done:
    """``item submit`` (late: give the urgency reason and the consenting chair)."""
    b = body or LateIn()
    return _run(request, who, SubmitItem(item_id=item_id, urgency_reason=b.urgency_reason or None,
                                         chair_consent_by=b.chair_consent_by or None),
                "Item submitted.", item_id)


@router.post("/items/{item_id:id}/accept", summary="Accept an item", operation_id="accept_item")
def accept(request: Request, item_id: int, body: NoFields | None = NOTHING,
           who: Principal = Who) -> Done:
    """``item accept`` (secretary)."""
    return _run(request, who, AcceptItem(item_id=item_id), "Item accepted.", item_id)


@router.post("/items/{item_id:id}/publish", summary="Publish an item on its own",
             operation_id="publish_item")
def publish_item(request: Request, item_id: int, body: LateIn | None = NOTHING,
                 who: Principal = Who) -> Done:
    """``item publish`` (secretary; late: the urgency reason and the consenting chair)."""
    b = body or LateIn()
    return _run(request, who, PublishItem(item_id=item_id,
                                          urgency_reason=b.urgency_reason or None,
                                          chair_consent_by=b.chair_consent_by or None),
                "Item published.", item_id)


@router.post("/items/{item_id:id}/withdraw", summary="Withdraw an item",
             operation_id="withdraw_item")
def withdraw(request: Request, item_id: int, body: ReasonIn, who: Principal = Who) -> Done:
    """``item withdraw`` (secretary)."""
    return _run(request, who, WithdrawItem(item_id=item_id, reason=body.reason),
                "Item withdrawn.", item_id)


@router.post("/items/{item_id:id}/defer", summary="Defer an item to the next meeting",
             operation_id="defer_item")
def defer(request: Request, item_id: int, body: ReasonIn, who: Principal = Who) -> Done:
    """``item defer`` (secretary)."""
    return _run(request, who, DeferItem(item_id=item_id, reason=body.reason),
                "Item deferred to the next meeting.", item_id)


@router.post("/items/{item_id:id}/route", summary="Route an item to another meeting",
             operation_id="route_item")
def route(request: Request, item_id: int, body: RouteIn, who: Principal = Who) -> Done:
    """``item route`` (secretary of the source body)."""
    return _run(request, who, RouteItem(item_id=item_id, meeting_id=body.to_meeting,
                                        action=body.action), "Item routed.", item_id)


@router.post("/items/{item_id:id}/declarations", status_code=201,
             summary="Declare an interest on an item", operation_id="declare_interest")
def declare(request: Request, item_id: int, body: DeclareIn, who: Principal = Who) -> Done:
    """``interest declare`` (the member themself, or the secretary)."""
    return _run(request, who, DeclareInterest(item_id=item_id, member_id=body.member_id,
                                              nature=body.nature,
                                              description=body.description,
                                              managed=body.managed),
                "Declaration recorded.", item_id)


@router.post("/items/{item_id:id}/decision", status_code=201, summary="Record the decision",
             operation_id="decide_item")
def decide(request: Request, item_id: int, body: DecideIn, who: Principal = Who) -> Done:
    """``decide`` (secretary): outcome, resolution, reasons."""
    return _run(request, who, Decide(item_id=item_id, outcome=body.outcome,
                                     resolution=body.resolution, reasons=body.reasons,
                                     alternatives_rejected=body.alternatives_rejected),
                "Decision recorded.", item_id)


@router.post("/meetings/{meeting_id:id}/publish", summary="Publish the agenda",
             operation_id="publish_meeting")
def publish(request: Request, meeting_id: int, body: NoFields | None = NOTHING,
            who: Principal = Who) -> Done:
    """``meeting publish`` (secretary): the agenda and packs."""
    return _run(request, who, PublishMeeting(meeting_id=meeting_id), "Agenda published.",
                meeting_id=meeting_id)


@router.post("/meetings/{meeting_id:id}/attendance", summary="Record attendance",
             operation_id="record_attendance")
def attendance(request: Request, meeting_id: int, body: AttendanceIn,
               who: Principal = Who) -> Done:
    """``attendance`` (secretary)."""
    return _run(request, who, RecordAttendance(meeting_id=meeting_id, people=tuple(body.people),
                                               status=body.status,
                                               substitute_for=body.substitute_for or None),
                "Attendance recorded.", meeting_id=meeting_id)


@router.post("/meetings/{meeting_id:id}/hold", summary="Record the meeting as held",
             operation_id="hold_meeting")
def hold(request: Request, meeting_id: int, body: NoFields | None = NOTHING,
         who: Principal = Who) -> Done:
    """``meeting hold`` (secretary)."""
    return _run(request, who, HoldMeeting(meeting_id=meeting_id), "Meeting recorded as held.",
                meeting_id=meeting_id)


@router.post("/meetings/{meeting_id:id}/minutes-approval",
             summary="Approve and sign an earlier meeting's minutes",
             operation_id="approve_minutes")
def minutes(request: Request, meeting_id: int, body: MinutesIn, who: Principal = Who) -> Done:
    """``minutes approve`` at this meeting (secretary)."""
    return _run(request, who, ApproveMinutes(meeting_id=body.minutes_of,
                                             at_meeting_id=meeting_id,
                                             amendments=body.amendments),
                "Minutes approved and signed.", meeting_id=meeting_id)


@router.post("/items/{item_id:id}/position", summary="Move an item in the agenda order",
             operation_id="reorder_item")
def reorder(request: Request, item_id: int, body: ReorderIn, who: Principal = Who) -> Done:
    """``item reorder`` (secretary)."""
    return _run(request, who, ReorderItem(item_id=item_id, position=body.position),
                "Agenda order changed.", item_id)


@router.post("/items/{item_id:id}/minute", summary="Write the minute of an item",
             operation_id="write_minute")
def minute(request: Request, item_id: int, body: MinuteIn, who: Principal = Who) -> Done:
    """``minutes write`` (secretary), while the minutes are a draft."""
    a = app_of(request)
    with a.session() as s:
        meeting_id = common.item(s, item_id).meeting_id
    return _run(request, who, WriteMinute(meeting_id=meeting_id, item_id=item_id,
                                          text=body.text), "Minute written.", item_id)


@router.post("/meetings/{meeting_id:id}/circulation",
             summary="Circulate the draft minutes to the members",
             operation_id="circulate_minutes")
def circulate(request: Request, meeting_id: int, body: NoFields | None = NOTHING,
              who: Principal = Who) -> Done:
    """``minutes circulate`` (secretary)."""
    return _run(request, who, CirculateMinutes(meeting_id=meeting_id),
                "Draft minutes circulated to the members.", meeting_id=meeting_id)
