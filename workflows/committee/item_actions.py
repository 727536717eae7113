"""The agenda item actions (``perform(uow, Action(...))``): add and submit (the body's
secretary or a report author), accept, return to the lead, publish, withdraw, defer, route
(the secretary of the item's body), the key-decision facts and the decision itself (call-in:
call_in_actions.py).
Each runs validate, load, the permission, the rules, the write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from decisions.agenda_rules import check_wording, validate_action
from decisions.checklist import check_answers
from decisions.errors import InvalidInput
from decisions.key_decisions import check_urgency
from decisions.principals import SECRETARY, Permission, Scope
from decisions.record_dates import check_forward_plan
from decisions.report_text import check_report_text
from decisions.terms import LocalityConfig
from decisions.voting import VotePosition
from workflows.actions import Action
from workflows.committee import (
    appendices,
    call_in,
    clearance,
    common,
    decide,
    item_edits,
    items,
    key_decisions,
)
from workflows.committee.records import KeyDecisionRow
from workflows.committee.scopes import item_scope, meeting_scope
from workflows.committee.tables import AgendaItemRow
from workflows.events import UnitOfWork

R = TypeVar("R")
AUTHOR = Permission(("secretary", "report_author"))
"""Reports: the body's secretary or a report author drafts and submits them."""


def _reason(value: str, what: str) -> None:
    if not value.strip():
        raise InvalidInput(f"reason: missing; say why the item is {what} (it is minuted)")


@dataclass(frozen=True)
class AddItem(Action[AgendaItemRow]):
    """A draft item (with its cover sheet) on a scheduled meeting's agenda."""

    name = "item add"
    permission = AUTHOR
    meeting_id: int
    title: str
    action: str = "for_decision"
    lead: str = ""
    report: str = "Written Report"
    indicative_time: str | None = None
    duration_minutes: int | None = None
    part: int = 1
    exempt_paragraph: int | None = None
    public_interest_reason: str | None = None
    cover: Mapping[str, str] | None = None
    body_text: str = ""
    appendices: tuple[Mapping[str, Any], ...] = ()
    """{"title", "text"} (Markdown) or {"title", "pdf": bytes, "filename"} (a PDF file)."""
    pool_line_id: str | None = None
    amount: Decimal | None = None
    proposal_id: int | None = None
    checklist: Mapping[str, str] | None = None
    """Answers to file 000's compliance checklist (decisions/checklist.py)."""
    action_text: str = ""
    """The agenda's wording of the action (decisions.agenda_rules.COMMON_WORDINGS offered)."""
    author: str | None = None
    """The member (report author) the report is assigned to."""

    def validate(self, cfg: LocalityConfig) -> None:
        item_edits.check_author(cfg, self.author)
        if not self.title.strip():
            raise InvalidInput("title: missing; give the item a title as it will appear on "
                               "the agenda")
        validate_action(self.action)
        check_wording(self.action_text)
        check_answers(self.checklist or {})
        check_report_text("text", self.body_text)
        appendices.check(self.appendices)
        for n, a in enumerate(self.appendices, start=1):
            check_report_text(f"appendices[{n}] ({a.get('title', '')})", str(a.get("text", "")))
        if self.amount is not None:
            items.check_amount(self.amount)

    def load(self, uow: UnitOfWork) -> Any:
        return common.meeting(uow.session, self.meeting_id)

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return meeting_scope(uow, loaded)

    def write(self, uow: UnitOfWork, loaded: Any) -> AgendaItemRow:
        return items.add(
            uow, self.meeting_id, self.title, action=self.action, lead=self.lead,
            report=self.report, indicative_time=self.indicative_time,
            duration_minutes=self.duration_minutes, part=self.part,
            exempt_paragraph=self.exempt_paragraph,
            public_interest_reason=self.public_interest_reason, cover=self.cover,
            body_text=self.body_text, appendices=self.appendices,
            pool_line_id=self.pool_line_id, amount=self.amount, proposal_id=self.proposal_id,
            action_text=self.action_text, checklist=self.checklist, author=self.author)


class _OnItem(Action[R]):
    """An action on one agenda item, by its body's secretary."""

    item_id: int

    def load(self, uow: UnitOfWork) -> Any:
        return common.item(uow.session, self.item_id)

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return item_scope(uow, loaded)


def first_recorded(uow: UnitOfWork, item: AgendaItemRow) -> date | None:
    """The day the matter was first recorded: the earliest audit event of the item or of the
    item it was carried from (deferred, referred), or the creation of the proposal it
    carries, in the locality's time zone."""
    from sqlmodel import col, func, select

    from workflows.tables import AuditEventRow, ProposalRow

    ids: list[str] = []
    seen: AgendaItemRow | None = item
    while seen is not None and seen.id is not None and str(seen.id) not in ids:
        ids.append(str(seen.id))
        seen = uow.session.get(AgendaItemRow, seen.carried_from_item_id) \
            if seen.carried_from_item_id else None
    at = uow.session.exec(select(func.min(AuditEventRow.at)).where(
        col(AuditEventRow.subject_type).contains("item"),
        col(AuditEventRow.subject_id).in_(ids))).one()
    proposal = uow.session.get(ProposalRow, item.proposal_id) if item.proposal_id else None
    if proposal is not None and (at is None or proposal.created_at < at):
        at = proposal.created_at
    return common.local_day(uow.config, at) if at is not None else None


@dataclass(frozen=True)
class SubmitItem(_OnItem[AgendaItemRow]):
    """Notify the item to the secretary (late: with the chair's urgency consent). The
    principal is recorded as who submitted it."""

    name = "item submit"
    permission = AUTHOR
    item_id: int
    submitted_on: date | None = None
    urgency_reason: str | None = None
    chair_consent_by: str | None = None

    def write(self, uow: UnitOfWork, loaded: Any) -> AgendaItemRow:
        return items.submit(uow, self.item_id, submitted_by=uow.principal.id,
                            submitted_on=self.submitted_on, urgency_reason=self.urgency_reason,
                            chair_consent_by=self.chair_consent_by)


@dataclass(frozen=True)
class AcceptItem(_OnItem[AgendaItemRow]):
    name = "item accept"
    permission = SECRETARY
    item_id: int

    def check(self, uow: UnitOfWork, loaded: Any) -> None:
        if loaded.state == "submitted":  # else the workflow's own refusal says why
            clearance.check_cleared(uow, loaded)

    def write(self, uow: UnitOfWork, loaded: Any) -> AgendaItemRow:
        return items.accept(uow, self.item_id)


@dataclass(frozen=True)
class ReturnItem(_OnItem[AgendaItemRow]):
    """Return a submitted item to its lead (the report is not ready)."""

    name = "item return"
    permission = SECRETARY
    item_id: int
    reason: str

    def validate(self, cfg: LocalityConfig) -> None:
        _reason(self.reason, "returned to its lead")

    def write(self, uow: UnitOfWork, loaded: Any) -> AgendaItemRow:
        return items.return_to_lead(uow, self.item_id, self.reason)


@dataclass(frozen=True)
class PublishItem(_OnItem[AgendaItemRow]):
    name = "item publish"
    permission = SECRETARY
    item_id: int
    published_on: date | None = None
    urgency_reason: str | None = None
    chair_consent_by: str | None = None

    def write(self, uow: UnitOfWork, loaded: Any) -> AgendaItemRow:
        return items.publish(uow, self.item_id, published_on=self.published_on,
                             urgency_reason=self.urgency_reason,
                             chair_consent_by=self.chair_consent_by)


@dataclass(frozen=True)
class WithdrawItem(_OnItem[AgendaItemRow]):
    name = "item withdraw"
    permission = SECRETARY
    item_id: int
    reason: str

    def write(self, uow: UnitOfWork, loaded: Any) -> AgendaItemRow:
        return items.withdraw(uow, self.item_id, self.reason)


@dataclass(frozen=True)
class DeferItem(_OnItem[AgendaItemRow | None]):
    """Defer the item to the body's next meeting; returns the new item (None when no later
    meeting is scheduled)."""

    name = "item defer"
    permission = SECRETARY
    item_id: int
    reason: str

    def validate(self, cfg: LocalityConfig) -> None:
        _reason(self.reason, "deferred")

    def write(self, uow: UnitOfWork, loaded: Any) -> AgendaItemRow | None:
        return items.defer_item(uow, loaded, self.reason)


@dataclass(frozen=True)
class RouteItem(_OnItem[AgendaItemRow]):
    """Send the same report to another meeting: the secretary of the source body decides."""

    name = "item route"
    permission = SECRETARY
    item_id: int
    meeting_id: int
    action: str = "to_note"
    decisions: str | None = None
    """The decisions required of the receiving meeting (default: those of the source item,
    or "To note the report." when routed to note)."""
    wording: str = ""

    def validate(self, cfg: LocalityConfig) -> None:
        validate_action(self.action)
        if self.wording:
            check_wording(self.wording)

    def write(self, uow: UnitOfWork, loaded: Any) -> AgendaItemRow:
        return items.route(uow, self.item_id, self.meeting_id, action=self.action,
                           decisions=self.decisions, wording=self.wording)


@dataclass(frozen=True)
class RecordKeyDecision(_OnItem[KeyDecisionRow]):
    """The forward-plan notice date, or the exception relied on (SI 2012/2089 regs 8-11)."""

    name = "key-decision record"
    permission = SECRETARY
    item_id: int
    forward_plan_published_on: date | None = None
    exception: str = "none"
    scrutiny_chair_notified_on: date | None = None
    scrutiny_chair_agreed_by: str | None = None
    reason: str = ""
    wards_affected: int | None = None

    def validate(self, cfg: LocalityConfig) -> None:
        if self.exception not in key_decisions.EXCEPTIONS:
            raise InvalidInput(f"exception: {self.exception!r} is not valid; expected one of "
                               f"{', '.join(key_decisions.EXCEPTIONS)}")
        if self.wards_affected is not None and self.wards_affected < 0:
            raise InvalidInput(f"wards: {self.wards_affected} is negative; give the number of "
                               "wards affected")

    def check(self, uow: UnitOfWork, loaded: Any) -> None:
        if self.forward_plan_published_on is not None:
            first = first_recorded(uow, loaded)
            if first is not None:
                check_forward_plan(common.describe_item(loaded), self.forward_plan_published_on,
                                   first)

    def write(self, uow: UnitOfWork, loaded: Any) -> KeyDecisionRow:
        return key_decisions.record(
            uow, self.item_id, forward_plan_published_on=self.forward_plan_published_on,
            exception=self.exception, scrutiny_chair_notified_on=self.scrutiny_chair_notified_on,
            scrutiny_chair_agreed_by=self.scrutiny_chair_agreed_by, reason=self.reason,
            wards_affected=self.wards_affected)


@dataclass(frozen=True)
class Decide(_OnItem[decide.DecideResult]):
    """Take the item at its meeting and record the decision (inquorate: deferred, and the
    result carries the refusal to report after the transaction commits)."""

    name = "decide"
    permission = SECRETARY
    item_id: int
    outcome: str = "approved"
    objections: tuple[str, ...] = ()
    votes: Mapping[str, VotePosition] | None = None
    partner_votes: Mapping[str, VotePosition] | None = None
    casting: VotePosition | None = None
    resolution: str = ""
    reasons: str = ""
    alternatives_rejected: str = ""
    urgent_consent_by: str | None = None
    """Exempt from call-in for urgency, with this scrutiny chair's consent (executive)."""
    urgent_reason: str = ""

    def validate(self, cfg: LocalityConfig) -> None:
        decide.validate_decision(self.outcome, self.resolution)
        if self.urgent_consent_by is not None and not self.urgent_consent_by.strip():
            raise InvalidInput("consent_by: missing; urgency needs the consent of the chair of "
                               "the overview and scrutiny committee (name them)")

    def check(self, uow: UnitOfWork, loaded: Any) -> None:
        m = common.meeting(uow.session, loaded.meeting_id)
        decide.check_decidable(uow, loaded, m)
        decide.check_outcome(uow, loaded, m, self.outcome)
        if self.urgent_consent_by is not None:
            check_urgency(uow.config.body_by_id(m.body_id), f"item {loaded.id} '{loaded.title}'",
                          outcome=self.outcome, state="open",
                          consent_by=self.urgent_consent_by, reason=self.urgent_reason)

    def write(self, uow: UnitOfWork, loaded: Any) -> decide.DecideResult:
        motion = decide.Motion(self.outcome, self.objections, self.votes, self.partner_votes,
                               self.casting, self.resolution, self.reasons,
                               self.alternatives_rejected)
        consent = None
        if self.urgent_consent_by is not None:
            consent = call_in.add_urgency_consent(
                uow, loaded.id, self.urgent_consent_by.strip(), self.urgent_reason.strip(),
                common.local_day(uow.config, uow.now))
        result = decide.take(uow, loaded, common.meeting(uow.session, loaded.meeting_id),
                             motion)
        if consent is not None and result.decision is None:
            uow.session.delete(consent)  # not decided (inquorate): no exemption stands
        return result


@dataclass(frozen=True)
class EditItem(_OnItem[AgendaItemRow]):
    """Change an item's title, report text, cover sheet, action wording or checklist:
    freely until it is published, after that with a reason (the pack is republished)."""

    name = "item edit"
    permission = AUTHOR
    item_id: int
    changes: Mapping[str, Any]
    reason: str = ""

    def validate(self, cfg: LocalityConfig) -> None:
        item_edits.check_changes(self.changes)
        if "author" in self.changes:
            item_edits.check_author(cfg, self.changes["author"])

    def write(self, uow: UnitOfWork, loaded: Any) -> AgendaItemRow:
        return item_edits.edit(uow, self.item_id, self.changes, self.reason)


@dataclass(frozen=True)
class ReorderItem(_OnItem[list[AgendaItemRow]]):
    """Set a business item's place on the agenda (standing items first, AOB last)."""

    name = "item reorder"
    permission = SECRETARY
    item_id: int
    position: int

    def write(self, uow: UnitOfWork, loaded: Any) -> list[AgendaItemRow]:
        return item_edits.reorder(uow, self.item_id, self.position)
