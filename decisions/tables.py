"""Tables for the standing arrangements (loaded from config by ``s75 init``) and for what
committees do: meetings, agenda items, decisions. Plain SQLModel declarations; no queries here.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from decisions.sqltypes import JSONType, UTCDateTime

MONEY = Numeric(14, 2)


# Standing arrangements --------------------------------------------------------------------
class PartnerRow(SQLModel, table=True):
    __tablename__ = "partner"
    id: str = Field(primary_key=True, max_length=64)
    name: str
    kind: str
    sovereign_body_id: str = Field(max_length=64)
    authorised_signatory_id: str = Field(max_length=64)


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
class MeetingRow(SQLModel, table=True):
    __tablename__ = "meeting"
    __table_args__ = (UniqueConstraint("body_id", "starts_at"),)
    id: int | None = Field(default=None, primary_key=True)
    body_id: str = Field(foreign_key="body.id", max_length=64, index=True)
    starts_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    venue: str = ""
    kind: str = "ordinary"  # ordinary | extraordinary | adhoc
    status: str = "scheduled"  # scheduled | held | cancelled
    chair_id: str | None = Field(default=None, max_length=64)
    cancel_reason: str | None = None
    version: int = 1


class AgendaItemRow(SQLModel, table=True):
    __tablename__ = "agenda_item"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    title: str
    state: str = "draft"
    action: str = "for_decision"  # to_note | to_approve | for_decision
    part: int = 1
    exempt_paragraph: int | None = None
    public_interest_reason: str | None = None
    cover: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    body_text: str = ""
    proposal_id: int | None = None
    pool_line_id: str | None = None
    amount: Decimal | None = Field(default=None, sa_column=Column(MONEY, nullable=True))
    position: int = 0
    version: int = 1


class DecisionRow(SQLModel, table=True):
    __tablename__ = "decision"
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    outcome: str
    rule_applied: str
    decided_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    minute_ref: str = ""
    text: str = ""
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
