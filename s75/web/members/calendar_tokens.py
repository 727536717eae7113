"""Personal calendar links: one secret token per member, stored only as its SHA-256 hash.

A member's link is ``/members/calendar/<token>.ics``; it works without signing in (calendar
programs cannot sign in), so the token is the credential. :func:`issue` revokes the member's
current token and makes a new one (the "Reset my link" button); the plain token is shown once,
on the page that made it. A revoked or unknown token finds nobody (:func:`member_for`).

(A separate table from the API tokens; the two may be merged later.)"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, Session, SQLModel, col, select

from workflows.sqltypes import UTCDateTime

PREFIX = "cal_"


class CalendarTokenRow(SQLModel, table=True):
    __tablename__ = "member_calendar_token"
    id: int | None = Field(default=None, primary_key=True)
    member_id: str = Field(max_length=64, index=True)
    """The member (principal id) whose meetings and deadlines the feed holds."""
    token_hash: str = Field(max_length=64, unique=True)
    """sha256 hex of the token; the token itself is never stored."""
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current(session: Session, member_id: str) -> CalendarTokenRow | None:
    """The member's live token row, if they have made a link."""
    return session.exec(select(CalendarTokenRow).where(
        CalendarTokenRow.member_id == member_id, col(CalendarTokenRow.revoked_at).is_(None))
        .order_by(col(CalendarTokenRow.id).desc())).first()


def revoke(session: Session, member_id: str, now: datetime) -> int:
    """End every live link of the member; returns how many."""
    rows = session.exec(select(CalendarTokenRow).where(
        CalendarTokenRow.member_id == member_id,
        col(CalendarTokenRow.revoked_at).is_(None))).all()
    for row in rows:
        row.revoked_at = now
        session.add(row)
    return len(rows)


def issue(session: Session, member_id: str, now: datetime) -> str:
    """A new token for the member (the old one stops working); the caller commits."""
    revoke(session, member_id, now)
    token = PREFIX + secrets.token_urlsafe(32)
    session.add(CalendarTokenRow(member_id=member_id, token_hash=digest(token), created_at=now))
    session.flush()
    return token


def member_for(session: Session, token: str) -> str | None:
    """The member a live token belongs to; None for a wrong, malformed or revoked one."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    wanted = digest(token)
    row = session.exec(select(CalendarTokenRow).where(
        CalendarTokenRow.token_hash == wanted)).first()
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.token_hash,
                                                                           wanted):
        return None
    return row.member_id
