"""Guards of the agenda item workflow (workflows/definitions/agenda_item.toml).

Each returns None when met or the unmet condition in words, naming the rule's source. Facts the
services pass: ``submitted_on``, ``published_on`` (ISO dates); ``urgency_reason`` and
``chair_consent_by`` (the chair's urgency consent, LGA 1972 s100B(4)).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from decisions.access import regime_of
from decisions.agenda_rules import late_item_check, publication_deadline, validate_exempt
from decisions.errors import S75Error
from workflows.committee.tables import AgendaItemRow, MeetingRow
from workflows.events import UnitOfWork
from workflows.guards import guard


def _meeting(subject: AgendaItemRow, uow: UnitOfWork) -> MeetingRow:
    m = uow.session.get(MeetingRow, subject.meeting_id)
    assert m is not None
    return m


def _body(uow: UnitOfWork, body_id: str) -> Any:
    return next(b for b in uow.config.body if b.id == body_id)


def _day(facts: Mapping[str, Any], key: str, uow: UnitOfWork) -> date:
    value = facts.get(key)
    if value:
        return date.fromisoformat(str(value))

    return uow.now.astimezone(uow.config.zone).date()


@guard("meeting_open")
def _meeting_open(subject: AgendaItemRow, facts: Mapping[str, Any],
                  uow: UnitOfWork) -> str | None:
    m = _meeting(subject, uow)
    if m.status != "scheduled":
        return (f"meeting {m.id} is {m.status}; add the item to a scheduled meeting "
                "('s75 meeting list')")
    return None


@guard("meeting_not_cancelled")
def _not_cancelled(subject: AgendaItemRow, facts: Mapping[str, Any],
                   uow: UnitOfWork) -> str | None:
    m = _meeting(subject, uow)
    return f"meeting {m.id} was cancelled" if m.status == "cancelled" else None


@guard("exempt_item_valid")
def _exempt(subject: AgendaItemRow, facts: Mapping[str, Any], uow: UnitOfWork) -> str | None:
    body = _body(uow, _meeting(subject, uow).body_id)
    try:
        validate_exempt(subject.part, subject.exempt_paragraph, subject.public_interest_reason,
                        regime=body.access_regime)
    except S75Error as exc:
        return f"Part 2 (LGA 1972 s100A(4), Sch 12A): {exc.message}"
    return None


@guard("decisions_stated")
def _decisions(subject: AgendaItemRow, facts: Mapping[str, Any],
               uow: UnitOfWork) -> str | None:
    if subject.standing or subject.action == "to_note":
        return None
    if str((subject.cover or {}).get("decisions_required") or "").strip():
        return None
    return ("the cover sheet states the decisions required of the meeting "
            "(cover field decisions_required; --decisions on 's75 item add')")


@guard("on_time_or_urgent")
def _on_time(subject: AgendaItemRow, facts: Mapping[str, Any], uow: UnitOfWork) -> str | None:
    m = _meeting(subject, uow)
    if m.item_deadline is None:
        return None
    try:
        late_item_check(_day(facts, "submitted_on", uow), m.item_deadline,
                        facts.get("urgency_reason"), facts.get("chair_consent_by"),
                        rule=regime_of(_body(uow, m.body_id)).urgency_rule)
    except S75Error as exc:
        return exc.message
    return None


@guard("published_in_time_or_urgent")
def _published(subject: AgendaItemRow, facts: Mapping[str, Any],
               uow: UnitOfWork) -> str | None:
    if subject.standing or subject.urgency_consent_by:
        return None
    m = _meeting(subject, uow)
    body = _body(uow, m.body_id)
    from workflows.committee.common import calendar, local_day

    day = m.local_date or local_day(uow.config, m.starts_at)
    by = publication_deadline(day, body, calendar(uow.config))
    on = _day(facts, "published_on", uow)
    if on <= by:
        return None
    try:
        late_item_check(on, by, facts.get("urgency_reason"), facts.get("chair_consent_by"),
                        rule=regime_of(body).urgency_rule)
    except S75Error as exc:
        return (f"publication: {body.deadlines.publication_clear_days} clear days before the "
                f"meeting means publishing by {by:%a %d %b %Y}; {exc.message}")
    return None
