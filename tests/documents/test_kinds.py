"""Every document kind, read back with pypdf: what a member, secretary or auditor sees."""

from __future__ import annotations

import pytest

from tests.documents.doc_helpers import is_tagged_ua, reader, text, title

ALL = ["agenda", "agenda_public", "minutes", "minutes_public", "actions", "notice",
       "forward_plan", "terms", "gateway", "pool", "pool_config", "report"]


@pytest.mark.parametrize("kind", ALL)
def test_every_document_is_tagged_pdf_ua_with_title_and_language(
        docs: dict[str, bytes], kind: str) -> None:
    pdf = docs[kind]
    assert is_tagged_ua(pdf)
    assert title(pdf)
    root = reader(pdf).trailer["/Root"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    pages = len(reader(pdf).pages)
    assert f"Page 1 of {pages}" in text(pdf)


def test_agenda_has_file_000_columns_parts_and_next_meeting(docs: dict[str, bytes]) -> None:
    t = text(docs["agenda"])
    for column in ("Item", "Agenda item", "Report", "Action", "Indicative timing", "Lead"):
        assert column in t
    assert t.index("Part 1: items to be considered in public") < t.index("Part 2: items")
    assert "Stockport Together funding update" in t and "G Mullins" in t
    assert "Exclusion of the public" in t
    assert "Wednesday 10 July 2019" in t
    assert "notified to jcc.secretary@example.org by Wednesday 26 June 2019" in t
    assert title(docs["agenda"]) == "Joint Commissioning Committee: agenda, 12 June 2019"


def test_report_cover_sheet_and_compliance_checklist(docs: dict[str, bytes]) -> None:
    t = text(docs["report"])
    for field in ("What decisions do you require of the Joint Commissioning Committee?",
                  "Please detail the key points of this report",
                  "What are the likely impacts and/or implications?",
                  "How does this link to the Annual Business Plan?",
                  "What are the potential conflicts of interest?",
                  "Where has this report been previously discussed?", "Sponsor", "Presented by",
                  "Reason for being in Part 2"):
        assert field in t
    assert "Compliance checklist" in t and "Paragraph numbers in place" in t
    assert "6.2 The CCG and the council" in t  # paragraph numbers: item.n
    assert "Appendix A: Budget monitoring" in t and "A.1" in t
    assert "Children's Services 29,911 32,233 2,322 7.8%" in t


def test_minutes_record_attendance_interests_rules_urgency_and_exclusion(
        docs: dict[str, bytes]) -> None:
    t = text(docs["minutes"])
    assert "Draft minutes" in t
    for heading in ("Present", "Apologies", "In attendance", "Declarations of interest"):
        assert heading in t
    assert "Left the room for the item and took no part in the discussion or vote" in t
    assert "Consensus: no member objected." in t
    assert "Referral: consensus was not reached" in t
    assert "Deferral for want of quorum" in t
    assert "Urgent item. The chair agreed" in t and "could not wait until 10 July" in t
    # The resolution excluding the public comes before the Part 2 item.
    assert t.index("Exclusion of the public") < t.index(
        "9. Care homes block contract: negotiation position (Part 2)")
    assert "section 100A(4)" in t


def test_action_log_lists_owners_due_dates_and_status(docs: dict[str, bytes]) -> None:
    t = text(docs["actions"])
    assert "Open actions (2)" in t and "Completed actions (1)" in t
    assert "Director of Public Health" in t and "11 Sep 2019" in t
    assert "Open – overdue" in t  # A-2019-009 was due 31 May


def test_decision_notice_has_reg_12_fields_and_call_in_expiry(docs: dict[str, bytes]) -> None:
    t = text(docs["notice"])
    for field in ("Record of decision", "SI 2012/2089", "Decision maker", "Date of decision",
                  "Reasons for the decision", "Alternative options considered and rejected",
                  "Conflicts of interest declared", "Dispensations granted"):
        assert field in t
    assert "the call-in period ends at 5pm on Friday 21 June 2019" in t


def test_forward_plan_has_reg_9_fields(docs: dict[str, bytes]) -> None:
    t = text(docs["forward_plan"])
    for field in ("Matter in respect of which a decision is to be made", "Decision maker",
                  "Date or period of the decision", "Documents submitted to the decision maker",
                  "Address from which documents may be obtained", "Exempt information"):
        assert field in t
    assert "FP/2019/031" in t and "paragraph 3 of Schedule 12A" in t


def test_terms_of_reference_are_rendered_from_config(docs: dict[str, bytes]) -> None:
    t = text(docs["terms"])
    assert "Joint Commissioning Committee: terms of reference" in t
    assert "jointly chaired by the Leader of the Council and Chair of the CCG" in t
    assert "The quorum is 6 members, including at least 3 from each partner." in t
    assert "referred to the sovereign body" in t
    assert "£20,000,000" in t
    assert "GP Board Director (3) NHS Bolton CCG" in t


def test_gateway_report_gives_rag_in_words(docs: dict[str, bytes]) -> None:
    t = text(docs["gateway"])
    assert "Go with conditions" in t and "Pause" in t and "No gateway" in t
    assert "Population health contribution confirmed" in t


def test_pool_statement_lines_risk_share_variance_and_chart(docs: dict[str, bytes]) -> None:
    t = text(docs["pool"])
    assert "Care Homes and Home Care Supported Living" in t
    assert "£159.90m" in t  # budget excluding the tbc line
    assert "Population Health (Adult Public Health)" in t and "tbc" in t
    assert "Bolton Council 50.0% £850,000" in t
    assert "Budget and forecast outturn by service line" in t
    # The config-only statement has the pool as set, with no forecast yet.
    assert "£159.90m" in text(docs["pool_config"])
