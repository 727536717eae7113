"""Printing for the CLI: a rich table for people, ``--json`` for programs."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return str(value)


_APP: ContextVar[Any] = ContextVar("s75_cli_app", default=None)


def bind(app: Any) -> None:
    """The app whose config names people, bodies and partners in tables (options.get_app)."""
    _APP.set(app)


def in_names(data: Any) -> Any:
    """``data`` for a person to read: ids of people, bodies and partners as their names
    (s75/cli/names.py); unchanged when no config is loaded. ``--json`` keeps the ids."""
    app = _APP.get()
    if app is None:
        return data
    try:
        cfg = app.config
    except Exception:  # no usable config: print as given
        return data
    from s75.cli.names import named, stage_labels

    return named(cfg, data, stage_labels())


def to_json(data: Any) -> str:
    return json.dumps(data, default=_default, indent=2, ensure_ascii=False)


def console() -> Console:
    return Console(highlight=False, soft_wrap=True, markup=False)


def err_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def emit_rows(rows: Sequence[Mapping[str, Any]], as_json: bool, title: str = "",
              columns: Sequence[str] | None = None) -> None:
    """Print a listing as a table, or as a JSON array with ``--json``."""
    if as_json:
        print(to_json(list(rows)))
        return
    rows = in_names(list(rows))
    cols = list(columns or (rows[0].keys() if rows else []))
    table = Table(title=title or None, show_lines=False)
    for col in cols:
        table.add_column(col.replace("_", " "))
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in cols))
    out = console()
    if not rows:
        out.print(f"{title}: none" if title else "none")
    else:
        out.print(table)


def emit_object(data: Mapping[str, Any], as_json: bool) -> None:
    if as_json:
        print(to_json(dict(data)))
        return
    data = in_names(dict(data))
    out = console()
    width = max((len(k) for k in data), default=0)
    for key, value in data.items():
        out.print(f"{key.replace('_', ' '):<{width}}  {_cell(value)}")


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def money(amount: Decimal | int | float | None) -> str:
    if amount is None:
        return "tbc"
    amount = Decimal(str(amount))
    if abs(amount) >= 1_000_000:
        return f"£{amount / 1_000_000:,.1f}m"
    return f"£{amount:,.0f}"
