"""The words of every message the engine sends, and queuing them to people.

Keys are ``<what>:<deadline or event key>:<recipient>``, so the same person never gets the
same message twice whatever retries or restarts happen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from decisions.access import LGA_1972, regime_of
from decisions.terms import LocalityConfig
from notifications import outbox
from notifications.deadlines import local_date, secretary_email, tz
from notifications.due_rows import Deadline
from notifications.tables import DeadlineRow

SIGNATURE = "\n\n-- \ns75 governance engine for {locality}\nThis message was sent automatically."


def when(cfg: LocalityConfig, moment: datetime) -> str:
    local = moment.astimezone(tz(cfg))
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def send_all(session: Session, cfg: LocalityConfig, now: datetime, key: str,
             recipients: Iterable[str], subject: str, body: str, *, kind: str,
             attachments: Sequence[dict[str, Any]] = (), deadline_id: int | None = None
             ) -> list[str]:
    """Queue one message per distinct recipient; returns those newly queued."""
    out = outgoing(cfg, key, recipients, subject, body, kind=kind, attachments=attachments,
                   deadline_id=deadline_id)
    return newly_queued(out, outbox.queue_many(session, out, now))


def outgoing(cfg: LocalityConfig, key: str, recipients: Iterable[str], subject: str,
             body: str, *, kind: str, attachments: Sequence[dict[str, Any]] = (),
             deadline_id: int | None = None) -> list[outbox.Outgoing]:
    """The messages :func:`send_all` queues: one per distinct recipient, keyed
    ``<key>:<recipient>``, the body signed."""
    text = body + SIGNATURE.format(locality=cfg.locality.name)
    return [outbox.Outgoing(f"{key}:{to}", to, subject, text, kind, attachments, deadline_id)
            for to in dict.fromkeys(r for r in recipients if r)]


def newly_queued(messages: Sequence[outbox.Outgoing], queued: set[str]) -> list[str]:
    """The recipients of ``messages`` whose key is among ``queued`` (the keys newly queued)."""
    return [m.recipient for m in messages if m.key[:255] in queued]


def members_page_line(cfg: LocalityConfig, meeting_id: int | None) -> str:
    """Where the member finds their packs (members' and personal versions) on the site."""
    return (f"\nYour packs for this meeting (sign in): "
            f"{cfg.locality.site_url.rstrip('/')}/members/meetings/{meeting_id}\n")


def tell_owner(session: Session, cfg: LocalityConfig, now: datetime, row: DeadlineRow, *,
               key: str, title: str, due: date, kind: str) -> None:
    """Tell the owner of an owned deadline (an action arising, a gateway condition) that it is
    theirs and when it is due."""
    send_all(session, cfg, now, key, [row.owner_email], f"{title} (due {due:%d %b %Y})",
             f"{title}\n\nYou are recorded as its owner; it is due by {when(cfg, row.due_at)}. "
             "You will be reminded before then.\n", kind=kind, deadline_id=row.id)


def body_members(cfg: LocalityConfig, body_id: str | None) -> list[str]:
    if body_id is None:
        return []
    return [m.email for m in cfg.members_of(body_id)]


def reminder_recipients(cfg: LocalityConfig, row: Deadline) -> list[str]:
    """The owner; for an agenda-items deadline, the body's members too (the call for items)."""
    out = [row.owner_email]
    if row.kind == "agenda_items":
        out += body_members(cfg, row.body_id)
    return out


def remind(session: Session, cfg: LocalityConfig, row: Deadline, at_iso: str,
           now: datetime) -> list[str]:
    """Queue the reminder sent at ``at_iso``; returns the recipients newly reminded."""
    out = reminder(cfg, row, at_iso, now)
    return newly_queued(out, outbox.queue_many(session, out, now))


def reminder(cfg: LocalityConfig, row: Deadline, at_iso: str,
             now: datetime) -> list[outbox.Outgoing]:
    """The reminder sent at ``at_iso`` to each of :func:`reminder_recipients`."""
    days = "today" if local_date(cfg, now) == local_date(cfg, row.due_at) else (
        f"on {when(cfg, row.due_at)}")
    subject = f"Reminder: {row.title} due {local_date(cfg, row.due_at):%d %b %Y}"
    body = (f"{row.title} is due {days}.\n\nRule: {row.rule}\n"
            f"Deadline: {when(cfg, row.due_at)}\n")
    if row.kind == "agenda_items":
        urgency = (regime_of(cfg.body_by_id(row.body_id)) if row.body_id else LGA_1972
                   ).urgency_rule
        body += ("\nPlease notify any agenda items to the secretary "
                 f"({secretary_email(cfg, row.body_id)}) by then. Later items need the chair's "
                 f"consent on grounds of urgency ({urgency}).\n")
    return outgoing(cfg, f"reminder:{row.key}:{at_iso}", reminder_recipients(cfg, row),
                    subject, body, kind="reminder", deadline_id=row.id)


def escalate(session: Session, cfg: LocalityConfig, row: Deadline, now: datetime,
             why: str) -> list[str]:
    sec = secretary_email(cfg, row.body_id)
    subject = f"MISSED: {row.title} (due {local_date(cfg, row.due_at):%d %b %Y})"
    body = (f"The deadline '{row.title}' passed on {when(cfg, row.due_at)} and was missed: "
            f"{why}.\n\nRule: {row.rule}\nOwner: {row.owner_email}\n\n"
            "Please follow it up with the owner and record what happens next.\n")
    return send_all(session, cfg, now, f"escalation:{row.key}", [sec, row.owner_email],
                    subject, body, kind="escalation", deadline_id=row.id)


def closed_notice(session: Session, cfg: LocalityConfig, row: Deadline, now: datetime,
                  what: str) -> list[str]:
    """Tell the owner that something happened automatically at a deadline."""
    subject = f"{row.title}: {what}"
    body = f"{row.title}: {what} on {when(cfg, now)}.\n\nRule: {row.rule}\n"
    return send_all(session, cfg, now, f"closed:{row.key}", [row.owner_email], subject, body,
                    kind="notice", deadline_id=row.id)
