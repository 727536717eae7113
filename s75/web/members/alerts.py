"""A member's own declaration of interest made before the meeting (the members' pages) is
e-mailed to the body's secretary, so it reaches them before the item; the declaration itself
is in the record and so in the minutes. Subscribed in s75/wiring.py."""

from __future__ import annotations

from sqlmodel import select

from notifications.deadlines import secretary_email
from notifications.messages import send_all, when
from s75.web.subscriptions import page_url
from workflows.committee import common
from workflows.committee.events import InterestDeclared
from workflows.committee.records import DeclarationRow
from workflows.events import EventBus, UnitOfWork

NATURE_WORDS = {"pecuniary": "a disclosable pecuniary", "non_pecuniary": "an other registrable",
                "indirect": "an indirect"}
MANAGED_WORDS = {"left_room": "will leave the room for the item",
                 "no_vote": "will stay but not vote", "took_part": "will take part (dispensation)"}


def on_interest_declared(uow: UnitOfWork, event: InterestDeclared) -> None:
    """Only when the member declared it themself (a secretary recording it knows already)."""
    if uow.principal.id != event.member_id:
        return
    cfg = uow.config
    item = common.item(uow.session, event.item_id)
    m = common.meeting(uow.session, event.meeting_id)
    body = cfg.body_by_id(m.body_id)
    member = cfg.member_by_id(event.member_id)
    row = uow.session.exec(select(DeclarationRow).where(
        DeclarationRow.item_id == event.item_id,
        DeclarationRow.member_id == event.member_id)).first()
    send_all(uow.session, cfg, uow.now,
             f"interest.declared:{event.item_id}:{event.member_id}:{uow.now.isoformat()}",
             [secretary_email(cfg, body.id)],
             f"Declaration of interest: {member.name}, {body.name} {when(cfg, m.starts_at)}",
             f"{member.name} has declared {NATURE_WORDS.get(event.nature, event.nature)} "
             f"interest in item '{item.title}' at the {body.name} on "
             f"{when(cfg, m.starts_at)}, and {MANAGED_WORDS.get(event.managed, event.managed)}."
             f"\n\nWhat the interest is: {row.description if row else ''}\n\n"
             f"It is recorded for the minutes ({event.minute}).\n"
             f"The meeting's workspace: {page_url(cfg, f'/staff/meetings/{m.id}')}\n",
             kind="interest_declared")


def install(bus: EventBus) -> None:
    bus.subscribe(InterestDeclared, on_interest_declared)
