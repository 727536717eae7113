"""The JSON API's request bodies: one pydantic model per staff form (s75/web/staff/forms.py),
with the same fields, limits and choices. Unknown fields are refused (``extra="forbid"``) and
nothing is coerced (``strict``: ``"2"`` is not a part number), so a client's typo is a 422
naming the field, never silently ignored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from decisions.agenda_rules import ACTIONS as ITEM_ACTIONS
from workflows.committee.decide import OUTCOMES
from workflows.committee.records import ATTENDANCE_STATUSES, MANAGED


def one_of(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not valid; expected one of {', '.join(allowed)}")
        return value
    return check


def choice(allowed: tuple[str, ...], description: str) -> object:
    return Annotated[str, AfterValidator(one_of(allowed)),
                     Field(description=description, json_schema_extra={"enum": list(allowed)})]


ItemAction = choice(tuple(ITEM_ACTIONS), "What the body is asked to do")
Outcome = choice(OUTCOMES, "approved, amended or noted")
Attendance = choice(ATTENDANCE_STATUSES, "How the people attended")
Managed = choice(MANAGED, "How the interest was managed")
Short = Annotated[str, Field(max_length=64)]
Reason = Annotated[str, Field(max_length=2000)]
Text = Annotated[str, Field(max_length=20000)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: object) -> object:
        """Control characters dropped from text, as the forms do (newlines and tabs kept)."""
        if isinstance(value, str):
            return "".join(c for c in value if c in "\n\t" or c.isprintable()).strip()
        return value


class CoverSheet(Strict):
    """The report cover sheet (file 000); blank fields print "Not provided"."""

    decisions_required: Annotated[str, Field(max_length=5000)] = ""
    key_points: Annotated[str, Field(max_length=5000)] = ""
    impacts: Annotated[str, Field(max_length=5000)] = ""
    business_plan_link: Annotated[str, Field(max_length=5000)] = ""
    conflicts_of_interest: Annotated[str, Field(max_length=5000)] = ""
    previously_discussed: Annotated[str, Field(max_length=5000)] = ""
    sponsor: Annotated[str, Field(max_length=5000)] = ""
    presenter: Annotated[str, Field(max_length=5000)] = ""


class NoFields(Strict):
    """This action takes no fields: send ``{}`` or no body."""


class AddItemIn(Strict):
    title: Annotated[str, Field(max_length=300)]
    action: ItemAction = "for_decision"  # type: ignore[valid-type]
    lead: Annotated[str, Field(max_length=200)] = ""
    part: Annotated[int, Field(ge=1, le=2, description="1 public, 2 exempt (Part 2)")] = 1
    exempt_paragraph: Annotated[int | None, Field(ge=1, le=7, description=(
        "Schedule 12A paragraph 1-7, for a Part 2 item"))] = None
    public_interest_reason: Reason | None = None
    body_text: Text = ""
    cover: CoverSheet = Field(default_factory=CoverSheet)


class LateIn(Strict):
    """Submitting or publishing after the deadline needs both (LGA 1972 s100B(4))."""

    urgency_reason: Reason | None = None
    chair_consent_by: Short | None = Field(default=None, description="The consenting chair's "
                                           "member id")


class ReasonIn(Strict):
    reason: Reason


class RouteIn(Strict):
    to_meeting: Id
    action: ItemAction  # type: ignore[valid-type]


class AttendanceIn(Strict):
    people: Annotated[list[Short], Field(min_length=1, max_length=100,
                                         description="Member ids")]
    status: Attendance  # type: ignore[valid-type]
    substitute_for: Short | None = None


class DeclareIn(Strict):
    member_id: Short
    nature: Short
    description: Text = ""
    managed: Managed  # type: ignore[valid-type]


class DecideIn(Strict):
    outcome: Outcome  # type: ignore[valid-type]
    resolution: Text
    reasons: Text = ""
    alternatives_rejected: Text = ""


class ReorderIn(Strict):
    position: Id = Field(description="The item's place among the business items (1 = first "
                         "after the opening standing items)")


class MinuteIn(Strict):
    text: Text = Field(description="The secretary's minute of the item (a summary of the "
                       "discussion)")


class MinutesIn(Strict):
    minutes_of: Id = Field(description="The earlier meeting whose minutes are approved")
    amendments: Text = ""


class ItemOut(BaseModel):
    id: int
    meeting_id: int
    title: str
    state: str
    part: int
    version: int


class MeetingOut(BaseModel):
    id: int
    body_id: str
    starts_at: str
    status: str
    version: int


class Done(BaseModel):
    """What the action did, and the item or meeting as it is now."""

    action: str
    done: str
    item: ItemOut | None = None
    meeting: MeetingOut | None = None


class Problem(BaseModel):
    """An error: the message a secretary can act on; for 422, the field it names."""

    status: int
    message: str
    field: str | None = None
    errors: list[dict[str, str]] = Field(default_factory=list)
