"""View models for the documents that stand outside one meeting: executive decision notices,
the forward plan, terms of reference, the gateway status report and the pool statement.
Plain, frozen dataclasses the templates read (overview in ``views.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Rag = Literal["green", "amber", "red", "grey"]


# Decisions and the forward plan -----------------------------------------------------------
@dataclass(frozen=True)
class DecisionNoticeView:
    """Executive decision record: the fields of SI 2012/2089 reg 12."""

    reference: str
    title: str
    decision_maker: str
    decided_on: date
    decision: str
    reasons: str
    alternatives_rejected: tuple[str, ...]
    interests_declared: tuple[str, ...]
    dispensations: tuple[str, ...]
    published_on: date
    call_in_expires: date | None
    """Last day of the call-in window; None when the decision is not subject to call-in."""
    rule_applied: str = ""
    key_decision: bool = False
    forward_plan_ref: str = ""
    urgency: str = ""
    """Why call-in does not apply (urgency, with the scrutiny chair's consent)."""
    contact: str = ""
    locality: str = ""
    part: int = 1
    exempt_paragraph: int | None = None
    public: bool = False
    regime: str = "lga1972"
    minute: str = ""
    """The minute number recording the decision."""
    outcome: str = ""
    referred_to: tuple[str, ...] = ()
    """Each body the decision is referred to, with the meeting it is placed at (in words)."""
    legal_basis: str = ""
    """Under which law the body records the decision (decisions.access.decision_record_basis)."""
    implementation: str = ""
    """From which date the decision may be implemented (decisions.key_decisions)."""
    call_in_note: str = ""
    """A call-in of the decision and its resolution, in words."""
    call_in_days: int = 5
    """The body's call-in window, in working days from the publication of the notice."""
    status: str = ""
    """"" for a decision as recorded; "corrected" for the record replacing one recorded
    wrongly; "rescinded" for a decision struck from the record."""
    corrections: tuple[str, ...] = ()
    """The trail in words: when, by whom and why the record was corrected or rescinded, and
    what it first said."""


@dataclass(frozen=True)
class ForwardPlanEntry:
    """SI 2012/2089 reg 9(1): the matter, who decides, when, the documents, and where from."""

    reference: str
    matter: str
    decision_maker: str
    expected: str
    key_decision: bool
    documents: tuple[str, ...]
    documents_address: str
    other_documents: str
    first_notice: date
    wards: str = "All wards"
    exempt_paragraph: int | None = None


@dataclass(frozen=True)
class ForwardPlanView:
    authority: str
    period: str
    published_on: date
    entries: tuple[ForwardPlanEntry, ...]
    contact: str = ""

    @property
    def title(self) -> str:
        return f"{self.authority}: forward plan of key decisions, {self.period}"


# Terms of reference -----------------------------------------------------------------------
@dataclass(frozen=True)
class TermsClause:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class TermsView:
    body_name: str
    locality: str
    partners: tuple[str, ...]
    members: tuple[tuple[str, str], ...]
    """(role or name, partner) in config order."""
    clauses: tuple[TermsClause, ...]

    @property
    def title(self) -> str:
        return f"{self.body_name}: terms of reference"


# Gateways and the pool --------------------------------------------------------------------
@dataclass(frozen=True)
class GatewayCell:
    month: str
    rag: Rag
    label: str
    """What the status means in words (not colour alone): "Go", "Go with conditions"..."""


@dataclass(frozen=True)
class OpenCondition:
    text: str
    owner: str
    due: date | None
    partner: str = ""


@dataclass(frozen=True)
class GatewayProposal:
    reference: str
    title: str
    state: str
    cells: tuple[GatewayCell, ...]
    conditions: tuple[OpenCondition, ...] = ()


@dataclass(frozen=True)
class GatewayReportView:
    locality: str
    as_of: date
    months: tuple[str, ...]
    proposals: tuple[GatewayProposal, ...]

    @property
    def title(self) -> str:
        return f"{self.locality}: gateway status report, {self.as_of:%-d %B %Y}"


@dataclass(frozen=True)
class PoolLineView:
    service: str
    lead: str
    contributions: tuple[Decimal | None, ...]
    """One per partner, in :attr:`PoolStatementView.partners` order; None while 'tbc'."""
    budget: Decimal | None
    forecast: Decimal | None = None

    @property
    def variance(self) -> Decimal | None:
        if self.budget is None or self.forecast is None:
            return None
        return self.forecast - self.budget

    @property
    def variance_pct(self) -> Decimal | None:
        v = self.variance
        if v is None or not self.budget:
            return None
        return (v * 100 / self.budget).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class PoolStatementView:
    pool_name: str
    locality: str
    financial_year: str
    period: str
    host: str
    fund_manager: str
    partners: tuple[str, ...]
    lines: tuple[PoolLineView, ...]
    risk_share_basis: str
    risk_shares: tuple[Decimal, ...]
    """Each partner's share (0-1) of an overspend, in partner order."""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return f"{self.pool_name}: statement {self.financial_year}, {self.period}"
