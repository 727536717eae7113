"""``s75 referral list`` and ``s75 referral place``: decisions one body referred to another,
where each stands (open: no meeting yet; placed; decided, and reported back), and placing an
open one on a meeting of the receiving body (workflows/committee/referrals.py)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from s75.cli.options import JsonOpt, get_app
from s75.cli.output import emit_object, emit_rows
from workflows.committee import common, referrals
from workflows.committee.referral_actions import PlaceReferral
from workflows.committee.tables import AgendaItemRow
from workflows.events import UnitOfWork

COLUMNS = ["id", "state", "from_body", "item", "to_body", "placed_at", "outcome",
           "reported_back"]


def register(app: typer.Typer) -> None:
    app.add_typer(_referral(), name="referral",
                  help="Referrals between bodies: where each stands, and placing them.")


def _placed(uow: UnitOfWork, item: AgendaItemRow) -> dict[str, Any]:
    m = common.meeting(uow.session, item.meeting_id)
    assert item.id is not None
    r = referrals.referral_for(uow.session, item)
    out = referrals.describe(uow, r) if r is not None else {}
    return {**out, "to_item_title": item.title, "meeting": common.describe_meeting(uow.config, m)}


def _referral() -> typer.Typer:
    app = typer.Typer(no_args_is_help=True)

    @app.command("list")
    def referral_list(
        ctx: typer.Context,
        state: Annotated[str | None, typer.Option(
            help="open (no meeting yet) | placed | decided")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Every referral: from which body, the item, to which body, the meeting it is placed
        on (or "not yet placed"), the outcome and where it was reported back."""
        with get_app(ctx).reading() as uow:
            rows = referrals.listing(uow, state)
        title = "Referrals" + (f" ({state})" if state else "")
        emit_rows(rows, as_json, title, None if as_json else COLUMNS)

    @app.command("place")
    def referral_place(
        ctx: typer.Context,
        referral: Annotated[int, typer.Argument(help="Referral id ('s75 referral list')")],
        meeting: Annotated[int, typer.Option(help="A later scheduled meeting of the receiving "
                                                  "body")],
        urgency_reason: Annotated[str | None, typer.Option(
            help="After the meeting's item deadline: the special circumstances")] = None,
        chair_consent: Annotated[str | None, typer.Option(
            help="After the meeting's item deadline: the chair who consented (member id)")]
        = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Place a referral that has no meeting on a meeting of the body it was referred to."""
        out = get_app(ctx).perform(PlaceReferral(referral, meeting, urgency_reason,
                                                 chair_consent), _placed)
        emit_object(out, as_json)

    return app
