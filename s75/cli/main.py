"""The ``s75`` command line. Each area has its own module of commands, registered here."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Any

import typer

from decisions.terms import LocalityConfig
from s75.app import make_app
from s75.cli import (
    corrections,
    decide,
    decision_app,
    decision_calls,
    demo,
    documents,
    gateways,
    interests,
    item_review,
    items,
    meetings,
    pool,
    proposals,
    referrals,
    scheduler,
    serve,
    tokens,
    users,
)
from s75.cli.errors import run_command
from s75.cli.options import JsonOpt, get_app
from s75.cli.output import console, emit_object, emit_rows, money
from s75.config import load_config

# Command modules: each defines ``register(app: typer.Typer) -> None``.
COMMAND_MODULES = (proposals, gateways, meetings, items, interests, decide, pool, scheduler,
                   documents, demo, serve, users, referrals, tokens, decision_calls,
                   item_review, corrections, decision_app)


def _version(value: bool) -> None:
    if value:
        print(f"s75 {version('s75')}")
        raise typer.Exit(0)


def build_app() -> typer.Typer:
    app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                      help="s75: governance engine for Section 75 pooled-budget decisions.")

    @app.callback()
    def root(
        ctx: typer.Context,
        config: Annotated[Path | None, typer.Option(
            "--config", envvar="S75_CONFIG", help="Locality config file [default: config.toml]",
            show_default=False)] = None,
        db: Annotated[str | None, typer.Option(
            "--db", envvar="S75_DATABASE_URL", show_default=False,
            help="Database URL or SQLite file [default: sqlite:///s75.db]")] = None,
        now: Annotated[str | None, typer.Option(
            "--now", envvar="S75_NOW", show_default=False,
            help="Act as if it were this date (noon) or date-time, in the locality's time "
                 "zone unless an offset is given, for back-entry and rehearsals.")
        ] = None,
        principal: Annotated[str | None, typer.Option(
            "--as", envvar="S75_AS", show_default=False, metavar="MEMBER",
            help="Act as this principal (a member id from the config) [default: the "
                 "locality's operator].")] = None,
        _v: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                         help="Print the version and exit.")] = False,
    ) -> None:
        ctx.obj = make_app(config, db, None, principal, now=now or None)
        ctx.call_on_close(ctx.obj.close)
        if ctx.obj.principal_id is not None:
            ctx.obj.principal  # noqa: B018  an unknown --as / S75_AS fails every command, exit 2

    @app.command("check-config")
    def check_config(
        ctx: typer.Context,
        path: Annotated[Path | None, typer.Argument(help="Config file [default: --config]")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Validate a config file and summarise it (exit 2 with every problem if invalid)."""
        cfg = load_config(path or get_app(ctx).config_file)
        emit_object(config_summary(cfg), as_json)

    @app.command()
    def init(ctx: typer.Context, as_json: JsonOpt = False) -> None:
        """Create or upgrade the schema and load the standing arrangements from config."""
        from s75.db import upgrade
        from s75.standing import sync_standing

        a = get_app(ctx)
        cfg = a.config
        upgrade(a.raw_engine)
        with a.session() as session:
            report = sync_standing(session, cfg, a.clock.now())
        if as_json:
            emit_object({"changes": report.changes}, True)
        elif report.changed:
            out = console()
            out.print(f"{len(report.changes)} change(s) loaded from {a.config_file}:")
            for line in report.changes:
                out.print(f"  {line}", markup=False)
        else:
            console().print(f"no changes: the database already matches {a.config_file}")

    @app.command()
    def bodies(ctx: typer.Context, as_json: JsonOpt = False) -> None:
        """List the decision-making bodies and their terms of reference."""
        cfg = get_app(ctx).config
        emit_rows([body_summary(cfg, b.id) for b in cfg.body], as_json, "Bodies",
                  ["id", "name", "kind", "partners", "chair", "quorum", "decision_rule",
                   "delegated_limit"])

    @app.command()
    def members(
        ctx: typer.Context,
        body: Annotated[str | None, typer.Option(help="Only members of this body.")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """List the members, their partner and the bodies they sit on."""
        cfg = get_app(ctx).config
        if body is not None:
            cfg.body_by_id(body)  # NotFound naming the known bodies
        rows = [{"id": m.id, "name": m.name, "partner": m.partner, "bodies": list(m.bodies),
                 "email": m.email} for m in cfg.member if body is None or body in m.bodies]
        emit_rows(rows, as_json, "Members")

    for module in COMMAND_MODULES:
        module.register(app)
    return app


def body_summary(cfg: LocalityConfig, body_id: str) -> dict[str, Any]:
    b = cfg.body_by_id(body_id)
    q = b.quorum
    return {
        "id": b.id, "name": b.name, "kind": b.kind, "partners": list(b.partners),
        "chair": b.chair or " / ".join(b.chair_rotation) + " (rotating)",
        "vice_chair": b.vice_chair,
        "quorum": f"{q.min_members}" + (f", {q.min_per_partner} per partner"
                                        if q.min_per_partner else ""),
        "decision_rule": b.decision_rule + (f", {b.on_no_consensus} on no consensus"
                                            if b.decision_rule == "consensus" else ""),
        "delegated_limit": b.delegated_limit,
        "members": len(cfg.members_of(b.id)),
    }


def config_summary(cfg: LocalityConfig) -> dict[str, Any]:
    by_partner: dict[str, Decimal] = {p.id: Decimal(0) for p in cfg.pooling_partners}
    total = Decimal(0)
    tbc: list[str] = []
    for line in cfg.pool.line:
        if isinstance(line.contributions, str):
            tbc.append(line.service)
            continue
        for pid, amount in line.contributions.items():
            by_partner[pid] += amount
            total += amount
    return {
        "locality": cfg.locality.name,
        "partners": [f"{p.name} ({p.id}{'' if p.pools else '; attends, does not pool'})"
                     for p in cfg.partner],
        "bodies": [f"{b.name} ({b.id})" for b in cfg.body],
        "members": len(cfg.member),
        "pool": cfg.pool.name,
        "pool_total": money(total),
        "pool_total_pounds": total,
        "by_partner": {pid: money(v) for pid, v in by_partner.items()},
        "tbc_lines": [f"{s}: tbc (not in the total)" for s in tbc],
    }


@functools.cache
def _command() -> Any:
    """The click command, built once per process (building it costs ~0.2 s; it holds no
    per-run state, so in-process callers such as the tests reuse it)."""
    from s75.cli.options import bound_integers

    return bound_integers(typer.main.get_command(build_app()))


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(_command(), argv)


def entry() -> None:  # console script
    code = main()
    # Leave without the interpreter's final garbage collection: after a document was rendered
    # in this process (minutes reissued by 'minutes correct', 'decision correct'), WeasyPrint's
    # Pango/GObject handles are freed by cffi after GLib has been torn down, which segfaults
    # (exit 139) although the command succeeded and its transaction was committed.
    import os
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
