"""API tokens: bearer secrets for the JSON API and for a member's personal calendar link.

A token is issued for one **principal** (a member id of the configuration, as an account is)
and one **scope**: ``api`` (``Authorization: Bearer ...`` on ``/api/v1/...``) or ``calendar``
(the member's iCalendar subscription link, ``/calendar/personal/<secret>.ics``). A token of one
scope is refused for the other, so a calendar link copied into a calendar app cannot act.

Only a SHA-256 hash of the secret is stored (the secret is 32 random bytes, so a fast hash is
enough: there is nothing to guess); its first characters (``prefix``) are kept to tell tokens
apart in ``s75 token list``. The secret is shown once, when issued. Revoking keeps the row
(who, when) and refuses the secret from then on.

The functions for other parts of the app: :func:`issue_token`, :func:`principal_for`,
:func:`revoke` (and :func:`tokens_of` to list a member's, :func:`calendar_path` for the
link)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from sqlalchemy import Column
from sqlmodel import Field, Session, SQLModel, col, select

from decisions.errors import ConflictError, InvalidInput, NotFound
from decisions.principals import find_principal
from decisions.terms import LocalityConfig
from workflows.sqltypes import UTCDateTime

SCOPES = ("api", "calendar")
"""``api``: the JSON API's actions; ``calendar``: the member's personal iCalendar feed."""
PREFIX_LENGTH = 12
"""``s75_`` and the first 8 characters of the random part: enough to tell tokens apart."""
MAX_NAME = 100


class ApiTokenRow(SQLModel, table=True):
    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    principal_id: str = Field(max_length=64, index=True)
    """The member of the configuration the token acts as (their roles apply)."""
    name: str
    """What it is for, in the holder's words ("finance system", "my phone")."""
    scope: str = Field(max_length=16)
    prefix: str = Field(max_length=16)
    secret_hash: str = Field(max_length=64, unique=True, index=True)
    """sha256 of the secret, hex; the secret itself is never stored."""
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def check_scope(scope: str) -> str:
    if scope not in SCOPES:
        raise InvalidInput(f"scope: {scope!r} is not valid; expected one of {', '.join(SCOPES)}")
    return scope


def issue_token(session: Session, member_id: str, name: str, scope: str, *,
                cfg: LocalityConfig | None = None, now: datetime | None = None
                ) -> tuple[ApiTokenRow, str]:
    """A new token for ``member_id`` (checked against ``cfg`` when given): the row (flushed,
    not committed) and the secret, which is not kept and cannot be shown again."""
    check_scope(scope)
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("--name: missing; say what the token is for, e.g. \"finance "
                           "system\"")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"--name: {len(name)} characters is too long; at most {MAX_NAME}")
    if cfg is not None:
        find_principal(cfg, member_id, "member")  # NotFound naming the known members
    secret = f"s75_{secrets.token_urlsafe(32)}"
    row = ApiTokenRow(principal_id=member_id, name=name, scope=scope,
                      prefix=secret[:PREFIX_LENGTH], secret_hash=digest(secret),
                      created_at=_now(now))
    session.add(row)
    session.flush()
    return row, secret


def principal_for(session: Session, secret: str, scope: str, *, now: datetime | None = None
                  ) -> str | None:
    """The member id a live token of ``scope`` acts as, or None (unknown, revoked, another
    scope). Records the use (``last_used_at``); the caller commits."""
    if not secret or len(secret) > 200:
        return None
    wanted = digest(secret)
    row = session.exec(select(ApiTokenRow).where(ApiTokenRow.secret_hash == wanted)).first()
    if row is None or not hmac.compare_digest(row.secret_hash, wanted):
        return None
    if row.revoked_at is not None or row.scope != scope:
        return None
    row.last_used_at = _now(now)
    session.add(row)
    return row.principal_id


def revoke(session: Session, token_id: int, *, now: datetime | None = None) -> ApiTokenRow:
    """Revoke token ``token_id``: its secret is refused from now on (ConflictError if it
    already was; NotFound naming the ids that exist)."""
    row = session.get(ApiTokenRow, token_id)
    if row is None:
        ids = session.exec(select(ApiTokenRow.id).order_by(col(ApiTokenRow.id))).all()
        raise NotFound(f"token {token_id} does not exist; expected one of: "
                       f"{', '.join(str(i) for i in ids) or '(no tokens yet: s75 token add)'}")
    if row.revoked_at is not None:
        raise ConflictError(f"token {token_id} ({row.name}) was already revoked on "
                            f"{row.revoked_at:%Y-%m-%d %H:%M} UTC")
    row.revoked_at = _now(now)
    session.add(row)
    session.flush()
    return row


def calendar_path(secret: str) -> str:
    """Where a calendar token's feed is served (after the site's address)."""
    return f"/calendar/personal/{secret}.ics"


def tokens_of(session: Session, member_id: str | None = None) -> list[ApiTokenRow]:
    """Every token (of ``member_id``, when given), oldest first."""
    q = select(ApiTokenRow).order_by(col(ApiTokenRow.id))
    if member_id is not None:
        q = q.where(ApiTokenRow.principal_id == member_id)
    return list(session.exec(q))
