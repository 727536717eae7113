"""Tables of the proposal lifecycle: approvals by partners' bodies, monthly gateways and each
partner's return, gateway conditions, the s75 (SI 2000/617 reg 7) checklist, signatures, and
decisions that moved a start date."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from workflows.sqltypes import UTCDateTime


class ApprovalRow(SQLModel, table=True):
    """One partner's approval of one stage, and the decision that gave it."""

    __tablename__ = "proposal_approval"
    __table_args__ = (UniqueConstraint("proposal_id", "variation", "stage", "partner_id"),)
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    variation: int = 0
    stage: str = Field(max_length=64)
    partner_id: str = Field(foreign_key="partner.id", max_length=64)
    body_id: str = Field(foreign_key="body.id", max_length=64)
    meeting_date: date
    minute_ref: str
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    recorded_by: str = ""
    source: str = Field(default="decision", max_length=16)
    """"decision": a decision recorded in s75 at a held meeting; "outside": a body whose
    meetings are recorded outside s75 (minute reference and date as given)."""


class GatewayRow(SQLModel, table=True):
    """The gateway of one month of shadow operation."""

    __tablename__ = "gateway"
    __table_args__ = (UniqueConstraint("proposal_id", "month"),)
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    month: date
    """First day of the month the gateway belongs to."""
    held_on: date


class GatewayReturnRow(SQLModel, table=True):
    """One partner's answer at one gateway: go, go_with_conditions, pause or stop."""

    __tablename__ = "gateway_return"
    __table_args__ = (UniqueConstraint("gateway_id", "partner_id"),)
    id: int | None = Field(default=None, primary_key=True)
    gateway_id: int = Field(foreign_key="gateway.id", index=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    partner_id: str = Field(foreign_key="partner.id", max_length=64)
    decision: str = Field(max_length=32)
    reasons: str = ""
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    recorded_by: str = ""
    late_reason: str | None = None
    """Set when the return was recorded after its month had been marked missed."""


class ConditionRow(SQLModel, table=True):
    """A condition a partner set at a gateway; must be closed before s75 drafting."""

    __tablename__ = "gateway_condition"
    # the board's "condition overdue" test (migration 0004_lists)
    __table_args__ = (Index("ix_gateway_condition_risk", "proposal_id", "status", "due"),)
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    gateway_id: int = Field(foreign_key="gateway.id")
    partner_id: str = Field(foreign_key="partner.id", max_length=64)
    text: str
    owner_id: str = Field(max_length=64)
    due: date
    status: str = "open"  # open | closed
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    closed_by: str | None = None
    closing_note: str = ""


class ChecklistRow(SQLModel, table=True):
    """One SI 2000/617 reg 7 item marked present (or not) in the draft agreement."""

    __tablename__ = "s75_checklist"
    proposal_id: int = Field(foreign_key="proposal.id", primary_key=True)
    variation: int = Field(default=0, primary_key=True)
    item: str = Field(primary_key=True, max_length=64)
    present: bool = True
    reference: str = ""
    """Where the agreement covers it, e.g. "clause 4, schedule 2"."""
    marked_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    marked_by: str = ""


class SignatureRow(SQLModel, table=True):
    __tablename__ = "s75_signature"
    __table_args__ = (UniqueConstraint("proposal_id", "variation", "partner_id"),)
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    variation: int = 0
    partner_id: str = Field(foreign_key="partner.id", max_length=64)
    signatory_id: str = Field(foreign_key="member.id", max_length=64)
    signed_on: date
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    recorded_by: str = ""


class StartDateChangeRow(SQLModel, table=True):
    """A recorded decision that moved the date an agreement (or variation) takes effect."""

    __tablename__ = "proposal_start_change"
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    variation: int = 0
    old_start: date
    new_start: date
    partner_id: str | None = Field(default=None, max_length=64)
    """The partner whose body decided; None for a joint body deciding for every partner."""
    applied: bool = True
    """False while other partners' decisions to move the start are awaited."""
    body_id: str = Field(foreign_key="body.id", max_length=64)
    meeting_date: date
    minute_ref: str
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    recorded_by: str = ""
