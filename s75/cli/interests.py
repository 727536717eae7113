"""``s75 interest``: the register of interests, declarations at a meeting and dispensations
(Localism Act 2011 s31-s33; CCG conflicts guidance 2017).

Each change is one action (workflows/committee/interest_actions.py) performed as the root
``--as`` principal. Registered by s75/cli/main.py."""

from __future__ import annotations

from typing import Annotated

import typer

from s75.cli.options import JsonOpt, get_app, maybe_date
from s75.cli.output import emit_object, emit_rows
from workflows.committee import common
from workflows.committee.interest_actions import (
    DeclareInterest,
    GrantDispensation,
    RegisterInterest,
)

interest_app = typer.Typer(no_args_is_help=True, help="Register and declare interests.")

Opt = typer.Option


@interest_app.command("register")
def interest_register(
    ctx: typer.Context, member: Annotated[str, typer.Argument()],
    nature: Annotated[str, Opt(help="pecuniary | non_pecuniary | indirect")],
    description: Annotated[str, Opt(help="What the interest is")],
    on: Annotated[str | None, Opt(help="Registered on [default: today]")] = None,
    sensitive: Annotated[bool, Opt(help="Sensitive (Localism Act 2011 s32): the published "
                                   "register withholds its details")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add an interest to a member's register (as the member, or a secretary of their body)."""
    out = get_app(ctx).perform(
        RegisterInterest(member, nature, description, maybe_date(on, "--on"), sensitive),
        lambda _uow, r: {"id": r.id, "member": r.member_id, "nature": r.nature,
                         "description": r.description, "registered_on": r.registered_on})
    emit_object(out, as_json)


@interest_app.command("list")
def interest_list(ctx: typer.Context, member: Annotated[str | None, Opt()] = None,
                  as_json: JsonOpt = False) -> None:
    """The register of interests."""
    from workflows.committee import interests

    with get_app(ctx).reading() as uow:
        if member is not None:
            common.member(uow.config, member)
        rows = [{"id": r.id, "member": r.member_id, "nature": r.nature,
                 "description": r.description, "registered_on": r.registered_on}
                for r in interests.register_of(uow.session, member)]
    emit_rows(rows, as_json, "Register of interests")


@interest_app.command("declare")
def interest_declare(
    ctx: typer.Context, item: Annotated[int, typer.Argument()],
    member: Annotated[str, typer.Argument()],
    nature: Annotated[str, Opt(help="pecuniary | non_pecuniary | indirect")],
    description: Annotated[str, Opt(help="What the interest is")],
    managed: Annotated[str, Opt(help="left_room | no_vote | took_part")] = "left_room",
    dispensation_by: Annotated[str | None, Opt(help="Who granted a dispensation")] = None,
    dispensation_reason: Annotated[str | None, Opt(help="Why it was granted")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a declaration of interest on an item and how it was managed (as the member
    themself, or the body's secretary)."""
    out = get_app(ctx).perform(
        DeclareInterest(item, member, nature, description, managed, dispensation_by,
                        dispensation_reason),
        lambda _uow, d: {"item": d.item_id, "member": d.member_id, "nature": d.nature,
                         "managed": d.managed, "dispensation_by": d.dispensation_by})
    emit_object(out, as_json)


@interest_app.command("dispense")
def interest_dispense(
    ctx: typer.Context, member: Annotated[str, typer.Argument(help="Member id")],
    granted_by: Annotated[str, Opt(help="Who granted it, e.g. 'Audit Committee' or the "
                                        "monitoring officer")],
    reason: Annotated[str, Opt(help="Why (e.g. needed for a quorum)")],
    item: Annotated[int | None, Opt(help="For this item only")] = None,
    body: Annotated[str | None, Opt(help="For all of this body's business")] = None,
    expires: Annotated[str | None, Opt(help="Last day it applies (YYYY-MM-DD)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a dispensation letting a member with an interest take part (Localism Act 2011
    s33), for one item or a body's business."""
    out = get_app(ctx).perform(
        GrantDispensation(member, granted_by, reason, item_id=item, body_id=body,
                          expires_on=maybe_date(expires, "--expires")),
        lambda _uow, d: {"dispensation": d.id, "member": d.member_id, "item": d.item_id,
                         "body": d.body_id, "granted_by": d.granted_by,
                         "expires_on": d.expires_on})
    emit_object(out, as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(interest_app, name="interest")
