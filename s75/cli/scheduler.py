"""Commands for deadlines, the scheduler, the outbox and calendar feeds:
``s75 deadlines list``, ``s75 scheduler run [--once | --simulate --until DATE]``,
``s75 outbox list|retry``, ``s75 render-jobs list|run|retry``, ``s75 calendar export``."""

from __future__ import annotations

import signal
import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlmodel import col, select

from decisions.errors import InvalidInput
from decisions.principals import SYSTEM
from s75.app import App
from s75.cli.options import JsonOpt, get_app, local_day_start, parse_date
from s75.cli.output import console, emit_object, emit_rows

deadlines_app = typer.Typer(no_args_is_help=True, help="Statutory and local deadlines.")
scheduler_app = typer.Typer(no_args_is_help=True, help="The scheduler that acts on deadlines.")
outbox_app = typer.Typer(no_args_is_help=True, help="Messages queued, sent and dead-lettered.")
render_jobs_app = typer.Typer(no_args_is_help=True, help="Packs, supplements, notices and "
                               "minutes queued for rendering after the commit of the event "
                               "that asked for them.")
calendar_app = typer.Typer(no_args_is_help=True, help="iCalendar feeds of meetings and deadlines.")


def _app(ctx: typer.Context) -> App:
    return get_app(ctx)


def _local(app: App, moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(app.config.zone).strftime("%Y-%m-%d %H:%M")


@deadlines_app.command("list")
def deadlines_list(
    ctx: typer.Context,
    meeting: Annotated[int | None, typer.Option(help="Only this meeting's deadlines.")] = None,
    proposal: Annotated[int | None, typer.Option(help="Only this proposal's deadlines.")] = None,
    state: Annotated[str | None, typer.Option(
        help="pending, met, missed or waived.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Every deadline with its kind, due time (local), state and, for a meeting, its date."""
    from notifications.tables import DeadlineRow
    from workflows.committee.tables import MeetingRow

    if state is not None and state not in ("pending", "met", "missed", "waived"):
        raise InvalidInput(f"--state: {state!r} is not valid; expected pending, met, missed "
                           "or waived")
    app = _app(ctx)
    with app.session() as s:
        stmt = select(DeadlineRow)
        if meeting is not None:
            if s.get(MeetingRow, meeting) is None:
                raise InvalidInput(f"--meeting: meeting {meeting} does not exist; see "
                                   "'s75 meeting list'")
            stmt = stmt.where(DeadlineRow.meeting_id == meeting)
        if proposal is not None:
            from workflows.proposal.queries import get_proposal

            get_proposal(s, proposal)
            stmt = stmt.where(DeadlineRow.proposal_id == proposal)
        if state is not None:
            stmt = stmt.where(DeadlineRow.state == state)
        rows = list(s.exec(stmt.order_by(col(DeadlineRow.due_at), col(DeadlineRow.id))))
        meetings = {m.id: m for m in s.exec(select(MeetingRow).where(
            col(MeetingRow.id).in_({r.meeting_id for r in rows if r.meeting_id})))}
    out = []
    for r in rows:
        m = meetings.get(r.meeting_id) if r.meeting_id else None
        out.append({"id": r.id, "kind": r.kind, "title": r.title, "due": _local(app, r.due_at),
                    "due_at": r.due_at.isoformat(), "state": r.state,
                    "meeting_id": r.meeting_id,
                    "meeting_date": (m.local_date.isoformat() if m and m.local_date else
                                     r.details.get("meeting_date")),
                    "proposal_id": r.proposal_id, "owner": r.owner_email, "rule": r.rule,
                    "outcome": r.outcome})
    emit_rows(out, as_json, "Deadlines",
              ["id", "kind", "due", "state", "meeting_date", "title", "owner", "outcome"])


@scheduler_app.command("run")
def scheduler_run(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="One run (catch up), then exit.")] = False,
    wait: Annotated[bool, typer.Option(
        "--wait", help="If another scheduler is running, wait to take over.")] = False,
    sweep: Annotated[int, typer.Option(help="Seconds between periodic sweeps.", min=1)] = 300,
    simulate: Annotated[bool, typer.Option(
        "--simulate", help="Simulated time: move a virtual clock from due time to due time.")
    ] = False,
    start: Annotated[str | None, typer.Option(
        "--from", help="Simulation start date [default: the first due time].")] = None,
    until: Annotated[str | None, typer.Option(help="Simulation end date (inclusive).")] = None,
    schedule_meetings: Annotated[bool, typer.Option(
        "--schedule-meetings", help="Simulation: first schedule every body's meetings from "
        "its config rule between --from and --until.")] = False,
    deliver: Annotated[bool, typer.Option(
        "--deliver/--no-deliver", help="Simulation: send the outbox over SMTP.")] = True,
) -> None:
    """Run the scheduler in the foreground (or a simulated period with --simulate)."""
    app = _app(ctx)
    if simulate:
        _simulate(app, start, until, schedule_meetings, deliver)
        return
    if until or start or schedule_meetings:
        raise InvalidInput("--from, --until and --schedule-meetings go with --simulate")
    from decisions.clock import SimulatedClock
    from notifications import scheduler

    if isinstance(app.clock, SimulatedClock) and not once:
        raise InvalidInput("--now / S75_NOW: a running scheduler wakes on the real clock, so it "
                           "cannot run at a fixed time; use 'scheduler run --once' to process "
                           "what is due at that time, or 'scheduler run --simulate --until DATE' "
                           "to move through a period")
    rt = scheduler.Runtime(app.engine, app.config, app.bus, app.clock, sweep_seconds=sweep,
                           out=sys.stdout)
    if once:
        lock = scheduler.LeaderLock(app.engine)
        if not lock.acquire():
            from decisions.errors import ConflictError

            raise ConflictError(f"another scheduler is already running ({lock.holder()}); "
                                "it does this work already")
        try:
            scheduler.run_once(rt)
        finally:
            lock.release()
        return

    def _stop(_signum: int, _frame: Any) -> None:
        if rt.scheduler is not None and rt.scheduler.running:
            rt.scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    scheduler.start(rt, blocking=True, wait_for_leader=wait)
    console().print("scheduler stopped")


def _simulate(app: App, start: str | None, until: str | None, schedule_meetings: bool,
              deliver: bool) -> None:
    from notifications import store
    from notifications.mailer import SmtpMailer
    from notifications.simulate import simulate

    if until is None:
        raise InvalidInput("--until: missing; --simulate needs an end date, e.g. "
                           "--until 2020-03-31")
    zone = app.config.zone
    end_day = parse_date(until, "--until")
    end = datetime.combine(end_day, time(23, 59), tzinfo=zone)
    if start is not None:
        begin = local_day_start(parse_date(start, "--from"), zone)
    else:
        with app.session() as s:
            first = store.next_due(s)
        begin = first or app.clock.now()
    if begin > end:
        raise InvalidInput(f"--until: {end_day} is before the start "
                           f"{begin.astimezone(zone):%Y-%m-%d}; give a later date")
    if schedule_meetings:
        from workflows.committee import meetings as meeting_svc
        from workflows.events import UnitOfWork

        with app.session() as s:
            uow = UnitOfWork(s, app.config, begin - timedelta(days=60), SYSTEM, app.bus)
            made = 0
            for body in app.config.body:
                if body.meetings is not None:
                    made += len(meeting_svc.schedule(uow, body.id, begin.date(), end_day))
        console().print(f"scheduled {made} meeting(s) from the config's meeting rules")
    mailer = SmtpMailer.from_env(app.config.smtp) if deliver else None
    try:
        simulate(app.engine, app.config, app.bus, begin, end, mailer=mailer,
                 say=lambda line: console().print(line, markup=False))
    finally:
        if mailer is not None:
            mailer.close()


@outbox_app.command("list")
def outbox_list(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option(help="pending, sent or dead.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Messages in the outbox: recipient, subject, state, attempts, last error."""
    from notifications.tables import OutboxRow

    if state is not None and state not in ("pending", "sent", "dead"):
        raise InvalidInput(f"--state: {state!r} is not valid; expected pending, sent or dead")
    app = _app(ctx)
    with app.session() as s:
        stmt = select(OutboxRow)
        if state:
            stmt = stmt.where(OutboxRow.state == state)
        rows = list(s.exec(stmt.order_by(col(OutboxRow.id))))
    emit_rows([{"id": r.id, "kind": r.kind, "recipient": r.recipient, "subject": r.subject,
                "state": r.state, "attempts": r.attempts, "created": _local(app, r.created_at),
                "next_attempt": _local(app, r.next_attempt_at), "sent": _local(app, r.sent_at),
                "last_error": r.last_error, "attachments": [a.get("filename")
                                                            for a in r.attachments]}
               for r in rows], as_json, "Outbox",
              ["id", "kind", "recipient", "subject", "state", "attempts", "sent", "last_error"])


@outbox_app.command("retry")
def outbox_retry(
    ctx: typer.Context,
    ids: Annotated[list[int] | None, typer.Argument(help="Message ids to queue again.")] = None,
    dead: Annotated[bool, typer.Option("--dead", help="Every dead-lettered message.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Put dead-lettered (or failing) messages back in the queue, attempts reset."""
    from notifications.outbox import retry

    app = _app(ctx)
    with app.session() as s:
        done = retry(s, app.clock.now(), ids or [], all_dead=dead)
    emit_object({"queued_again": done, "count": len(done)}, as_json)


JOB_STATES = ("pending", "running", "done", "dead")
AUDIENCE = {"public": "public", "members": "members"}


def _meeting_names(app: App, ids: set[int]) -> dict[int, str]:
    from workflows.committee.tables import MeetingRow

    with app.session() as s:
        rows = s.exec(select(MeetingRow).where(col(MeetingRow.id).in_(ids))).all() if ids else []
        return {r.id or 0: f"{app.config.body_by_id(r.body_id).name}, "
                f"{r.starts_at.astimezone(app.config.zone):%-d %b %Y}" for r in rows}


@render_jobs_app.command("list")
def render_jobs_list(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option(help="pending, running, done or dead.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Render jobs: the document, the meeting, its state, attempts and last error."""
    from notifications import render_jobs

    if state is not None and state not in JOB_STATES:
        raise InvalidInput(f"--state: {state!r} is not valid; expected pending, running, done "
                           "or dead")
    app = _app(ctx)
    with app.session() as s:
        rows = render_jobs.listing(s, state)
    names = _meeting_names(app, {r.meeting_id for r in rows})
    emit_rows([{"id": r.id, "document": r.kind, "meeting": names.get(r.meeting_id, ""),
                "meeting_id": r.meeting_id,
                "audience": AUDIENCE.get(r.audience, r.audience.replace("member:",
                                                                          "personal: ")),
                "state": r.state, "attempts": r.attempts, "outcome": r.outcome,
                "queued": _local(app, r.created_at), "finished": _local(app, r.finished_at),
                "document_id": r.document_id, "content_hash": r.content_hash,
                "error": r.error} for r in rows], as_json, "Render jobs",
              ["document", "meeting", "audience", "state", "attempts", "outcome", "finished",
               "error"])


@render_jobs_app.command("run")
def render_jobs_run(
    ctx: typer.Context,
    limit: Annotated[int | None, typer.Option(
        help="Render at most N jobs.", min=1, max=100_000)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Render every due job now (those left by a process that stopped, or queued with
    S75_RENDER_JOBS=background), in parallel processes where cores are free."""
    from notifications.documents import jobs

    app = _app(ctx)
    report = jobs.run_pending(app.engine, app.config, limit=limit, bus=app.bus)
    emit_object({"stored": len(report.stored), "unchanged": len(report.unchanged),
                 "failed": len(report.failed), "taken_over": len(report.lost),
                 "document_ids": report.stored}, as_json)


@render_jobs_app.command("retry")
def render_jobs_retry(
    ctx: typer.Context,
    ids: Annotated[list[int] | None, typer.Argument(help="Job ids to queue again.")] = None,
    dead: Annotated[bool, typer.Option("--dead", help="Every dead job.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Put dead render jobs back in the queue, attempts reset."""
    from notifications import render_jobs

    app = _app(ctx)
    with app.session() as s:
        done = render_jobs.retry(s, ids or [], all_dead=dead)
    emit_object({"queued_again": done, "count": len(done)}, as_json)


@calendar_app.command("export")
def calendar_export(
    ctx: typer.Context,
    member: Annotated[str | None, typer.Option(help="A member's feed (member id).")] = None,
    body: Annotated[str | None, typer.Option(help="A body's feed (body id).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write to FILE [default: stdout].")] = None,
    base_url: Annotated[str, typer.Option(
        help="The site's address (e.g. https://meetings.example.org): each event links to "
             "its meeting page there.")] = "",
    since: Annotated[str | None, typer.Option(
        "--since", help="From this date (YYYY-MM-DD) [default: a year before today, as the "
                        "web feed].")] = None,
    until: Annotated[str | None, typer.Option(
        "--until", help="To this date, inclusive [default: two years after today].")] = None,
) -> None:
    """An iCalendar (.ics) feed of meetings and deadlines, for a member or a body: the web
    feed's window around today unless --since/--until widen it."""
    from notifications.ical import Window, body_feed, member_feed

    if (member is None) == (body is None):
        raise InvalidInput("give exactly one of --member ID or --body ID")
    app = _app(ctx)
    zone = app.config.zone
    start = None if since is None else local_day_start(parse_date(since, "--since"), zone)
    end = None if until is None else local_day_start(
        parse_date(until, "--until") + timedelta(days=1), zone)
    window = Window.around(app.clock.now(), start, end)
    if window.end <= window.start:
        raise InvalidInput(f"--until: {until or window.end.date()} is before --since "
                           f"{since or window.start.date()}; give an end after the start")
    with app.session() as s:
        data = (member_feed(s, app.config, member, app.clock.now(), base_url, window=window)
                if member is not None
                else body_feed(s, app.config, str(body), app.clock.now(), base_url, window))
    if out is None:
        sys.stdout.write(data.decode())
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise InvalidInput(f"--out: cannot write {out}: {exc.strerror}") from exc
    console().print(f"wrote {out} ({data.count(b'BEGIN:VEVENT')} events)")


def register(app: typer.Typer) -> None:
    app.add_typer(deadlines_app, name="deadlines")
    app.add_typer(scheduler_app, name="scheduler")
    app.add_typer(outbox_app, name="outbox")
    app.add_typer(render_jobs_app, name="render-jobs")
    app.add_typer(calendar_app, name="calendar")
