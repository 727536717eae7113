"""Tables for what happens at and around meetings, beside decisions/tables.py's meeting,
agenda item and decision: attendance, the register of interests and declarations,
dispensations, votes and objections, actions arising, referrals, minutes approval and
signature, urgency consents, key-decision facts and call-in. Plain declarations; the services
that write them are in workflows/committee/.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from workflows.sqltypes import JSONType, UTCDateTime, empty_list

ATTENDANCE_STATUSES = ("present", "apologies", "absent", "in_attendance")
INTEREST_NATURES = ("pecuniary", "non_pecuniary", "indirect")
MANAGED = ("left_room", "no_vote", "took_part")


class AttendanceRow(SQLModel, table=True):
    """Who was at a meeting and in what capacity. A substitute is recorded as present with
    ``substitute_for`` naming the member whose place they take (counts and decides for them).
    People "in attendance" (officers, presenters) need not be members: ``name`` holds them."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person"),)
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person: str = Field(max_length=128)
    """Member id, or the name of someone in attendance who is not a member."""
    member_id: str | None = Field(default=None, max_length=64)
    partner_id: str | None = Field(default=None, max_length=64)
    status: str = "present"  # one of ATTENDANCE_STATUSES
    substitute_for: str | None = Field(default=None, max_length=64)
    note: str = ""
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class InterestRow(SQLModel, table=True):
    """The register of interests: one entry per member interest, dated."""

    __tablename__ = "interest"
    id: int | None = Field(default=None, primary_key=True)
    member_id: str = Field(foreign_key="member.id", max_length=64, index=True)
    nature: str  # one of INTEREST_NATURES
    description: str
    registered_on: date
    ended_on: date | None = None
    sensitive: bool = False
    """A sensitive interest (Localism Act 2011 s32): the published register says only that
    the member has an interest whose details are withheld."""


class DeclarationRow(SQLModel, table=True):
    """A declaration of interest on an item at a meeting, and how it was managed."""

    __tablename__ = "declaration"
    __table_args__ = (UniqueConstraint("item_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    member_id: str = Field(foreign_key="member.id", max_length=64)
    nature: str
    description: str
    managed: str = "left_room"  # one of MANAGED
    interest_id: int | None = None
    dispensation_id: int | None = None
    dispensation_by: str | None = None
    dispensation_reason: str | None = None
    declared_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class DispensationRow(SQLModel, table=True):
    """A dispensation (Localism Act 2011 s33) letting a member with an interest take part:
    for one item, or for a body's business until a date."""

    __tablename__ = "dispensation"
    id: int | None = Field(default=None, primary_key=True)
    member_id: str = Field(foreign_key="member.id", max_length=64, index=True)
    body_id: str | None = Field(default=None, max_length=64)
    item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    granted_by: str
    reason: str
    granted_on: date
    expires_on: date | None = None


class VoteRow(SQLModel, table=True):
    """One member's vote (for | against | abstain), an objection (consensus) or a partner's
    block vote (partner_id set, member_id the one who cast it)."""

    __tablename__ = "vote"
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    kind: str = "member"  # member | objection | partner
    member_id: str | None = Field(default=None, max_length=64)
    partner_id: str | None = Field(default=None, max_length=64)
    vote: str = "for"  # for | against | abstain | object
    note: str = ""


class ActionRow(SQLModel, table=True):
    """An action arising: reviewed at each meeting of the body (matters arising) until closed."""

    __tablename__ = "action"
    id: int | None = Field(default=None, primary_key=True)
    body_id: str = Field(foreign_key="body.id", max_length=64, index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    description: str
    owner: str = Field(index=True)
    """Member id or a named officer."""
    owner_email: str | None = Field(default=None, index=True)
    due_on: date
    status: str = "open"  # open | done | dropped
    closed_on: date | None = None
    closing_note: str = ""
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class ReferralRow(SQLModel, table=True):
    """A decision one body could not take, sent to another body's next open meeting."""

    __tablename__ = "referral"
    id: int | None = Field(default=None, primary_key=True)
    from_item_id: int = Field(foreign_key="agenda_item.id", index=True)
    from_body_id: str = Field(max_length=64)
    to_body_id: str = Field(max_length=64)
    to_meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    """None when the body has no open meeting yet: schedule one, then place the item."""
    to_item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    rule: str
    """"no_consensus" or "delegated_limit"."""
    reason: str
    pool_lines: list[Any] = Field(default_factory=empty_list,
                                  sa_column=Column(JSONType, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    report_item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    """The "Report back" item on the referring body's agenda once the receiving body decided."""


class MinutesRow(SQLModel, table=True):
    """The minutes of one meeting: draft, approved (as a correct record, or amended) at a later
    meeting, then signed by the chair of that meeting."""

    __tablename__ = "minutes"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", unique=True)
    state: str = "draft"  # draft | approved | signed
    text: str = ""
    approved_at_meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    approved_on: date | None = None
    amended: bool = False
    amendments: str = ""
    signed_by: str | None = None
    signed_on: date | None = None


class UrgencyConsentRow(SQLModel, table=True):
    """A consent that lets a step through a time rule: a late item (chair, LGA 1972 s100B(4)),
    a key-decision exception (scrutiny chair, SI 2012/2089 regs 10-11), or an exemption from
    call-in (scrutiny chair). The reason is minuted."""

    __tablename__ = "urgency_consent"
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    kind: str  # late_item | general_exception | special_urgency | call_in_exempt
    consented_by: str
    reason: str
    given_on: date
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class KeyDecisionRow(SQLModel, table=True):
    """Key-decision facts for an item at an executive body (SI 2012/2089 regs 8-11)."""

    __tablename__ = "key_decision"
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", unique=True)
    forward_plan_published_on: date | None = None
    exception: str = "none"  # none | general_exception | special_urgency
    scrutiny_chair_notified_on: date | None = None
    scrutiny_chair_agreed_by: str | None = None
    exception_reason: str = ""
    wards_affected: int = 0


class CallInRow(SQLModel, table=True):
    """A call-in of an executive decision (LGA 2000 s9F) within its window."""

    __tablename__ = "call_in"
    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True)
    requested_by: str
    """A member id from the config, or a name as given."""
    reason: str
    requested_on: date
    outcome: str = "pending"  # pending | upheld | referred_back | withdrawn
    scrutiny_body: str | None = None
    """The overview and scrutiny committee that hears the call-in."""
    resolved_on: date | None = None
    resolution_reason: str | None = None
    reconsideration_item_id: int | None = None
    """Referred back: the item placed on the decision-maker's next meeting (None if none)."""
    details: dict[str, Any] = Field(default_factory=dict,
                                    sa_column=Column(JSONType, nullable=False))


class MinuteTextRow(SQLModel, table=True):
    """The secretary's minute of one agenda item: the summary of the discussion, written
    before the minutes are circulated (``s75 minutes write``)."""

    __tablename__ = "minute_text"
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", unique=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    text: str
    written_by: str = Field(max_length=64)
    written_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class MinutesVersionRow(SQLModel, table=True):
    """One issue of a meeting's minutes: the draft, the approved minutes (with the amendments
    made on approval), or a correction. Each later issue supersedes the one before; the
    stored documents of each issue are kept."""

    __tablename__ = "minutes_version"
    __table_args__ = (UniqueConstraint("meeting_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    version: int = 1
    status: str = "draft"  # draft | approved | corrected
    reason: str = ""
    """Why this issue was made: the amendments on approval, the correction."""
    document_id: int | None = None
    public_document_id: int | None = None
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    superseded_at: datetime | None = Field(default=None,
                                           sa_column=Column(UTCDateTime, nullable=True))


class DecisionCorrectionRow(SQLModel, table=True):
    """A decision recorded wrongly, corrected or rescinded (``s75 decision correct|rescind``):
    the original decision row is kept and, from this row, read as superseded; a correction
    points to the new decision row that replaces it. The notices issued before and after are
    named so the trail can be followed in the documents store."""

    __tablename__ = "decision_correction"
    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", unique=True)
    """The decision superseded (corrected or rescinded)."""
    kind: str = "correction"  # correction | rescission
    new_decision_id: int | None = Field(default=None, foreign_key="decision.id")
    """The decision that replaces it (a correction); None for a rescission."""
    reason: str
    changed: list[Any] = Field(default_factory=empty_list,
                               sa_column=Column(JSONType, nullable=False))
    """The fields corrected, each {"field", "before", "after"}."""
    corrected_by: str = Field(max_length=64)
    corrected_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    old_document_id: int | None = None
    """The notice superseded (its latest issue before the correction), if one was issued."""
    document_id: int | None = None
    """The notice reissued."""
