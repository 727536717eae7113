"""Each body's documents and pages state the law it meets and decides under (issue #13 point
1), read back as a member of the public reads them: the agenda, the public pack, the minutes,
the decision notice, the terms of reference and the meeting's web page.

- an executive (Council Cabinet): SI 2012/2089, a reg 12 record, call-in from the notice's
  publication, its terms agreeing;
- a joint committee (JCC): LGA 1972 Part VA, its own decision record, not subject to call-in,
  its terms agreeing;
- an NHS board (CCG Board): the Public Bodies (Admission to Meetings) Act 1960, not Schedule
  12A, and its own secretary as the contact, not the council's Democratic Services."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.principals import COVER_ARGS
from tests.rules.world import CABINET, CABINET_VOTES, CCG, COUNCIL, World, make_world

CCG_VOTES = ("--vote", "ccg_chair=for", "--vote", "accountable_officer=for", "--vote",
             "cfo=for", "--vote", "gp_director_1=for", "--reasons", "Safe staffing",
             "--alternatives", "Do nothing")


@dataclass(frozen=True)
class Docs:
    w: World
    meeting: dict[str, int]
    decision: dict[str, int]


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Docs]:
    w = make_world(tmp_path_factory.mktemp("legal_basis"))
    days = {"jcc": "2019-04-10", "ccg_board": "2019-04-26", "cabinet": "2019-04-15"}
    meeting = {b: w.meeting(b, day) for b, day in days.items()}
    present = {"jcc": COUNCIL + CCG, "ccg_board": CCG, "cabinet": CABINET}
    votes = {"jcc": (), "ccg_board": CCG_VOTES, "cabinet": CABINET_VOTES}
    extra = {"jcc": ("--pool-line", "learning_disability"), "ccg_board": (),
             "cabinet": ("--amount", "150000")}
    exempt = {"jcc": ("--paragraph", "3"), "ccg_board": (), "cabinet": ("--paragraph", "3")}
    decision = {}
    for b, m in meeting.items():
        day = days[b]
        item = w.ready_item(m, f"Community equipment ({b})", *extra[b], submitted="2019-03-20",
                            published="2019-04-01")
        w.ready_item(m, f"Provider contract prices ({b})", "--part", "2", *exempt[b],
                     "--exempt-reason", "Prices are commercially sensitive until let",
                     submitted="2019-03-20", published="2019-04-01")
        w.json("meeting", "attend", m, *present[b], now=f"{day}T15:00")
        decision[b] = w.json("decide", item, *votes[b], now=f"{day}T16:00")["decision"]
        assert w.run("meeting", "hold", m, now=f"{day}T17:00").code == 0
    yield Docs(w, meeting, decision)


def test_nhs_board_papers_cite_the_1960_act_and_its_own_secretary(docs: Docs) -> None:
    m = docs.meeting["ccg_board"]
    for kind in ("agenda", "minutes"):
        t = docs.w.pdf_text(kind, m, "--public")
        assert "Public Bodies (Admission to Meetings) Act 1960" in t, kind
        assert "Schedule 12A" not in t and "Local Government Act 1972" not in t, kind
    agenda = docs.w.pdf_text("agenda", m, "--public")
    assert "The CCG Board meets under the Public Bodies (Admission to Meetings) Act 1960." in \
        agenda
    assert ("CCG Board Secretary, NHS Bolton CCG, ccg.board.secretary@example.org"
            in agenda)
    assert "Democratic Services" not in agenda
    assert ("Exempt: section 1(2) of the Public Bodies (Admission to Meetings) Act 1960: "
            "publicity would be prejudicial to the public interest") in agenda
    pack = docs.w.pdf_text("pack", m, "--public")
    assert "Schedule 12A" not in pack and "Democratic Services" not in pack
    notice = docs.w.pdf_text("notice", docs.decision["ccg_board"])
    assert ("The decision record of CCG Board, an NHS board meeting under the Public Bodies "
            "(Admission to Meetings) Act 1960. It is not an executive decision under SI "
            "2012/2089 and is not subject to call-in.") in notice
    assert "regulation 12" not in notice and "Democratic Services" not in notice
    assert "Contact: CCG Board Secretary, NHS Bolton CCG, ccg.board.secretary@example.org" in \
        notice
    terms = docs.w.pdf_text("terms", "ccg_board")
    assert "open to the public under the Public Bodies (Admission to Meetings) Act 1960" in terms
    assert "Schedule 12A" not in terms
    assert "The CCG Board's decisions are not executive decisions and are not subject to " \
           "call-in" in terms


def test_joint_committee_notice_and_terms_agree_on_no_call_in(docs: Docs) -> None:
    notice = docs.w.pdf_text("notice", docs.decision["jcc"])
    assert ("The decision record of Joint Commissioning Committee, a joint committee of the "
            "partners meeting under Part VA of the Local Government Act 1972.") in notice
    assert "not an executive decision under SI 2012/2089 and is not subject to call-in" in notice
    assert "regulation 12" not in notice and "call-in period ends" not in notice
    assert "This decision may be implemented from Wednesday 10 April 2019." in notice
    agenda = docs.w.pdf_text("agenda", docs.meeting["jcc"], "--public")
    assert ("The Joint Commissioning Committee meets under Part VA of the Local Government Act "
            "1972 (a joint committee, s100J).") in agenda
    assert "paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972" in agenda
    terms = docs.w.pdf_text("terms", "jcc")
    assert ("The Joint Commissioning Committee's decisions are not executive decisions and are "
            "not subject to call-in; they may be implemented once recorded.") in terms
    assert "call-in period is" not in terms and "SI 2012/2089" not in terms


def test_executive_papers_cite_the_2012_regulations_and_call_in(docs: Docs) -> None:
    agenda = docs.w.pdf_text("agenda", docs.meeting["cabinet"], "--public")
    assert ("The Council Cabinet meets under the Local Authorities (Executive Arrangements) "
            "(Meetings and Access to Information) (England) Regulations 2012 (SI 2012/2089); "
            "exempt information is as defined in Schedule 12A to the Local Government Act "
            "1972.") in agenda
    assert "Democratic Services, Bolton Council, cabinet.clerk@example.org" in agenda
    notice = docs.w.pdf_text("notice", docs.decision["cabinet"])
    assert "Published under regulation 12 of the Local Authorities (Executive Arrangements)" in \
        notice
    # Decided and published Monday 15 April 2019: 5 working days, skipping Good Friday (19th)
    # and Easter Monday (22nd), end on Wednesday 24 April.
    assert "the call-in period ends at 5pm on Wednesday 24 April 2019" in notice
    assert "This decision may be implemented from Thursday 25 April 2019." in notice
    terms = docs.w.pdf_text("terms", "cabinet")
    assert ("The Council Cabinet's executive decisions may be called in by the Health and Adult "
            "Social Care Scrutiny Committee within 5 working days of the publication of the "
            "decision notice (Local Government Act 2000 s9F)") in terms
    assert "open to the public under the Local Authorities (Executive Arrangements)" in terms


def test_meeting_pages_say_the_same(docs: Docs) -> None:
    from s75.web.app import create_app
    from tests.web.client import TestClient
    from tests.web.web_helpers import visible, web_app

    app = web_app(docs.w.db)
    with TestClient(create_app(app, start_scheduler=False)) as c:
        pages = {b: visible(c.get(f"/meetings/{m}").text) for b, m in docs.meeting.items()}
        notices = {b: visible(c.get(f"/decisions/{d}").text)
                   for b, d in docs.decision.items()}
        agenda = visible(c.get(f"/meetings/{docs.meeting['ccg_board']}/agenda").text)
    app.close()
    assert "The CCG Board meets under the Public Bodies (Admission to Meetings) Act 1960." in \
        pages["ccg_board"]
    assert "Schedule 12A" not in pages["ccg_board"] + agenda
    assert "CCG Board Secretary, NHS Bolton CCG" in agenda
    assert "Democratic Services" not in agenda
    assert "(a joint committee, s100J)" in pages["jcc"]
    assert "SI 2012/2089" in pages["cabinet"]
    assert "not subject to call-in" in notices["jcc"] and "regulation 12" not in notices["jcc"]
    assert "regulation 12" in notices["cabinet"]
    assert "may be implemented from Thursday 25 April 2019" in notices["cabinet"]


def test_each_body_kind_deadline_rules_cite_its_own_law(docs: Docs) -> None:
    """The deadlines the scheduler keeps (``s75 deadlines list --json``) name each body's law:
    Cabinet SI 2012/2089 (reg 6(1) notice, regs 6(2) and 7 inspection), the JCC LGA 1972
    s100A(6)/s100B(3), the CCG Board the 1960 Act."""
    rules = {b: {d["kind"]: d["rule"] for d in docs.w.json("deadlines", "list", "--meeting", m)}
             for b, m in docs.meeting.items()}
    assert rules["cabinet"]["notice"] == "SI 2012/2089 reg 6(1): notice 5 clear days before"
    assert rules["cabinet"]["publication"] == ("SI 2012/2089 regs 6(2) and 7: open to "
                                               "inspection 5 clear days before")
    assert "1972" not in rules["cabinet"]["notice"] + rules["cabinet"]["publication"]
    assert rules["jcc"]["notice"] == "Local Government Act 1972 s100A(6): notice 5 clear days " \
                                     "before"
    assert rules["jcc"]["publication"].startswith("Local Government Act 1972 s100B(3)")
    assert rules["ccg_board"]["notice"].startswith(
        "Public Bodies (Admission to Meetings) Act 1960 s1(4)(a)")
    assert "1972" not in rules["ccg_board"]["notice"] + rules["ccg_board"]["publication"]


def test_executive_late_item_and_exclusion_cite_the_2012_regulations(docs: Docs) -> None:
    """A late item at Cabinet is refused under its own procedure rules and the 2012
    Regulations, not LGA 1972 s100B(4); its agenda and minutes exclude the public under reg
    4(2)(b); nothing is written on refusal."""
    w = docs.w
    cabinet = w.meeting("cabinet", "2019-05-20")  # item deadline Fri 3 May 2019
    item = w.json("item", "add", cabinet, "Late carers' grant", *COVER_ARGS,
                  now="2019-05-14")["id"]
    r = w.run("--as", "commissioning_lead", "item", "submit", item, "--on", "2019-05-14",
              now="2019-05-14")
    assert r.code == 2, r.text
    assert ("  - Refused by the executive procedure rules (SI 2012/2089 regs 6(2) and 7): the "
            "item was submitted on Tue 14 May 2019, after the item deadline of Fri 03 May 2019; "
            "a late item needs the chair's consent (who agreed it is urgent) and the special "
            "circumstances that make it urgent (recorded in the minutes)") in r.err
    assert "1972" not in r.err
    assert w.json("item", "show", item)["state"] == "draft"
    agenda = w.pdf_text("agenda", docs.meeting["cabinet"])
    assert ("on the grounds that it involves the likely disclosure of exempt information as "
            "defined in the paragraphs of Part 1 of Schedule 12A to the Local Government Act "
            "1972 shown against each item") in agenda
    assert "(SI 2012/2089 reg 4(2)(b))" in agenda
    minutes = w.pdf_text("minutes", docs.meeting["cabinet"])
    assert "paragraph(s) 3 of Part 1 of Schedule 12A" in minutes
    assert "(SI 2012/2089 reg 4(2)(b))" in minutes
    terms = w.pdf_text("terms", "cabinet")
    assert ("The agenda and reports are open to inspection 5 clear days before a meeting (regs "
            "6(2) and 7); public notice of a meeting is given 5 clear days before (reg 6(1))."
            ) in terms
    assert "(SI 2012/2089 reg 9)" in terms and "(reg 10)" in terms and "(reg 11)" in terms
    jcc_minutes = w.pdf_text("minutes", docs.meeting["jcc"])
    assert "SI 2012/2089" not in jcc_minutes
