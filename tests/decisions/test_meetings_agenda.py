"""Meetings from each body's RFC 5545 rule, and the agenda deadlines and Part 2 rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from decisions.agenda_rules import (
    STANDING_CLOSING,
    STANDING_OPENING,
    end_of_day_utc,
    item_deadline,
    late_item_check,
    notice_deadline,
    publication_deadline,
    validate_action,
    validate_exempt,
)
from decisions.calendar import WorkingCalendar
from decisions.errors import InvalidInput, RuleRefused
from decisions.meetings import scheduled_meetings
from decisions.terms import Body, Deadlines, LocalityConfig

TZ = "Europe/London"
YEAR_START, YEAR_END = date(2019, 4, 1), date(2020, 3, 31)


def with_rule(body: Body, rule: str, **more: object) -> Body:
    assert body.meetings is not None
    return body.model_copy(update={"meetings": body.meetings.model_copy(
        update={"rule": rule, **more})})


def test_jcc_meets_on_the_second_wednesday_through_2019_20(config: LocalityConfig,
                                                           cal: WorkingCalendar) -> None:
    meetings = scheduled_meetings(config.body_by_id("jcc"), YEAR_START, YEAR_END, cal, TZ)
    assert [m.local_date for m in meetings] == [
        date(2019, 4, 10), date(2019, 5, 8), date(2019, 6, 12), date(2019, 7, 10),
        date(2019, 8, 14), date(2019, 9, 11), date(2019, 10, 9), date(2019, 11, 13),
        date(2019, 12, 11), date(2020, 1, 8), date(2020, 2, 12), date(2020, 3, 11),
    ]
    # 14:00 in Bolton: 13:00 UTC in British Summer Time, 14:00 UTC in winter.
    assert meetings[0].starts_at == datetime(2019, 4, 10, 13, 0, tzinfo=UTC)
    assert meetings[7].starts_at == datetime(2019, 11, 13, 14, 0, tzinfo=UTC)
    assert all(m.moved_from is None for m in meetings)


def test_a_meeting_on_new_years_day_moves_to_the_next_working_day(
        config: LocalityConfig, cal: WorkingCalendar) -> None:
    body = with_rule(config.body_by_id("jcc"), "FREQ=MONTHLY;BYDAY=1WE")
    meetings = scheduled_meetings(body, YEAR_START, YEAR_END, cal, TZ)
    moved = [m for m in meetings if m.moved_from]
    assert len(meetings) == 12
    assert [(m.moved_from, m.local_date) for m in moved] == [(date(2020, 1, 1), date(2020, 1, 2))]
    assert moved[0].reason == ("Wed 01 Jan 2020 is a bank holiday (New Year's Day); "
                               "moved to the next working day, Thu 02 Jan 2020")
    assert moved[0].starts_at == datetime(2020, 1, 2, 14, 0, tzinfo=UTC)


def test_on_bank_holiday_previous_or_keep(config: LocalityConfig, cal: WorkingCalendar) -> None:
    jan = (date(2020, 1, 1), date(2020, 1, 31))
    earlier = with_rule(config.body_by_id("jcc"), "FREQ=MONTHLY;BYDAY=1WE",
                        on_bank_holiday="previous_working_day")
    [m] = scheduled_meetings(earlier, *jan, cal, TZ)
    assert (m.moved_from, m.local_date) == (date(2020, 1, 1), date(2019, 12, 31))
    keep = with_rule(config.body_by_id("jcc"), "FREQ=MONTHLY;BYDAY=1WE", on_bank_holiday="keep")
    [m] = scheduled_meetings(keep, *jan, cal, TZ)
    assert (m.moved_from, m.local_date) == (None, date(2020, 1, 1))


def test_a_council_closure_day_moves_the_meeting(config: LocalityConfig) -> None:
    closed = WorkingCalendar(frozenset({date(2019, 12, 11)}))
    meetings = scheduled_meetings(config.body_by_id("jcc"), date(2019, 12, 1),
                                  date(2019, 12, 31), closed, TZ)
    assert [(m.moved_from, m.local_date) for m in meetings] == [
        (date(2019, 12, 11), date(2019, 12, 12))]
    assert "closure day" in (meetings[0].reason or "")


def test_ccg_board_meets_on_the_last_friday(config: LocalityConfig, cal: WorkingCalendar) -> None:
    meetings = scheduled_meetings(config.body_by_id("ccg_board"), YEAR_START, YEAR_END, cal, TZ)
    assert meetings[0].local_date == date(2019, 4, 26)
    assert meetings[0].starts_at == datetime(2019, 4, 26, 8, 30, tzinfo=UTC)
    assert len(meetings) == 12


def test_a_body_without_a_schedule_is_named(config: LocalityConfig, cal: WorkingCalendar) -> None:
    body = config.body_by_id("jcc").model_copy(update={"meetings": None})
    with pytest.raises(InvalidInput, match="body jcc: has no"):
        scheduled_meetings(body, YEAR_START, YEAR_END, cal, TZ)


def test_stockport_item_deadline_is_17_august_for_9_september_2015(
        config: LocalityConfig, cal: WorkingCalendar) -> None:
    body = config.body_by_id("ccg_board").model_copy(
        update={"deadlines": Deadlines(agenda_items_working_days=16)})
    assert item_deadline(date(2015, 9, 9), body, cal) == date(2015, 8, 17)
    # Five clear working days: Monday 31 August 2015 was a bank holiday.
    assert publication_deadline(date(2015, 9, 9), config.body_by_id("jcc"), cal) == \
        date(2015, 9, 1)


def test_jcc_deadlines_skip_the_august_bank_holiday(config: LocalityConfig,
                                                    cal: WorkingCalendar) -> None:
    jcc = config.body_by_id("jcc")
    assert item_deadline(date(2019, 9, 11), jcc, cal) == date(2019, 8, 28)
    assert publication_deadline(date(2019, 9, 11), jcc, cal) == date(2019, 9, 3)
    assert notice_deadline(date(2019, 9, 11), jcc, cal) == date(2019, 9, 3)
    # The CCG Board meets under the 1960 Act: 3 clear days.
    assert publication_deadline(date(2019, 9, 27), config.body_by_id("ccg_board"), cal) == \
        date(2019, 9, 23)


def test_end_of_deadline_day_is_local_midnight() -> None:
    assert end_of_day_utc(date(2019, 8, 28), TZ) == datetime(2019, 8, 28, 23, 0, tzinfo=UTC)
    assert end_of_day_utc(date(2019, 12, 2), TZ) == datetime(2019, 12, 3, 0, 0, tzinfo=UTC)


def test_standing_business_opens_and_closes_every_agenda() -> None:
    assert [s.title for s in STANDING_OPENING] == [
        "Apologies for absence", "Declarations of interest", "Minutes of the last meeting",
        "Matters arising and the action log"]
    assert [s.title for s in STANDING_CLOSING] == ["Any other business"]
    assert validate_action("for_decision") == "for_decision"
    with pytest.raises(InvalidInput, match="action: 'decide' is not valid; expected one of "
                                           "to_note, to_approve, for_decision"):
        validate_action("decide")


def test_part_2_needs_a_schedule_12a_paragraph_and_a_reason() -> None:
    validate_exempt(1, None, None)
    validate_exempt(2, 3, "Commercially sensitive tender prices; disclosure would prejudice "
                          "the procurement")
    with pytest.raises(InvalidInput) as err:
        validate_exempt(2, None, "")
    assert "exempt_paragraph: missing" in str(err.value)
    assert "exempt_reason: missing" in str(err.value)
    with pytest.raises(InvalidInput, match="exempt_paragraph: 8 is not valid; expected a "
                                           "Schedule 12A paragraph from 1 to 7"):
        validate_exempt(2, 8, "reason")
    with pytest.raises(InvalidInput, match="only applies to Part 2"):
        validate_exempt(1, 3, None)
    with pytest.raises(InvalidInput, match="part: 3 is not valid"):
        validate_exempt(3, 3, "reason")
    # An NHS board states the public-interest reason; no Schedule 12A paragraph is needed.
    validate_exempt(2, None, "Commercial negotiations", regime="pbama1960")
    with pytest.raises(InvalidInput, match="1960 s1\\(2\\)"):
        validate_exempt(2, None, " ", regime="pbama1960")


def test_a_late_item_needs_the_chairs_urgency_consent() -> None:
    deadline = date(2019, 8, 28)
    late_item_check(date(2019, 8, 28), deadline, None, None)
    with pytest.raises(RuleRefused) as err:
        late_item_check(date(2019, 9, 2), deadline, None, None)
    assert err.value.rule == "Local Government Act 1972 s100B(4)"
    assert "after the item deadline of Wed 28 Aug 2019" in str(err.value)
    assert "the chair's consent" in str(err.value)
    with pytest.raises(RuleRefused, match="special circumstances"):
        late_item_check(date(2019, 9, 2), deadline, None, "leader")
    late_item_check(date(2019, 9, 2), deadline, "Provider failure needs a decision before the "
                    "October contract start", "leader")
