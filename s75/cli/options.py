"""Options and argument parsers shared by every command module: ``--json``, the acting
principal, dates, months and times (a time without an offset is read in the locality's zone).

Command modules import from here and from :mod:`s75.cli.output`, never from each other.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from decisions.errors import InvalidInput, NotFound
from decisions.terms import LocalityConfig
from s75.app import App, parse_moment

__all__ = [
    "JsonOpt",
    "get_app",
    "local_day_start",
    "maybe_date",
    "maybe_time",
    "member_check",
    "parse_date",
    "parse_moment",
    "parse_month",
    "parse_time",
]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def get_app(ctx: typer.Context) -> App:
    """The application object the root callback built for this command."""
    root = ctx.find_root()
    app = root.obj
    if not isinstance(app, App):  # pragma: no cover - the root callback always sets it
        raise RuntimeError("the s75 callback did not run")
    return app


def parse_date(value: str, option: str) -> date:
    """``YYYY-MM-DD`` for ``option``, or InvalidInput naming the option and the value."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{option}: {value!r} is not a date; expected YYYY-MM-DD, e.g. "
                           "2019-03-14") from None
    return day


def maybe_date(value: str | None, option: str) -> date | None:
    return None if value is None else parse_date(value, option)


def parse_month(value: str, option: str = "--month") -> date:
    """``YYYY-MM`` (or a date in the month) as the first day of that month."""
    try:
        day = date.fromisoformat(value + "-01" if len(value) == 7 else value)
    except ValueError:
        raise InvalidInput(f"{option}: {value!r} is not a month; expected YYYY-MM, e.g. "
                           "2019-01") from None
    return day.replace(day=1)


def parse_time(value: str, option: str) -> time:
    """``HH:MM`` (a wall-clock time in the locality's zone)."""
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{option}: {value!r} is not a time; expected HH:MM, e.g. "
                           "14:00") from None


def maybe_time(value: str | None, option: str) -> time | None:
    return None if value is None else parse_time(value, option)


def local_day_start(day: date, zone: ZoneInfo) -> datetime:
    """Midnight at the start of ``day`` in ``zone``."""
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def member_check(cfg: LocalityConfig, member: str | None, option: str) -> None:
    """``option`` names a member of the config (or is not given); else NotFound naming the
    option, the value and the known member ids."""
    if member is None:
        return
    try:
        cfg.member_by_id(member)
    except NotFound:
        raise NotFound(f"{option}: {member!r} is not a member id; expected one of "
                       f"{sorted(m.id for m in cfg.member)}") from None
