"""The deadline rules as plain functions: no database, no clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from decisions.calendar import WorkingCalendar
from decisions.terms import Deadlines, LocalityConfig
from notifications import deadlines as dl

LONDON = ZoneInfo("Europe/London")


def _meeting(day: date, at: time = time(10, 0)) -> datetime:
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def _local_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def _by_kind(planned: list[dl.PlannedDeadline]) -> dict[str, dl.PlannedDeadline]:
    return {p.kind: p for p in planned}


def stockport(config: LocalityConfig) -> LocalityConfig:
    """A body configured the way NHS Stockport CCG's Governing Body was (file 000): items
    notified 16 working days before the meeting."""
    board = config.body_by_id("ccg_board")
    body = board.model_copy(update={"deadlines": Deadlines(
        agenda_items_working_days=16, notice_clear_days=3, publication_clear_days=3)})
    bodies = tuple(body if b.id == "ccg_board" else b for b in config.body)
    return config.model_copy(update={"body": bodies})


def test_file_000_items_for_9_september_2015_due_17_august(config: LocalityConfig) -> None:
    cfg = stockport(config)
    planned = _by_kind(dl.meeting_deadlines(cfg, cfg.body_by_id("ccg_board"), 1,
                                            _meeting(date(2015, 9, 9))))
    items = planned["agenda_items"]
    # Monday 31 August 2015 was the summer bank holiday, so 16 working days back is 17 August.
    assert _local_day(items.due_at) == date(2015, 8, 17)
    assert items.due_at.astimezone(LONDON).time() == time(17, 0)
    assert "16 working days" in items.rule
    assert items.title == "Agenda items for CCG Board, 9 Sep 2015"
    # Reminders at 09:00, 5 and 2 working days before the due day.
    assert [_local_day(r) for r in items.reminder_at] == [date(2015, 8, 10), date(2015, 8, 13)]
    assert all(r.astimezone(LONDON).time() == time(9, 0) for r in items.reminder_at)


def test_five_clear_days_before_9_september_2015_is_1_september(config: LocalityConfig) -> None:
    jcc = config.body_by_id("jcc")
    planned = _by_kind(dl.meeting_deadlines(config, jcc, 7, _meeting(date(2015, 9, 9), time(14))))
    assert _local_day(planned["publication"].due_at) == date(2015, 9, 1)
    assert _local_day(planned["notice"].due_at) == date(2015, 9, 1)
    assert "s100B(3)" in planned["publication"].rule
    assert "s100A(6)" in planned["notice"].rule
    assert planned["publication"].owner_email == "jcc.secretary@example.org"


def test_christmas_5_clear_days_before_5_january_2016_is_23_december(
        config: LocalityConfig) -> None:
    planned = _by_kind(dl.meeting_deadlines(config, config.body_by_id("jcc"), 2,
                                            _meeting(date(2016, 1, 5))))
    # Christmas Day, Boxing Day (substitute Mon 28 Dec) and New Year's Day do not count.
    assert _local_day(planned["publication"].due_at) == date(2015, 12, 23)
    # 10 working days before Tue 5 Jan 2016: back over the same holidays.
    assert _local_day(planned["agenda_items"].due_at) == date(2015, 12, 17)


def test_easter_items_deadline_skips_good_friday_and_easter_monday(
        config: LocalityConfig) -> None:
    planned = _by_kind(dl.meeting_deadlines(config, config.body_by_id("jcc"), 3,
                                            _meeting(date(2015, 4, 14))))
    # Good Friday 3 April and Easter Monday 6 April 2015 are bank holidays.
    assert _local_day(planned["agenda_items"].due_at) == date(2015, 3, 27)
    assert _local_day(planned["publication"].due_at) == date(2015, 4, 2)
    cal = WorkingCalendar()
    assert not cal.is_working_day(date(2015, 4, 3)) and not cal.is_working_day(date(2015, 4, 6))


def test_nhs_board_meets_under_the_1960_act_with_3_clear_days(config: LocalityConfig) -> None:
    board = config.body_by_id("ccg_board")
    planned = _by_kind(dl.meeting_deadlines(config, board, 4, _meeting(date(2019, 4, 26))))
    # Friday 26 April 2019: 3 clear working days back (Tue 23, Wed 24, Thu 25) -> Mon 22 is
    # Easter Monday, so Thursday 18 April (Good Friday 19th).
    assert _local_day(planned["publication"].due_at) == date(2019, 4, 18)
    assert "1960" in planned["publication"].rule


def test_minutes_decision_notice_and_call_in(config: LocalityConfig) -> None:
    cab = config.body_by_id("cabinet")
    minutes = dl.minutes_deadline(config, cab, 5, date(2019, 12, 16))
    # 10 working days after Mon 16 Dec 2019, over Christmas and New Year: Thu 2 Jan 2020.
    assert _local_day(minutes.due_at) == date(2020, 1, 2)
    notice, call_in = dl.decision_deadlines(config, cab, 9, date(2019, 12, 23), 5,
                                            date(2020, 1, 2))
    assert _local_day(notice.due_at) == date(2019, 12, 27)  # Tue 24, Fri 27 (25/26 holidays)
    assert "reg 12" in notice.rule
    assert call_in.kind == "call_in_expiry" and _local_day(call_in.due_at) == date(2020, 1, 2)


def test_forward_plan_28_clear_calendar_days(config: LocalityConfig) -> None:
    cab = config.body_by_id("cabinet")
    p = dl.forward_plan_deadline(config, cab, 5, date(2019, 7, 15), 12, "Care homes contract")
    assert _local_day(p.due_at) == date(2019, 6, 16)  # 28 clear days: 17 Jun .. 14 Jul
    assert "reg 9" in p.rule and p.subject_id == "12"


def test_owned_deadlines_resolve_members_emails_and_others(config: LocalityConfig) -> None:
    a = dl.owned_deadline(config, "action", "action", "4", "dph", date(2019, 5, 1),
                          "Action: report on flu", "action log", body_id="jcc")
    assert (a.owner_id, a.owner_email) == ("dph", "dph@example.org")
    b = dl.owned_deadline(config, "action", "action", "5", "Ms J Bloggs", date(2019, 5, 1),
                          "Action: x", "action log", body_id="jcc")
    assert b.owner_email == "jcc.secretary@example.org"  # no address: the secretary passes it on


def test_proposal_gateway_signing_and_quarterly_reports(config: LocalityConfig) -> None:
    g = dl.gateway_deadline(config, 1, "Pool expansion", 2019, 8)
    assert _local_day(g.due_at) == date(2019, 8, 30)  # Sat 31 Aug -> Fri 30 Aug
    assert g.key == "gateway:proposal:1:2019-08"
    s = dl.signing_deadline(config, 1, "Pool expansion", date(2020, 4, 1))
    assert _local_day(s.due_at) == date(2020, 3, 31)
    moved = dl.signing_deadline(config, 1, "Pool expansion", date(2020, 7, 1), moved=True)
    assert _local_day(moved.due_at) == date(2020, 6, 30)
    q = dl.quarterly_report_deadlines(config, date(2019, 4, 1))
    assert [_local_day(x.due_at) for x in q] == [date(2019, 7, 31), date(2019, 10, 31),
                                                 date(2020, 1, 31), date(2020, 4, 30)]
    assert q[0].owner_email == "s151@example.org"  # the pooled fund manager
    assert "reg 7" in q[0].rule
