"""``s75 token add|list|revoke``: API tokens and personal calendar links (s75/api_tokens.py).

A token acts as a member of the configuration (their roles apply). ``add`` prints the secret
once; only its hash is kept, so it cannot be shown again (revoke it and add another)."""

from __future__ import annotations

from typing import Annotated

import typer

from s75 import api_tokens
from s75.cli.options import JsonOpt, get_app
from s75.cli.output import console, emit_rows

token_app = typer.Typer(no_args_is_help=True,
                        help="API tokens and personal calendar links.")


@token_app.command("add")
def token_add(
    ctx: typer.Context,
    member: Annotated[str, typer.Argument(help="The member of the config the token acts "
                                          "as, e.g. democratic_services")],
    name: Annotated[str, typer.Option("--name", help="What it is for, e.g. \"finance "
                                      "system\"")],
    scope: Annotated[str, typer.Option("--scope", help="api (the JSON API) or calendar "
                                       "(the member's iCalendar link)")] = "api",
) -> None:
    """Issue a token for a member; the secret is printed once."""
    a = get_app(ctx)
    with a.session() as s:
        row, secret = api_tokens.issue_token(s, member, name, scope, cfg=a.config,
                                             now=a.clock.now())
        s.commit()
        out = console()
        out.print(f"token {row.id} ({row.scope}) added for {a.config.member_by_id(member).name}"
                  f" ({member}): {row.name}", highlight=False)
        out.print(f"secret (shown once, keep it safe): {secret}", highlight=False)
        if scope == "calendar":
            out.print(f"calendar link: {api_tokens.calendar_path(secret)} (after the site's "
                      "address)", highlight=False)


@token_app.command("list")
def token_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every token: id, prefix, member, scope, name, created, last used, revoked."""
    a = get_app(ctx)
    names = {m.id: m.name for m in a.config.member}
    with a.session() as s:
        out = [{"id": r.id, "prefix": r.prefix, "member": r.principal_id,
                "name": names.get(r.principal_id, "(not in config)"), "scope": r.scope,
                "purpose": r.name, "created": r.created_at, "last_used": r.last_used_at,
                "revoked": r.revoked_at} for r in api_tokens.tokens_of(s)]
    emit_rows(out, as_json, title="API tokens")


@token_app.command("revoke")
def token_revoke(ctx: typer.Context,
                 token_id: Annotated[int, typer.Argument(help="The token's id (token list)")]
                 ) -> None:
    """Revoke a token: its secret is refused from now on."""
    a = get_app(ctx)
    with a.session() as s:
        row = api_tokens.revoke(s, token_id, now=a.clock.now())
        s.commit()
        names = {m.id: m.name for m in a.config.member}
        who = names.get(row.principal_id, row.principal_id)
        console().print(f"token {row.id} ({row.name}, {who}) revoked; its secret is refused "
                        "from now on", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")
