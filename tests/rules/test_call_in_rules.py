"""The call-in rules as plain functions (decisions/key_decisions.py): the window from the
notice's publication in working days, who may call in and when, and from when a decision may
be implemented in each state. No database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from decisions.calendar import WorkingCalendar, calendar_for
from decisions.errors import RuleRefused
from decisions.key_decisions import (
    call_in_expires,
    check_call_in,
    implementable_from,
    implementation_short,
    implementation_wording,
)
from decisions.terms import LocalityConfig


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return calendar_for(())


def test_window_counts_working_days_from_publication(config: LocalityConfig,
                                                     cal: WorkingCalendar) -> None:
    cabinet = config.body_by_id("cabinet")
    # Published Wed 22 May 2019: 23, 24, (27 bank holiday), 28, 29, 30.
    assert call_in_expires(date(2019, 5, 22), cabinet, cal) == date(2019, 5, 30)
    # Published Fri 20 Dec 2019: over Christmas to Tue 31 Dec; implemented Thu 2 Jan 2020.
    end = call_in_expires(date(2019, 12, 20), cabinet, cal)
    assert end == date(2019, 12, 31)
    assert implementable_from(date(2019, 12, 19), end, cal) == date(2020, 1, 2)


def test_implementation_in_each_state(cal: WorkingCalendar) -> None:
    decided, end = date(2019, 5, 20), date(2019, 5, 30)
    assert implementation_wording(decided, end, cal) == (
        "This decision may be implemented from Friday 31 May 2019.")
    assert implementable_from(decided, end, cal, state="called_in") is None
    assert implementation_short(decided, end, cal, state="called_in") == (
        "not before the call-in is resolved")
    assert implementable_from(decided, end, cal, state="upheld",
                              resolved_on=date(2019, 6, 3)) == date(2019, 6, 3)
    assert implementable_from(decided, end, cal, state="withdrawn",
                              resolved_on=date(2019, 5, 22)) == date(2019, 5, 31)
    assert implementable_from(decided, None, cal, state="exempt") == decided
    assert "referred back to the decision-maker" in implementation_wording(
        decided, end, cal, state="referred_back", resolved_on=date(2019, 6, 3))


def test_who_may_call_in_and_when(config: LocalityConfig) -> None:
    cabinet, jcc = config.body_by_id("cabinet"), config.body_by_id("jcc")
    facts: dict[str, Any] = {"outcome": "approved", "state": "open",
                             "published_on": date(2019, 5, 22), "expires": date(2019, 5, 30)}
    check_call_in(cabinet, "decision 1", requested_on=date(2019, 5, 30), **facts)
    with pytest.raises(RuleRefused, match="not an executive body"):
        check_call_in(jcc, "decision 1", requested_on=date(2019, 5, 23), **facts)
    with pytest.raises(RuleRefused, match="too late: the window runs from the publication"):
        check_call_in(cabinet, "decision 1", requested_on=date(2019, 5, 31), **facts)
    with pytest.raises(RuleRefused, match="called in once"):
        check_call_in(cabinet, "decision 1", requested_on=date(2019, 5, 23),
                      earlier="call-in 1", **facts)
    with pytest.raises(RuleRefused, match="nothing to implement"):
        check_call_in(cabinet, "decision 1", requested_on=date(2019, 5, 23),
                      **(facts | {"outcome": "referred", "state": "none"}))
