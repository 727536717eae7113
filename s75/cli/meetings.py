"""Committee business on the command line: ``s75 meeting``, ``s75 action``, ``s75 minutes``
here; ``s75 item``, ``s75 interest`` and ``s75 decide`` in s75/cli/items.py; ``s75 pool``
in s75/cli/pool.py.

Each change is one action (workflows/committee/meeting_actions.py) performed as the principal
given by the root ``--as`` / ``S75_AS`` (else the locality's operator), in one transaction;
listings read. Every listing takes ``--json``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

import typer
from sqlmodel import col, select

from decisions.errors import InvalidInput
from s75.cli.options import JsonOpt, get_app, maybe_date, maybe_time, parse_date
from s75.cli.output import emit_object, emit_rows
from workflows.committee import common
from workflows.committee.meeting_actions import (
    AddAction,
    AddMeeting,
    ApproveMinutes,
    CancelMeeting,
    CloseAction,
    CorrectMinute,
    HoldMeeting,
    PublishMeeting,
    RecordAttendance,
    ScheduleMeetings,
    SignMinutes,
    WriteMinute,
)
from workflows.committee.tables import MeetingRow
from workflows.events import UnitOfWork

meeting_app = typer.Typer(no_args_is_help=True, help="Meetings: schedule, attendance, chair.")
action_app = typer.Typer(no_args_is_help=True, help="Actions arising and the action log.")
minutes_app = typer.Typer(no_args_is_help=True, help="Approve and sign minutes.")


MEETING_STATUSES = ("scheduled", "held", "cancelled")



def meeting_summary(uow: UnitOfWork, m: MeetingRow) -> dict[str, Any]:
    local = m.starts_at.astimezone(uow.config.zone)
    return {"id": m.id, "body": m.body_id, "date": local.date().isoformat(),
            "time": local.strftime("%H:%M"), "kind": m.kind, "status": m.status,
            "chair": m.chair_id, "item_deadline": m.item_deadline, "venue": m.venue,
            "moved": m.move_reason or None, "starts_at": m.starts_at}


# Meetings -------------------------------------------------------------------------------------
@meeting_app.command("schedule")
def meeting_schedule(
    ctx: typer.Context,
    body: Annotated[str, typer.Argument(help="Body id, e.g. jcc")],
    start: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD) "
                                              "[default: start of the pool's financial year]")]
    = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day [default: a year on]")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Create the body's meetings from its schedule rule (bank holidays moved per config)."""
    from workflows.committee import meetings

    app = get_app(ctx)
    cfg = app.config
    month, day = (int(x) for x in cfg.locality.financial_year_start.split("-"))
    first = maybe_date(start, "--from") or date(cfg.pool.start_year, month, day)
    last = maybe_date(end, "--to") or (date(first.year + 1, first.month, first.day)
                                       - timedelta(days=1))

    def present(uow: UnitOfWork, created: list[MeetingRow]) -> list[dict[str, Any]]:
        rows = [meeting_summary(uow, m) for m in created]
        chairs = meetings.projected_chairs(uow, body)
        for r, m in zip(rows, created, strict=True):
            r["chair"] = getattr(chairs.get(m.id or 0), "chair", None)
        return rows

    rows = app.perform(ScheduleMeetings(body, first, last), present)
    emit_rows(rows, as_json,
               f"Meetings scheduled for the {cfg.body_by_id(body).name} ({first} to {last})",
               ["id", "date", "time", "chair", "item_deadline", "moved"])


@meeting_app.command("add")
def meeting_add(
    ctx: typer.Context,
    body: Annotated[str, typer.Argument(help="Body id")],
    day: Annotated[str, typer.Argument(help="Date, YYYY-MM-DD")],
    at: Annotated[str | None, typer.Option("--time", help="Local time HH:MM")] = None,
    kind: Annotated[str, typer.Option(help="adhoc | extraordinary")] = "adhoc",
    venue: Annotated[str | None, typer.Option(help="Venue [default: the body's usual]")] = None,
    reason: Annotated[str, typer.Option(help="Why it was called (required if extraordinary)")]
    = "",
    as_json: JsonOpt = False,
) -> None:
    """Add an ad-hoc or extraordinary meeting."""
    out = get_app(ctx).perform(AddMeeting(body, parse_date(day, "DATE"), maybe_time(at, "--time"),
                                          kind=kind, venue=venue, reason=reason),
                               meeting_summary)
    emit_object(out, as_json)


@meeting_app.command("list")
def meeting_list(
    ctx: typer.Context,
    body: Annotated[str | None, typer.Option(help="Only this body's meetings")] = None,
    status: Annotated[str | None, typer.Option(help="scheduled | held | cancelled")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List meetings with their chair (projected for meetings to come)."""
    from workflows.committee import meetings

    if status is not None and status not in MEETING_STATUSES:
        raise InvalidInput(f"--status: {status!r} is not valid; expected one of "
                           f"{', '.join(MEETING_STATUSES)}")
    with get_app(ctx).reading() as uow:
        if body is not None:
            uow.config.body_by_id(body)
        q = select(MeetingRow).order_by(col(MeetingRow.starts_at))
        if body is not None:
            q = q.where(MeetingRow.body_id == body)
        if status is not None:
            q = q.where(MeetingRow.status == status)
        found = uow.session.exec(q).all()
        chairs: dict[int, Any] = {}
        for b in {m.body_id for m in found}:
            chairs.update(meetings.projected_chairs(uow, b))
        rows = []
        for m in found:
            r = meeting_summary(uow, m)
            c = chairs.get(m.id or 0)
            r["chair"] = getattr(c, "chair", None) if m.status != "cancelled" else None
            r["chair_reason"] = getattr(c, "reason", c) if m.status != "cancelled" else None
            rows.append(r)
    emit_rows(rows, as_json, "Meetings", ["id", "body", "date", "time", "kind", "status",
                                               "chair", "item_deadline"])


@meeting_app.command("show")
def meeting_show(ctx: typer.Context, meeting: Annotated[int, typer.Argument()],
                 as_json: JsonOpt = False) -> None:
    """A meeting: chair, attendance and agenda."""
    from s75.cli.output import console
    from workflows.committee import attendance, meetings

    with get_app(ctx).reading() as uow:
        m = common.meeting(uow.session, meeting)
        out = meeting_summary(uow, m)
        choice = meetings.projected_chairs(uow, m.body_id).get(meeting)
        out["chair"] = getattr(choice, "chair", None)
        out["chair_reason"] = getattr(choice, "reason", choice)
        out["cancel_reason"] = m.cancel_reason
        out["attendance"] = [{"person": a.person, "status": a.status,
                              "substitute_for": a.substitute_for}
                             for a in attendance.rows(uow.session, meeting)]
        out["items"] = [{"id": i.id, "title": i.title, "state": i.state, "action": i.action,
                         "part": i.part, "lead": i.lead, "standing": i.standing}
                        for i in common.items_of(uow.session, meeting)]
    if as_json:
        emit_object(out, True)
        return
    items, people = out.pop("items"), out.pop("attendance")
    emit_object(out, False)
    emit_rows(people, False, "Attendance", ["person", "status", "substitute_for"])
    emit_rows(items, False, "Agenda", ["id", "title", "action", "part", "state", "lead"])
    console().print("")


def _attend(ctx: typer.Context, meeting: int, people: list[str], status: str,
            substitute_for: str | None, as_json: bool) -> None:
    def present(uow: UnitOfWork, _rows: object) -> dict[str, Any]:
        m = common.meeting(uow.session, meeting)
        return {"meeting": meeting, "recorded": people, "status": status,
                "chair": m.chair_id, "chair_reason": m.chair_reason}

    out = get_app(ctx).perform(RecordAttendance(meeting, tuple(people), status,
                                                substitute_for=substitute_for), present)
    emit_object(out, as_json)


@meeting_app.command("attend")
def meeting_attend(
    ctx: typer.Context,
    meeting: Annotated[int, typer.Argument()],
    people: Annotated[list[str], typer.Argument(help="Member ids (or names, with "
                                                "--in-attendance)")],
    substitute_for: Annotated[str | None, typer.Option(
        "--substitute-for", help="The member whose place this named substitute takes")] = None,
    in_attendance: Annotated[bool, typer.Option("--in-attendance",
                                                help="Officers and guests: do not count")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record members present (or in attendance)."""
    _attend(ctx, meeting, people, "in_attendance" if in_attendance else "present",
            substitute_for, as_json)


@meeting_app.command("apologies")
def meeting_apologies(ctx: typer.Context, meeting: Annotated[int, typer.Argument()],
                      members: Annotated[list[str], typer.Argument()],
                      as_json: JsonOpt = False) -> None:
    """Record apologies; the chair is recomputed (co-chair or vice-chair stands in)."""
    _attend(ctx, meeting, members, "apologies", None, as_json)


@meeting_app.command("cancel")
def meeting_cancel(ctx: typer.Context, meeting: Annotated[int, typer.Argument()],
                   reason: Annotated[str, typer.Option(help="Why (sent to members)")],
                   as_json: JsonOpt = False) -> None:
    """Cancel a meeting; its open items move to the body's next meeting."""
    out = get_app(ctx).perform(CancelMeeting(meeting, reason), meeting_summary)
    emit_object(out, as_json)


@meeting_app.command("hold")
def meeting_hold(ctx: typer.Context, meeting: Annotated[int, typer.Argument()],
                 as_json: JsonOpt = False) -> None:
    """Record that the meeting took place (fixes its chair, opens its minutes)."""
    out = get_app(ctx).perform(HoldMeeting(meeting), lambda uow, m: meeting_summary(uow, m)
                               | {"chair_reason": m.chair_reason})
    emit_object(out, as_json)


@meeting_app.command("publish")
def meeting_publish(
    ctx: typer.Context, meeting: Annotated[int, typer.Argument()],
    on: Annotated[str | None, typer.Option(help="Publication date [default: today]")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Publish the agenda: every accepted item of the meeting. The public and members' packs
    are stored, the members emailed and the publication deadline met, as when the scheduler
    publishes at the deadline."""
    rows = get_app(ctx).perform(
        PublishMeeting(meeting, published_on=maybe_date(on, "--on")),
        lambda _uow, done: [{"id": i.id, "title": i.title, "state": i.state} for i in done])
    emit_rows(rows, as_json, f"Published on meeting {meeting}")


# Actions --------------------------------------------------------------------------------------
def _action_row(a: Any) -> dict[str, Any]:
    return {"id": a.id, "body": a.body_id, "meeting": a.meeting_id, "item": a.item_id,
            "description": a.description, "owner": a.owner, "due": a.due_on,
            "status": a.status, "closed_on": a.closed_on, "note": a.closing_note}


@action_app.command("add")
def action_add(
    ctx: typer.Context, meeting: Annotated[int, typer.Argument()],
    description: Annotated[str, typer.Argument()],
    owner: Annotated[str, typer.Option(help="Member id or named officer")],
    due: Annotated[str, typer.Option(help="Due date YYYY-MM-DD")],
    item: Annotated[int | None, typer.Option(help="The item it arose from")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an action arising from a meeting."""
    out = get_app(ctx).perform(AddAction(meeting, description, owner, parse_date(due, "--due"),
                                         item_id=item), lambda _uow, a: _action_row(a))
    emit_object(out, as_json)


@action_app.command("list")
def action_list(
    ctx: typer.Context,
    body: Annotated[str | None, typer.Option()] = None,
    status: Annotated[str, typer.Option(help="open | done | dropped | all")] = "open",
    owner: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOpt = False,
) -> None:
    """The action log."""
    from workflows.committee import actions

    with get_app(ctx).reading() as uow:
        if body is not None:
            uow.config.body_by_id(body)
        found = actions.listing(uow.session, body_id=body, owner=owner,
                                status=None if status == "all" else status)
        rows = [_action_row(a) for a in found]
    emit_rows(rows, as_json, "Actions", ["id", "body", "meeting", "description", "owner",
                                              "due", "status"])


@action_app.command("close")
def action_close(
    ctx: typer.Context, action: Annotated[int, typer.Argument()],
    note: Annotated[str, typer.Option(help="How it was completed")] = "",
    dropped: Annotated[bool, typer.Option("--dropped", help="Closed without completion")]
    = False,
    as_json: JsonOpt = False,
) -> None:
    """Close an action (done, or dropped)."""
    out = get_app(ctx).perform(CloseAction(action, note, "dropped" if dropped else "done"),
                               lambda _uow, a: _action_row(a))
    emit_object(out, as_json)


# Minutes --------------------------------------------------------------------------------------
@minutes_app.command("approve")
def minutes_approve(
    ctx: typer.Context, meeting: Annotated[int, typer.Argument(help="Meeting minuted")],
    at: Annotated[int | None, typer.Option("--at", help="Approving meeting [default: the "
                                           "body's next]")] = None,
    amendments: Annotated[str, typer.Option(help="Amendments, if not a correct record")] = "",
    signed_by: Annotated[str | None, typer.Option(help="Chair signing [default: the chair "
                                                  "of the approving meeting]")] = None,
    no_sign: Annotated[bool, typer.Option("--no-sign", help="Approve only")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Approve minutes as a correct record (or amended); the chair then signs them."""
    out = get_app(ctx).perform(
        ApproveMinutes(meeting, at_meeting_id=at, amendments=amendments, sign=not no_sign,
                       signed_by=signed_by),
        lambda _uow, r: {"meeting": meeting, "state": r.state,
                         "approved_at_meeting": r.approved_at_meeting_id,
                         "approved_on": r.approved_on, "amended": r.amended,
                         "amendments": r.amendments, "signed_by": r.signed_by})
    emit_object(out, as_json)


@minutes_app.command("write")
def minutes_write(
    ctx: typer.Context, meeting: Annotated[int, typer.Argument(help="Meeting minuted")],
    item: Annotated[int, typer.Argument(help="Agenda item of that meeting")],
    text: Annotated[str, typer.Option("--text", help="The minute: a summary of the "
                                      "discussion (paragraphs separated by a blank line)")],
    as_json: JsonOpt = False,
) -> None:
    """Write the minute of one item before the minutes are circulated (replaces any before)."""
    out = get_app(ctx).perform(
        WriteMinute(meeting, item, text),
        lambda _uow, r: {"meeting": meeting, "item": item, "text": r.text})
    emit_object(out, as_json)


@minutes_app.command("correct")
def minutes_correct(
    ctx: typer.Context, meeting: Annotated[int, typer.Argument(help="Meeting minuted")],
    item: Annotated[int, typer.Argument(help="Agenda item of that meeting")],
    text: Annotated[str, typer.Option("--text", help="The corrected minute")],
    reason: Annotated[str, typer.Option("--reason", help="Why the approved minutes are "
                                        "corrected (recorded and printed)")],
    as_json: JsonOpt = False,
) -> None:
    """Correct one minute of approved minutes: reissued as a new version, the earlier kept."""
    out = get_app(ctx).perform(
        CorrectMinute(meeting, item, text, reason),
        lambda _uow, r: {"meeting": meeting, "item": item, "text": r.text, "reason": reason})
    emit_object(out, as_json)


@minutes_app.command("sign")
def minutes_sign(
    ctx: typer.Context, meeting: Annotated[int, typer.Argument(help="Meeting minuted")],
    signed_by: Annotated[str | None, typer.Option(help="Chair signing [default: the chair "
                                                  "of the approving meeting]")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record the chair's signature of approved minutes (after 'minutes approve --no-sign')."""
    out = get_app(ctx).perform(
        SignMinutes(meeting, signed_by),
        lambda _uow, r: {"meeting": meeting, "state": r.state, "signed_by": r.signed_by})
    emit_object(out, as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(meeting_app, name="meeting")
    app.add_typer(action_app, name="action")
    app.add_typer(minutes_app, name="minutes")
