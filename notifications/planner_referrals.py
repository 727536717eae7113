"""Deadlines and messages of referrals (workflows/committee/referrals.py): the receiving body's
secretary is told of each referral; one with no meeting to go on has a placement deadline,
``body.deadlines.referral_placement_working_days`` (of the receiving body) working days after
the referring meeting, met when it is placed and escalated like any missed deadline when not;
the referring body's secretary is told when the decision comes back.

Consumed: ReferralCreated, ReferralPlaced, ReferralReported."""

from __future__ import annotations

from decisions.terms import LocalityConfig
from notifications import deadlines as dl
from notifications import store
from notifications.messages import send_all
from workflows.committee import common
from workflows.committee.events import ReferralCreated
from workflows.committee.referrals import (
    OUTCOME_WORDS,
    ReferralPlaced,
    ReferralReported,
    get,
    referring_meeting,
)
from workflows.events import EventBus, UnitOfWork

KIND = "referral_placement"


def install(bus: EventBus) -> None:
    bus.subscribe(ReferralCreated, on_referral)
    bus.subscribe(ReferralPlaced, on_placed)
    bus.subscribe(ReferralReported, on_reported)


def placement_deadline(uow: UnitOfWork, referral_id: int) -> dl.PlannedDeadline:
    cfg, s = uow.config, uow.session
    r = get(s, referral_id)
    to_body, from_body = cfg.body_by_id(r.to_body_id), cfg.body_by_id(r.from_body_id)
    m = referring_meeting(s, r)
    day = m.local_date or common.local_day(cfg, m.starts_at)
    n = to_body.deadlines.referral_placement_working_days
    cal = dl.working_calendar(cfg)
    title = common.item(s, r.from_item_id).title
    return dl.PlannedDeadline(
        key=f"{KIND}:referral:{referral_id}", kind=KIND, subject_type="referral",
        subject_id=str(referral_id), body_id=to_body.id,
        owner_email=dl.secretary_email(cfg, to_body.id),
        title=f"Referral from the {from_body.name} placed on a meeting of the {to_body.name}: "
              f"'{title}'",
        rule=f"a referred decision is placed on a meeting of the receiving body within {n} "
             "working days of the referring meeting "
             "(body.deadlines.referral_placement_working_days)",
        due_at=dl.at_local(cfg, cal.add_working_days(day, n)),
        reminder_at=dl.reminder_times(cfg, dl.at_local(cfg, cal.add_working_days(day, n)),
                                      to_body.deadlines.reminder_working_days, cal),
        details={"referred_on": day.isoformat()})


def _body_name(cfg: LocalityConfig, body_id: str) -> str:
    return next((b.name for b in cfg.body if b.id == body_id), body_id)


def on_referral(uow: UnitOfWork, ev: ReferralCreated) -> None:
    cfg = uow.config
    if ev.to_body_id not in {b.id for b in cfg.body}:
        return
    body = cfg.body_by_id(ev.to_body_id)
    if ev.to_meeting_id is not None:
        where = common.describe_meeting(cfg, common.meeting(uow.session, ev.to_meeting_id))
        placed = f"It is placed on the agenda of {where}."
    else:
        store.plan(uow.session, placement_deadline(uow, ev.referral_id), uow.now)
        placed = (f"The {body.name} has no meeting open to it yet: it is placed on the first "
                  "one scheduled, or by 's75 referral place'.")
    send_all(uow.session, cfg, uow.now, f"referral.created:{ev.referral_id}",
             [dl.secretary_email(cfg, ev.to_body_id)], f"Referral to the {body.name}",
             f"A decision of the {_body_name(cfg, ev.from_body_id)} has been referred to the "
             f"{body.name}: {ev.reason}\n{placed}\n",
             kind="referral")


def on_placed(uow: UnitOfWork, ev: ReferralPlaced) -> None:
    m = common.meeting(uow.session, ev.to_meeting_id)
    outcome = f"placed {ev.how} on {common.describe_meeting(uow.config, m)}"
    for row in store.find(uow.session, kind=KIND, subject_id=ev.referral_id):
        store.close(row, "met", outcome, uow.now)
        uow.session.add(row)


def on_reported(uow: UnitOfWork, ev: ReferralReported) -> None:
    if ev.report_item_id is None:
        return
    cfg = uow.config
    from_body, to_body = cfg.body_by_id(ev.from_body_id), cfg.body_by_id(ev.to_body_id)
    item = common.item(uow.session, ev.report_item_id)
    where = common.describe_meeting(cfg, common.meeting(uow.session, item.meeting_id))
    send_all(uow.session, cfg, uow.now, f"referral.reported:{ev.referral_id}",
             [dl.secretary_email(cfg, ev.from_body_id)],
             f"Referral decided by the {to_body.name}",
             f"The {to_body.name} has decided the matter the {from_body.name} referred to it: "
             f"{OUTCOME_WORDS.get(ev.outcome, ev.outcome)}.\nIt is reported back as "
             f"'{item.title}' on the agenda of {where}.\n", kind="referral")
