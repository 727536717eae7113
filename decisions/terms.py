"""The standing arrangements of one locality: partners, bodies and their terms of reference,
members, the pool. Parsed from config.toml by :mod:`s75.config`; plain data for every layer.

Validation happens in two passes: pydantic checks each value's shape, then
:func:`cross_reference_problems` checks that ids resolve and the numbers agree. Both report
:class:`Problem` objects naming the key path, the value and what is allowed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr
from pydantic import Field, field_validator

from decisions.errors import NotFound
from decisions.terms_base import ID_PATTERN as ID_PATTERN
from decisions.terms_base import MAX_DAYS as MAX_DAYS
from decisions.terms_base import MAX_POUNDS as MAX_POUNDS
from decisions.terms_base import TBC as TBC
from decisions.terms_base import Problem as Problem
from decisions.terms_base import Strict as _Strict
from decisions.terms_pool import Pool as Pool
from decisions.terms_pool import PoolLine as PoolLine
from decisions.terms_pool import pool_problems


class Smtp(_Strict):
    host: str = "127.0.0.1"
    port: int = Field(default=25, ge=1, le=65535)
    tls: Literal["none", "starttls", "ssl"] = "none"
    sender: str = "s75@example.org"
    max_attempts: int = Field(default=5, ge=1, le=50)
    """After this many failed attempts a message is dead-lettered."""
    unhealthy_after_minutes: int = Field(default=60, ge=1, le=10080)
    """``/health`` turns unhealthy (503) when the oldest pending message has waited longer
    than this, or when any message is dead-lettered."""


class Locality(_Strict):
    name: str
    timezone: str = "Europe/London"
    bank_holidays: Literal["england-and-wales"] = "england-and-wales"
    extra_closure_days: tuple[date, ...] = ()
    financial_year_start: str = "04-01"
    signing_deadline: str = "03-31"
    """Month-day by which the s75 agreement must be signed, before the financial year starts."""
    consecutive_go_gateways: int = Field(default=3, ge=1, le=24)
    secretary_name: str = "Committee Secretary"
    secretary_email: str = "secretary@example.org"
    operator: str | None = None
    """Member id of the principal the CLI acts as without ``--as`` / ``S75_AS`` (an admin)."""
    publish_register_of_interests: bool = False
    """Publish the members' register of interests at ``/register-of-interests`` (sensitive
    interests, Localism Act 2011 s32, are never shown)."""
    site_url: str = ""
    """The web site's public address (``https://meetings.example.org``): e-mails link to its
    pages. Empty: e-mails give the page's path only."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ValueError, ZoneInfoNotFoundError):
            raise ValueError("expected an IANA time zone name such as 'Europe/London'") from None
        return value

    @field_validator("financial_year_start", "signing_deadline")
    @classmethod
    def _month_day(cls, value: str) -> str:
        month_day(value)
        return value


def month_day(value: str) -> tuple[int, int]:
    """``"MM-DD"`` parsed as a day that exists in every year (so not ``02-29``); ValueError
    naming what is valid otherwise."""
    allowed = "expected a month-day MM-DD that exists in every year, such as '04-01'"
    if not re.fullmatch(r"\d\d-\d\d", value):
        raise ValueError(allowed)
    month, day = int(value[:2]), int(value[3:])
    try:
        date(2027, month, day)  # 2027 is not a leap year: 02-29 is refused
    except ValueError:
        why = (f"there is no month {month}" if not 1 <= month <= 12 else
               f"month {month} has no day {day} every year")
        raise ValueError(f"{allowed}; {why}") from None
    return month, day


class Partner(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    kind: Literal["local_authority", "nhs"]
    sovereign_body: str
    authorised_signatory: str
    """Member id of the officer who signs the s75 agreement for this partner."""
    pools: bool = True
    """false: the partner attends the joint bodies it is a partner of but pools nothing: it
    contributes to no line, takes no part in approvals, gateways, signing or the risk share,
    counts for quorum and votes only as each body's terms say (``quorum.attending_count``,
    ``attending_vote``)."""


class Quorum(_Strict):
    min_members: int = Field(ge=1, le=500)
    min_per_partner: int = Field(default=0, ge=0, le=500)
    """From each pooling partner; a partner that only attends (``pools = false``) is not
    needed for quorum."""
    attending_count: bool = True
    """Whether members of a partner that only attends count towards ``min_members``."""


class MeetingSchedule(_Strict):
    rule: str
    """An RFC 5545 recurrence rule, e.g. ``FREQ=MONTHLY;BYDAY=2WE``."""
    time: time
    venue: str
    duration_minutes: int = Field(default=120, ge=15, le=1440)
    on_bank_holiday: Literal["next_working_day", "previous_working_day", "keep"] = (
        "next_working_day"
    )

    @field_validator("rule")
    @classmethod
    def _rule_shape(cls, value: str) -> str:
        allowed = "expected an RFC 5545 rule such as 'FREQ=MONTHLY;BYDAY=2WE'"
        if not re.match(r"^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[A-Z0-9,+-]+)*$", value):
            raise ValueError(allowed)
        start = datetime(2027, 1, 1)
        try:
            rule = rrulestr(value, dtstart=start)
            first = rule.after(start, inc=True)
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise ValueError(f"{allowed} ({exc or type(exc).__name__})") from None
        if "UNTIL=" not in value and (first is None or first > start.replace(year=2032)):
            raise ValueError(f"{allowed}; this rule gives no meeting in five years")
        return value


class Deadlines(_Strict):
    """Per-body deadline settings; the defaults are the statutory minimums and common practice."""

    agenda_items_working_days: int = Field(default=10, ge=0, le=MAX_DAYS)
    publication_clear_days: int = Field(default=5, ge=0, le=MAX_DAYS)
    notice_clear_days: int = Field(default=5, ge=0, le=MAX_DAYS)
    forward_plan_clear_days: int = Field(default=28, ge=0, le=MAX_DAYS)
    forward_plan_calendar_days: bool = True
    draft_minutes_working_days: int = Field(default=10, ge=0, le=MAX_DAYS)
    decision_notice_working_days: int = Field(default=2, ge=0, le=MAX_DAYS)
    call_in_working_days: int = Field(default=5, ge=0, le=MAX_DAYS)
    referral_placement_working_days: int = Field(default=20, ge=0, le=MAX_DAYS)
    """A decision referred to this body is placed on one of its meetings within this many
    working days of the referring meeting; an unplaced referral then escalates."""
    reminder_working_days: tuple[Annotated[int, Field(ge=0, le=MAX_DAYS)], ...] = (5, 2)


class Body(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    kind: Literal["sovereign", "joint", "board"]
    partners: tuple[str, ...] = Field(min_length=1)
    access_regime: Literal["lga1972", "pbama1960"] = "lga1972"
    """lga1972: Local Government Act 1972 Part VA; pbama1960: Public Bodies (Admission to
    Meetings) Act 1960 (NHS boards)."""
    executive: bool = False
    """Executive bodies take key decisions (SI 2012/2089)."""
    scrutiny_committee: str | None = None
    """Executive bodies: the overview and scrutiny committee that hears call-ins of their
    decisions (Local Government Act 2000 s9F), e.g. "Health Scrutiny Committee"."""
    reports_to: str | None = None
    chair: str | None = None
    vice_chair: str | None = None
    chair_rotation: tuple[str, ...] = ()
    rotation_advances_by: Literal["meeting_held", "chair_served"] = "meeting_held"
    quorum: Quorum
    decision_rule: Literal["consensus", "majority", "one_vote_per_partner"] = "consensus"
    casting_vote: bool = False
    attending_vote: bool = False
    """Whether members of a partner that only attends (``pools = false``) vote (majority or
    consensus) or cast a block vote (one vote per partner); by default they do not."""
    on_no_consensus: Literal["refer", "fail"] = "refer"
    delegated_limit: Decimal | None = Field(default=None, ge=0, le=MAX_POUNDS)
    delegated_stages: tuple[Literal["approval_in_principle", "heads_of_terms", "s75_approval",
                                    "variation"], ...] = ()
    """Proposal stages this joint body may approve on its partners' behalf (delegated
    authority), e.g. ["heads_of_terms"]; otherwise each partner's sovereign body approves."""
    key_decision_threshold: Decimal | None = Field(default=None, ge=0, le=MAX_POUNDS)
    substitutes_allowed: bool = False
    clearance: tuple[Literal["finance", "legal"], ...] = ()
    """Officer clearance a report needs before the body takes it (file 004: "Finance Officer
    Clearance", "Legal Officer Clearance"): the secretary accepts an item onto the agenda only
    once a member with the role ``finance_officer`` / ``legal_officer`` has cleared it."""
    meetings: MeetingSchedule | None = None
    deadlines: Deadlines = Deadlines()
    secretary_email: str | None = None
    code: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")
    """Short code in references and minute numbers (default: the id in capitals, "-" for
    "_": ``CCG-BOARD``)."""
    minute_number: str = Field(default="{code}/{yy}/{n}", pattern=r"\{n\}")
    """Minute numbers, counted per body per calendar year: ``{code}`` ``{yyyy}`` ``{yy}``
    ``{n}`` (``"{code}/{yy}/{n}"`` gives ``JCC/19/23``; ``"{n}."`` gives ``23.``)."""
    reference: str = Field(default="{code}/{yyyy}/{n}", pattern=r"\{n\}")
    """Decision references, counted per body per calendar year (``JCC/2019/3``)."""

    @field_validator("minute_number", "reference")
    @classmethod
    def _number_pattern(cls, value: str) -> str:
        try:
            value.format(code="JCC", yyyy="2019", yy="19", n=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"{value!r} is not a numbering pattern: use {{code}}, {{yyyy}}, "
                             f"{{yy}} and {{n}} (e.g. \"{{code}}/{{yy}}/{{n}}\" or \"{{n}}.\")"
                             ) from exc
        return value

    @property
    def short_code(self) -> str:
        return self.code or self.id.upper().replace("_", "-")


class Member(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    """The office or role held ("Leader of the Council")."""
    title: str | None = None
    """Optional form of address ("Cllr", "Dr")."""
    personal_name: str | None = None
    """Optional personal name ("Jane Smith"); with it a person reads
    "Cllr Jane Smith, Leader of the Council"."""
    partner: str
    bodies: tuple[str, ...] = ()
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    substitute: str | None = None
    roles: tuple[Literal["admin", "programme_director", "report_author", "finance_officer",
                         "legal_officer"], ...] = ()
    """Roles held everywhere (decisions/principals.py)."""
    secretary_of: tuple[str, ...] = ()
    """Bodies this member clerks: their meetings, agendas, attendance, decisions, minutes."""

    @property
    def display(self) -> str:
        """How a person reads this member: "Cllr Jane Smith, Leader of the Council", or the
        role alone when no personal name is configured."""
        if not self.personal_name:
            return self.name
        who = " ".join(x for x in (self.title, self.personal_name) if x)
        return f"{who}, {self.name}"


class LocalityConfig(_Strict):
    locality: Locality
    smtp: Smtp = Smtp()
    partner: tuple[Partner, ...] = Field(min_length=1)
    body: tuple[Body, ...] = Field(min_length=1)
    member: tuple[Member, ...] = Field(min_length=1)
    pool: Pool

    # Lookups: the one way to find a partner, body or member by id -------------------------
    def partner_by_id(self, partner_id: str) -> Partner:
        """The partner, or NotFound naming the id and listing the known ones."""
        return _find(self.partner, partner_id, "partner")

    def body_by_id(self, body_id: str) -> Body:
        """The body, or NotFound naming the id and listing the known ones."""
        return _find(self.body, body_id, "body")

    def member_by_id(self, member_id: str) -> Member:
        """The member, or NotFound naming the id and listing the known ones."""
        return _find(self.member, member_id, "member")

    @property
    def zone(self) -> ZoneInfo:
        """The locality's time zone (``[locality] timezone``): the one place it is resolved
        (ZoneInfo caches each zone, so this is cheap; a property, not a cached one, so that a
        ``model_copy`` with another locality never keeps the old zone)."""
        return ZoneInfo(self.locality.timezone)

    def members_of(self, body_id: str) -> tuple[Member, ...]:
        return tuple(m for m in self.member if body_id in m.bodies)

    @property
    def pooling_partners(self) -> tuple[Partner, ...]:
        """The partners that pool: they approve, return gateways, sign and share the risk."""
        return tuple(p for p in self.partner if p.pools)

    def pools(self, partner_id: str) -> bool:
        """Whether the partner pools (an unknown id: True, so the caller's own check names
        it)."""
        return next((p.pools for p in self.partner if p.id == partner_id), True)

    def sovereign_body_of(self, partner_id: str) -> Body:
        return self.body_by_id(self.partner_by_id(partner_id).sovereign_body)


_Found = TypeVar("_Found", Partner, Body, Member)


def _find(things: tuple[_Found, ...], ident: str, what: str) -> _Found:
    for thing in things:
        if thing.id == ident:
            return thing
    raise NotFound(f"{what} {ident!r} is not in the config; expected one of "
                   f"{sorted(t.id for t in things)}")


def cross_reference_problems(cfg: LocalityConfig) -> list[Problem]:
    """Every id resolves and the numbers agree; all problems at once, in file order."""
    problems: list[Problem] = []
    partners = {p.id for p in cfg.partner}
    bodies = {b.id for b in cfg.body}
    members = {m.id for m in cfg.member}

    def need(ids: set[str], value: object, path: str, what: str) -> bool:
        if value not in ids:
            problems.append(Problem(path, value, f"expected one of the {what}: {sorted(ids)}"))
            return False
        return True

    id_lists: tuple[tuple[str, list[str]], ...] = (
        ("partner", [p.id for p in cfg.partner]),
        ("body", [b.id for b in cfg.body]),
        ("member", [m.id for m in cfg.member]),
    )
    for kind, ids in id_lists:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                problems.append(Problem(f"{kind}[{i}].id", ident, f"each {kind} id is unique"))
            seen.add(ident)

    for i, p in enumerate(cfg.partner):
        need(bodies, p.sovereign_body, f"partner[{i}].sovereign_body", "body ids")
        need(members, p.authorised_signatory, f"partner[{i}].authorised_signatory", "member ids")

    for i, b in enumerate(cfg.body):
        for j, pid in enumerate(b.partners):
            need(partners, pid, f"body[{i}].partners[{j}]", "partner ids")
        if b.reports_to is not None:
            need(bodies, b.reports_to, f"body[{i}].reports_to", "body ids")
        seated = {m.id for m in cfg.member if b.id in m.bodies}
        seats = f"members who sit on {b.id}: {sorted(seated)}"
        for key, mid in (("chair", b.chair), ("vice_chair", b.vice_chair)):
            if mid is not None and mid not in seated:
                problems.append(Problem(f"body[{i}].{key}", mid, f"expected one of the {seats}"))
        for j, mid in enumerate(b.chair_rotation):
            if mid not in seated:
                problems.append(
                    Problem(f"body[{i}].chair_rotation[{j}]", mid, f"expected one of the {seats}")
                )
        if b.chair is None and not b.chair_rotation:
            problems.append(
                Problem(f"body[{i}].chair", None, "set a chair, or a chair_rotation of co-chairs")
            )
        if b.chair is not None and b.chair_rotation:
            problems.append(
                Problem(f"body[{i}].chair_rotation", list(b.chair_rotation),
                        "set either a fixed chair or a chair_rotation, not both")
            )
        if b.quorum.min_members > len(seated):
            problems.append(
                Problem(f"body[{i}].quorum.min_members", b.quorum.min_members,
                        f"at most the body's {len(seated)} members")
            )
        for pid in (p for p in b.partners if cfg.pools(p)):
            from_partner = sum(1 for m in cfg.member if b.id in m.bodies and m.partner == pid)
            if b.quorum.min_per_partner > from_partner:
                problems.append(
                    Problem(f"body[{i}].quorum.min_per_partner", b.quorum.min_per_partner,
                            f"at most the {from_partner} members {pid} has on {b.id}")
                )

    for i, m in enumerate(cfg.member):
        need(partners, m.partner, f"member[{i}].partner", "partner ids")
        for j, bid in enumerate(m.bodies):
            if not need(bodies, bid, f"member[{i}].bodies[{j}]", "body ids"):
                continue
            body = cfg.body_by_id(bid)
            if m.partner in partners and m.partner not in body.partners:
                problems.append(Problem(
                    f"member[{i}].bodies[{j}]", bid,
                    f"{m.id} is a member for partner {m.partner}, which is not a partner of "
                    f"{bid} (its partners: {list(body.partners)}); seat {m.id} on a body of "
                    f"{m.partner} or add {m.partner} to {bid}'s partners"))
        if m.substitute is not None:
            need(members, m.substitute, f"member[{i}].substitute", "member ids")
        for j, bid in enumerate(m.secretary_of):
            need(bodies, bid, f"member[{i}].secretary_of[{j}]", "body ids")

    loc = cfg.locality
    if month_day(loc.signing_deadline) == month_day(loc.financial_year_start):
        problems.append(Problem("locality.signing_deadline", loc.signing_deadline,
                                "a month-day before the financial year start "
                                f"(locality.financial_year_start = {loc.financial_year_start!r}), "
                                "such as the day before it"))
    op = cfg.locality.operator
    if (op is not None and need(members, op, "locality.operator", "member ids")
            and "admin" not in cfg.member_by_id(op).roles):
        problems.append(Problem("locality.operator", op,
                                f"a member with roles = [\"admin\"]; {op} has "
                                f"{list(cfg.member_by_id(op).roles) or 'no roles'}"))

    if not cfg.pooling_partners:
        problems.append(Problem("partner", [p.id for p in cfg.partner],
                                "at least one partner pools (pools = true, the default)"))
    pool_problems(cfg.pool, partners, {p.id for p in cfg.partner if not p.pools}, members,
                  problems, need)
    return problems
