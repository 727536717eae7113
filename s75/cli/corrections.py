"""``s75 decision correct`` and ``s75 decision rescind``: a decision recorded wrongly put
right by an audited action that keeps the original (marked superseded), states the reason and
reissues the decision notice and the minutes as new versions
(workflows/committee/corrections.py). Added to the shared ``decision`` group."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from notifications.documents.minutes_gather import person, reference
from s75.cli.decision_app import decision_app
from s75.cli.options import JsonOpt, get_app
from s75.cli.output import emit_object
from workflows.committee import common
from workflows.committee.corrections import CorrectDecision, RescindDecision, corrected_from
from workflows.committee.records import DecisionCorrectionRow
from workflows.committee.tables import DecisionRow
from workflows.events import UnitOfWork

Opt = typer.Option
ReasonOpt = Annotated[str, Opt("--reason", help="Why the record is wrong (recorded, and "
                                                "printed on the reissued notice and minutes)")]


def _shown(uow: UnitOfWork, d: DecisionRow, c: DecisionCorrectionRow | None,
           as_json: bool) -> dict[str, Any]:
    cfg = uow.config
    item = common.item(uow.session, d.item_id)
    m = common.meeting(uow.session, item.meeting_id)
    c = c or corrected_from(uow.session, d.id or 0)
    if as_json:
        return {"decision": d.id, "supersedes": c.decision_id if c else None,
                "kind": c.kind if c else None, "item": item.id, "meeting": m.id,
                "body": m.body_id, "outcome": d.outcome, "reason": c.reason if c else "",
                "changed": c.changed if c else [], "by": c.corrected_by if c else None,
                "notice_document": c.document_id if c else None,
                "superseded_notice_document": c.old_document_id if c else None}
    day = m.local_date or common.local_day(cfg, m.starts_at)
    out = {"reference": reference(uow.session, cfg, d), "item": item.title,
           "meeting": f"{cfg.body_by_id(m.body_id).name}, {day:%-d %B %Y}",
           "outcome": d.outcome.replace("_", " "), "reason": c.reason if c else "",
           "by": person(cfg, c.corrected_by) if c else ""}
    for ch in (c.changed if c else []):
        out[f"{ch['field']} was"] = ch["before"] or "(blank)"
        out[f"{ch['field']} now"] = ch["after"] or "(blank)"
    if c is not None and c.document_id:
        out["notice"] = (f"reissued as document {c.document_id}"
                         + (f"; document {c.old_document_id} superseded"
                            if c.old_document_id else ""))
    return out


def correct_command(
    ctx: typer.Context, decision: Annotated[int, typer.Argument(help="Decision id")],
    reason: ReasonOpt,
    outcome: Annotated[str | None, Opt(help="The outcome it should read: approved, amended "
                                            "(approved as amended) or noted")] = None,
    resolution: Annotated[str | None, Opt(help="The resolution as it should read")] = None,
    reasons: Annotated[str | None, Opt(help="The reasons for the decision")] = None,
    alternatives: Annotated[str | None, Opt(help="Alternatives considered and rejected "
                                                 "(one per line)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Correct a decision recorded wrongly: the original is kept, marked superseded; the
    notice and minutes are reissued as new versions with the reason."""
    app = get_app(ctx)
    new_id = app.perform(
        CorrectDecision(decision, reason, outcome, resolution, reasons, alternatives),
        lambda uow, d: d.id or 0)
    with app.reading() as uow:  # after the commit: the reissued notice is rendered by then
        out = _shown(uow, common.decision(uow.session, new_id), None, as_json)
    emit_object(out, as_json)


def rescind_command(
    ctx: typer.Context, decision: Annotated[int, typer.Argument(help="Decision id")],
    reason: ReasonOpt, as_json: JsonOpt = False,
) -> None:
    """Rescind a decision recorded wrongly (on the wrong item, or never taken): the record is
    kept, marked rescinded; referral items not yet taken are withdrawn; the notice and
    minutes are reissued."""
    app = get_app(ctx)
    cid = app.perform(RescindDecision(decision, reason), lambda uow, c: c.id or 0)
    with app.reading() as uow:  # after the commit: the reissued notice is rendered by then
        c = uow.session.get(DecisionCorrectionRow, cid)
        assert c is not None
        out = _shown(uow, common.decision(uow.session, c.decision_id), c, as_json)
    emit_object(out, as_json)


def register(app: typer.Typer) -> None:
    decision_app.command("correct")(correct_command)
    decision_app.command("rescind")(rescind_command)
