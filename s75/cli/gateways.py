"""Commands ``s75 gateway``, ``s75 workflow`` and ``s75 audit`` (registered by
s75/cli_proposal.py)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from decisions.errors import InvalidInput
from s75.cli.options import JsonOpt, get_app
from s75.cli.output import console, emit_object, emit_rows, to_json
from s75.cli.proposals import NowOpt, _date, _month, _set_now
from workflows.audit import count_events, verify_chain
from workflows.definition import available_definitions, load_definition
from workflows.machine import mermaid
from workflows.proposal import gateways
from workflows.proposal import lifecycle as proposals
from workflows.proposal.queries import local_today


def register(app: typer.Typer) -> None:
    app.add_typer(_gateway(), name="gateway", help="Monthly gateways in shadow operation.")
    app.add_typer(_workflow(), name="workflow", help="Workflow definitions.")
    app.add_typer(_audit(), name="audit", help="The hash-chained audit log.")


# gateway -------------------------------------------------------------------------------------
def _gateway() -> typer.Typer:
    cmd = typer.Typer(no_args_is_help=True)

    @cmd.callback()
    def _cb(ctx: typer.Context, now: NowOpt = None) -> None:
        _set_now(ctx, now)

    @cmd.command()
    def record(ctx: typer.Context, proposal_id: int,
               partner: Annotated[str, typer.Option(help="Partner id.")],
               return_: Annotated[str, typer.Option(
                   "--return", help="go | go_with_conditions | pause | stop")],
               reason: Annotated[str, typer.Option(help="The partner's reasons.")] = "",
               month: Annotated[str | None, typer.Option(
                   help="Gateway month YYYY-MM [default: this month].")] = None,
               held_on: Annotated[str | None, typer.Option(help="YYYY-MM-DD [default: "
                                                           "today].")] = None,
               condition: Annotated[list[str] | None, typer.Option(
                   help="A condition (repeatable; each needs --owner and --due).")] = None,
               owner: Annotated[list[str] | None, typer.Option(
                   help="Member id owning the condition, in order.")] = None,
               due: Annotated[list[str] | None, typer.Option(
                   help="Due date of the condition, in order.")] = None,
               as_json: JsonOpt = False) -> None:
        """Record a partner's return at a monthly gateway."""
        conds, owners, dues = condition or [], owner or [], due or []
        if not len(conds) == len(owners) == len(dues):
            raise InvalidInput(f"--condition/--owner/--due: give one --owner and one --due per "
                               f"--condition (got {len(conds)}, {len(owners)}, {len(dues)})")
        specs = tuple(gateways.ConditionSpec(t, o, _date(d, "--due") or date.min)
                      for t, o, d in zip(conds, owners, dues, strict=True))
        with get_app(ctx).unit_of_work() as uow:
            gateways.record_return(uow, proposal_id, partner_id=partner, decision=return_,
                                   reasons=reason, month=_month(month),
                                   held_on=_date(held_on, "--held-on"), conditions=specs)
            row = proposals.get_proposal(uow.session, proposal_id)
            data = {"proposal": proposal_id, "partner": partner, "return": return_,
                    "month": _month(month) or None, "state": row.state}
            if data["month"] is None:
                data.pop("month")
        emit_object(data, as_json)

    @cmd.command("status")
    def status(ctx: typer.Context, proposal_id: int, as_json: JsonOpt = False) -> None:
        """Per-month RAG of a proposal's gateways (red includes months with none held)."""
        a = get_app(ctx)
        with a.session() as s:
            today = local_today(a.config, a.clock.now())
            rows = [{"month": m.month.strftime("%Y-%m"), "rag": m.rag, "summary": m.summary,
                     **{p: d for p, d in m.returns.items()}}
                    for m in gateways.gateway_status(s, proposal_id, today)]
        emit_rows(rows, as_json, f"Gateways of proposal {proposal_id}")

    @cmd.command("conditions")
    def conditions(ctx: typer.Context, proposal_id: int,
                   open_only: Annotated[bool, typer.Option("--open", help="Only open ones.")
                                        ] = False,
                   as_json: JsonOpt = False) -> None:
        """Conditions set at gateways, with owners and due dates."""
        with get_app(ctx).session() as s:
            rows = [{"id": c.id, "partner": c.partner_id, "text": c.text, "owner": c.owner_id,
                     "due": c.due, "status": c.status, "note": c.closing_note}
                    for c in gateways.conditions(s, proposal_id, open_only=open_only)]
        emit_rows(rows, as_json, f"Conditions of proposal {proposal_id}")

    @cmd.command("close-condition")
    def close_condition(ctx: typer.Context, condition_id: int,
                        note: Annotated[str, typer.Option(help="How it was met.")] = "",
                        as_json: JsonOpt = False
                        ) -> None:
        """Close a gateway condition."""
        with get_app(ctx).unit_of_work() as uow:
            c = gateways.close_condition(uow, condition_id, note)
            data = {"condition": c.id, "text": c.text, "status": c.status,
                    "closed_by": c.closed_by, "note": c.closing_note}
        emit_object(data, as_json)

    return cmd


# workflow, audit -------------------------------------------------------------------------------
def _workflow() -> typer.Typer:
    cmd = typer.Typer(no_args_is_help=True)

    @cmd.command()
    def show(name: Annotated[str, typer.Argument(help="Definition name or .toml path.")
                             ] = "proposal", as_json: JsonOpt = False) -> None:
        """Print a workflow as a Mermaid state diagram (or, with --json, its definition)."""
        defn = load_definition(name)
        if not as_json:
            print(mermaid(defn))
            return
        print(to_json({
            "name": defn.name, "subject": defn.subject, "initial": defn.initial,
            "states": [{"name": s.name, "label": s.label, "actors": list(s.actors),
                        "renders": s.renders, "final": s.final, "side": s.side,
                        "description": s.description} for s in defn.states.values()],
            "transitions": [{"trigger": t.trigger, "sources": list(t.sources), "dest": t.dest,
                             "guards": list(t.guards), "effects": list(t.effects),
                             "actors": list(t.actors), "description": t.description}
                            for t in defn.transitions],
            "mermaid": mermaid(defn)}))

    @cmd.command("list")
    def list_(as_json: JsonOpt = False) -> None:
        """The shipped workflow definitions."""
        rows = []
        for name in available_definitions():
            d = load_definition(name)
            rows.append({"name": d.name, "subject": d.subject, "states": len(d.states),
                         "triggers": len(d.triggers), "file": d.source})
        emit_rows(rows, as_json, "Workflows")

    return cmd


def _audit() -> typer.Typer:
    cmd = typer.Typer(no_args_is_help=True)

    @cmd.command()
    def verify(ctx: typer.Context, as_json: JsonOpt = False) -> None:
        """Check the audit chain: exit 0 if intact, 1 naming the first broken event."""
        with get_app(ctx).session() as s:
            broken = verify_chain(s)
            total = count_events(s)
        if as_json:
            print(to_json({"intact": broken is None, "events": total,
                           "broken_event": broken.event_id if broken else None,
                           "reason": str(broken) if broken else None}))
        elif broken is None:
            console().print(f"audit log intact: {total} event(s), every hash verified")
        else:
            console().print(f"audit log BROKEN at {broken}", markup=False)
        if broken is not None:
            raise typer.Exit(1)

    return cmd
