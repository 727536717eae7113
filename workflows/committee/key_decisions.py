"""Key-decision facts for items at executive bodies (SI 2012/2089 regs 8-11). Call-in of
their decisions (Local Government Act 2000 s9F) is in call_in.py."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from decisions.errors import InvalidInput, RuleRefused
from workflows.committee import common
from workflows.committee.events import KeyDecisionRecorded
from workflows.committee.records import KeyDecisionRow, UrgencyConsentRow
from workflows.events import UnitOfWork

EXCEPTIONS = ("none", "general_exception", "special_urgency")


def facts_for(uow: UnitOfWork, item_id: int) -> KeyDecisionRow | None:
    return uow.session.exec(select(KeyDecisionRow).where(KeyDecisionRow.item_id == item_id)
                            ).first()


def record(uow: UnitOfWork, item_id: int, *, forward_plan_published_on: date | None = None,
           exception: str = "none", scrutiny_chair_notified_on: date | None = None,
           scrutiny_chair_agreed_by: str | None = None, reason: str = "",
           wards_affected: int | None = None) -> KeyDecisionRow:
    """Record (or update) the forward-plan notice date, or the exception relied on."""
    item = common.item(uow.session, item_id)
    m = common.meeting(uow.session, item.meeting_id)
    body = uow.config.body_by_id(m.body_id)
    if not body.executive:
        raise RuleRefused("SI 2012/2089 reg 8", f"{body.name} is not an executive body; only "
                          "executive bodies take key decisions")
    if exception not in EXCEPTIONS:
        raise InvalidInput(f"exception: {exception!r} is not valid; expected one of "
                           f"{', '.join(EXCEPTIONS)}")
    if exception != "none" and not reason.strip():
        raise InvalidInput("reason: missing; an exception states why the decision cannot wait "
                           "for 28 clear days' notice (it is published)")
    row = facts_for(uow, item_id) or KeyDecisionRow(item_id=item_id)
    if forward_plan_published_on is not None:
        row.forward_plan_published_on = forward_plan_published_on
    row.exception = exception
    if scrutiny_chair_notified_on is not None:
        row.scrutiny_chair_notified_on = scrutiny_chair_notified_on
    if scrutiny_chair_agreed_by is not None:
        row.scrutiny_chair_agreed_by = scrutiny_chair_agreed_by
    row.exception_reason = reason or row.exception_reason
    if wards_affected is not None:
        if wards_affected < 0:
            raise InvalidInput(f"wards: {wards_affected} is negative")
        row.wards_affected = wards_affected
    uow.session.add(row)
    if exception != "none" and (scrutiny_chair_agreed_by or scrutiny_chair_notified_on):
        uow.session.add(UrgencyConsentRow(
            item_id=item_id, kind=exception,
            consented_by=scrutiny_chair_agreed_by or "scrutiny chair (notified)",
            reason=reason, given_on=scrutiny_chair_notified_on or common.local_day(
                uow.config, uow.now), recorded_at=uow.now))
    uow.session.flush()
    uow.emit(KeyDecisionRecorded(
        item_id=item_id, meeting_id=item.meeting_id, body_id=body.id,
        forward_plan_published_on=(row.forward_plan_published_on.isoformat()
                                   if row.forward_plan_published_on else None),
        exception=row.exception))
    return row

