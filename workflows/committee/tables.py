"""Tables for the standing arrangements (loaded from config by ``s75 init``) and for what
committees do: meetings, agenda items, decisions. Plain SQLModel declarations; no queries here.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Index, LargeBinary, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from workflows.sqltypes import JSONType, UTCDateTime, empty_list

MONEY = Numeric(14, 2)


# Standing arrangements --------------------------------------------------------------------
class PartnerRow(SQLModel, table=True):
    __tablename__ = "partner"
    id: str = Field(primary_key=True, max_length=64)
    name: str
    kind: str
    sovereign_body_id: str = Field(max_length=64)
    authorised_signatory_id: str = Field(max_length=64)
    pools: bool = True
    """False for a partner that only attends (config ``partner.pools``)."""


class BodyRow(SQLModel, table=True):
    __tablename__ = "body"
    id: str = Field(primary_key=True, max_length=64)
    name: str
    kind: str
    terms: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    """The body's terms of reference as configured (decision rule, quorum, chairs, deadlines)."""


class MemberRow(SQLModel, table=True):
    __tablename__ = "member"
    id: str = Field(primary_key=True, max_length=64)
    name: str
    partner_id: str = Field(foreign_key="partner.id", max_length=64)
    email: str
    substitute_id: str | None = Field(default=None, max_length=64)
    active: bool = True


class MembershipRow(SQLModel, table=True):
    __tablename__ = "membership"
    body_id: str = Field(foreign_key="body.id", primary_key=True, max_length=64)
    member_id: str = Field(foreign_key="member.id", primary_key=True, max_length=64)


class PoolLineRow(SQLModel, table=True):
    __tablename__ = "pool_line"
    id: str = Field(primary_key=True, max_length=64)
    service: str
    lead_partner_id: str = Field(foreign_key="partner.id", max_length=64)
    is_tbc: bool = False
    position: int = 0


class ContributionRow(SQLModel, table=True):
    __tablename__ = "contribution"
    line_id: str = Field(foreign_key="pool_line.id", primary_key=True, max_length=64)
    partner_id: str = Field(foreign_key="partner.id", primary_key=True, max_length=64)
    amount: Decimal = Field(sa_column=Column(MONEY, nullable=False))


class StandingChangeRow(SQLModel, table=True):
    """History of the standing arrangements: one row per field changed by ``s75 init``."""

    __tablename__ = "standing_change"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    entity: str
    entity_id: str
    field: str
    old: str | None = None
    new: str | None = None


# Committee business -----------------------------------------------------------------------
# Written by the services in workflows/committee/; read by documents (agendas, packs, minutes)
# and notifications (deadlines). The companion tables (attendance, interests, votes, actions,
# referrals, minutes, key-decision facts) are in decisions/committee_tables.py.

COVER_REQUIRED = ("decisions_required", "key_points", "impacts", "sponsor", "presenter")
"""Cover-sheet fields a written report cannot be submitted without; the others print "Not
provided" when left blank."""
COVER_FIELDS = (
    "decisions_required", "key_points", "impacts", "business_plan_link",
    "conflicts_of_interest", "previously_discussed", "sponsor", "presenter",
)
"""Keys of ``AgendaItemRow.cover``: the report cover sheet of file 000, in its order
("What decisions do you require?", "the key points", "likely impacts and/or implications",
"How does this link to the Annual Business Plan?", "potential conflicts of interest",
"Where has this report been previously discussed?", sponsor, "Presented by")."""

ITEM_ACTIONS = ("to_note", "to_approve", "for_decision")
STANDING_CODES = ("apologies", "declarations", "minutes", "matters_arising", "aob")


class MeetingRow(SQLModel, table=True):
    __tablename__ = "meeting"
    __table_args__ = (UniqueConstraint("body_id", "starts_at"),
                      Index("ix_meeting_starts_at", "starts_at"))  # OParl list (0004_lists)
    id: int | None = Field(default=None, primary_key=True)
    body_id: str = Field(foreign_key="body.id", max_length=64, index=True)
    starts_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    local_date: date | None = None
    """The meeting's date in the locality's time zone (Europe/London)."""
    venue: str = ""
    kind: str = "ordinary"  # ordinary | extraordinary | adhoc
    status: str = "scheduled"  # scheduled | held | cancelled
    reason: str = ""
    """Why an ad-hoc or extraordinary meeting was called (and by whom)."""
    moved_from: date | None = None
    move_reason: str = ""
    """Set when the schedule moved the meeting off a bank holiday (e.g. "Spring bank holiday")."""
    item_deadline: date | None = None
    """Last day for notifying agenda items (the body's agenda_items_working_days before)."""
    chair_due_id: str | None = Field(default=None, max_length=64)
    """Whose turn it is by the rotation (or the fixed chair)."""
    chair_id: str | None = Field(default=None, max_length=64)
    """Who chairs: the due chair, or the co-/vice-chair when the due chair sent apologies."""
    chair_reason: str = ""
    held_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    cancel_reason: str | None = None
    version: int = 1


class AgendaItemRow(SQLModel, table=True):
    """One item on one meeting's agenda (standing business or a report).

    State follows workflows/definitions/agenda_item.toml: draft -> submitted -> accepted ->
    published -> considered -> decided | deferred; withdrawn from any state before considered.
    """

    __tablename__ = "agenda_item"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    title: str
    state: str = "draft"
    standing: str | None = None
    """None for business; else one of STANDING_CODES (opening items, then "aob" last)."""
    action: str = "for_decision"  # one of ITEM_ACTIONS
    action_text: str = ""
    """The agenda's "Action" as the secretary words it ("To debate and approve"); blank
    prints the action's own label ("For decision")."""
    report: str = "Written Report"  # "Written Report" | "To follow" | "Verbal" | "Presentation"
    lead: str = ""
    """Lead officer or member presenting the item (the agenda's "Lead" column)."""
    author: str | None = Field(default=None, max_length=64, index=True)
    """The member (a report author) the report is assigned to: it is on their "Your items"
    page, and they draft, attach and submit it (None: the secretary writes it)."""
    indicative_time: str | None = None
    """Start time on the agenda, "HH:MM" local (file 000's "Indicative Timings")."""
    duration_minutes: int | None = None
    part: int = 1
    """1 = public; 2 = the public excluded (needs exempt_paragraph + public_interest_reason)."""
    exempt_paragraph: int | None = None
    """Schedule 12A LGA 1972 paragraph 1-7 (lga1972 bodies); for pbama1960 bodies optional."""
    public_interest_reason: str | None = None
    cover: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    """The cover sheet: keys COVER_FIELDS, values text ("" when not given)."""
    body_text: str = ""
    """The report itself (plain text / Markdown paragraphs)."""
    appendices: list[Any] = Field(default_factory=empty_list,
                                  sa_column=Column(JSONType, nullable=False))
    """[{"title": str, "text": str}, ...] in order (Appendix 1, 2, ...)."""
    checklist: dict[str, Any] = Field(default_factory=dict,
                                      sa_column=Column(JSONType, nullable=False,
                                                       server_default="{}"))
    """The author's answers to file 000's compliance checklist (decisions/checklist.py)."""
    proposal_id: int | None = None
    report_id: int | None = Field(default=None, index=True)
    """Items carrying the same report to several bodies/dates share a report_id (the id of
    the first item); each item's ``action`` says for information or for decision there."""
    pool_line_id: str | None = Field(default=None, max_length=64)
    """The pool line the decision affects; "*" for the whole pool; None if none."""
    amount: Decimal | None = Field(default=None, sa_column=Column(MONEY, nullable=True))
    """Money the decision commits (pounds), tested against delegated limit / key threshold."""
    position: int = 0
    submitted_by: str | None = None
    submitted_at: datetime | None = Field(default=None,
                                          sa_column=Column(UTCDateTime, nullable=True))
    late: bool = False
    """Submitted after the item deadline or published later than the clear days allow."""
    urgency_reason: str | None = None
    """The special circumstances the chair accepted (LGA 1972 s100B(4)); minuted."""
    urgency_consent_by: str | None = None
    report_followed_at: datetime | None = Field(default=None,
                                                sa_column=Column(UTCDateTime, nullable=True))
    """When a report listed "to follow" on the published agenda was supplied: it is published
    in the supplement, the item keeping its place and number on the agenda."""
    deferred_to_item_id: int | None = None
    carried_from_item_id: int | None = None
    """The item this one continues (deferred from an earlier meeting, or a referral)."""
    minute_ref: str = ""
    version: int = 1


class DecisionRow(SQLModel, table=True):
    """What a body resolved on an item: the SI 2012/2089 reg 12 record for executive bodies."""

    __tablename__ = "decision"
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    body_id: str | None = Field(default=None, max_length=64)
    outcome: str
    """approved | rejected | noted | referred | no_decision."""
    rule_applied: str
    decided_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    decision_date: date | None = None
    chair_id: str | None = None
    minute_ref: str = ""
    text: str = ""
    """The resolution as minuted."""
    reasons: str = ""
    alternatives_rejected: str = ""
    interests_declared: list[Any] = Field(default_factory=empty_list,
                                          sa_column=Column(JSONType, nullable=False))
    """[{"member_id", "nature", "description", "managed"}] on this item."""
    dispensations: list[Any] = Field(default_factory=empty_list,
                                     sa_column=Column(JSONType, nullable=False))
    """[{"member_id", "granted_by", "reason"}]."""
    key_decision: bool = False
    call_in_expires: date | None = None
    """Executive decisions: not implemented before the end of this day (call-in window)."""
    call_in_state: str = "none"
    """none (not subject to call-in) | open | called_in | upheld | referred_back | withdrawn |
    exempt (urgency, with the scrutiny chair's consent)."""
    notice_published_on: date | None = None
    """The day the decision notice was first published: the call-in window runs from it."""
    details: dict[str, Any] = Field(default_factory=dict,
                                    sa_column=Column(JSONType, nullable=False))
    """tally, quorum counted, explanation of the rule, referral ids."""


class ItemAppendixRow(SQLModel, table=True):
    """A PDF appendix an author supplied with an item, stored once per content
    (workflows/committee/appendices.py); the item's ``appendices`` entry names it by id."""

    __tablename__ = "item_appendix"
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    title: str
    filename: str
    sha256: str = Field(max_length=64)
    pages: int
    size: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class ItemClearanceRow(SQLModel, table=True):
    """An officer's clearance of an item's report (file 004: "Finance Officer Clearance",
    "Legal Officer Clearance"), or its refusal with the comment, for one version of the item
    (an edit after it needs clearing again). workflows/committee/clearance.py."""

    __tablename__ = "item_clearance"
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    kind: str = Field(max_length=16)  # finance | legal
    cleared: bool
    """True: cleared; False: refused (the comment says why)."""
    by: str = Field(max_length=64)
    comment: str = ""
    item_version: int
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
