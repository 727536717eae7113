"""Options and argument parsers shared by every command module: ``--json``, the acting
principal, dates, months and times (a time without an offset is read in the locality's zone).

Command modules import from here and from :mod:`s75.cli.output`, never from each other.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any, get_args
from zoneinfo import ZoneInfo

import typer

from decisions.errors import InvalidInput, NotFound
from decisions.terms import LocalityConfig
from s75.app import App, parse_moment

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "INT_MAX",
    "JsonOpt",
    "bound_integers",
    "clean_text",
    "get_app",
    "key_values",
    "local_day_start",
    "maybe_date",
    "maybe_time",
    "member_check",
    "one_line",
    "parse_date",
    "parse_moment",
    "parse_month",
    "parse_time",
]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

INT_MAX = 2**31 - 1
"""No id, count or number of days given on the command line is larger: the ids of every table
(PostgreSQL ``integer``) fit, and a larger number is a typing slip, not a request."""
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)
"""Dates outside these are refused at the edge (calendar arithmetic near year 1 or 9999
overflows; no committee business lies there)."""
TEXT_MAX = 200_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def bound_integers(command: Any) -> Any:
    """Give every integer argument and option of ``command`` (and its subcommands) that has no
    range of its own the range -INT_MAX..INT_MAX (0..INT_MAX for an id), so that an id above
    2^31 is a usage error (exit 2 naming the parameter), never an overflow in the database."""
    for param in getattr(command, "params", ()):
        desc = getattr(param, "type_descriptor", None)
        info = getattr(desc, "parameter_info", None)
        if desc is None or info is None or not _integer(getattr(desc, "annotation", None)):
            continue
        if info.max is None:
            if info.min is None:
                info.min = 0 if (param.name or "").endswith("id") else -INT_MAX
            info.max = INT_MAX
            param._runtime_param = None
    for sub in getattr(command, "commands", {}).values():
        bound_integers(sub)
    return command


def _integer(annotation: Any) -> bool:
    """``int``, ``int | None``, ``list[int]``, ``list[int] | None``."""
    if annotation is int:
        return True
    return any(_integer(a) for a in get_args(annotation) if a is not type(None))


def clean_text(value: str, option: str, limit: int = TEXT_MAX) -> str:
    """User text from an option or a file: control characters other than tab and line
    breaks removed, surrounding space stripped, and refused over ``limit`` characters."""
    cleaned = _CONTROL.sub("", value.removeprefix("\ufeff")).strip()
    if len(cleaned) > limit:
        raise InvalidInput(f"{option}: {len(cleaned):,} characters is too long; give at most "
                           f"{limit:,}")
    return cleaned


def get_app(ctx: typer.Context) -> App:
    """The application object the root callback built for this command."""
    root = ctx.find_root()
    app = root.obj
    if not isinstance(app, App):  # pragma: no cover - the root callback always sets it
        raise RuntimeError("the s75 callback did not run")
    from s75.cli.output import bind

    bind(app)
    return app


def parse_date(value: str, option: str) -> date:
    """``YYYY-MM-DD`` for ``option``, or InvalidInput naming the option and the value."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{option}: {value!r} is not a date; expected YYYY-MM-DD, e.g. "
                           "2019-03-14") from None
    return in_range(day, option)


def in_range(day: date, option: str) -> date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise InvalidInput(f"{option}: {day.isoformat()} is out of range; expected a date from "
                           f"{DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}")
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
    return in_range(day.replace(day=1), option)


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



def one_line(value: str, option: str, limit: int = 250) -> str:
    """A title or name: :func:`clean_text` with line breaks and tabs closed up to single
    spaces (a title goes into email subjects, calendar summaries and PDF outlines)."""
    flat = " ".join(clean_text(value, option, TEXT_MAX).split())
    if len(flat) > limit:
        raise InvalidInput(f"{option}: {len(flat):,} characters is too long; give at most "
                           f"{limit:,}")
    return flat


def key_values(values: list[str], what: str, allowed: tuple[str, ...] | None = None
               ) -> dict[str, str]:
    """``KEY=VALUE`` options (``--vote leader=for``) as a dict; ``allowed`` values only."""
    out = {}
    for v in values:
        key, sep, val = v.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"{what}: {v!r} is not KEY=VALUE (e.g. leader=for)")
        if allowed is not None and val not in allowed:
            raise InvalidInput(f"{what}: {v!r}: {val!r} is not valid; expected "
                               f"{', '.join(allowed)}")
        out[key.strip()] = val.strip()
    return out
