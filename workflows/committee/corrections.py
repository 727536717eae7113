"""Corrections leave a trail: a decision recorded wrongly is corrected (a new decision row
replaces it, the original kept and marked superseded) or rescinded (struck from the record,
the original kept), always with the reason, by the body's secretary or an admin. The events
raised here reissue the decision notice and the minutes as new versions
(notifications/documents/minutes_issue.py); the earlier issues are kept, marked superseded.

Emits ``decision.corrected`` (subject: the new decision; ``corrects_id`` the original) and
``decision.rescinded`` (subject: the original decision).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlmodel import Session, col, select

from decisions.errors import InvalidInput, RuleRefused
from decisions.outcomes import OUTCOME_LABELS, DecisionFacts, resolution
from decisions.principals import SECRETARY, Scope
from decisions.terms import LocalityConfig
from workflows.actions import Action
from workflows.committee import common, items
from workflows.committee.records import DecisionCorrectionRow, ReferralRow
from workflows.committee.scopes import decision_scope
from workflows.committee.tables import AgendaItemRow, DecisionRow
from workflows.events import DomainEvent, UnitOfWork

CORRECTABLE = ("approved", "amended", "noted")
"""Outcomes a correction may move between: each is what the body's rule produces when the
meeting agreed. A referral or a refusal came from the rule itself (objections, votes, the
delegated limit): such a record is rescinded, not re-worded into another outcome."""
FIELDS = ("outcome", "text", "reasons", "alternatives_rejected")
LABELS = {"outcome": "outcome", "text": "resolution", "reasons": "reasons",
          "alternatives_rejected": "alternatives rejected"}
PENDING = ("draft", "submitted", "accepted", "published")
"""States of a referral item not yet taken by the body it was referred to."""


@dataclass(frozen=True)
class DecisionCorrected(DomainEvent):
    name: ClassVar[str] = "decision.corrected"
    subject_type: ClassVar[str] = "decision"
    subject_field: ClassVar[str] = "decision_id"
    decision_id: int
    corrects_id: int
    item_id: int
    meeting_id: int
    body_id: str
    outcome: str
    reason: str
    changed: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class DecisionRescinded(DomainEvent):
    name: ClassVar[str] = "decision.rescinded"
    subject_type: ClassVar[str] = "decision"
    subject_field: ClassVar[str] = "decision_id"
    decision_id: int
    item_id: int
    meeting_id: int
    body_id: str
    reason: str
    rescinded_outcome: str
    withdrawn_item_ids: list[int] = field(default_factory=list)

    def states(self) -> tuple[str | None, str | None]:
        return "current", "rescinded"


def correction_of(session: Session, decision_id: int) -> DecisionCorrectionRow | None:
    """The correction or rescission that superseded ``decision_id`` (None: it stands)."""
    return session.exec(select(DecisionCorrectionRow).where(
        DecisionCorrectionRow.decision_id == decision_id)).first()


def corrected_from(session: Session, decision_id: int) -> DecisionCorrectionRow | None:
    """The correction that made ``decision_id`` (None: it was recorded at the meeting)."""
    return session.exec(select(DecisionCorrectionRow).where(
        DecisionCorrectionRow.new_decision_id == decision_id)).first()


def original_of(session: Session, decision_id: int) -> int:
    """The decision first recorded at the meeting, following corrections back."""
    seen = decision_id
    while (c := corrected_from(session, seen)) is not None:
        seen = c.decision_id
    return seen


def replacement_ids(session: Session) -> set[int]:
    """Decision rows made by corrections (they share the reference of the one corrected)."""
    return {r for r in session.exec(select(DecisionCorrectionRow.new_decision_id).where(
        col(DecisionCorrectionRow.new_decision_id).is_not(None))).all() if r is not None}


def _describe(uow: UnitOfWork, d: DecisionRow) -> str:
    item = common.item(uow.session, d.item_id)
    m = common.meeting(uow.session, item.meeting_id)
    return (f"the decision on {common.describe_item(item)} at "
            f"{common.describe_meeting(uow.config, m)}")


def _standing(uow: UnitOfWork, d: DecisionRow) -> None:
    done = correction_of(uow.session, d.id or 0)
    if done is None:
        return
    what = "corrected" if done.kind == "correction" else "rescinded"
    then = f"{done.corrected_at.astimezone(uow.config.zone):%-d %B %Y}"
    tail = (f"; correct decision {done.new_decision_id}, which replaced it"
            if done.new_decision_id else "")
    raise RuleRefused("corrections (only the decision that stands is corrected or rescinded)",
                      f"{_describe(uow, d)} was already {what} on {then} ({done.reason})"
                      f"{tail}")


def _reason(reason: str) -> None:
    if not reason.strip():
        raise InvalidInput("reason: missing; say why the recorded decision is wrong (the "
                           "reason is recorded and printed on the reissued notice and minutes)")


@dataclass(frozen=True)
class CorrectDecision(Action[DecisionRow]):
    """Correct a decision recorded wrongly: its resolution, reasons, alternatives rejected or
    its outcome (between approved, approved as amended and noted). The original is kept,
    marked superseded; the notice and minutes are reissued."""

    name = "decision correct"
    permission = SECRETARY
    decision_id: int
    reason: str
    outcome: str | None = None
    resolution: str | None = None
    reasons: str | None = None
    alternatives_rejected: str | None = None

    def validate(self, cfg: LocalityConfig) -> None:
        _reason(self.reason)
        if self.outcome is not None and self.outcome not in OUTCOME_LABELS:
            raise InvalidInput(f"outcome: {self.outcome!r} is not valid; a correction gives "
                               f"one of {', '.join(CORRECTABLE)}")
        if all(x is None for x in (self.outcome, self.resolution, self.reasons,
                                   self.alternatives_rejected)):
            raise InvalidInput("nothing to correct: give --outcome, --resolution, --reasons "
                               "or --alternatives with the corrected text")

    def load(self, uow: UnitOfWork) -> DecisionRow:
        return common.decision(uow.session, self.decision_id, "DECISION")

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return decision_scope(uow, loaded)

    def _after(self, d: DecisionRow) -> dict[str, str]:
        return {"outcome": self.outcome if self.outcome is not None else d.outcome,
                "text": (self.resolution if self.resolution is not None else d.text).strip(),
                "reasons": (self.reasons if self.reasons is not None else d.reasons).strip(),
                "alternatives_rejected": (self.alternatives_rejected
                                          if self.alternatives_rejected is not None
                                          else d.alternatives_rejected).strip()}

    def check(self, uow: UnitOfWork, loaded: Any) -> None:
        d: DecisionRow = loaded
        _standing(uow, d)
        after = self._after(d)
        body = uow.config.body_by_id(d.body_id or "")
        if after["outcome"] != d.outcome and (d.outcome not in CORRECTABLE
                                              or after["outcome"] not in CORRECTABLE):
                raise RuleRefused(
                    f"decision rule of the {body.name} ({body.decision_rule}): a correction "
                    "moves only between approved, approved as amended and noted",
                    f"{_describe(uow, d)} is recorded as "
                    f"{OUTCOME_LABELS.get(d.outcome, d.outcome).lower()} by the rule "
                    f"{d.rule_applied.replace('_', ' ')}; it cannot be corrected to "
                    f"{OUTCOME_LABELS.get(after['outcome'], after['outcome']).lower()}. "
                    "If it was recorded on the wrong item or never taken, rescind it "
                    "('s75 decision rescind')")
        if d.outcome == "referred" and after["text"] != d.text:
            raise RuleRefused(
                "corrections (a referral's resolution is worded from where it was referred)",
                f"{_describe(uow, d)} is a referral; its resolution names the bodies it was "
                "referred to and is not corrected by hand; rescind it if it was recorded "
                "wrongly")
        if after["outcome"] == "amended" and not after["text"]:
            raise InvalidInput("resolution: missing; a decision approved as amended records "
                               "the resolution as amended (--resolution)")
        if body.executive and after["outcome"] != "noted" and not after["reasons"]:
            raise InvalidInput("reasons: missing; an executive decision record states the "
                               "reasons for the decision (SI 2012/2089 reg 12)")
        before = {k: getattr(d, k) or "" for k in FIELDS}
        if all(before[k] == after[k] for k in FIELDS):
            raise InvalidInput(f"nothing to correct: {_describe(uow, d)} already reads as "
                               "given")

    def write(self, uow: UnitOfWork, loaded: Any) -> DecisionRow:
        d: DecisionRow = loaded
        after = self._after(d)
        def shown(k: str, value: str, outcome: str) -> str:
            # The resolution as the record printed it (a blank one is worded from the outcome).
            return resolution(DecisionFacts(outcome, d.rule_applied, value)) if k == "text" \
                else value
        changed = [{"field": LABELS[k], "before": shown(k, getattr(d, k) or "", d.outcome),
                    "after": shown(k, after[k], after["outcome"])}
                   for k in FIELDS if (getattr(d, k) or "") != after[k]]
        fields: dict[str, Any] = {k: getattr(d, k) for k in DecisionRow.model_fields
                                  if k not in ("id", *FIELDS)}
        new = DecisionRow(**fields, **after)  # type: ignore[arg-type]
        new.decided_at = d.decided_at
        new.details = {**(d.details or {}), "corrects": d.id}
        uow.session.add(new)
        uow.session.flush()
        assert new.id is not None and d.id is not None
        uow.session.add(DecisionCorrectionRow(
            decision_id=d.id, kind="correction", new_decision_id=new.id,
            reason=self.reason.strip(), changed=changed, corrected_by=uow.actor,
            corrected_at=uow.now))
        uow.session.flush()
        item = common.item(uow.session, d.item_id)
        uow.emit(DecisionCorrected(
            decision_id=new.id, corrects_id=d.id, item_id=d.item_id,
            meeting_id=d.meeting_id or item.meeting_id, body_id=d.body_id or "",
            outcome=new.outcome, reason=self.reason.strip(), changed=changed))
        return new


@dataclass(frozen=True)
class RescindDecision(Action[DecisionCorrectionRow]):
    """Rescind a decision recorded wrongly (on the wrong item, or never taken): the record is
    kept, marked rescinded with the reason; items it referred to other bodies that they have
    not yet taken are withdrawn; the notice and minutes are reissued."""

    name = "decision rescind"
    permission = SECRETARY
    decision_id: int
    reason: str

    def validate(self, cfg: LocalityConfig) -> None:
        _reason(self.reason)

    def load(self, uow: UnitOfWork) -> DecisionRow:
        return common.decision(uow.session, self.decision_id, "DECISION")

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return decision_scope(uow, loaded)

    def _referred(self, uow: UnitOfWork, d: DecisionRow) -> list[AgendaItemRow]:
        out = []
        for rid in (d.details or {}).get("referrals", []):
            r = uow.session.get(ReferralRow, rid)
            if r is not None and r.to_item_id is not None:
                out.append(common.item(uow.session, r.to_item_id))
        return out

    def check(self, uow: UnitOfWork, loaded: Any) -> None:
        d: DecisionRow = loaded
        _standing(uow, d)
        for it in self._referred(uow, d):
            if it.state not in PENDING and it.state != "withdrawn":
                m = common.meeting(uow.session, it.meeting_id)
                raise RuleRefused(
                    "corrections (a referral already taken by the body it went to stands)",
                    f"{_describe(uow, d)} referred the matter to "
                    f"{common.describe_meeting(uow.config, m)} as {common.describe_item(it)}, "
                    f"which is {it.state}; correct the record there, not here")

    def write(self, uow: UnitOfWork, loaded: Any) -> DecisionCorrectionRow:
        d: DecisionRow = loaded
        assert d.id is not None
        withdrawn = []
        for it in self._referred(uow, d):
            if it.state in PENDING:
                items.move(uow, it, "withdrawn", {"reason": (
                    f"the decision referring it was rescinded: {self.reason.strip()}")})
                withdrawn.append(it.id or 0)
        row = DecisionCorrectionRow(decision_id=d.id, kind="rescission",
                                    reason=self.reason.strip(), corrected_by=uow.actor,
                                    corrected_at=uow.now)
        uow.session.add(row)
        uow.session.flush()
        item = common.item(uow.session, d.item_id)
        uow.emit(DecisionRescinded(
            decision_id=d.id, item_id=d.item_id, meeting_id=d.meeting_id or item.meeting_id,
            body_id=d.body_id or "", reason=self.reason.strip(), rescinded_outcome=d.outcome,
            withdrawn_item_ids=withdrawn))
        return row
