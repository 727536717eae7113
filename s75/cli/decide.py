"""``s75 decide``: take an item by its body's rule (quorum, consensus, majority or one vote per
partner, referral), printing the decision and from when it may be implemented.

One action (workflows/committee/item_actions.py ``Decide``) performed as the root ``--as``
principal. Registered by s75/cli/main.py."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from decisions.errors import InvalidInput
from s75.cli.options import JsonOpt, get_app, key_values
from s75.cli.output import emit_object
from workflows.committee import common
from workflows.committee.item_actions import Decide
from workflows.events import UnitOfWork

Opt = typer.Option


def decide_command(
    ctx: typer.Context, item: Annotated[int, typer.Argument()],
    outcome: Annotated[str, Opt(help="approved | amended | noted")] = "approved",
    objection: Annotated[list[str] | None, Opt(help="Member objecting (consensus)")] = None,
    vote: Annotated[list[str] | None, Opt(help="MEMBER=for|against|abstain (majority)")] = None,
    partner_vote: Annotated[list[str] | None, Opt(help="PARTNER=for|against|abstain")] = None,
    casting: Annotated[str | None, Opt(help="Chair's casting vote on a tie: for | against")]
    = None,
    resolution: Annotated[str, Opt(help="The resolution as minuted")] = "",
    reasons: Annotated[str, Opt(help="Reasons (executive decision record)")] = "",
    alternatives: Annotated[str, Opt(help="Alternatives considered and rejected")] = "",
    urgent: Annotated[bool, Opt("--urgent", help="Executive: exempt from call-in for urgency "
                                "(needs --consent-by)")] = False,
    consent_by: Annotated[str | None, Opt(help="With --urgent: the scrutiny chair who "
                                               "consented")] = None,
    urgent_reason: Annotated[str, Opt(help="With --urgent: why it cannot wait")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Take an item: quorum, the body's decision rule, referral; exit 2 when refused. The
    output gives the date from which the decision may be implemented."""
    if urgent and not (consent_by or "").strip():
        raise InvalidInput("--urgent: needs --consent-by NAME, the chair of the overview and "
                           "scrutiny committee who consented to the urgency")
    if consent_by is not None and not urgent:
        raise InvalidInput("--consent-by: only with --urgent")
    positions = ("for", "against", "abstain")
    votes = key_values(vote or [], "--vote", positions) if vote else None
    pvotes = key_values(partner_vote or [], "--partner-vote", positions) if partner_vote else None
    if casting is not None and casting not in ("for", "against"):
        raise InvalidInput(f"--casting: {casting!r} is not valid; expected for or against")
    action = Decide(item, outcome, tuple(objection or ()), votes,  # type: ignore[arg-type]
                    pvotes, casting, resolution, reasons, alternatives,  # type: ignore[arg-type]
                    urgent_consent_by=consent_by if urgent else None,
                    urgent_reason=urgent_reason
                    or "the decision cannot wait for the call-in period")
    out, refusal = get_app(ctx).perform(action, _decided)
    if refusal is not None:
        raise refusal
    emit_object(out, as_json)


def implementation(uow: UnitOfWork, d: Any) -> str:
    """From when the decision may be implemented, in words (nothing: nothing to implement)."""
    from notifications.documents.call_in_views import call_in_facts

    f = call_in_facts(uow.session, uow.config, d, common.local_day(uow.config, uow.now))
    return f.implementation or "nothing to implement"


def _decided(uow: UnitOfWork, r: Any) -> tuple[dict[str, Any], Any]:
    from decisions.outcomes import account, resolution
    from notifications.documents.minutes_gather import decision_facts

    out: dict[str, Any] = {"item": r.item.id, "quorum": r.quorum.explain()}
    if r.decision is not None:
        d = r.decision
        facts = decision_facts(uow.session, uow.config, d)
        out |= {"decision": d.id, "outcome": d.outcome, "rule": d.rule_applied,
                "resolution": resolution(facts), "account": account(facts),
                "explanation": d.details.get("explanation"), "chair": d.chair_id,
                "decision_date": d.decision_date, "call_in_expires": d.call_in_expires,
                "notice_published_on": d.notice_published_on,
                "call_in_state": d.call_in_state,
                "may_be_implemented": implementation(uow, d),
                "referrals": [{"id": x.id, "to_body": x.to_body_id,
                               "to_meeting": x.to_meeting_id, "to_item": x.to_item_id}
                              for x in r.referrals]}
    return out, r.refusal


def register(app: typer.Typer) -> None:
    app.command("decide")(decide_command)
