"""Template filters that print times as the documents do ("2.00pm", "Wednesday 10 April 2019,
2.00pm"), so a page and the PDF it links say the same thing in the same style.

The names of days and months are spelt here rather than by ``strftime`` (which prints them
in the C locale, English, the same words): a list page prints a time per row, and this is a
tenth of the cost."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from jinja2 import Environment

from notifications.documents.publication import clock_text

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SHORT_DAYS = tuple(d[:3] for d in DAYS)
SHORT_MONTHS = tuple(m[:3] for m in MONTHS)


@lru_cache(maxsize=1440)
def _clock(hour: int, minute: int) -> str:
    """Each of the day's minutes worked out once."""
    return clock_text(f"{hour:02d}:{minute:02d}")


def clock(moment: datetime) -> str:
    return _clock(moment.hour, moment.minute)


def day_time(moment: datetime) -> str:
    """As ``f"{moment:%A %-d %B %Y}, {clock(moment)}"``."""
    return (f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} "
            f"{moment.year}, {clock(moment)}")


def short_day_time(moment: datetime) -> str:
    """As ``f"{moment:%a %-d %b %Y}, {clock(moment)}"``."""
    return (f"{SHORT_DAYS[moment.weekday()]} {moment.day} {SHORT_MONTHS[moment.month - 1]} "
            f"{moment.year}, {clock(moment)}")


def short_day(day: date) -> str:
    """As ``f"{day:%-d %b %Y}"``."""
    return f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}"


def install(env: Environment) -> None:
    env.filters.update(clock=clock, day_time=day_time, short_day_time=short_day_time)
