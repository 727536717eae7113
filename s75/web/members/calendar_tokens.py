"""Personal calendar links: a member's own token of scope ``calendar`` (s75/api_tokens.py, the
same table as API tokens, stored only as its SHA-256 hash).

A member's link is ``/calendar/personal/<token>.ics`` (``api_tokens.calendar_path``); it works
without signing in (calendar programs cannot sign in), so the token is the credential.
:func:`issue` revokes the member's live calendar tokens and makes a new one (the "Reset my
link" button); the plain token is shown once, on the page that made it. A revoked or unknown
token finds nobody (:func:`member_for`). The same tokens can be issued from the command line
(``s75 token add MEMBER --name ... --scope calendar``) and are listed by ``s75 token list``.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from s75.api_tokens import ApiTokenRow, issue_token, principal_for

NAME = "Personal calendar link"


def _live(session: Session, member_id: str) -> list[ApiTokenRow]:
    return list(session.exec(select(ApiTokenRow).where(
        ApiTokenRow.principal_id == member_id, ApiTokenRow.scope == "calendar",
        col(ApiTokenRow.revoked_at).is_(None)).order_by(col(ApiTokenRow.id).desc())))


def current(session: Session, member_id: str) -> ApiTokenRow | None:
    """The member's newest live calendar token, if they have made a link."""
    live = _live(session, member_id)
    return live[0] if live else None


def revoke(session: Session, member_id: str, now: datetime) -> int:
    """End every live calendar link of the member; returns how many."""
    rows = _live(session, member_id)
    for row in rows:
        row.revoked_at = now
        session.add(row)
    return len(rows)


def issue(session: Session, member_id: str, now: datetime) -> str:
    """A new token for the member (the old ones stop working); the caller commits."""
    revoke(session, member_id, now)
    _row, secret = issue_token(session, member_id, NAME, "calendar", now=now)
    return secret


def member_for(session: Session, token: str, now: datetime | None = None) -> str | None:
    """The member a live calendar token belongs to; None for a wrong or revoked one."""
    return principal_for(session, token, "calendar", now=now)
