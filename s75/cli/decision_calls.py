"""``s75 decision call-in``, ``call-in-resolve``, ``urgent``, ``call-ins`` and ``list``: call-in
of executive decisions (Local Government Act 2000 s9F) and when each decision may be
implemented. Each change is one action (workflows/committee/call_in_actions.py); the rules
are in decisions/key_decisions.py. Registered by s75/cli/main.py before ``decision_app``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from sqlmodel import col, select

from s75.cli.decision_app import decision_app
from s75.cli.options import JsonOpt, get_app, maybe_date
from s75.cli.output import console, emit_rows, to_json
from workflows.committee import common
from workflows.committee.call_in_actions import CallIn, MakeUrgent, ResolveCallIn
from workflows.committee.records import CallInRow
from workflows.committee.tables import AgendaItemRow, DecisionRow, MeetingRow
from workflows.events import UnitOfWork

Opt = typer.Option


def _long(d: date | None) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}" if d else "—"


def _name(uow: UnitOfWork, who: str | None) -> str:
    ids = {m.id: m.display for m in uow.config.member}
    return ids.get(who or "", who or "")


def decision_facts(uow: UnitOfWork, d: DecisionRow) -> dict[str, Any]:
    """A decision with its call-in standing and implementation date (ids and dates for
    ``--json``; the human output prints the same in words)."""
    from notifications.documents.call_in_views import call_in_facts

    item = common.item(uow.session, d.item_id)
    f = call_in_facts(uow.session, uow.config, d, common.local_day(uow.config, uow.now))
    body = uow.config.body_by_id(d.body_id or "")
    return {"decision": d.id, "item": item.id, "title": item.title, "body": body.id,
            "body_name": body.name, "outcome": d.outcome, "decision_date": d.decision_date,
            "notice_published_on": d.notice_published_on, "call_in_state": d.call_in_state,
            "call_in_expires": f.expires if d.call_in_state != "exempt" else None,
            "call_in": f.call_in_id, "implementable_from": f.implementable_from,
            "implementation": f.implementation or "nothing to implement",
            "implementation_short": f.short, "call_in_note": f.note, "urgency": f.urgency}


def _print_decision(out: dict[str, Any], head: str) -> None:
    c = console()
    c.print(head)
    c.print(f"  Decision taken  {_long(out['decision_date'])} by the {out['body_name']}")
    c.print(f"  Notice published  {_long(out['notice_published_on'])}")
    if out["call_in_expires"]:
        c.print(f"  Call-in window closes  5pm {_long(out['call_in_expires'])}")
    if out["urgency"]:
        c.print(f"  Urgency  {out['urgency']}")
    if out["call_in_note"]:
        c.print(f"  Call-in  {out['call_in_note']}")
    c.print(f"  {out['implementation']}")


def call_in_command(
    ctx: typer.Context, decision: Annotated[int, typer.Argument(help="Decision id")],
    requested_by: Annotated[str, Opt(help="Who calls it in: a member id or a name")],
    reason: Annotated[str, Opt(help="The reasons for the call-in")],
    scrutiny: Annotated[str | None, Opt(help="The overview and scrutiny committee that hears "
                                             "it [default: the body's scrutiny_committee]")]
    = None,
    on: Annotated[str | None, Opt(help="Date of the request [default: today]")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Call in an executive decision within its call-in window (working days from the
    publication of its notice): it is not implemented until the call-in is resolved."""
    def present(uow: UnitOfWork, c: CallInRow) -> dict[str, Any]:
        facts = decision_facts(uow, common.decision(uow.session, c.decision_id))
        return {"call_in": c.id, "decision": c.decision_id, "requested_by": c.requested_by,
                "requested_by_name": _name(uow, c.requested_by), "reason": c.reason,
                "scrutiny_body": c.scrutiny_body, "requested_on": c.requested_on,
                "outcome": c.outcome, "decision_facts": facts}

    out = get_app(ctx).perform(CallIn(decision, requested_by, reason,
                                      requested_on=maybe_date(on, "--on"),
                                      scrutiny_body=scrutiny), present)
    if as_json:
        print(to_json(out))
        return
    _print_decision(out["decision_facts"], (
        f"Call-in {out['call_in']} recorded: '{out['decision_facts']['title']}' called in by "
        f"{out['requested_by_name']} on {_long(out['requested_on'])} to the "
        f"{out['scrutiny_body']}."))
    console().print(f"Resolve it with: s75 decision call-in-resolve {out['call_in']} "
                    "--outcome upheld|referred-back|withdrawn")


def call_in_resolve_command(
    ctx: typer.Context, call_in: Annotated[int, typer.Argument(help="Call-in id")],
    outcome: Annotated[str, Opt(help="upheld (the decision stands) | referred-back (to the "
                                     "decision-maker to reconsider) | withdrawn")],
    reason: Annotated[str, Opt(help="The scrutiny committee's reasons")] = "",
    on: Annotated[str | None, Opt(help="Date resolved [default: today]")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Resolve a call-in: upheld, the decision may be implemented; referred back, it goes on
    the decision-maker's next meeting; withdrawn."""
    def present(uow: UnitOfWork, c: CallInRow) -> dict[str, Any]:
        placed = None
        if c.reconsideration_item_id is not None:
            new = common.item(uow.session, c.reconsideration_item_id)
            placed = common.describe_meeting(uow.config,
                                             common.meeting(uow.session, new.meeting_id))
        return {"call_in": c.id, "decision": c.decision_id, "outcome": c.outcome,
                "resolved_on": c.resolved_on, "reason": c.resolution_reason,
                "reconsideration_item": c.reconsideration_item_id, "placed_at": placed,
                "decision_facts": decision_facts(uow, common.decision(uow.session,
                                                                      c.decision_id))}

    out = get_app(ctx).perform(ResolveCallIn(call_in, outcome, reason,
                                             maybe_date(on, "--on")), present)
    if as_json:
        print(to_json(out))
        return
    words = out["outcome"].replace("_", " ")
    _print_decision(out["decision_facts"], f"Call-in {out['call_in']} resolved: {words} on "
                    f"{_long(out['resolved_on'])}.")
    if out["outcome"] == "referred_back":
        body = out["decision_facts"]["body_name"]
        console().print(f"  Placed for reconsideration at {out['placed_at']}" if
                        out["placed_at"] else f"  No meeting of the {body} is scheduled yet: "
                        "place the reconsideration when one is.")


def urgent_command(
    ctx: typer.Context, decision: Annotated[int, typer.Argument(help="Decision id")],
    consent_by: Annotated[str, Opt(help="The scrutiny chair who consented")],
    reason: Annotated[str, Opt(help="Why it cannot wait for the call-in period")],
    on: Annotated[str | None, Opt(help="Date of the consent [default: today]")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Exempt an executive decision from call-in for urgency, with the scrutiny chair's
    consent: it may be implemented at once, and its notice says so."""
    out = get_app(ctx).perform(MakeUrgent(decision, consent_by, reason, maybe_date(on, "--on")),
                               lambda uow, d: decision_facts(uow, d))
    if as_json:
        print(to_json(out))
        return
    _print_decision(out, f"Decision {out['decision']} '{out['title']}' is exempt from call-in "
                    "for urgency.")


def call_ins_command(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every call-in: the decision, who called it in, the scrutiny body and the outcome."""
    with get_app(ctx).reading() as uow:
        rows = []
        for c in uow.session.exec(select(CallInRow).order_by(col(CallInRow.id))).all():
            d = common.decision(uow.session, c.decision_id)
            item = common.item(uow.session, d.item_id)
            rows.append({"id": c.id, "decision": c.decision_id, "title": item.title,
                         "requested_by": c.requested_by if as_json
                         else _name(uow, c.requested_by),
                         "requested_on": c.requested_on, "scrutiny_body": c.scrutiny_body,
                         "outcome": c.outcome.replace("_", " ") if not as_json else c.outcome,
                         "resolved_on": c.resolved_on})
    emit_rows(rows, as_json, "Call-ins")


def decision_list_command(
    ctx: typer.Context,
    body: Annotated[str | None, Opt(help="Only this body's decisions (a body id)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Decisions recorded, each with the date from which it may be implemented (or "not
    before the call-in is resolved")."""
    with get_app(ctx).reading() as uow:
        if body is not None:
            uow.config.body_by_id(body)  # NotFound naming the bodies
        q = (select(DecisionRow).join(AgendaItemRow, col(AgendaItemRow.id) ==
                                      col(DecisionRow.item_id))
             .join(MeetingRow, col(MeetingRow.id) == col(AgendaItemRow.meeting_id))
             .order_by(col(MeetingRow.starts_at), col(DecisionRow.id)))
        if body is not None:
            q = q.where(DecisionRow.body_id == body)
        rows = [decision_facts(uow, d) for d in uow.session.exec(q).all()]
    if as_json:
        print(to_json(rows))
        return
    emit_rows([{"id": r["decision"], "body": r["body_name"], "decided": r["decision_date"],
                "title": r["title"], "outcome": r["outcome"].replace("_", " "),
                "may be implemented": r["implementation_short"] or "nothing to implement"}
               for r in rows], False, "Decisions")


def register(app: typer.Typer) -> None:
    """Add the call-in commands to ``decision_app`` (the group itself is registered by
    decision_app.register, which comes after this module in COMMAND_MODULES)."""
    decision_app.command("call-in")(call_in_command)
    decision_app.command("call-in-resolve")(call_in_resolve_command)
    decision_app.command("urgent")(urgent_command)
    decision_app.command("call-ins")(call_ins_command)
    decision_app.command("list")(decision_list_command)
