"""Subscribing to a body by e-mail, with double opt-in, for the public (no account).

``request`` stores a pending subscription and sends a confirmation link through the outbox;
only its SHA-256 hash is stored. ``confirm`` turns it on (within :data:`CONFIRM_WITHIN`);
``unsubscribe`` turns it off with the token every message carries (stored as is: it can only
unsubscribe). When a body's agenda is published (:func:`on_meeting_published`, subscribed in
s75/wiring.py) every confirmed subscriber is sent the public meeting page and the public
pack's address: never an attachment, never a members' or personal version.

The same answer is given whether or not an address is already subscribed, so the form does
not disclose who subscribes; a pending request is not mailed again within
:data:`RESEND_AFTER`, so the form cannot be used to flood someone's inbox."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from decisions.errors import InvalidInput
from decisions.terms import LocalityConfig
from notifications.documents.publication import first_publication
from notifications.documents.reports import is_supplementary
from notifications.messages import send_all, when
from workflows.committee.events import ItemMoved, MeetingPublished
from workflows.committee.tables import AgendaItemRow, MeetingRow
from workflows.events import EventBus, UnitOfWork
from workflows.sqltypes import UTCDateTime

EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
CONFIRM_WITHIN = timedelta(days=7)
RESEND_AFTER = timedelta(hours=1)
STATES = ("pending", "confirmed", "unsubscribed")


class SubscriptionRow(SQLModel, table=True):
    __tablename__ = "body_subscription"
    __table_args__ = (UniqueConstraint("body_id", "email"),)
    id: int | None = Field(default=None, primary_key=True)
    body_id: str = Field(max_length=64, index=True)
    email: str = Field(max_length=254)
    state: str = Field(default="pending", max_length=16)
    """pending (confirmation sent) | confirmed | unsubscribed."""
    confirm_hash: str | None = Field(default=None, max_length=64, unique=True)
    """sha256 of the confirmation token (cleared once used)."""
    unsubscribe_token: str = Field(max_length=64, unique=True)
    requested_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    confirmed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    unsubscribed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def page_url(cfg: LocalityConfig, path: str, base_url: str = "") -> str:
    """An absolute address when the site's address is known (``[locality] site_url``, or the
    request's), else the path."""
    base = (cfg.locality.site_url or base_url).rstrip("/")
    return f"{base}{path}"


def check_email(raw: str) -> str:
    email = raw.strip()
    if not email:
        raise InvalidInput("email: missing; enter your e-mail address, like name@example.org")
    if len(email) > 254 or not EMAIL.match(email):
        raise InvalidInput(f"email: {email[:80]!r} is not an e-mail address; enter one like "
                           "name@example.org")
    return email.lower()


def request(session: Session, cfg: LocalityConfig, body_id: str, raw_email: str,
            now: datetime, base_url: str = "") -> None:
    """Record the request and send the confirmation link (the caller commits)."""
    body = cfg.body_by_id(body_id)  # NotFound naming the bodies
    email = check_email(raw_email)
    row = session.exec(select(SubscriptionRow).where(SubscriptionRow.body_id == body_id,
                                                     SubscriptionRow.email == email)).first()
    if row is not None and row.state == "confirmed":
        return  # already subscribed: the same page, no mail
    if row is not None and row.state == "pending" and now - row.requested_at < RESEND_AFTER:
        return
    token = secrets.token_urlsafe(32)
    if row is None:
        row = SubscriptionRow(body_id=body_id, email=email,
                              unsubscribe_token=secrets.token_urlsafe(32), requested_at=now)
    row.state, row.confirm_hash, row.requested_at = "pending", digest(token), now
    session.add(row)
    session.flush()
    link = page_url(cfg, f"/subscriptions/confirm?token={token}", base_url)
    send_all(session, cfg, now, f"subscription.confirm:{row.id}:{row.confirm_hash[:16]}",
             [email], f"Confirm your subscription: {body.name}",
             f"Someone, probably you, asked to be e-mailed when the {body.name} of "
             f"{cfg.locality.name} publishes a meeting's agenda and reports.\n\n"
             f"To confirm, open this link within 7 days and press Confirm:\n{link}\n\n"
             "If it was not you, ignore this message: nothing will be sent to you.\n",
             kind="subscription_confirm")


def pending(session: Session, token: str, now: datetime) -> SubscriptionRow | None:
    """The pending subscription a confirmation token is for; None for a wrong, used or
    expired one."""
    if not token or len(token) > 100:
        return None
    row = session.exec(select(SubscriptionRow).where(
        SubscriptionRow.confirm_hash == digest(token))).first()
    if row is None or row.state != "pending" or now - row.requested_at > CONFIRM_WITHIN:
        return None
    return row


def confirm(session: Session, token: str, now: datetime) -> SubscriptionRow | None:
    """The subscription turned on; None for a wrong, used or expired token."""
    row = pending(session, token, now)
    if row is None:
        return None
    row.state, row.confirm_hash, row.confirmed_at = "confirmed", None, now
    session.add(row)
    return row


def by_unsubscribe_token(session: Session, token: str) -> SubscriptionRow | None:
    if not token or len(token) > 100:
        return None
    return session.exec(select(SubscriptionRow).where(
        SubscriptionRow.unsubscribe_token == token)).first()


def unsubscribe(session: Session, token: str, now: datetime) -> SubscriptionRow | None:
    row = by_unsubscribe_token(session, token)
    if row is None:
        return None
    if row.state != "unsubscribed":
        row.state, row.confirm_hash, row.unsubscribed_at = "unsubscribed", None, now
        session.add(row)
    return row


def subscribers(session: Session, body_id: str) -> list[SubscriptionRow]:
    return list(session.exec(select(SubscriptionRow).where(
        SubscriptionRow.body_id == body_id, SubscriptionRow.state == "confirmed")
        .order_by(col(SubscriptionRow.id))).all())


def on_meeting_published(uow: UnitOfWork, event: MeetingPublished) -> None:
    """Each confirmed subscriber of the body: the links of the public meeting page and of its
    latest public pack (``/meetings/{id}/pack.pdf``: an address known before the pack is
    rendered after the commit)."""
    m = uow.session.get(MeetingRow, event.meeting_id)
    if m is None or m.id is None:
        return
    cfg = uow.config
    body = cfg.body_by_id(m.body_id)
    links = (f"The meeting's page: {page_url(cfg, f'/meetings/{m.id}')}\n"
             f"The public agenda pack (PDF): {page_url(cfg, f'/meetings/{m.id}/pack.pdf')}\n")
    for sub in subscribers(uow.session, body.id):
        stop = page_url(cfg, f"/subscriptions/unsubscribe?token={sub.unsubscribe_token}")
        send_all(uow.session, cfg, uow.now, f"subscription.published:{m.id}:{sub.id}",
                 [sub.email], f"Agenda published: {body.name}, {when(cfg, m.starts_at)}",
                 f"The agenda and reports for the {body.name} on {when(cfg, m.starts_at)} at "
                 f"{m.venue or 'the usual venue'} are published.\n\n{links}\n"
                 f"You are sent this because you subscribed to the {body.name}. To stop, "
                 f"open:\n{stop}\n", kind="subscription_published")


def on_item_published(uow: UnitOfWork, event: ItemMoved) -> None:
    """An urgent late item published after the agenda: the links of the meeting page and of
    its latest public supplement, to each confirmed subscriber, once per item."""
    if event.trigger != "published" or first_publication(uow.session, event.meeting_id) is None:
        return
    m = uow.session.get(MeetingRow, event.meeting_id)
    item = uow.session.get(AgendaItemRow, event.item_id)
    if m is None or m.id is None or item is None or not is_supplementary(item):
        return
    cfg = uow.config
    body = cfg.body_by_id(m.body_id)
    for sub in subscribers(uow.session, body.id):
        stop = page_url(cfg, f"/subscriptions/unsubscribe?token={sub.unsubscribe_token}")
        send_all(uow.session, cfg, uow.now,
                 f"subscription.supplement:{m.id}:{event.item_id}:{sub.id}", [sub.email],
                 f"Supplementary agenda: {body.name}, {when(cfg, m.starts_at)}",
                 f"A supplementary agenda for the {body.name} on {when(cfg, m.starts_at)} is "
                 "published.\n\n"
                 f"The meeting's page: {page_url(cfg, f'/meetings/{m.id}')}\n"
                 "The public supplement (PDF): "
                 f"{page_url(cfg, f'/meetings/{m.id}/supplement.pdf')}\n\n"
                 f"You are sent this because you subscribed to the {body.name}. To stop, "
                 f"open:\n{stop}\n", kind="subscription_published")


def install(bus: EventBus) -> None:
    bus.subscribe(MeetingPublished, on_meeting_published)
    bus.subscribe(ItemMoved, on_item_published)
