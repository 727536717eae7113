"""The deadline rules: given a meeting, a decision, an action or a proposal, the deadlines it
creates. Plain functions over plain data (config, calendar, dates); no database, no clock.

Every deadline falls due at close of business (17:00 Europe/London) on its day; reminders go
out at 09:00 on the working days ``body.deadlines.reminder_working_days`` before it.

Sources: LGA 1972 s100A(6) (notice), s100B(3) (agenda and reports open to inspection 5 clear
days before); Public Bodies (Admission to Meetings) Act 1960 s1 (NHS boards, 3 clear days);
SI 2012/2089 reg 9 (forward plan 28 clear days before a key decision), reg 12 (decision record);
Local Government Act 2000 s9F (call-in); SI 2000/617 reg 7 (quarterly reports to partners).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from decisions.access import regime_of
from decisions.calendar import WorkingCalendar, calendar_for
from decisions.terms import Body, LocalityConfig

DUE_TIME = time(17, 0)
"""Close of business: a deadline "by 17 August" is met by anything done that day."""
REMIND_TIME = time(9, 0)
QUARTER_REPORT_MONTHS_AFTER = 1
"""Quarterly pooled-fund reports are due by the last working day of the month after the
quarter ends (SI 2000/617 reg 7(4): the pooled fund manager reports quarterly to partners)."""

KIND_ORDER = ("publication", "notice", "agenda_items", "forward_plan", "decision_notice",
              "call_in_expiry", "draft_minutes", "action", "condition", "gateway", "signing",
              "quarterly_report")
"""Order in which deadlines due at the same moment are processed (publication first, so the
notice that goes with the published agenda is met by it)."""


@dataclass(frozen=True)
class PlannedDeadline:
    key: str
    kind: str
    subject_type: str
    subject_id: str
    title: str
    rule: str
    due_at: datetime
    owner_email: str
    owner_id: str | None = None
    body_id: str | None = None
    meeting_id: int | None = None
    proposal_id: int | None = None
    reminder_at: tuple[datetime, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)


def working_calendar(cfg: LocalityConfig) -> WorkingCalendar:
    found = _CALENDARS.get(id(cfg))
    if found is None or found[0] is not cfg:
        if len(_CALENDARS) > 64:
            _CALENDARS.clear()
        found = _CALENDARS[id(cfg)] = (cfg, calendar_for(cfg.locality.extra_closure_days))
    return found[1]


_CALENDARS: dict[int, tuple[LocalityConfig, WorkingCalendar]] = {}
"""id(config) -> (the config, its working calendar): looked up once per config."""


def tz(cfg: LocalityConfig) -> ZoneInfo:
    return cfg.zone


def at_local(cfg: LocalityConfig, day: date, when: time = DUE_TIME) -> datetime:
    """``day`` at local time ``when``, as an aware UTC datetime."""
    return datetime.combine(day, when, tzinfo=tz(cfg)).astimezone(UTC)


def local_date(cfg: LocalityConfig, moment: datetime) -> date:
    return moment.astimezone(tz(cfg)).date()


def secretary_email(cfg: LocalityConfig, body_id: str | None = None) -> str:
    if body_id is not None:
        body = cfg.body_by_id(body_id)
        if body.secretary_email:
            return body.secretary_email
    return cfg.locality.secretary_email


def resolve_owner(cfg: LocalityConfig, owner: str | None,
                  body_id: str | None = None) -> tuple[str | None, str]:
    """A member id or an email address -> (member id or None, email). Anyone else (a name
    with no address) falls to the secretary, who can pass the reminder on."""
    if owner:
        if owner in {m.id for m in cfg.member}:
            member = cfg.member_by_id(owner)
            return member.id, member.email
        by_email = next((m for m in cfg.member if m.email.lower() == owner.lower()), None)
        if by_email is not None:
            return by_email.id, by_email.email
        if "@" in owner:
            return None, owner
    return None, secretary_email(cfg, body_id)


def reminder_times(cfg: LocalityConfig, due_at: datetime, leads: tuple[int, ...],
                   cal: WorkingCalendar) -> tuple[datetime, ...]:
    """09:00 on the working day ``n`` working days before the due day, for each lead ``n``."""
    due_day = local_date(cfg, due_at)
    times = {at_local(cfg, cal.add_working_days(due_day, -n), REMIND_TIME)
             for n in leads if n > 0}
    return tuple(sorted(t for t in times if t < due_at))


def clear_days(body: Body, name: str) -> int:
    """Clear days for notice/publication: the body's setting (config sets 3 for NHS boards
    meeting under the 1960 Act; the committees' agenda rules read the same value)."""
    value: int = getattr(body.deadlines, name)
    return value


def _fmt(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


NO_BODY_LEADS = (5, 2)
"""Reminders of a deadline of no body: 5 and 2 working days before it is due."""


def _make(cfg: LocalityConfig, body: Body | None, cal: WorkingCalendar, **kw: Any
          ) -> PlannedDeadline:
    leads = body.deadlines.reminder_working_days if body else NO_BODY_LEADS
    return PlannedDeadline(reminder_at=reminder_times(cfg, kw["due_at"], leads, cal), **kw)


def meeting_deadlines(cfg: LocalityConfig, body: Body, meeting_id: int, starts_at: datetime,
                      cal: WorkingCalendar | None = None) -> list[PlannedDeadline]:
    """Before a meeting: agenda items notified, public notice given, agenda pack published."""
    cal = cal or working_calendar(cfg)
    day = local_date(cfg, starts_at)
    sec = secretary_email(cfg, body.id)
    d = body.deadlines
    common: dict[str, Any] = {"subject_type": "meeting", "subject_id": str(meeting_id),
                              "body_id": body.id, "meeting_id": meeting_id, "owner_email": sec,
                              "details": {"meeting_date": day.isoformat()}}
    items_day = cal.add_working_days(day, -d.agenda_items_working_days)
    notice_n = clear_days(body, "notice_clear_days")
    pub_n = clear_days(body, "publication_clear_days")
    regime = regime_of(body)
    return [
        _make(cfg, body, cal, key=f"agenda_items:meeting:{meeting_id}", kind="agenda_items",
              title=f"Agenda items for {body.name}, {_fmt(day)}",
              rule=f"terms of reference: items notified {d.agenda_items_working_days} working "
                   f"days before the meeting (body.deadlines.agenda_items_working_days)",
              due_at=at_local(cfg, items_day), **common),
        _make(cfg, body, cal, key=f"notice:meeting:{meeting_id}", kind="notice",
              title=f"Public notice of {body.name}, {_fmt(day)}",
              rule=f"{regime.notice_rule}: notice {notice_n} clear days before",
              due_at=at_local(cfg, cal.latest_day_for_clear_days(day, notice_n)), **common),
        _make(cfg, body, cal, key=f"publication:meeting:{meeting_id}", kind="publication",
              title=f"Agenda and reports published for {body.name}, {_fmt(day)}",
              rule=f"{regime.publication_rule}: open to inspection {pub_n} clear days "
                   "before",
              due_at=at_local(cfg, cal.latest_day_for_clear_days(day, pub_n)), **common),
    ]


def minutes_deadline(cfg: LocalityConfig, body: Body, meeting_id: int, held_on: date,
                     cal: WorkingCalendar | None = None) -> PlannedDeadline:
    cal = cal or working_calendar(cfg)
    n = body.deadlines.draft_minutes_working_days
    return _make(cfg, body, cal, key=f"draft_minutes:meeting:{meeting_id}", kind="draft_minutes",
                 subject_type="meeting", subject_id=str(meeting_id), body_id=body.id,
                 meeting_id=meeting_id, owner_email=secretary_email(cfg, body.id),
                 title=f"Draft minutes of {body.name}, {_fmt(held_on)}",
                 rule=f"draft minutes within {n} working days "
                      "(body.deadlines.draft_minutes_working_days)",
                 due_at=at_local(cfg, cal.add_working_days(held_on, n)),
                 details={"meeting_date": held_on.isoformat()})


def forward_plan_deadline(cfg: LocalityConfig, body: Body, meeting_id: int, meeting_day: date,
                          item_id: int, item_title: str,
                          cal: WorkingCalendar | None = None) -> PlannedDeadline:
    """A key decision's forward-plan notice: 28 clear days before (calendar days by default)."""
    cal = cal or working_calendar(cfg)
    d = body.deadlines
    day = cal.latest_day_for_clear_days(meeting_day, d.forward_plan_clear_days,
                                        working=not d.forward_plan_calendar_days)
    return _make(cfg, body, cal, key=f"forward_plan:item:{item_id}", kind="forward_plan",
                 subject_type="item", subject_id=str(item_id), body_id=body.id,
                 meeting_id=meeting_id, owner_email=secretary_email(cfg, body.id),
                 title=f"Forward plan notice of key decision '{item_title}' ({body.name}, "
                       f"{_fmt(meeting_day)})",
                 rule=f"SI 2012/2089 reg 9: notice {d.forward_plan_clear_days} clear days "
                      "before a key decision (else general exception or special urgency)",
                 due_at=at_local(cfg, day), details={"meeting_date": meeting_day.isoformat()})


def decision_deadlines(cfg: LocalityConfig, body: Body, decision_id: int, decided_on: date,
                       meeting_id: int | None, call_in_expires: date | None,
                       cal: WorkingCalendar | None = None) -> list[PlannedDeadline]:
    """The decision notice within N working days; the end of the call-in window."""
    cal = cal or working_calendar(cfg)
    n = body.deadlines.decision_notice_working_days
    common: dict[str, Any] = {"subject_type": "decision", "subject_id": str(decision_id),
                              "body_id": body.id, "meeting_id": meeting_id,
                              "owner_email": secretary_email(cfg, body.id)}
    out = [_make(cfg, body, cal, key=f"decision_notice:decision:{decision_id}",
                 kind="decision_notice", title=f"Decision notice for decision {decision_id} "
                 f"({body.name}, {_fmt(decided_on)})",
                 rule=f"SI 2012/2089 reg 12: decision record published within {n} working days",
                 due_at=at_local(cfg, cal.add_working_days(decided_on, n)), **common)]
    if call_in_expires is not None:
        out.append(call_in_deadline(cfg, body, decision_id, meeting_id, None, call_in_expires))
    return out


def call_in_deadline(cfg: LocalityConfig, body: Body, decision_id: int, meeting_id: int | None,
                     published_on: date | None, call_in_expires: date) -> PlannedDeadline:
    """The end of the call-in window: N working days from the publication of the notice."""
    n = body.deadlines.call_in_working_days
    since = f" from the notice published {_fmt(published_on)}" if published_on else ""
    return PlannedDeadline(
        key=f"call_in_expiry:decision:{decision_id}", kind="call_in_expiry",
        title=f"Call-in window closes for decision {decision_id} ({body.name})",
        rule=f"Local Government Act 2000 s9F: {n} working days{since}; not implemented "
             "before the call-in window closes",
        due_at=at_local(cfg, call_in_expires), subject_type="decision",
        subject_id=str(decision_id), body_id=body.id, meeting_id=meeting_id,
        owner_email=secretary_email(cfg, body.id))


def owned_deadline(cfg: LocalityConfig, kind: str, subject_type: str, subject_id: str,
                   owner: str | None, due: date, title: str, rule: str, *,
                   body_id: str | None = None, meeting_id: int | None = None,
                   proposal_id: int | None = None, cal: WorkingCalendar | None = None
                   ) -> PlannedDeadline:
    """An action arising or a gateway condition: its owner and due date."""
    cal = cal or working_calendar(cfg)
    body = cfg.body_by_id(body_id) if body_id is not None else None
    owner_id, email = resolve_owner(cfg, owner, body_id)
    return _make(cfg, body, cal, key=f"{kind}:{subject_type}:{subject_id}", kind=kind,
                 subject_type=subject_type, subject_id=subject_id, title=title, rule=rule,
                 due_at=at_local(cfg, due), owner_id=owner_id, owner_email=email,
                 body_id=body_id, meeting_id=meeting_id, proposal_id=proposal_id,
                 details={"owner": owner or ""})


def last_working_day_of_month(cal: WorkingCalendar, year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return cal.previous_working_day(first_next - timedelta(days=1))


def gateway_key(proposal_id: int, year: int, month: int) -> str:
    return f"gateway:proposal:{proposal_id}:{year:04d}-{month:02d}"


def gateway_deadline(cfg: LocalityConfig, proposal_id: int, title: str, year: int, month: int,
                     cal: WorkingCalendar | None = None) -> PlannedDeadline:
    """Monthly gateway (file 002): every partner confirms by the last working day of the month."""
    cal = cal or working_calendar(cfg)
    due_at, reminders, owner, name, label = _gateway_month(cfg, cal, year, month)
    return PlannedDeadline(key=gateway_key(proposal_id, year, month), kind="gateway",
                           subject_type="proposal", subject_id=str(proposal_id),
                           proposal_id=proposal_id, owner_email=owner,
                           title=f"Monthly gateway {label} for '{title}'",
                           rule="monthly gateway while in shadow operation (file 002); a month "
                                "with no gateway is recorded as missed",
                           due_at=due_at, reminder_at=reminders, details={"month": name})


_MONTHS: dict[tuple[int, int, int, int], tuple[Any, ...]] = {}
"""(id(config), id(calendar), year, month) -> (config, calendar, what :func:`_gateway_month`
worked out): every proposal's gateway deadline of a month shares it."""


def _gateway_month(cfg: LocalityConfig, cal: WorkingCalendar, year: int, month: int
                   ) -> tuple[datetime, tuple[datetime, ...], str, str, str]:
    """The month's gateway due time (the last working day), its reminders (as :func:`_make`
    works them out for a deadline of no body), its owner's email, its ``YYYY-MM`` and its
    name (``June 2026``)."""
    key = (id(cfg), id(cal), year, month)
    found = _MONTHS.get(key)
    if found is None or found[0] is not cfg or found[1] is not cal:
        if len(_MONTHS) > 256:
            _MONTHS.clear()
        due_at = at_local(cfg, last_working_day_of_month(cal, year, month))
        found = _MONTHS[key] = (cfg, cal, due_at, reminder_times(cfg, due_at, NO_BODY_LEADS, cal),
                                secretary_email(cfg), f"{year:04d}-{month:02d}",
                                f"{date(year, month, 1):%B %Y}")
    return found[2], found[3], found[4], found[5], found[6]


def signing_deadline(cfg: LocalityConfig, proposal_id: int, title: str, live_from: date,
                     moved: bool = False, variation: int = 0,
                     cal: WorkingCalendar | None = None) -> PlannedDeadline:
    """The s75 agreement signed by ``locality.signing_deadline`` before the pool goes live (the
    day before the new start when a recorded decision moved the start date)."""
    cal = cal or working_calendar(cfg)
    month, day = (int(x) for x in cfg.locality.signing_deadline.split("-"))
    due = date(live_from.year, month, day)
    if due >= live_from:
        due = date(live_from.year - 1, month, day)
    if moved:
        due = live_from - timedelta(days=1)
    return _make(cfg, None, cal, key=f"signing:proposal:{proposal_id}:v{variation}",
                 kind="signing",
                 subject_type="proposal", subject_id=str(proposal_id), proposal_id=proposal_id,
                 owner_email=secretary_email(cfg),
                 title=f"s75 agreement for '{title}' signed by {_fmt(due)}",
                 rule=f"signed by locality.signing_deadline ({cfg.locality.signing_deadline}) "
                      f"so the pool is live on {_fmt(live_from)} (file 001)",
                 due_at=at_local(cfg, due), details={"live_from": live_from.isoformat()})


def financial_year_start(cfg: LocalityConfig, year: int) -> date:
    month, day = (int(x) for x in cfg.locality.financial_year_start.split("-"))
    return date(year, month, day)


def quarterly_report_keys(fy_start: date, subject_id: str = "pool") -> list[str]:
    """The keys of :func:`quarterly_report_deadlines` (without working them out)."""
    return [f"quarterly_report:{subject_id}:{fy_start.year}Q{q + 1}" for q in range(4)]


def quarterly_report_deadlines(cfg: LocalityConfig, fy_start: date, subject_id: str = "pool",
                               proposal_id: int | None = None,
                               cal: WorkingCalendar | None = None) -> list[PlannedDeadline]:
    """Four quarterly reports on the pooled fund to the partners (SI 2000/617 reg 7)."""
    cal = cal or working_calendar(cfg)
    owner_id, email = resolve_owner(cfg, cfg.pool.fund_manager)
    out = []
    for q in range(4):
        m = fy_start.month + 3 * q + 3 + QUARTER_REPORT_MONTHS_AFTER - 1
        year, month = fy_start.year + (m - 1) // 12, (m - 1) % 12 + 1
        due = last_working_day_of_month(cal, year, month)
        label = f"Q{q + 1} {fy_start.year}/{(fy_start.year + 1) % 100:02d}"
        out.append(_make(cfg, None, cal, key=quarterly_report_keys(fy_start, subject_id)[q],
                         kind="quarterly_report", subject_type="pool", subject_id=subject_id,
                         proposal_id=proposal_id, owner_id=owner_id, owner_email=email,
                         title=f"Quarterly pooled fund report {label} to partners",
                         rule="SI 2000/617 reg 7: the pooled fund manager reports quarterly "
                              "to the partners",
                         due_at=at_local(cfg, due), details={"quarter": label}))
    return out
