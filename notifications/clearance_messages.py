"""Messages about officer clearance (workflows/committee/clearance.py): a refusal goes to the
report's author (else whoever submitted it) with the officer's comment; once every clearance
the body asks for is given, the body's secretary is told the report is ready to accept.
Keys carry the clearance row, so each word is sent once."""

from __future__ import annotations

from notifications.deadlines import secretary_email
from notifications.messages import send_all
from workflows.committee import clearance, common
from workflows.committee.clearance import ItemCleared
from workflows.events import EventBus, UnitOfWork


def on_cleared(uow: UnitOfWork, ev: ItemCleared) -> None:
    cfg = uow.config
    item = common.item(uow.session, ev.item_id)
    m = common.meeting(uow.session, item.meeting_id)
    body = cfg.body_by_id(m.body_id)
    officer = next((x.display for x in cfg.member if x.id == ev.by), ev.by)
    what = f"{item.title} ({body.name}, {m.starts_at.astimezone(cfg.zone):%-d %B %Y})"
    key = f"clearance:{ev.item_id}:{ev.kind}:{ev.item_version}:{int(ev.cleared)}"
    if not ev.cleared:
        to = item.author or item.submitted_by
        emails = [x.email for x in cfg.member if x.id == to]
        send_all(uow.session, cfg, uow.now, key, emails,
                 f"Report not cleared ({ev.kind}): {item.title}",
                 f"{officer} has not given {ev.kind} clearance to {what}.\n\n"
                 f"Their comment: {ev.comment}\n\nRevise the report on its page "
                 f"(/staff/items/{ev.item_id}); the revised version is cleared again before "
                 "the secretary accepts it.\n", kind="clearance_refused")
        return
    if all(s.state == "cleared" for s in clearance.standing(cfg, uow.session, item)):
        send_all(uow.session, cfg, uow.now, key + ":all", [secretary_email(cfg, body.id)],
                 f"Report cleared: {item.title}",
                 f"Every clearance the {body.name}'s terms ask for has been given to {what} "
                 f"(the last: {ev.kind}, by {officer}). It can be accepted onto the agenda "
                 f"(/staff/meetings/{m.id}).\n", kind="clearance_given")


def install(bus: EventBus) -> None:
    bus.subscribe(ItemCleared, on_cleared)
