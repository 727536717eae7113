"""Commands ``s75 audit verify`` and ``s75 audit anchor``: the hash-chained audit log checked
row by row (never a crash: an unreadable row is the first broken event, exit 1), against the
anchors published outside the database, and with ``--state`` against the current rows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from s75.cli.options import JsonOpt, get_app
from s75.cli.output import console, to_json
from workflows.audit_anchor import (
    KEY_ENV,
    audit_key,
    publish,
    read_anchors,
    require_key,
    sign,
)
from workflows.audit_verify import verify as verify_log
from workflows.audit_verify import walk

audit_app = typer.Typer(no_args_is_help=True, help="The hash-chained audit log.")

AnchorsOpt = Annotated[Path | None, typer.Option(
    "--anchors", envvar="S75_AUDIT_ANCHORS", help=(
        "File of published anchors (one JSON line each, from 's75 audit anchor --to'); each "
        f"is checked against the chain (needs {KEY_ENV})."))]
StateOpt = Annotated[bool, typer.Option("--state", help=(
    "Also check that each proposal's state and version and each decision's outcome agree "
    "with the events."))]


@audit_app.command()
def verify(ctx: typer.Context, anchors: AnchorsOpt = None, state: StateOpt = False,
           as_json: JsonOpt = False) -> None:
    """Check the audit chain: exit 0 if intact, 1 naming the first broken event."""
    published = read_anchors(anchors) if anchors is not None else []
    key = audit_key() if published else None
    with get_app(ctx).session() as s:
        report = verify_log(s, anchors=published, key=key, state=state)
    broken = report.broken
    if as_json:
        print(to_json({"intact": broken is None, "events": report.events,
                       "anchors_checked": report.anchors_checked,
                       "state_checked": report.state_checked or None,
                       "broken_event": broken.event_id if broken else None,
                       "reason": str(broken) if broken else None}))
    elif broken is None:
        extra = f"; {report.anchors_checked} anchor(s) match" if published else ""
        if state:
            extra += (f"; {report.state_checked['proposals']} proposal(s) and "
                      f"{report.state_checked['decisions']} decision(s) agree with the events")
        console().print(f"audit log intact: {report.events} event(s), every hash verified"
                        f"{extra}", markup=False)
    else:
        console().print(f"audit log BROKEN at {broken}", markup=False)
    if broken is not None:
        raise typer.Exit(1)


@audit_app.command("list")
def list_events(ctx: typer.Context, subject: Annotated[str | None, typer.Option(
        help="Only this subject, TYPE:ID (e.g. meeting:3, agenda_item:12, decision:4)")] = None,
        limit: Annotated[int, typer.Option(help="The newest N events")] = 50,
        as_json: JsonOpt = False) -> None:
    """The audit log, newest last: when, who, what, and for an event entered with --now the
    real time it was entered."""
    from sqlmodel import col, select

    from decisions.errors import InvalidInput
    from s75.cli.output import emit_rows
    from workflows.audit import back_entry
    from workflows.tables import AuditEventRow

    q = select(AuditEventRow).order_by(col(AuditEventRow.id).desc()).limit(max(limit, 1))
    if subject is not None:
        kind, _, ident = subject.partition(":")
        if not kind or not ident:
            raise InvalidInput(f"--subject: {subject!r} is not TYPE:ID; e.g. meeting:3")
        q = q.where(AuditEventRow.subject_type == kind, AuditEventRow.subject_id == ident)
    app = get_app(ctx)
    with app.session() as s:
        found = list(reversed(s.exec(q).all()))
        zone = app.config.zone
        rows = [{"id": e.id, "at": e.at if as_json else e.at.astimezone(zone),
                 "actor": e.actor, "event": e.action,
                 "subject": f"{e.subject_type} {e.subject_id}",
                 "back_entry": (e.payload or {}).get("back_entry") if as_json
                 else back_entry(e.payload, zone) or None} for e in found]
    emit_rows(rows, as_json, "Audit log")


@audit_app.command()
def anchor(ctx: typer.Context, to: Annotated[Path | None, typer.Option(
        "--to", help="Append the anchor to this file (publish it) as well as printing it.")]
           = None) -> None:
    """Sign the chain's head (count, last event, hash, time) with the audit key and print it;
    keep the printed line outside the database (``--to`` appends it to a file). Refused on a
    broken chain (exit 1)."""
    key = require_key()
    app = get_app(ctx)
    with app.session() as s:
        broken, count, at = walk(s, ())
        last_id, last_hash = 0, "0" * 64
        if broken is None and count:
            _b, _c, at = walk(s, (count,))
            last_id, last_hash = at[count]
    if broken is not None:
        console().print(f"not anchored: audit log BROKEN at {broken}", markup=False)
        raise typer.Exit(1)
    signed_head = sign(key, count, last_id, last_hash, app.clock.now())
    if to is not None:
        publish(signed_head, to)
    print(signed_head.to_json())
