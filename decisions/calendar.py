"""The working-day calendar: England and Wales bank holidays (the ``holidays`` package) plus any
closure days from config, and clear-day arithmetic.

A *clear day* excludes both the day of the event (publication, notice) and the day of the
meeting (R v Swansea CC ex p Elitestone, 1993). Where clear days are counted as working days,
weekends and bank holidays are not counted either. Lives in the lowest layer because meeting
dates and item deadlines need it; notifications/ uses it for every deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache

import holidays


@dataclass(frozen=True)
class WorkingCalendar:
    extra_closure_days: frozenset[date] = field(default_factory=frozenset)
    subdivision: str = "ENG"

    @cached_property
    def _bank_holidays(self) -> holidays.HolidayBase:
        return holidays.country_holidays("GB", subdiv=self.subdivision)

    def bank_holiday_name(self, day: date) -> str | None:
        name = self._bank_holidays.get(day)
        return str(name) if name else None

    @cached_property
    def _working(self) -> dict[date, bool]:
        """Days already asked about (a calendar is immutable, so the answer never changes)."""
        return {}

    def is_working_day(self, day: date) -> bool:
        known = self._working.get(day)
        if known is None:
            known = self._working[day] = (
                day.weekday() < 5
                and day not in self._bank_holidays
                and day not in self.extra_closure_days
            )
        return known

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def previous_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the last working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def add_working_days(self, day: date, n: int) -> date:
        """The working day ``n`` working days after (n > 0) or before (n < 0) ``day``."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days strictly after ``start`` and strictly before ``end``."""
        count = 0
        day = start + timedelta(days=1)
        while day < end:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count

    def latest_day_for_clear_days(self, meeting: date, clear_days: int, *,
                                  working: bool = True) -> date:
        """The last day on which something may happen and still leave ``clear_days`` clear days
        before ``meeting``. With ``working`` (the default) the clear days are working days and
        the day itself is a working day; otherwise calendar days.

        Five clear working days before Wednesday 9 September 2015 is Tuesday 1 September 2015
        (Monday 31 August was a bank holiday).
        """
        if not working:
            return meeting - timedelta(days=clear_days + 1)
        return self.add_working_days(meeting, -(clear_days + 1))

    def clear_days_before(self, event: date, meeting: date, *, working: bool = True) -> int:
        """How many clear days lie between ``event`` and ``meeting``."""
        if not working:
            return max(0, (meeting - event).days - 1)
        return self.working_days_between(event, meeting)

    def working_days(self, start: date, end: date) -> Iterable[date]:
        day = start
        while day <= end:
            if self.is_working_day(day):
                yield day
            day += timedelta(days=1)


def calendar_for(extra_closure_days: Iterable[date] = ()) -> WorkingCalendar:
    """The calendar with these closure days: one per set of days, built once per process (its
    bank-holiday table and the days already looked up are shared by every deadline)."""
    return _calendar(frozenset(extra_closure_days))


@lru_cache(maxsize=64)
def _calendar(extra_closure_days: frozenset[date]) -> WorkingCalendar:
    return WorkingCalendar(extra_closure_days)
