"""``s75 item clear|clearance|attach`` and ``s75 minutes circulate``: officer clearance of a
report (workflows/committee/clearance.py), a PDF appendix attached to an existing item
(appendix_actions.py) and the draft minutes circulated (circulation.py). Each is one action,
performed as the root ``--as`` principal. Registered by s75/cli/main.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from decisions.errors import InvalidInput
from s75.cli.items import item_app, item_dict
from s75.cli.meetings import minutes_app
from s75.cli.options import JsonOpt, clean_text, get_app, one_line
from s75.cli.output import emit_object, emit_rows
from workflows.committee import common

Opt = typer.Option


# Officer clearance (workflows/committee/clearance.py) -----------------------------------------
def item_clear(
    ctx: typer.Context, item: Annotated[int, typer.Argument()],
    kind: Annotated[str, Opt(help="finance | legal")],
    refuse: Annotated[bool, Opt("--refuse", help="Refuse to clear (give --comment)")] = False,
    comment: Annotated[str, Opt(help="Comment for the author (required with --refuse)")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Clear a submitted item's report (finance or legal officer), or refuse with a comment;
    the secretary accepts an item only once the clearance its body asks for is given."""
    from workflows.committee.clearance import ClearItem

    out = get_app(ctx).perform(
        ClearItem(item, kind, refuse, clean_text(comment, "--comment")),
        lambda uow, r: {"item": r.item_id, "kind": r.kind,
                        "cleared": r.cleared, "by": r.by, "comment": r.comment,
                        "item_version": r.item_version})
    emit_object(out, as_json)


def item_clearance(ctx: typer.Context, item: Annotated[int, typer.Argument()],
                   as_json: JsonOpt = False) -> None:
    """Where the officer clearance the item's body asks for stands (this version)."""
    from workflows.committee import clearance

    with get_app(ctx).reading() as uow:
        i = common.item(uow.session, item)
        version = i.version
        rows = [{"kind": s.kind, "state": s.state, "by": s.by_name or "", "on": s.on,
                 "comment": s.comment}
                for s in clearance.standing(uow.config, uow.session, i)]
    emit_rows(rows, as_json, title=f"Clearance of item {item} (version {version})",
              columns=["kind", "state", "by", "on", "comment"])


def item_attach(
    ctx: typer.Context, item: Annotated[int, typer.Argument()],
    file: Annotated[Path, typer.Argument(help="The appendix: a PDF of at most 20 MB")],
    title: Annotated[str, Opt(help="The appendix's title")],
    reason: Annotated[str, Opt(help="Why (required once the item is published)")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Attach a PDF appendix to an item (the next Appendix N); after publication with
    --reason, and the pack is republished."""
    from workflows.committee.appendix_actions import AttachAppendix

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"FILE: {file} cannot be read ({exc.strerror}); give a readable "
                           "PDF file") from None
    out = get_app(ctx).perform(AttachAppendix(item, one_line(title, "--title"), file.name,
                                              data, clean_text(reason, "--reason")),
                               lambda _uow, i: item_dict(i))
    emit_object(out, as_json)


def minutes_circulate(ctx: typer.Context, meeting: Annotated[int, typer.Argument()],
                      as_json: JsonOpt = False) -> None:
    """Circulate the draft minutes (with the minute of each item as written) to the body's
    members for comment before the next meeting approves them."""
    from workflows.committee.circulation import CirculateMinutes

    out = get_app(ctx).perform(CirculateMinutes(meeting),
                               lambda uow, r: {"meeting": r.meeting_id, "minutes": r.state,
                                               "circulated": True})
    emit_object(out, as_json)


def register(app: typer.Typer) -> None:
    """Onto ``s75 item`` and ``s75 minutes`` (s75/cli/main.py registers those first)."""
    item_app.command("clear")(item_clear)
    item_app.command("clearance")(item_clearance)
    item_app.command("attach")(item_attach)
    minutes_app.command("circulate")(minutes_circulate)
