"""The pages' time filters print what ``strftime`` prints (the documents' style), for every
day of a leap year and every minute of a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from notifications.documents.publication import clock_text
from s75.web.formats import clock, day_time, short_day, short_day_time


def test_days_and_minutes_as_strftime_prints_them() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(366):
        moment = start + timedelta(days=n, minutes=n * 7)
        c = clock_text(f"{moment:%H:%M}")
        assert day_time(moment) == f"{moment:%A %-d %B %Y}, {c}"
        assert short_day_time(moment) == f"{moment:%a %-d %b %Y}, {c}"
        assert short_day(moment.date()) == f"{moment.date():%-d %b %Y}"
    for minute in range(24 * 60):
        moment = start + timedelta(minutes=minute)
        assert clock(moment) == clock_text(f"{moment:%H:%M}")
    assert short_day(date(999, 3, 1)) == f"{date(999, 3, 1):%-d %b %Y}"
