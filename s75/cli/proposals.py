"""Commands for the proposal lifecycle: ``s75 proposal``. Changes are actions
(workflows/proposal/actions.py) performed as the acting principal (``s75 --as MEMBER``);
this module parses, performs and prints."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from decisions.errors import InvalidInput
from s75.cli.options import JsonOpt, get_app, maybe_date, parse_date
from s75.cli.output import console, emit_object, emit_rows, to_json
from workflows.events import UnitOfWork
from workflows.proposal import lifecycle as proposals
from workflows.proposal import signing
from workflows.proposal.actions import (
    CreateProposal,
    FireProposal,
    MarkChecklist,
    MoveStart,
    RecordApproval,
    RecordSignature,
)
from workflows.proposal.queries import deadline_of, start_of
from workflows.proposal.rules import REG7_CHECKLIST
from workflows.proposal.tables import ApprovalRow, SignatureRow, StartDateChangeRow
from workflows.tables import ProposalRow


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
        text = f"{d['partner_id']} returned {d['decision']} at the {d['month'][:7]} gateway"
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
    text = f"{e.from_state} -> {e.to_state}" if e.from_state or e.to_state else "—"
    reason = (d.get("facts") or {}).get("reason")
    return text + (f": {reason}" if reason else "")


def _event_row(e: Any, zone: Any = None) -> dict[str, Any]:
    from workflows.audit import back_entry

    return {"id": e.id, "date": e.at.date().isoformat(), "actor": e.actor, "event": e.action,
            "what": _what(e), "back_entry": back_entry(e.payload, zone) or None}


def _shown(value: object) -> dict[str, Any]:
    """What a ``present`` callback returned (App.perform types it as the action's result or
    the presentation)."""
    assert isinstance(value, dict)
    return value


def register(app: typer.Typer) -> None:
    app.add_typer(_proposal(), name="proposal", help="Commissioning proposals and their "
                  "lifecycle.")


# proposal ------------------------------------------------------------------------------------
def _proposal() -> typer.Typer:
    cmd = typer.Typer(no_args_is_help=True)

    @cmd.command()
    def create(ctx: typer.Context, title: str,
               kind: Annotated[str, typer.Option(help=f"One of {', '.join(proposals.KINDS)}.")
                               ] = "pool_expansion",
               description: Annotated[str, typer.Option(help="Scope in a sentence or two.")] = "",
               start: Annotated[str | None, typer.Option(
                   help="Start date [default: the pool's financial year start].")] = None,
               as_json: JsonOpt = False) -> None:
        """Create a proposal (state draft); the programme director's."""
        action = CreateProposal(title, kind=kind, description=description,
                                start_date=maybe_date(start, "--start"))
        data = _shown(get_app(ctx).perform(action, lambda uow, row: _proposal_row(row)))
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
              expect_version: Annotated[int | None, typer.Option(
                  help="Refuse if the proposal is no longer at this version.")] = None,
              as_json: JsonOpt = False) -> None:
        """Fire TRIGGER on a proposal (see 's75 workflow show proposal'); permitted to the
        roles the transition's actors name."""
        facts = _facts(fact or [])
        if reason is not None:
            facts["reason"] = reason
        app = get_app(ctx)
        with app.reading() as uow:
            before = proposals.get_proposal(uow.session, proposal_id).state

        def present(uow: UnitOfWork, row: ProposalRow) -> dict[str, Any]:
            return {"id": row.id, "title": row.title, "trigger": trigger, "from": before,
                    "to": row.state, "version": row.version,
                    "triggers_now": proposals.triggers_now(uow, proposal_id)}

        data = _shown(app.perform(FireProposal(proposal_id, trigger, facts, expect_version),
                                  present))
        emit_object(data, as_json)

    @cmd.command()
    def history(ctx: typer.Context, proposal_id: int, as_json: JsonOpt = False) -> None:
        """Every event of a proposal, from the audit log."""
        with get_app(ctx).session() as s:
            events = proposals.history(s, proposal_id)
            zone = get_app(ctx).config.zone
            rows = [_event_row(e, zone) for e in events] if not as_json else [
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
        """Record a partner's approval of the stage the proposal is in (the secretary of the
        body that decided)."""
        action = RecordApproval(proposal_id, partner, body,
                                parse_date(meeting_date, "--meeting-date"), minute, decision)

        def present(uow: UnitOfWork, a: ApprovalRow) -> dict[str, Any]:
            awaiting = proposals.summary(uow, proposal_id).get("awaiting", [])
            return {"proposal": proposal_id, "stage": a.stage, "partner": a.partner_id,
                    "body": a.body_id, "meeting_date": a.meeting_date, "minute": a.minute_ref,
                    "decision_id": a.decision_id,
                    "recorded": "from outside s75 (minute and date as given)"
                    if a.source == "outside" else f"decision {a.decision_id}",
                    "still_needed": awaiting or "none: the stage can be completed"}

        emit_object(_shown(get_app(ctx).perform(action, present)), as_json)

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
            get_app(ctx).perform(MarkChecklist(proposal_id, tuple(chosen), present=not absent,
                                               reference=reference))
        with get_app(ctx).session() as s:
            rows = signing.checklist(s, proposal_id)
        emit_rows(rows, as_json, f"SI 2000/617 reg 7 checklist, proposal {proposal_id}")

    @cmd.command()
    def sign(ctx: typer.Context, proposal_id: int,
             partner: Annotated[str, typer.Option(help="Partner id.")],
             signatory: Annotated[str, typer.Option(help="Member id of the signatory.")],
             on: Annotated[str | None, typer.Option(help="Date signed [default: today].")
                           ] = None, as_json: JsonOpt = False) -> None:
        """Record a partner's signature of the agreement (by its authorised signatory),
        as the secretary of the partner's sovereign body or the programme director."""
        action = RecordSignature(proposal_id, partner, signatory, maybe_date(on, "--on"))

        def present(uow: UnitOfWork, sig: SignatureRow) -> dict[str, Any]:
            row = proposals.get_proposal(uow.session, proposal_id)
            return {"proposal": proposal_id, "partner": sig.partner_id,
                    "signatory": sig.signatory_id, "signed_on": sig.signed_on,
                    "state": row.state}

        emit_object(_shown(get_app(ctx).perform(action, present)), as_json)

    @cmd.command("move-start")
    def move_start(ctx: typer.Context, proposal_id: int,
                   to: Annotated[str, typer.Option(help="New start date, YYYY-MM-DD.")],
                   body: Annotated[str, typer.Option(help="Body that decided.")],
                   meeting_date: Annotated[str, typer.Option(help="YYYY-MM-DD.")],
                   minute: Annotated[str, typer.Option(help="Minute reference.")],
                   decision: Annotated[int | None, typer.Option(help="Decision id.")] = None,
                   as_json: JsonOpt = False) -> None:
        """Record the decision that moved the start date (and so the signing deadline), as
        the secretary of the body that decided."""
        action = MoveStart(proposal_id, parse_date(to, "--to"), body,
                           parse_date(meeting_date, "--meeting-date"), minute, decision)

        def present(uow: UnitOfWork, ch: StartDateChangeRow) -> dict[str, Any]:
            from workflows.proposal.start_date import awaiting

            row = proposals.get_proposal(uow.session, proposal_id)
            waiting = awaiting(uow, row)
            return {"proposal": proposal_id, "old_start": ch.old_start,
                    "new_start": ch.new_start, "start_date": start_of(uow.config, row),
                    "signing_deadline": deadline_of(uow.config, row),
                    "moved": "yes: every partner has decided" if not waiting else
                    "not yet: awaiting " + "; ".join(waiting)}

        emit_object(_shown(get_app(ctx).perform(action, present)), as_json)

    return cmd


def _print_summary(d: dict[str, Any]) -> None:
    out = console()
    out.print(f"Proposal {d['id']}: {d['title']}", markup=False)
    head = {"state": f"{d['state_label']} ({d['state']}), version {d['version']}",
            "kind": d["kind"], "variation": d["variation"], "start date": d["start_date"],
            "signing deadline": d["signing_deadline"]}
    for k, v in head.items():
        out.print(f"  {k:<17} {v}", markup=False)
    if d.get("start_move"):
        sm = d["start_move"]
        out.print(f"  start moving to {sm['to']}, awaiting " + "; ".join(sm["awaiting"]),
                  markup=False)
    if d.get("awaiting"):
        out.print("Awaiting approval:")
        for line in d["awaiting"]:
            out.print(f"  - {line}", markup=False)
    if d["approvals"]:
        out.print("Approvals:")
        for a in d["approvals"]:
            out.print(f"  - {a['stage']}: {a['partner']} by {a['body']} on {a['meeting_date']} "
                      f"(minute {a['minute']}; {a['recorded']})", markup=False)
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
