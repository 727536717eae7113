"""Commands ``s75 gateway`` and ``s75 workflow`` (``s75 audit``: s75/cli/audit.py). Gateway
returns and closing conditions are actions (workflows/proposal/actions.py) performed as the
acting principal."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from decisions.errors import InvalidInput
from s75.cli.options import JsonOpt, get_app, maybe_date, parse_date, parse_month
from s75.cli.output import emit_object, emit_rows, to_json
from workflows.definition import available_definitions, load_definition
from workflows.events import UnitOfWork
from workflows.machine import mermaid
from workflows.proposal import gateways
from workflows.proposal import lifecycle as proposals
from workflows.proposal.actions import CloseCondition, RecordGatewayReturn
from workflows.proposal.queries import local_today
from workflows.proposal.tables import ConditionRow, GatewayReturnRow


def _shown(value: object) -> dict[str, Any]:
    """What a ``present`` callback returned (App.perform types it as the action's result or
    the presentation)."""
    assert isinstance(value, dict)
    return value


def register(app: typer.Typer) -> None:
    app.add_typer(_gateway(), name="gateway", help="Monthly gateways in shadow operation.")
    app.add_typer(_workflow(), name="workflow", help="Workflow definitions.")
    from s75.cli.audit import audit_app

    app.add_typer(audit_app, name="audit")


# gateway -------------------------------------------------------------------------------------
def _gateway() -> typer.Typer:
    cmd = typer.Typer(no_args_is_help=True)

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
               late: Annotated[bool, typer.Option(
                   "--late", help="For a month already marked missed: recorded late, "
                                  "--reason saying why.")] = False,
               as_json: JsonOpt = False) -> None:
        """Record a partner's return at a monthly gateway (the secretary of the partner's
        sovereign body, or the programme director)."""
        conds, owners, dues = condition or [], owner or [], due or []
        if not len(conds) == len(owners) == len(dues):
            raise InvalidInput(f"--condition/--owner/--due: give one --owner and one --due per "
                               f"--condition (got {len(conds)}, {len(owners)}, {len(dues)})")
        specs = tuple(gateways.ConditionSpec(t, o, parse_date(d, "--due"))
                      for t, o, d in zip(conds, owners, dues, strict=True))
        first = parse_month(month) if month is not None else None
        action = RecordGatewayReturn(proposal_id, partner, return_, reason, first,
                                     maybe_date(held_on, "--held-on"), specs, late)

        def present(uow: UnitOfWork, ret: GatewayReturnRow) -> dict[str, Any]:
            row = proposals.get_proposal(uow.session, proposal_id)
            data: dict[str, Any] = {"proposal": proposal_id, "partner": partner,
                                    "return": return_, "month": first, "state": row.state}
            if first is None:
                data.pop("month")
            if ret.late_reason is not None:
                data["recorded_late"] = ret.late_reason
            return data

        emit_object(_shown(get_app(ctx).perform(action, present)), as_json)

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
        """Close a gateway condition (its owner, or the programme director)."""

        def present(uow: UnitOfWork, c: ConditionRow) -> dict[str, Any]:
            return {"condition": c.id, "text": c.text, "status": c.status,
                    "closed_by": c.closed_by, "note": c.closing_note}

        action = CloseCondition(condition_id, note)
        emit_object(_shown(get_app(ctx).perform(action, present)), as_json)

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
