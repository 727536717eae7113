"""Realistic sample view models taken from the seed papers (shared/seeds): the Stockport CCG
agenda and cover sheets (file 000), the Bolton pool and Joint Commissioning Committee
(file 003) and the Trafford budget monitoring tables (file 004). Used by tests, the docs'
pictures, the benchmark and ``s75 render --sample``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from decisions.access import EXECUTIVE_RECORD_BASIS
from notifications.documents.views import (
    ActionLogView,
    ActionView,
    AgendaEntry,
    AgendaView,
    Appendix,
    Attendee,
    ChecklistLine,
    ComplianceChecklist,
    CoverSheet,
    DataTable,
    DecisionNoticeView,
    DeclarationView,
    ForwardPlanEntry,
    ForwardPlanView,
    GatewayCell,
    GatewayProposal,
    GatewayReportView,
    MinuteItem,
    MinutesView,
    NextMeeting,
    OpenCondition,
    PackView,
    PoolLineView,
    PoolStatementView,
    ReportView,
    Section,
    SupplementView,
)

LONDON = ZoneInfo("Europe/London")
BODY = "Joint Commissioning Committee"
LOCALITY = "Bolton"
MEETING = datetime(2019, 6, 12, 14, 0, tzinfo=LONDON)
PART2_SECRET = "Provider X has offered a 3.7% uplift on the residential block contract"
PART2_FIGURE = "£4,816,250"

CHECKLIST = ComplianceChecklist(
    documentation=(
        ChecklistLine("Cover sheet completed", "Y"),
        ChecklistLine("Page numbers", "Y"),
        ChecklistLine("Paragraph numbers in place", "Y"),
        ChecklistLine("2 page executive summary in place (docs 6 pages or more in length)",
                      "n/a"),
        ChecklistLine("All text single space Arial 12. Headings Arial bold 12 or above, "
                      "no underlining", "Y"),
    ),
    statutory=(
        ChecklistLine("Change in financial spend: finance section completed", "To follow"),
        ChecklistLine("Service changes: public consultation completed and reported", "n/a"),
        ChecklistLine("Service changes: approved equality impact assessment included as "
                      "appendix", "n/a"),
        ChecklistLine("Patient level data impacted: privacy impact assessment included", "N"),
        ChecklistLine("Change in service supplier: procurement and tendering rationale "
                      "approved and included", "n/a"),
        ChecklistLine("Any form of change: risk assessment completed and included", "n/a"),
        ChecklistLine("Any impact on staff: consultation and EIA undertaken", "N"),
    ),
)


def _cover(decisions: tuple[str, ...], key: tuple[str, ...], impacts: tuple[str, ...],
           sponsor: str, presenter: str, conflicts: str = "None",
           previously: str = "Directors") -> CoverSheet:
    return CoverSheet(decisions, key, impacts, "Supports delivery of the annual business plan.",
                      conflicts, previously, sponsor, presenter)


RESOURCES = DataTable(
    "Resources in 2015/16 (£k)", ("Organisation", "Substantive staff", "Joint resource budget"),
    (("SCCG", "1,255", "600"), ("SFNHSFT", "935", "250"), ("SMBC", "1,009", "250"),
     ("Pennine Care", "25", "0"), ("Vanguard", "N/A", "150")),
    total=("Total", "3,224", "1,250"))

MONITORING = DataTable(
    "Budget monitoring results by service (£000s)",
    ("Service", "2016/17 budget", "Forecast outturn", "Forecast variance", "Percentage"),
    (("Children's Services", "29,911", "32,233", "2,322", "7.8%"),
     ("Adult Services (inc. Public Health)", "46,652", "46,910", "258", "0.6%"),
     ("Economic Growth, Environment & Infrastructure", "32,198", "31,919", "(279)", "(0.9)%"),
     ("Transformation & Resources", "16,939", "16,239", "(700)", "(4.1)%")),
    total=("Total service budgets", "125,700", "127,301", "1,601", "1.3%"))

POOL_TABLE = DataTable(
    "Proposed pool by service line (£m)", ("Service", "Council", "CCG", "Total"),
    (("Adult Community including End of Life & Hospices", "25.95", "25.95", "51.9"),
     ("Adult Mental Health community", "9.25", "9.25", "18.5"),
     ("Care Homes and Home Care Supported Living", "29.85", "29.85", "59.7"),
     ("Adult Learning Disability", "12.10", "12.10", "24.2"),
     ("Remaining BCF", "2.80", "2.80", "5.6"),
     ("Population Health (Adult Public Health)", "tbc", "tbc", "tbc")),
    total=("Total", "79.95", "79.95", "159.9"))


def sample_reports() -> tuple[ReportView, ...]:
    return (
        ReportView(
            "5", "Stockport Together funding update",
            _cover(("Approve the plan for the use of CCG resources in support of the Stockport "
                    "Together programme and receive quarterly progress reports.",),
                   ("Provides an update on the resourcing of Stockport Together.",),
                   ("The CCG has committed £600k to support Stockport Together, a recognised "
                    "unfunded pressure in 2015/16.",), "Ranjit Gill", "Gaynor Mullins"),
            (Section("Purpose", ("This is the report of the Chief Operating Officer to the "
                                 "committee for June 2019.",)),
             Section("Resourcing of Stockport Together", (
                 "Stockport Together is the name given to the portfolio of major change "
                 "programmes within health and social care.",
                 "Balancing these risks led to the CCG agreeing the investment of up to "
                 "£600,000 in 2015 at its June meeting.",
                 "The tables below show how the resources available during 2015/16 will be "
                 "utilised."), (RESOURCES,))),
            recommendations=("Approve the detailed plan for the use of CCG resources.",),
            checklist=CHECKLIST, author="the Chief Operating Officer"),
        ReportView(
            "6", "Integration of health and social care resources",
            _cover(("Agree additional pooling intentions for 2019/20.",
                    "Endorse the direction of travel beyond 2019/20.",
                    "Agree principles for the next stage."),
                   ("The paper proposes a significant increase in the pooled budget to "
                    "£159.9m.",),
                   ("It will require new commissioning arrangements to be developed.",),
                   "Dr Gill", "Gaynor Mullins / Gary Jones",
                   conflicts="Members who represent the council; GP members as providers.",
                   previously="Governing Body away day in May; pre-board session in June."),
            (Section("Decisions required", ("Agree additional pooling intentions.",)),
             Section("Introduction and case for change", (
                 "The CCG and the council have had a pooled budget agreement for a number of "
                 "years under a Section 75 agreement.",
                 "Both nationally and locally there is a drive for greater integration of "
                 "health and social care.")),
             Section("Proposed pool", ("The table below sets out the proposed pool.",),
                     (POOL_TABLE,)),
             Section("Risks", ("The main risk facing both partners is overspending against "
                               "the pool; the risk share is in proportion to contributions.",))),
            recommendations=("Approve the pooled budget of £160 million and risk share.",
                             "Authorise the Director of People and Accountable Officer to "
                             "enter into the Section 75 agreement."),
            appendices=(Appendix("A", "Budget monitoring", (
                Section("Period 6", ("Trafford's period 6 position, for comparison.",),
                        (MONITORING,)),)),),
            checklist=CHECKLIST, author="the Director of Transformation"),
        ReportView(
            "9", "Care homes block contract: negotiation position",
            _cover((f"Agree the negotiating mandate: {PART2_SECRET}.",),
                   (f"The proposed contract value is {PART2_FIGURE}.",), ("Commercial.",),
                   "Director of People", "Head of Commissioning"),
            (Section("Negotiation", (f"{PART2_SECRET}; officers recommend a counter offer.",),
                     (DataTable("Offer comparison (£)", ("Option", "Annual value"),
                                (("Provider offer", PART2_FIGURE), ("Counter offer",
                                                                     "£4,700,000"))),)),),
            appendices=(Appendix("A", "Provider correspondence", (
                Section("", ("Confidential letter from the provider dated 1 May 2019.",)),)),),
            part=2, exempt_paragraph=3,
            exempt_reason="Disclosure would prejudice the council's commercial position.",
            author="the Director of People"),
    )


def sample_agenda() -> AgendaView:
    entries = (
        AgendaEntry("1", "Apologies for absence", "Verbal", "To note", "14.00", "Chair"),
        AgendaEntry("2", "Declarations of interest", "Verbal", "To note", "14.02", "Chair"),
        AgendaEntry("3", "Minutes of the meeting held on 8 May 2019", "Written report",
                    "To approve", "14.05", "Chair"),
        AgendaEntry("4", "Action log", "Written report", "To note", "14.10", "Secretary"),
        AgendaEntry("5", "Stockport Together funding update", "Written report",
                    "To debate and approve", "14.15", "G Mullins"),
        AgendaEntry("6", "Integration of health and social care resources", "Written report",
                    "To debate and approve", "14.40", "Gary Jones"),
        AgendaEntry("9", "Care homes block contract: negotiation position", "Written report",
                    "For decision", "15.20", "Director of People", part=2, exempt_paragraph=3,
                    exempt_reason="Disclosure would prejudice the council's commercial "
                                  "position.", interest_declared=True),
    )
    return AgendaView(
        BODY, LOCALITY, MEETING, "Town Hall, Bolton", "Leader of the Council", entries,
        NextMeeting(datetime(2019, 7, 10, 14, 0, tzinfo=LONDON), "Town Hall, Bolton",
                    date(2019, 6, 26), "jcc.secretary@example.org"),
        contact="Democratic Services, jcc.secretary@example.org", published_on=date(2019, 6, 4),
        access_note="The committee meets under Part VA of the Local Government Act 1972.")


def sample_pack(public: bool = False, member: str | None = None) -> PackView:
    a = sample_agenda()
    reports = sample_reports()
    if member is None:
        from dataclasses import replace
        a = replace(a, entries=tuple(replace(e, interest_declared=False) for e in a.entries))
    else:
        from dataclasses import replace
        a = replace(a, member_name=member)
        reports = tuple(replace(r, interest_note="Non-pecuniary: a close family member works "
                                "for the provider.") if r.number == "9" else r for r in reports)
    return PackView(a, reports, public=public, member_name=member)


def sample_supplement(first_page: int = 12) -> SupplementView:
    from dataclasses import replace
    a = replace(sample_agenda(), entries=(AgendaEntry(
        "10", "Winter pressures: additional home care capacity", "Written report",
        "For decision", "15.40", "Director of Adult Social Services", supplement=1),))
    r = ReportView(
        "10", "Winter pressures: additional home care capacity",
        _cover(("Approve £350,000 from the pool for additional home care capacity.",),
               ("Providers have given notice that capacity ends on 30 June.",),
               ("Without a decision, 40 packages of care would end.",),
               "Director of Adult Social Services", "Head of Commissioning"),
        (Section("Background", ("Providers gave notice on 7 June 2019, after the agenda was "
                                "published.", "A decision cannot wait for the July meeting.")),),
        recommendations=("Approve £350,000 from the pool for additional home care capacity.",),
        checklist=CHECKLIST, supplement=1)
    return SupplementView(1, a, (r,), first_page, "Leader of the Council",
                          "Providers gave notice on 7 June that capacity ends on 30 June; "
                          "the decision cannot wait until the next meeting on 10 July.")


def sample_minutes() -> MinutesView:
    return MinutesView(
        BODY, LOCALITY, MEETING, "Town Hall, Bolton", "Leader of the Council",
        present=(Attendee("Leader of the Council", "co-chair, Bolton Council"),
                 Attendee("Chair of the CCG", "co-chair, NHS Bolton CCG"),
                 Attendee("Executive Member for Adults", "Bolton Council"),
                 Attendee("Director of Public Health", "Bolton Council"),
                 Attendee("Director of Corporate Resources", "Bolton Council"),
                 Attendee("Accountable Officer", "NHS Bolton CCG"),
                 Attendee("Chief Financial Officer", "NHS Bolton CCG"),
                 Attendee("GP Board Director (1)", "NHS Bolton CCG")),
        apologies=(Attendee("Statutory Director of Children's Services", "Bolton Council"),),
        in_attendance=(Attendee("Kate Smith", "Contact officer"),
                       Attendee("Head of Commissioning", "for item 9")),
        declarations=(DeclarationView(
            "GP Board Director (1)", "9", "Care homes block contract",
            "Non-pecuniary: a close family member works for the provider",
            "Left the room for the item and took no part in the discussion or vote"),),
        items=(
            MinuteItem("5", "Stockport Together funding update",
                       discussion=("The committee considered the resourcing plan.",),
                       decision="That the plan for the use of resources be approved.",
                       rule_applied="Consensus: no member objected."),
            MinuteItem("6", "Integration of health and social care resources",
                       discussion=("Members discussed the population health line, still tbc.",),
                       decision="That the decision be referred to the Council Cabinet.",
                       rule_applied="Referral: consensus was not reached (the Executive Member "
                                    "for Adults objected); referred to Council Cabinet, the "
                                    "sovereign body of the lead partner, under the terms of "
                                    "reference."),
            MinuteItem("8", "Winter pressures: additional home care capacity",
                       decision="That £350,000 be approved from the pool.",
                       rule_applied="Consensus.",
                       urgent_reason="Providers gave notice on 7 June that capacity ends on "
                                     "30 June; the decision could not wait until 10 July."),
            MinuteItem("9", "Care homes block contract: negotiation position", part=2,
                       exempt_paragraph=3, discussion=(f"{PART2_SECRET}.",),
                       decision="That the negotiating mandate be agreed.",
                       rule_applied="Deferral for want of quorum: with GP Board Director (1) "
                                    "out of the room only 2 CCG members remained, below the "
                                    "3 per partner the terms of reference require."),
        ),
        exclusion_resolution="That under section 100A(4) of the Local Government Act 1972 the "
                             "public be excluded from the meeting for item 9 on the grounds "
                             "that it involves the likely disclosure of exempt information as "
                             "defined in paragraph 3 of Part 1 of Schedule 12A.")


def sample_actions() -> ActionLogView:
    return ActionLogView(BODY, LOCALITY, date(2019, 6, 12), (
        ActionView("A-2019-014", "6 Integration", "Report the population health contribution "
                   "once due diligence is complete", "Director of Public Health",
                   date(2019, 9, 11), "open"),
        ActionView("A-2019-009", "4 Pool monitoring", "Circulate the quarter 4 pool return to "
                   "partners", "Chief Financial Officer", date(2019, 5, 31), "open"),
        ActionView("A-2019-003", "7 Governance", "Amend the constitution to delegate to the "
                   "committee", "Borough Solicitor", date(2019, 4, 30), "done",
                   note="Closed 8 May 2019: amendments approved by full council."),
    ))


def sample_notice() -> DecisionNoticeView:
    return DecisionNoticeView(
        "CABINET/2019/06/5", "Stockport Together funding update", "Council Cabinet",
        date(2019, 6, 12),
        "That the plan for the use of CCG resources in support of the programme be approved "
        "and quarterly progress reports received.",
        "The programme is fundamental to improving care and financial sustainability.",
        ("Not to invest: rejected because the change is beyond existing teams' capacity.",),
        ("GP Board Director (1): non-pecuniary interest; left the room.",), (),
        date(2019, 6, 14), date(2019, 6, 21), rule_applied="Majority", key_decision=True,
        forward_plan_ref="FP/2019/031", contact="cabinet.clerk@example.org", locality=LOCALITY,
        legal_basis=EXECUTIVE_RECORD_BASIS,
        implementation="This decision may be implemented from Monday 24 June 2019.")


def sample_forward_plan() -> ForwardPlanView:
    return ForwardPlanView("Bolton Council", "July to October 2019", date(2019, 6, 14), (
        ForwardPlanEntry("FP/2019/031", "Approval of the Section 75 pooled budget of £159.9m "
                         "and risk share", "Council Cabinet", "15 July 2019", True,
                         ("Report of the Chief Executive and Accountable Officer",),
                         "Democratic Services, Town Hall, Bolton BL1 1RU",
                         "Background papers on request from the contact officer.",
                         date(2019, 6, 14)),
        ForwardPlanEntry("FP/2019/034", "Care homes block contract award", "Council Cabinet",
                         "September 2019", True, ("Report of the Director of People",),
                         "Democratic Services, Town Hall, Bolton BL1 1RU",
                         "None.", date(2019, 6, 14), exempt_paragraph=3),
    ), contact="Enquiries: democratic.services@example.org")


def sample_gateway() -> GatewayReportView:
    def cells(*labels: tuple[str, str]) -> tuple[GatewayCell, ...]:
        rag = {"Go": "green", "Go with conditions": "amber", "Pause": "red", "Stop": "red",
               "No gateway": "grey"}
        return tuple(GatewayCell(m, rag[label], label) for m, label in labels)  # type: ignore[arg-type]
    months = ("Jan 2019", "Feb 2019", "Mar 2019")
    return GatewayReportView(LOCALITY, date(2019, 3, 29), months, (
        GatewayProposal("P-1", "Expanded pooled budget 2019/20", "heads of terms agreed",
                        cells(("Jan 2019", "Go"), ("Feb 2019", "Go with conditions"),
                              ("Mar 2019", "Go")),
                        (OpenCondition("Population health contribution confirmed",
                                       "Director of Public Health", date(2019, 4, 30),
                                       "NHS Bolton CCG"),)),
        GatewayProposal("P-2", "Learning disability joint commissioning", "shadow running",
                        cells(("Jan 2019", "No gateway"), ("Feb 2019", "Pause"),
                              ("Mar 2019", "Go with conditions"))),
    ))


def sample_pool() -> PoolStatementView:
    m = Decimal(1_000_000)
    lines = (
        PoolLineView("Adult Community including End of Life & Hospices", "NHS Bolton CCG",
                     (Decimal("25.95") * m, Decimal("25.95") * m), Decimal("51.9") * m,
                     Decimal("52.6") * m),
        PoolLineView("Adult Mental Health community", "NHS Bolton CCG",
                     (Decimal("9.25") * m, Decimal("9.25") * m), Decimal("18.5") * m,
                     Decimal("18.3") * m),
        PoolLineView("Care Homes and Home Care Supported Living", "Bolton Council",
                     (Decimal("29.85") * m, Decimal("29.85") * m), Decimal("59.7") * m,
                     Decimal("61.0") * m),
        PoolLineView("Adult Learning Disability", "Bolton Council",
                     (Decimal("12.1") * m, Decimal("12.1") * m), Decimal("24.2") * m,
                     Decimal("24.2") * m),
        PoolLineView("Remaining BCF", "Bolton Council", (Decimal("2.8") * m,
                                                          Decimal("2.8") * m),
                     Decimal("5.6") * m, Decimal("5.5") * m),
        PoolLineView("Population Health (Adult Public Health)", "Bolton Council",
                     (None, None), None),
    )
    return PoolStatementView(
        "Adult Health and Social Care Pooled Budget", LOCALITY, "2019/20", "month 6",
        "Bolton Council", "Director of Corporate Resources (Section 151 Officer)",
        ("Bolton Council", "NHS Bolton CCG"), lines,
        "in proportion to contributions (file 003: 50:50)", (Decimal("0.5"), Decimal("0.5")),
        ("Quarterly reports and an annual return go to both partners (SI 2000/617 reg 7).",))


GENERATED_AT = datetime(2019, 6, 12, 16, 0, tzinfo=UTC)


def large_pack(items: int = 40, sections: int = 6, public: bool = False) -> PackView:
    """A pack of ``items`` reports made from the seed material (about 10 pages each with the
    defaults: 40 items make a pack of about 400 pages). For the benchmark."""
    from dataclasses import replace

    base = sample_reports()[:2]
    entries: list[AgendaEntry] = []
    reports: list[ReportView] = []
    for i in range(items):
        src = base[i % 2]
        number = str(i + 1)
        body = tuple(
            Section(f"{s.heading} ({k + 1})",
                    tuple(f"{p} (item {number}, section {k + 1}.) " * 3 for p in s.paragraphs)
                    + ("Officers will report progress to each meeting of the committee and to "
                       "the partners' sovereign bodies through the quarterly pool return.",) * 4,
                    s.tables)
            for k in range(sections) for s in src.sections)
        reports.append(replace(src, number=number, title=f"{src.title} ({number})",
                               sections=body))
        entries.append(AgendaEntry(number, f"{src.title} ({number})", "Written report",
                                   "To debate and approve", "", "Lead officer"))
    agenda = replace(sample_agenda(), entries=tuple(entries))
    return PackView(agenda, tuple(reports), public=public)
