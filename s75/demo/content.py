"""The demo's reports: cover sheets and text in the shape of the source papers (seeds files
000, 003, 004), with the locality's own names filled in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Report:
    title: str
    body: str
    action: str = "for_decision"
    lead: str = ""
    part: int = 1
    exempt_paragraph: int | None = None
    public_interest_reason: str | None = None
    cover: dict[str, str] = field(default_factory=dict)
    appendices: tuple[dict[str, Any], ...] = ()


def cover(decisions: str, key_points: str, *, sponsor: str, presenter: str,
          previously: str = "Not previously discussed.") -> dict[str, str]:
    return {
        "decisions_required": decisions,
        "key_points": key_points,
        "impacts": "Financial: as set out in section 3. Legal: the arrangements are made under "
                   "section 75 of the NHS Act 2006 and SI 2000/617. Equality: no adverse impact "
                   "identified.",
        "business_plan_link": "Delivers the locality plan's aim of a single commissioning "
                              "function and an expanded pooled budget.",
        "conflicts_of_interest": "Members with an interest in a provider named in the report "
                                 "should declare it.",
        "previously_discussed": previously,
        "sponsor": sponsor,
        "presenter": presenter,
    }


PARAS = (
    "The report sets out progress in moving to a single commissioning function between the "
    "partners and the steps needed to progress to an expanded pooled budget and the associated "
    "governance.",
    "Financial risk share arrangements will be in proportion to the respective contributions of "
    "each constituent organisation to the pooled budget. As the pool expands this will be "
    "reviewed and new arrangements agreed by all parties.",
    "The Joint Commissioning Committee will aim to achieve a consensus for all decisions. Where "
    "consensus cannot be reached the previously responsible Board or Cabinet will have the "
    "decision referred to them.",
)


PLAN_TABLE = """# Priorities by service line

| Service line | Priority for the year | Budget £000 |
|---|---|---:|
| Adult community services | Discharge to assess; reablement | 38,080 |
| Mental health | Crisis care; community recovery | 12,400 |
| Learning disability | Supported living | 9,150 |

The plan asks the committee to:

- confirm the priorities for each service line;
- agree that the risk share stays in proportion to contributions;
- ask for a mid-year report on progress.
"""


def eia_appendix() -> dict[str, Any]:
    """An equality impact assessment as an author would supply it: a PDF of two pages."""
    from notifications.documents.render import html_to_pdf

    pdf = html_to_pdf(
        "<html lang='en-GB'><head><title>Equality impact assessment</title><style>"
        "body { font-family: sans-serif; font-size: 11pt }</style></head><body>"
        "<h1>Equality impact assessment: commissioning plan 2019/20</h1>"
        "<p>Screening: the plan changes how services are commissioned, not who may use them. "
        "No adverse impact on any protected characteristic was identified.</p>"
        "<h2 style='page-break-before: always'>Monitoring</h2><p>Uptake by age, sex, "
        "ethnicity and disability will be reported to the committee with the mid-year "
        "review.</p></body></html>").pdf
    return {"title": "Equality impact assessment", "pdf": pdf, "filename": "eia-2019-20.pdf"}


def body(*extra: str) -> str:
    return "\n\n".join((*extra, *PARAS))


def REPORTS(locality: str, line_service: str, expansion: str, partners: str) -> dict[str, Report]:
    """Every report the year needs, keyed by its place in the script."""
    sponsor, presenter = "Director of People", "Programme Director, Strategic Commissioning"
    return {
        "aip": Report(
            f"{expansion}: approval in principle",
            body(f"{partners} are asked to approve in principle the expansion of the "
                 f"{locality} pooled budget to include {expansion}, and its scope."),
            lead="Programme Director",
            cover=cover("Approve in principle the expansion of the pool and its scope.",
                        "Scope, principles and timetable to a formal s75 agreement by 31 March.",
                        sponsor=sponsor, presenter=presenter)),
        "hot": Report(
            f"{expansion}: heads of terms",
            body("The heads of terms set out the scope, each partner's contribution, the risk "
                 "share and the governance. Joint teams will then run in shadow mode, with a "
                 "monthly gateway at which each partner confirms it is comfortable to proceed."),
            lead="Programme Director",
            cover=cover("Approve the heads of terms.", "Contributions, risk share, governance.",
                        sponsor=sponsor, presenter=presenter,
                        previously="Approval in principle, earlier this year.")),
        "s75": Report(
            f"{expansion}: Section 75 agreement",
            body("The agreement covers every matter in regulation 7 of SI 2000/617: aims and "
                 "outcomes, contributions and how they are varied, functions, services, staff, "
                 "goods and accommodation, duration, review, variation and termination, and the "
                 "management and monitoring of the fund, with quarterly reports to partners."),
            lead="Programme Director",
            cover=cover("Approve the Section 75 agreement and authorise the named officers to "
                        "sign it before 31 March.", "The agreement is ready for signature.",
                        sponsor=sponsor, presenter=presenter,
                        previously="Heads of terms; monthly gateways in shadow operation."),
            appendices=({"title": "Appendix A: draft Section 75 agreement",
                         "text": "Schedule 1: aims and outcomes. Schedule 2: contributions. "
                                 "Schedule 3: risk share. Schedule 4: governance."},)),
        "budget": Report(
            "Pooled budget monitoring: forecast outturn",
            body("The table compares budget with forecast outturn for each service line of the "
                 "pool. The forecast overspend will be shared in proportion to contributions."),
            action="to_note", lead="Chief Financial Officer",
            cover=cover("Note the forecast outturn.", "Forecast overspend within tolerance.",
                        sponsor="Chief Financial Officer", presenter="Head of Finance")),
        "plan": Report(
            "Pooled budget 2019/20: commissioning plan and risk share",
            body("The commissioning plan for the year sets the priorities for each service line "
                 "of the pool and confirms the risk share.") + "\n\n" + PLAN_TABLE,
            lead="Programme Director", appendices=(eia_appendix(),),
            cover=cover("Approve the commissioning plan for the year.", "Priorities per line.",
                        sponsor=sponsor, presenter=presenter)),
        "referral": Report(
            f"{line_service}: recommissioning of hospice at home",
            body("A new model of hospice at home care is proposed, with the contract awarded to "
                 "the preferred bidder from the procurement."),
            lead="Director of Commissioning",
            cover=cover("Approve the award of the contract.", "Procurement outcome; value.",
                        sponsor=sponsor, presenter="Director of Commissioning")),
        "urgent": Report(
            "Winter pressures: additional discharge-to-assess beds",
            body("Demand for discharge from hospital has risen sharply since the agenda was "
                 "published; 20 additional discharge-to-assess beds are proposed from December."),
            lead="Director of Adult Social Services",
            cover=cover("Approve 20 additional discharge-to-assess beds for the winter.",
                        "Rising delayed transfers of care.", sponsor=sponsor,
                        presenter="Director of Adult Social Services")),
        "interest": Report(
            "Primary care-led support to care homes",
            body("A primary care-led service of weekly ward rounds in every care home is "
                 "proposed, to be commissioned from the GP practices in each neighbourhood."),
            lead="Director of Transformation",
            cover=cover("Approve the commissioning of the service from GP practices.",
                        "Fewer hospital admissions from care homes.", sponsor=sponsor,
                        presenter="Director of Transformation")),
        "exempt": Report(
            "Care home fee negotiations with providers",
            body("The negotiating position for the care home fee uplift, with the figures "
                 "each provider has put forward: £612 per week residential, £689 nursing."),
            part=2, exempt_paragraph=3, lead="Director of Commissioning",
            public_interest_reason="Disclosure would prejudice the partners' negotiating "
                                   "position with providers; the public interest in keeping "
                                   "it exempt outweighs that in disclosure while negotiations "
                                   "are live.",
            cover=cover("Agree the negotiating mandate.", "Fee proposals from providers.",
                        sponsor=sponsor, presenter="Director of Commissioning"),
            appendices=({"title": "Appendix B: provider fee proposals (exempt)",
                         "text": "Provider A £612; Provider B £689; Provider C £701."},)),
    }
