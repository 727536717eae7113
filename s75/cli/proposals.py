"""Commands for the proposal lifecycle: ``s75 proposal``, ``s75 gateway``, ``s75 workflow``,
``s75 audit``. Services do the work (workflows/); this module parses, calls and prints."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from decisions.errors import InvalidInput
from s75.app import clock_at
from s75.cli.options import JsonOpt, get_app
from s75.cli.output import console, emit_object, emit_rows, to_json
from workflows.proposal import lifecycle as proposals
from workflows.proposal import signing
from workflows.proposal.queries import deadline_of
from workflows.proposal.rules import REG7_CHECKLIST

NowOpt = Annotated[str | None, typer.Option(
    "--now", envvar="S75_NOW", show_default=False,
    help="Act as if it were this date/time (ISO; for rehearsals and the demo).")]


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{option}: {value!r} is not a date; expected YYYY-MM-DD, e.g. "
                           "2019-03-14") from None


def _month(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value + "-01" if len(value) == 7 else value).replace(day=1)
    except ValueError:
        raise InvalidInput(f"--month: {value!r} is not a month; expected YYYY-MM, e.g. "
                           "2019-01") from None


def _set_now(ctx: typer.Context, now: str | None) -> None:
    if now:
        get_app(ctx).clock = clock_at(now, get_app(ctx).config.zone)


def _facts(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"--fact: {pair!r} is not KEY=VALUE, e.g. reason='Funding "
                               "withdrawn'")
        out[key.strip()] = value
    return out


def _proposal_row(p: Any) -> dict[str, Any]:
    return {"id": p.id, "title": p.title, "kind": p.kind, "state": p.state,
            "variation": p.variation, "version": p.version, "created": p.created_at}


def _what(e: Any) -> str:
    d = e.payload
    name = e.action
    if name == "proposal.created":
        return f"created {d.get('title', '')!r}"
    if name == "approval.recorded":
        return (f"{d['partner_id']} approved {d['stage']} by {d['body_id']} on "
                f"{d['meeting_date']} (minute {d['minute_ref']})")
    if name == "gateway.recorded":
        text = f"{d['partner_id']} returned {d['decision']} at the {d['month']} gateway"
        return text + (f": {d['reasons']}" if d.get("reasons") else "")
    if name == "condition.added":
        return f"condition #{d['condition_id']} {d['text']!r}, owner {d['owner_id']}, due " \
               f"{d['due']}"
    if name == "condition.closed":
        return f"condition #{d['condition_id']} closed" + (f": {d['note']}" if d.get("note")
                                                           else "")
    if name == "checklist.marked":
        missing = d.get("missing") or []
        return f"{len(d.get('items', []))} reg 7 item(s) marked " + \
            ("present" if d.get("present") else "absent") + \
            (f"; {len(missing)} still missing" if missing else "; checklist complete")
    if name == "signature.recorded":
        return f"signed for {d['partner_id']} by {d['signatory_id']} on {d['signed_on']}"
    if name == "proposal.start_moved":
        return f"start moved {d['old_start']} -> {d['start_date']} by {d['body_id']} " \
               f"(minute {d['minute_ref']})"
    text = f"{e.from_state} -> {e.to_state}"
    reason = (d.get("facts") or {}).get("reason")
    return text + (f": {reason}" if reason else "")


def _event_row(e: Any) -> dict[str, Any]:
    return {"id": e.id, "date": e.at.date().isoformat(), "actor": e.actor, "event": e.action,
            "what": _what(e)}


def register(app: typer.Typer) -> None:
    from s75.cli import gateways as cli_gateway

    app.add_typer(_proposal(), name="proposal", help="Commissioning proposals and their "
                  "lifecycle.")
    cli_gateway.register(app)


# proposal ------------------------------------------------------------------------------------
def _proposal() -> typer.Typer:
    cmd = typer.Typer(no_args_is_help=True)

    @cmd.callback()
    def _cb(ctx: typer.Context, now: NowOpt = None) -> None:
        _set_now(ctx, now)

    @cmd.command()
    def create(ctx: typer.Context, title: str,
               kind: Annotated[str, typer.Option(help=f"One of {', '.join(proposals.KINDS)}.")
                               ] = "pool_expansion",
               description: Annotated[str, typer.Option(help="Scope in a sentence or two.")] = "",
               start: Annotated[str | None, typer.Option(
                   help="Start date [default: the pool's financial year start].")] = None,
               as_json: JsonOpt = False) -> None:
        """Create a proposal (state draft)."""
        with get_app(ctx).unit_of_work() as uow:
            row = proposals.create_proposal(uow, title, kind=kind, description=description,
                                            start_date=_date(start, "--start"))
            data = _proposal_row(row)
        emit_object(data, as_json)

    @cmd.command("list")
    def list_(ctx: typer.Context, as_json: JsonOpt = False) -> None:
        """List proposals and their states."""
        with get_app(ctx).session() as s:
            rows = [_proposal_row(p) for p in proposals.list_proposals(s)]
        emit_rows(rows, as_json, "Proposals", ["id", "title", "state", "variation", "version"])

    @cmd.command()
    def show(ctx: typer.Context, proposal_id: int, as_json: JsonOpt = False) -> None:
        """Show a proposal: state, approvals, gateways, conditions, checklist, signatures, and
        what each trigger still needs."""
        with get_app(ctx).reading() as uow:
            data = proposals.summary(uow, proposal_id)
            uow.session.rollback()
        if as_json:
            print(to_json(data))
            return
        _print_summary(data)

    @cmd.command("fire")
    def fire_(ctx: typer.Context, proposal_id: int, trigger: str,
              fact: Annotated[list[str] | None, typer.Option(
                  "--fact", help="KEY=VALUE given to the guards (repeatable).")] = None,
              reason: Annotated[str | None, typer.Option(help="Reason (stop, withdraw, pause, "
                                                        "vary).")] = None,
              role: Annotated[str | None, typer.Option(
                  "--as", help="Your role; refused if the role may not fire the trigger.")
                  ] = None,
              expect_version: Annotated[int | None, typer.Option(
                  help="Refuse if the proposal is no longer at this version.")] = None,
              as_json: JsonOpt = False) -> None:
        """Fire TRIGGER on a proposal (see 's75 workflow show proposal')."""
        facts = _facts(fact or [])
        if reason is not None:
            facts["reason"] = reason
        with get_app(ctx).unit_of_work() as uow:
            before = proposals.get_proposal(uow.session, proposal_id).state
            row = proposals.fire_proposal(uow, proposal_id, trigger, facts, role=role,
                                          expected_version=expect_version)
            data = {"id": row.id, "title": row.title, "trigger": trigger, "from": before,
                    "to": row.state, "version": row.version,
                    "triggers_now": proposals.triggers_now(uow, proposal_id)}
        emit_object(data, as_json)

    @cmd.command()
    def history(ctx: typer.Context, proposal_id: int, as_json: JsonOpt = False) -> None:
        """Every event of a proposal, from the audit log."""
        with get_app(ctx).session() as s:
            events = proposals.history(s, proposal_id)
            rows = [_event_row(e) for e in events] if not as_json else [
                {"id": e.id, "at": e.at, "actor": e.actor, "event": e.action,
                 "from": e.from_state, "to": e.to_state, "data": e.payload} for e in events]
        emit_rows(rows, as_json, f"History of proposal {proposal_id}")

    @cmd.command()
    def approve(ctx: typer.Context, proposal_id: int,
                partner: Annotated[str, typer.Option(help="Partner id, e.g. ccg.")],
                body: Annotated[str, typer.Option(help="Body that decided, e.g. ccg_board.")],
                meeting_date: Annotated[str, typer.Option(help="YYYY-MM-DD.")],
                minute: Annotated[str, typer.Option(help="Minute reference.")],
                decision: Annotated[int | None, typer.Option(
                    help="Decision id (from the committees' records).")] = None,
                as_json: JsonOpt = False) -> None:
        """Record a partner's approval of the stage the proposal is in."""
        with get_app(ctx).unit_of_work() as uow:
            a = proposals.record_approval(
                uow, proposal_id, partner_id=partner, body_id=body,
                meeting_date=_date(meeting_date, "--meeting-date") or date.min,
                minute_ref=minute, decision_id=decision)
            awaiting = proposals.summary(uow, proposal_id).get("awaiting", [])
            data = {"proposal": proposal_id, "stage": a.stage, "partner": a.partner_id,
                    "body": a.body_id, "meeting_date": a.meeting_date, "minute": a.minute_ref,
                    "decision_id": a.decision_id,
                    "still_needed": awaiting or "none: the stage can be completed"}
        emit_object(data, as_json)

    @cmd.command("checklist")
    def checklist_(ctx: typer.Context, proposal_id: int,
                   items: Annotated[list[str] | None, typer.Argument(
                       help="Reg 7 items to mark present.")] = None,
                   all_: Annotated[bool, typer.Option("--all", help="Mark every item.")] = False,
                   absent: Annotated[bool, typer.Option(
                       "--absent", help="Mark the items absent instead.")] = False,
                   reference: Annotated[str, typer.Option(
                       help="Where the agreement covers it, e.g. 'clause 4'.")] = "",
                   as_json: JsonOpt = False) -> None:
        """Show the SI 2000/617 reg 7 checklist, or mark ITEMS present in the draft agreement."""
        chosen = list(REG7_CHECKLIST) if all_ else list(items or [])
        if chosen:
            with get_app(ctx).unit_of_work() as uow:
                signing.mark_checklist(uow, proposal_id, chosen, present=not absent,
                                       reference=reference)
        with get_app(ctx).session() as s:
            rows = signing.checklist(s, proposal_id)
        emit_rows(rows, as_json, f"SI 2000/617 reg 7 checklist, proposal {proposal_id}")

    @cmd.command()
    def sign(ctx: typer.Context, proposal_id: int,
             partner: Annotated[str, typer.Option(help="Partner id.")],
             signatory: Annotated[str, typer.Option(help="Member id of the signatory.")],
             on: Annotated[str | None, typer.Option(help="Date signed [default: today].")
                           ] = None, as_json: JsonOpt = False) -> None:
        """Record a partner's signature of the agreement (by its authorised signatory)."""
        with get_app(ctx).unit_of_work() as uow:
            sig = signing.record_signature(uow, proposal_id, partner_id=partner,
                                           signatory_id=signatory, signed_on=_date(on, "--on"))
            row = proposals.get_proposal(uow.session, proposal_id)
            data = {"proposal": proposal_id, "partner": sig.partner_id,
                    "signatory": sig.signatory_id, "signed_on": sig.signed_on,
                    "state": row.state}
        emit_object(data, as_json)

    @cmd.command("move-start")
    def move_start(ctx: typer.Context, proposal_id: int,
                   to: Annotated[str, typer.Option(help="New start date, YYYY-MM-DD.")],
                   body: Annotated[str, typer.Option(help="Body that decided.")],
                   meeting_date: Annotated[str, typer.Option(help="YYYY-MM-DD.")],
                   minute: Annotated[str, typer.Option(help="Minute reference.")],
                   decision: Annotated[int | None, typer.Option(help="Decision id.")] = None,
                   as_json: JsonOpt = False) -> None:
        """Record the decision that moved the start date (and so the signing deadline)."""
        with get_app(ctx).unit_of_work() as uow:
            ch = signing.move_start(uow, proposal_id,
                                    new_start=_date(to, "--to") or date.min, body_id=body,
                                    meeting_date=_date(meeting_date, "--meeting-date")
                                    or date.min, minute_ref=minute, decision_id=decision)
            row = proposals.get_proposal(uow.session, proposal_id)
            data = {"proposal": proposal_id, "old_start": ch.old_start,
                    "new_start": ch.new_start, "signing_deadline": deadline_of(uow.config, row)}
        emit_object(data, as_json)

    return cmd


def _print_summary(d: dict[str, Any]) -> None:
    out = console()
    out.print(f"Proposal {d['id']}: {d['title']}", markup=False)
    head = {"state": f"{d['state_label']} ({d['state']}), version {d['version']}",
            "kind": d["kind"], "variation": d["variation"], "start date": d["start_date"],
            "signing deadline": d["signing_deadline"]}
    for k, v in head.items():
        out.print(f"  {k:<17} {v}", markup=False)
    if d.get("awaiting"):
        out.print("Awaiting approval:")
        for line in d["awaiting"]:
            out.print(f"  - {line}", markup=False)
    if d["approvals"]:
        out.print("Approvals:")
        for a in d["approvals"]:
            out.print(f"  - {a['stage']}: {a['partner']} by {a['body']} on {a['meeting_date']} "
                      f"(minute {a['minute']})", markup=False)
    if d["gateways"]:
        out.print(f"Gateways ({d['consecutive_go']} consecutive go):")
        for g in d["gateways"]:
            out.print(f"  - {g['month']} {g['rag'].upper():<6} {g['summary']}", markup=False)
    for c in d["open_conditions"]:
        out.print(f"Open condition #{c['id']} ({c['partner']}): {c['text']} — owner "
                  f"{c['owner']}, due {c['due']}", markup=False)
    if d["signatures"]:
        out.print("Signed: " + "; ".join(f"{g['partner']} by {g['signatory']} on "
                                         f"{g['signed_on']}" for g in d["signatures"]),
                  markup=False)
    out.print("Triggers now: " + (", ".join(d["triggers_now"]) or "none"), markup=False)
    for trig, unmet in d["blocked"].items():
        out.print(f"  {trig} needs:", markup=False)
        for u in unmet:
            out.print(f"    - {u}", markup=False)


__all__ = ["register"]
