"""One agenda item's report as the pack prints it: the cover sheet (blank optional fields
print "Not provided", never invented text), file 000's compliance checklist, the Markdown text
in numbered paragraphs, the appendices."""

from __future__ import annotations

import re
from collections.abc import Callable

from decisions.checklist import DOCUMENTATION, STATUTORY
from decisions.terms import LocalityConfig
from notifications.documents.markdown import sections
from notifications.documents.views import (
    Appendix,
    ChecklistLine,
    ComplianceChecklist,
    CoverSheet,
    ReportView,
)
from workflows.committee.tables import AgendaItemRow

NOT_PROVIDED = "Not provided"
"""What a cover sheet prints for a field its author left blank: never invented text."""


def is_urgent_late(item: AgendaItemRow) -> bool:
    """A late item the chair accepted as urgent: it goes in the supplement, numbered on from
    the main agenda."""
    return bool(item.late and item.urgency_consent_by and item.standing is None)


def is_followed(item: AgendaItemRow) -> bool:
    """A report listed "to follow" on the published agenda and supplied since: it goes in the
    supplement, keeping its place and number on the agenda."""
    return item.report_followed_at is not None and item.standing is None


def is_supplementary(item: AgendaItemRow) -> bool:
    """The report is published in the supplement, not the main pack."""
    return is_urgent_late(item) or is_followed(item)


def _lines(text: str) -> tuple[str, ...]:
    parts = [p.strip(" -•\t") for p in re.split(r"\n|;\s", text or "") if p.strip(" -•\t")]
    return tuple(parts) or (NOT_PROVIDED,)


def report_view(cfg: LocalityConfig, item: AgendaItemRow, number: str,
                interest: str = "", regime: str = "lga1972",
                pdf: Callable[[int], bytes] | None = None) -> ReportView:
    """``pdf`` loads a PDF appendix by its id (packs bind them in; left out otherwise)."""
    c = item.cover or {}
    cover = CoverSheet(
        _lines(c.get("decisions_required", "")), _lines(c.get("key_points", "")),
        _lines(c.get("impacts", "")), c.get("business_plan_link", "") or NOT_PROVIDED,
        c.get("conflicts_of_interest", "") or NOT_PROVIDED,
        c.get("previously_discussed", "") or NOT_PROVIDED,
        c.get("sponsor", "") or NOT_PROVIDED, c.get("presenter", "") or NOT_PROVIDED,
        item.public_interest_reason or "")
    appendices = tuple(
        Appendix(str(n), str(a.get("title", f"Appendix {n}")),
                 sections(str(a.get("text", ""))), str(a.get("filename", "")),
                 int(a.get("pages", 0)), str(a.get("sha256", "")),
                 pdf(int(a["appendix_id"])) if pdf and a.get("appendix_id") else b"")
        for n, a in enumerate(item.appendices or [], start=1) if isinstance(a, dict))
    return ReportView(number, item.title, cover, sections(item.body_text), (), appendices,
                      _checklist(item), item.part, item.exempt_paragraph,
                      item.public_interest_reason or "", item.lead, interest,
                      1 if is_supplementary(item) else None, regime)


def _checklist(item: AgendaItemRow) -> ComplianceChecklist:
    answers = item.checklist or {}
    return ComplianceChecklist(
        tuple(ChecklistLine(label, answer) for label, answer in DOCUMENTATION),
        tuple(ChecklistLine(label, str(answers.get(key, NOT_PROVIDED)))
              for key, label in STATUTORY.items()))


