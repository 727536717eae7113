"""Template filters that print times as the documents do ("2.00pm", "Wednesday 10 April 2019,
2.00pm"), so a page and the PDF it links say the same thing in the same style."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from jinja2 import Environment

from notifications.documents.publication import clock_text

_clock_text = lru_cache(maxsize=1440)(clock_text)
"""A list page prints a time per row: each of the day's minutes is worked out once."""


def clock(moment: datetime) -> str:
    return _clock_text(f"{moment:%H:%M}")


def day_time(moment: datetime) -> str:
    return f"{moment:%A %-d %B %Y}, {clock(moment)}"


def short_day_time(moment: datetime) -> str:
    return f"{moment:%a %-d %b %Y}, {clock(moment)}"


def install(env: Environment) -> None:
    env.filters.update(clock=clock, day_time=day_time, short_day_time=short_day_time)
