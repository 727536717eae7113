"""``s75 item``: agenda items from draft to publication, routing, deferral, their history and
key-decision facts. Interests are in :mod:`s75.cli.interests`, ``s75 decide`` in
:mod:`s75.cli.decide`.

Each change is one action (workflows/committee/item_actions.py) performed as the principal
given by the root ``--as`` / ``S75_AS`` (else the locality's operator). Registered by
s75/cli/main.py."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer

from decisions.agenda_rules import COMMON_WORDINGS
from decisions.checklist import ANSWERS, STATUTORY
from decisions.errors import InvalidInput
from s75.cli.options import JsonOpt, clean_text, get_app, key_values, maybe_date, one_line
from s75.cli.output import emit_object, emit_rows
from workflows.committee import common
from workflows.committee.item_actions import (
    AcceptItem,
    AddItem,
    DeferItem,
    EditItem,
    PublishItem,
    RecordKeyDecision,
    ReorderItem,
    ReturnItem,
    RouteItem,
    SubmitItem,
    WithdrawItem,
)
from workflows.committee.tables import AgendaItemRow
from workflows.events import UnitOfWork

item_app = typer.Typer(no_args_is_help=True, help="Agenda items: add, submit, accept, publish.")

Opt = typer.Option


def item_dict(i: AgendaItemRow) -> dict[str, Any]:
    return {"id": i.id, "meeting": i.meeting_id, "title": i.title, "state": i.state,
            "position": i.position, "wording": i.action_text, "version": i.version,
            "standing": i.standing, "action": i.action, "report": i.report, "lead": i.lead,
            "author": i.author,
            "indicative_time": i.indicative_time, "duration_minutes": i.duration_minutes,
            "part": i.part, "exempt_paragraph": i.exempt_paragraph,
            "public_interest_reason": i.public_interest_reason, "cover": i.cover,
            "appendices": [a.get("title") for a in i.appendices], "pool_line": i.pool_line_id,
            "amount": i.amount, "report_id": i.report_id, "late": i.late,
            "urgency_reason": i.urgency_reason, "urgency_consent_by": i.urgency_consent_by,
            "deferred_to_item": i.deferred_to_item_id, "carried_from_item": i.carried_from_item_id}


def _item(_uow: UnitOfWork, i: AgendaItemRow) -> dict[str, Any]:
    return item_dict(i)


def _read(path: Path, what: str) -> str:
    try:
        return clean_text(path.read_text(encoding="utf-8-sig"), what)
    except OSError as exc:
        raise InvalidInput(f"{what}: {path} cannot be read ({exc.strerror}); give a readable "
                           "text file") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{what}: {path} is not UTF-8 text (byte {exc.start}); give a plain "
                           "text file saved as UTF-8") from None


def _appendix(title: str, path: Path) -> dict[str, Any]:
    """A PDF file (checked and stored with the item) or a UTF-8 Markdown text file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"--appendix: {path} cannot be read ({exc.strerror}); give a "
                           "readable PDF or text file") from None
    if data.lstrip()[:5] == b"%PDF-" or path.suffix.lower() == ".pdf":
        return {"title": title, "pdf": data, "filename": path.name}
    try:
        return {"title": title, "text": data.decode("utf-8")}
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"--appendix: {path} is neither a PDF nor UTF-8 text (byte "
                           f"{exc.start}); give a PDF (save a Word document as PDF) or a "
                           "Markdown text file saved as UTF-8") from None


def _amount(value: str | None) -> Decimal | None:
    if value is None:
        return None
    from decisions.pool import parse_amount

    try:
        return parse_amount(value)
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"--amount: {value!r} is not a sum of money; expected pounds, e.g. "
                           "1200000 or 1,200,000.50") from None


@item_app.command("add")
def item_add(
    ctx: typer.Context,
    meeting: Annotated[int, typer.Argument()],
    title: Annotated[str, typer.Argument()],
    action: Annotated[str, Opt(help="to_note | to_approve | for_decision")] = "for_decision",
    wording: Annotated[str, Opt(help="The agenda's Action wording, e.g. " + ", ".join(
        repr(w) for w in COMMON_WORDINGS) + " [default: the action's label]")] = "",
    check: Annotated[list[str] | None, Opt(help="Compliance checklist KEY=ANSWER, repeatable "
                                           "(keys " + ", ".join(STATUTORY) + "; answers "
                                           + ", ".join(ANSWERS) + ")")] = None,
    lead: Annotated[str, Opt(help="Lead officer or member (agenda 'Lead')")] = "",
    report: Annotated[str, Opt(
        help="Written Report | To follow (listed, the report supplied later with `item edit`"
             " --text-file) | Verbal | Presentation")] = "Written Report",
    at: Annotated[str | None, Opt("--time", help="Indicative time HH:MM")] = None,
    minutes: Annotated[int | None, Opt("--minutes", help="Time allowed")] = None,
    part: Annotated[int, Opt(help="1 public, 2 exempt")] = 1,
    paragraph: Annotated[int | None, Opt(help="Schedule 12A paragraph 1-7 (Part 2)")] = None,
    exempt_reason: Annotated[str | None, Opt(help="Public-interest reason (Part 2)")] = None,
    decisions: Annotated[str, Opt(help="Cover: decisions required")] = "",
    key_points: Annotated[str, Opt(help="Cover: key points")] = "",
    impacts: Annotated[str, Opt(help="Cover: likely impacts and implications")] = "",
    business_plan: Annotated[str, Opt(help="Cover: link to the business plan")] = "",
    conflicts: Annotated[str, Opt(help="Cover: potential conflicts of interest")] = "",
    previously: Annotated[str, Opt(help="Cover: where previously discussed")] = "",
    sponsor: Annotated[str, Opt(help="Cover: sponsor")] = "",
    presenter: Annotated[str, Opt(help="Cover: presented by")] = "",
    text: Annotated[str, Opt(help="Report text (Markdown)")] = "",
    text_file: Annotated[Path | None, Opt("--text-file",
                                          help="Report text (Markdown) from a file")] = None,
    appendix: Annotated[list[str] | None, Opt(
        help="TITLE=FILE, repeatable: a PDF (at most 20 MB) or a Markdown text file")] = None,
    pool_line: Annotated[str | None, Opt(help="Pool line affected ('*' = whole pool)")] = None,
    amount: Annotated[str | None, Opt(help="Money committed, pounds")] = None,
    proposal: Annotated[int | None, Opt(help="Proposal id this item serves")] = None,
    author: Annotated[str | None, Opt(help="Member (report author) the report is "
                                      "assigned to")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a draft item (with its cover sheet) to a meeting's agenda."""
    if text and text_file:
        raise InvalidInput("--text and --text-file: give one or the other, not both")
    body = _read(text_file, "--text-file") if text_file else clean_text(text, "--text")
    title = one_line(title, "TITLE")
    lead = one_line(lead, "--lead")
    apps = [_appendix(k, Path(v)) for k, v in key_values(appendix or [], "--appendix").items()]
    cover = {"decisions_required": decisions, "key_points": key_points, "impacts": impacts,
             "business_plan_link": business_plan, "conflicts_of_interest": conflicts,
             "previously_discussed": previously, "sponsor": sponsor, "presenter": presenter}
    out = get_app(ctx).perform(AddItem(
        meeting, title, action=action, lead=lead, report=report, indicative_time=at,
        duration_minutes=minutes, part=part, exempt_paragraph=paragraph,
        public_interest_reason=exempt_reason, cover=cover, body_text=body,
        appendices=tuple(apps), pool_line_id=pool_line, amount=_amount(amount),
        proposal_id=proposal, action_text=wording,
        checklist=key_values(check or [], "--check"), author=author), _item)
    emit_object(out, as_json)


@item_app.command("submit")
def item_submit(
    ctx: typer.Context, item: Annotated[int, typer.Argument()],
    on: Annotated[str | None, Opt(help="Date submitted [default: today]")] = None,
    urgency_reason: Annotated[str | None, Opt(help="Late item: special circumstances")] = None,
    chair_consent: Annotated[str | None, Opt(help="Late item: chair who consented")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Submit an item for its meeting (after the deadline: needs the chair's urgency consent).
    The acting principal (--as) is recorded as who submitted it."""
    out = get_app(ctx).perform(SubmitItem(item, maybe_date(on, "--on"), urgency_reason,
                                          chair_consent), _item)
    emit_object(out, as_json)


@item_app.command("edit")
def item_edit(
    ctx: typer.Context, item: Annotated[int, typer.Argument()],
    title: Annotated[str | None, Opt(help="New title")] = None,
    text_file: Annotated[Path | None, Opt("--text-file",
                                          help="New report text (Markdown) from a file")] = None,
    wording: Annotated[str | None, Opt(help="New action wording")] = None,
    lead: Annotated[str | None, Opt(help="New lead")] = None,
    cover: Annotated[list[str] | None, Opt(help="Cover field FIELD=TEXT, repeatable")] = None,
    check: Annotated[list[str] | None, Opt(help="Checklist KEY=ANSWER, repeatable")] = None,
    reason: Annotated[str, Opt(help="Why (required once the item is published)")] = "",
    author: Annotated[str | None, Opt(help="Member (report author) the report is assigned "
                                      "to; '' for none")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Edit an item: freely until published; after that with --reason, and the pack is
    republished as a new version."""
    changes: dict[str, Any] = {}
    for key, value in (("title", title), ("action_text", wording), ("lead", lead),
                       ("author", author)):
        if value is not None:
            changes[key] = value
    if text_file is not None:
        changes["body_text"] = _read(text_file, "--text-file")
    if cover:
        changes["cover"] = key_values(cover, "--cover")
    if check:
        changes["checklist"] = key_values(check, "--check")
    if not changes:
        raise InvalidInput("edit: nothing to change; give --title, --text-file, --wording, "
                           "--lead, --author, --cover or --check")
    emit_object(get_app(ctx).perform(EditItem(item, changes, reason), _item), as_json)


@item_app.command("reorder")
def item_reorder(ctx: typer.Context, item: Annotated[int, typer.Argument()],
                 position: Annotated[int, typer.Argument(
                     help="Place among the business items, 1 = first")],
                 as_json: JsonOpt = False) -> None:
    """Set a business item's place on the agenda (standing items first, AOB last)."""
    out = get_app(ctx).perform(ReorderItem(item, position),
                               lambda uow, rows: [_item(uow, r) for r in rows])
    emit_rows(out, as_json, title="Business items in agenda order",
              columns=["id", "title", "position", "state"])


@item_app.command("accept")
def item_accept(ctx: typer.Context, item: Annotated[int, typer.Argument()],
                as_json: JsonOpt = False) -> None:
    """Accept a submitted item onto the agenda."""
    emit_object(get_app(ctx).perform(AcceptItem(item), _item), as_json)


@item_app.command("publish")
def item_publish(
    ctx: typer.Context, item: Annotated[int, typer.Argument()],
    on: Annotated[str | None, Opt(help="Date published [default: today]")] = None,
    urgency_reason: Annotated[str | None, Opt(help="Late: special circumstances")] = None,
    chair_consent: Annotated[str | None, Opt(help="Late: chair who consented")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Publish an accepted item with the agenda (clear-days rule)."""
    out = get_app(ctx).perform(PublishItem(item, maybe_date(on, "--on"), urgency_reason,
                                           chair_consent), _item)
    emit_object(out, as_json)


@item_app.command("withdraw")
def item_withdraw(ctx: typer.Context, item: Annotated[int, typer.Argument()],
                  reason: Annotated[str, Opt(help="Why")], as_json: JsonOpt = False) -> None:
    """Withdraw an item from the agenda."""
    emit_object(get_app(ctx).perform(WithdrawItem(item, reason), _item), as_json)


@item_app.command("return")
def item_return(ctx: typer.Context, item: Annotated[int, typer.Argument()],
                reason: Annotated[str, Opt(help="What the lead must change")],
                as_json: JsonOpt = False) -> None:
    """Return a submitted item to its lead officer (e.g. the report needs clearance)."""
    emit_object(get_app(ctx).perform(ReturnItem(item, reason), _item), as_json)


@item_app.command("defer")
def item_defer(ctx: typer.Context, item: Annotated[int, typer.Argument()],
               reason: Annotated[str, Opt(help="Why")], as_json: JsonOpt = False) -> None:
    """Defer an item to the body's next meeting."""
    out = get_app(ctx).perform(DeferItem(item, reason), lambda uow, new: item_dict(
        common.item(uow.session, item)) | {"deferred_to_meeting": new.meeting_id if new
                                           else None})
    emit_object(out, as_json)


@item_app.command("route")
def item_route(
    ctx: typer.Context, item: Annotated[int, typer.Argument()],
    meeting: Annotated[int, typer.Argument(help="Further meeting for the same report")],
    action: Annotated[str, Opt(help="to_note (information) | for_decision | to_approve")]
    = "to_note",
    decisions: Annotated[str | None, Opt(help="Cover: decisions required of the receiving "
                                              "meeting [default: the source item's; 'To note "
                                              "the report.' with to_note]")] = None,
    wording: Annotated[str, Opt(help="The agenda's Action wording there [default: the "
                                     "action's label]")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Send the same report to another body or date (a new draft item there), with its own
    action and the decisions required of that meeting."""
    emit_object(get_app(ctx).perform(RouteItem(item, meeting, action, decisions,
                                               one_line(wording, "--wording")), _item),
                as_json)


@item_app.command("show")
def item_show(ctx: typer.Context, item: Annotated[int, typer.Argument()],
              as_json: JsonOpt = False) -> None:
    """An item with its cover sheet, declarations and decision."""
    from sqlmodel import select

    from s75.cli.decide import implementation
    from workflows.committee import interests
    from workflows.committee.tables import DecisionRow

    with get_app(ctx).reading() as uow:
        i = common.item(uow.session, item)
        out = item_dict(i)
        out["declarations"] = [{"member": d.member_id, "nature": d.nature,
                                "description": d.description, "managed": d.managed}
                               for d in interests.declarations_for(uow.session, item)]
        d = uow.session.exec(select(DecisionRow).where(DecisionRow.item_id == item)
                             .order_by(DecisionRow.id.desc())).first()  # type: ignore[union-attr]
        out["decision"] = None if d is None else {
            "id": d.id, "outcome": d.outcome, "rule": d.rule_applied, "text": d.text,
            "call_in_expires": d.call_in_expires, "call_in_state": d.call_in_state,
            "may_be_implemented": implementation(uow, d),
            "explanation": d.details.get("explanation")}
    emit_object(out, as_json)


@item_app.command("history")
def item_history_command(ctx: typer.Context, item: Annotated[int, typer.Argument()],
                         as_json: JsonOpt = False) -> None:
    """Every meeting the item's report went to (routed, deferred, referred, referred back
    after call-in): the body, the date, the action, the outcome and its date."""
    from dataclasses import asdict

    from workflows.committee.item_history import history

    with get_app(ctx).reading() as uow:
        steps = history(uow.session, uow.config, item)
    if as_json:
        emit_rows([asdict(s) for s in steps], True)
        return
    from s75.cli.output import console

    out = console()
    out.print(f"History of the report '{steps[0].title}': {len(steps)} meeting(s)")
    for n, s in enumerate(steps, 1):
        held = "" if s.meeting_status == "held" else f" ({s.meeting_status})"
        out.print(f"{n}. {s.body_name}, {s.meeting_date:%A} {s.meeting_date.day} "
                  f"{s.meeting_date:%B %Y}{held}: {s.title}")
        out.print(f"   came: {s.arrived}")
        out.print(f"   action: {s.action}")
        when = f", {s.outcome_on.day} {s.outcome_on:%B %Y}" if s.outcome_on else ""
        out.print(f"   outcome: {s.outcome}{when}" + (f"; {s.call_in}" if s.call_in else ""))


@item_app.command("key-decision")
def item_key_decision(
    ctx: typer.Context, item: Annotated[int, typer.Argument()],
    forward_plan: Annotated[str | None, Opt(help="Forward-plan notice published on")] = None,
    exception: Annotated[str, Opt(help="none | general_exception | special_urgency")] = "none",
    scrutiny_notified: Annotated[str | None, Opt(help="Scrutiny chair told on (reg 10)")] = None,
    scrutiny_agreed: Annotated[str | None, Opt(help="Scrutiny chair who agreed (reg 11)")] = None,
    reason: Annotated[str, Opt(help="Why it cannot wait (exceptions)")] = "",
    wards: Annotated[int | None, Opt(help="Wards significantly affected")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record key-decision facts: the forward-plan notice or the exception relied on."""
    action = RecordKeyDecision(
        item, forward_plan_published_on=maybe_date(forward_plan, "--forward-plan"),
        exception=exception,
        scrutiny_chair_notified_on=maybe_date(scrutiny_notified, "--scrutiny-notified"),
        scrutiny_chair_agreed_by=scrutiny_agreed, reason=reason, wards_affected=wards)
    out = get_app(ctx).perform(action, lambda _uow, r: {
        "item": item, "forward_plan_published_on": r.forward_plan_published_on,
        "exception": r.exception, "scrutiny_chair_notified_on": r.scrutiny_chair_notified_on,
        "scrutiny_chair_agreed_by": r.scrutiny_chair_agreed_by,
        "wards_affected": r.wards_affected})
    emit_object(out, as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(item_app, name="item")
