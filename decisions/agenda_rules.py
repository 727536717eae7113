"""Agenda rules: standing business, item and publication deadlines, Part 2 (exempt) items and
late items.

Sources: Local Government Act 1972 s100A-s100B and Schedule 12A (principal councils and their
committees and joint committees); Public Bodies (Admission to Meetings) Act 1960 s1 (NHS
boards); the item-notification deadline is local practice (file 000: items notified by
17 August 2015 for the 9 September 2015 meeting, 16 working days before).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, get_args
from zoneinfo import ZoneInfo

from decisions.calendar import WorkingCalendar
from decisions.errors import InvalidInput, RuleRefused
from decisions.terms import Body

Action = Literal["to_note", "to_approve", "for_decision"]
ACTIONS: tuple[str, ...] = get_args(Action)
ACTION_LABELS: dict[str, str] = {
    "to_note": "To note",
    "to_approve": "To approve",
    "for_decision": "For decision",
}


COMMON_WORDINGS: tuple[str, ...] = (
    "To note", "For information", "To approve", "For decision", "To debate and approve",
    "To discuss", "To agree", "To endorse", "To ratify", "For assurance")
"""The action wordings agendas commonly print, offered to the secretary; any other wording
of one line may be given."""
MAX_WORDING = 80


def check_wording(wording: str) -> str:
    """The agenda's "Action" column as the secretary words it: one line, at most
    MAX_WORDING characters (the agenda's column is narrow)."""
    text = wording.strip()
    if "\n" in text or len(text) > MAX_WORDING:
        raise InvalidInput(f"wording: {wording[:40]!r}... is not one short line; give the "
                           f"action in at most {MAX_WORDING} characters on one line, e.g. "
                           f"{', '.join(repr(w) for w in COMMON_WORDINGS[:5])}")
    return text


@dataclass(frozen=True)
class StandingItem:
    """An item every agenda carries; ``key`` is stable, ``title`` is what the agenda prints."""

    key: str
    title: str
    action: Action


STANDING_OPENING: tuple[StandingItem, ...] = (
    StandingItem("apologies", "Apologies for absence", "to_note"),
    StandingItem("declarations", "Declarations of interest", "to_note"),
    StandingItem("minutes", "Minutes of the last meeting", "to_approve"),
    StandingItem("matters_arising", "Matters arising and the action log", "to_note"),
)
STANDING_CLOSING: tuple[StandingItem, ...] = (
    StandingItem("aob", "Any other business", "to_note"),
)

SCHEDULE_12A: dict[int, str] = {
    1: "Information relating to any individual.",
    2: "Information which is likely to reveal the identity of an individual.",
    3: "Information relating to the financial or business affairs of any particular person "
       "(including the authority holding that information).",
    4: "Information relating to any consultations or negotiations, or contemplated consultations "
       "or negotiations, in connection with any labour relations matter arising between the "
       "authority or a Minister of the Crown and employees of, or office holders under, the "
       "authority.",
    5: "Information in respect of which a claim to legal professional privilege could be "
       "maintained in legal proceedings.",
    6: "Information which reveals that the authority proposes to give a notice under any "
       "enactment imposing requirements on a person, or to make an order or direction under any "
       "enactment.",
    7: "Information relating to any action taken or to be taken in connection with the "
       "prevention, investigation or prosecution of crime.",
}


def validate_action(action: str) -> Action:
    """The item's action, or InvalidInput naming the field and the allowed values."""
    if action not in ACTIONS:
        raise InvalidInput(
            f"action: {action!r} is not valid; expected one of {', '.join(ACTIONS)}"
        )
    return action  # type: ignore[return-value]


def item_deadline(meeting_local_date: date, body: Body, cal: WorkingCalendar) -> date:
    """The last day on which an item may be notified for the meeting: the body's
    ``deadlines.agenda_items_working_days`` working days before the meeting.

    16 working days before Wednesday 9 September 2015 is Monday 17 August 2015 (file 000).
    """
    return cal.add_working_days(meeting_local_date, -body.deadlines.agenda_items_working_days)


def publication_deadline(meeting_local_date: date, body: Body, cal: WorkingCalendar) -> date:
    """The last working day on which the agenda and reports may be published and still leave
    ``deadlines.publication_clear_days`` clear working days before the meeting (LGA 1972
    s100B(3): 5 clear days; an executive, SI 2012/2089 regs 6(2) and 7: 5; PBAMA 1960 s1(4)(a)
    for NHS boards: 3)."""
    return cal.latest_day_for_clear_days(
        meeting_local_date, body.deadlines.publication_clear_days, working=True
    )


def notice_deadline(meeting_local_date: date, body: Body, cal: WorkingCalendar) -> date:
    """The last day for public notice of the meeting (LGA 1972 s100A(6)(a); an executive, SI
    2012/2089 reg 6(1); PBAMA 1960 s1(4)(a))."""
    return cal.latest_day_for_clear_days(
        meeting_local_date, body.deadlines.notice_clear_days, working=True
    )


def end_of_day_utc(day: date, tz: str) -> datetime:
    """The instant a deadline day ends: local midnight after ``day``, as UTC. A deadline has
    not passed while ``now < end_of_day_utc(deadline, tz)``."""
    local = datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def validate_exempt(part: int, paragraph: int | None, reason: str | None, *,
                    regime: Literal["lga1972", "pbama1960"] = "lga1972") -> None:
    """A Part 2 (exempt) item names its Schedule 12A paragraph (1-7) and states why the public
    interest in keeping it confidential outweighs the public interest in disclosure (LGA 1972
    s100A(4), Sch 12A Part 2 para 10). Under the NHS regime (PBAMA 1960 s1(2)) no paragraph
    applies but the reason is still stated. Raises InvalidInput naming every bad field."""
    if part not in (1, 2):
        raise InvalidInput(f"part: {part!r} is not valid; expected 1 (public) or 2 (exempt)")
    problems: list[str] = []
    if part == 1:
        if paragraph is not None:
            problems.append(
                f"exempt_paragraph: {paragraph!r} given for a Part 1 (public) item; "
                "a Schedule 12A paragraph only applies to Part 2 items"
            )
    else:
        if regime == "lga1972":
            if paragraph is None:
                problems.append(
                    "exempt_paragraph: missing; a Part 2 item needs the paragraph (1-7) of "
                    "Schedule 12A to the Local Government Act 1972 that makes it exempt"
                )
            elif paragraph not in SCHEDULE_12A:
                problems.append(
                    f"exempt_paragraph: {paragraph!r} is not valid; expected a Schedule 12A "
                    "paragraph from 1 to 7"
                )
        elif paragraph is not None and paragraph not in SCHEDULE_12A:
            problems.append(
                f"exempt_paragraph: {paragraph!r} is not valid; expected 1 to 7, or none for an "
                "NHS board meeting under the Public Bodies (Admission to Meetings) Act 1960"
            )
        if not (reason and reason.strip()):
            what = (
                "why the public interest in maintaining the exemption outweighs the public "
                "interest in disclosing it (LGA 1972 Sch 12A para 10)"
                if regime == "lga1972"
                else "why publicity would be prejudicial to the public interest "
                     "(Public Bodies (Admission to Meetings) Act 1960 s1(2))"
            )
            problems.append(f"exempt_reason: missing; a Part 2 item states {what}")
    if problems:
        raise InvalidInput("; ".join(problems))


def late_item_check(submitted_on: date, deadline: date, urgency_reason: str | None,
                    chair_consent_by: str | None, *,
                    rule: str = "Local Government Act 1972 s100B(4)") -> None:
    """An item notified after the deadline is accepted only if the chair rules it urgent and the
    special circumstances are stated (they go into the minutes): LGA 1972 s100B(4); ``rule``
    is the body's own (``regime_of(body).urgency_rule``: an executive's procedure rules under
    SI 2012/2089, an NHS board's 1960 Act)."""
    if submitted_on <= deadline:
        return
    missing = []
    if not (chair_consent_by and chair_consent_by.strip()):
        missing.append("the chair's consent (who agreed it is urgent)")
    if not (urgency_reason and urgency_reason.strip()):
        missing.append("the special circumstances that make it urgent (recorded in the minutes)")
    if missing:
        raise RuleRefused(
            rule,
            f"the item was submitted on {submitted_on:%a %d %b %Y}, after the item deadline of "
            f"{deadline:%a %d %b %Y}; a late item needs " + " and ".join(missing),
        )
