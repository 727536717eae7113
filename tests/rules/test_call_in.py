"""Call-in done right (issue #13 point 2), through the CLI: the window runs from the
publication of the decision notice in working days; ``s75 decision call-in`` records who, why
and the scrutiny body and stops implementation; ``call-in-resolve`` upholds, refers back (onto
the decision-maker's next agenda) or withdraws; urgency with the scrutiny chair's consent
exempts a decision; every notice and listing says from when the decision may be implemented;
a call-in too late, twice, or of a non-executive body's decision exits 2 with the rule and the
dates, and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from tests.rules.world import CABINET, CABINET_VOTES, CCG, COUNCIL, World, make_world

MAY = "2019-05-20"


@dataclass(frozen=True)
class Decisions:
    w: World
    late_notice: int
    """Decided 20 May, recorded (notice published) Wednesday 22 May."""
    urgent_at_decide: int
    for_urgent: int
    for_referred_back: int
    for_upheld: int
    for_withdrawn: int
    jcc: int
    may_meeting: int
    june_meeting: int
    exempt: int
    """A Part 2 decision."""


@pytest.fixture(scope="module")
def d(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Decisions]:
    w = make_world(tmp_path_factory.mktemp("call_in"), cabinet_from="2019-05-01")
    may, june = w.meeting("cabinet", MAY), w.meeting("cabinet", "2019-06-17")
    titles = ["Carers' breaks grant", "Winter beds", "Day centres", "Home care framework",
              "Respite care", "Equipment store"]
    items = [w.ready_item(may, t, "--amount", "150000", submitted="2019-05-01",
                          published="2019-05-10") for t in titles]
    w.json("meeting", "attend", may, *CABINET, now="2019-05-20T11:00")
    ids = [w.json("decide", items[0], *CABINET_VOTES, now="2019-05-22T11:00")["decision"],
           w.json("decide", items[1], *CABINET_VOTES, "--urgent", "--consent-by",
                  "Cllr Ann Lee", "--urgent-reason", "Beds are needed before winter",
                  now="2019-05-20T15:00")["decision"]]
    ids += [w.json("decide", i, *CABINET_VOTES, now="2019-05-20T15:00")["decision"]
            for i in items[2:]]
    exempt = w.ready_item(may, "Care home fees (exempt)", "--amount", "150000", "--part", "2",
                          "--paragraph", "3", "--exempt-reason", "Fees under negotiation",
                          submitted="2019-05-01", published="2019-05-10")
    ids.append(w.json("decide", exempt, *CABINET_VOTES, now="2019-05-20T15:00")["decision"])
    m1 = w.meeting("jcc", "2019-04-10")
    j = w.ready_item(m1, "Learning disability packages review", "--pool-line",
                     "learning_disability")
    w.json("meeting", "attend", m1, *COUNCIL, *CCG, now="2019-04-10T15:00")
    jd = w.json("decide", j, now="2019-04-10T16:00")["decision"]
    yield Decisions(w, ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], jd, may, june, ids[6])


def test_window_runs_from_the_notice_published_two_days_after_the_meeting(
        d: Decisions) -> None:
    out = d.w.json("decision", "list", "--body", "cabinet", now="2019-05-23")
    row = next(r for r in out if r["decision"] == d.late_notice)
    # Met Monday 20 May; notice published Wednesday 22 May; five working days after it:
    # 23, 24, (27 May bank holiday), 28, 29, 30 May.
    assert row["decision_date"] == "2019-05-20" and row["notice_published_on"] == "2019-05-22"
    assert row["call_in_expires"] == "2019-05-30"
    assert row["implementation"] == "This decision may be implemented from Friday 31 May 2019."
    text = d.w.pdf_text("notice", d.late_notice)
    assert "Monday 20 May 2019 Wednesday 22 May 2019" in text  # decided, published
    assert ("This decision may be called in within 5 working days of the publication of this "
            "notice") in text
    assert "the call-in period ends at 5pm on Thursday 30 May 2019" in text
    assert "This decision may be implemented from Friday 31 May 2019." in text


def test_call_in_deadline_counts_from_publication(d: Decisions) -> None:
    from sqlmodel import Session, select

    from notifications.tables import DeadlineRow
    from s75.db import make_engine

    eng = make_engine(d.w.db)
    with Session(eng) as s:
        row = s.exec(select(DeadlineRow).where(
            DeadlineRow.key == f"call_in_expiry:decision:{d.late_notice}")).one()
    eng.dispose()
    assert row.due_at.astimezone(ZoneInfo("Europe/London")).date().isoformat() == "2019-05-30"
    assert "5 working days from the notice published 22 May 2019" in row.rule


def test_call_in_too_early_too_late_or_twice_is_refused(d: Decisions) -> None:
    late = d.w.run("decision", "call-in", d.late_notice, "--requested-by", "exec_children",
                   "--reason", "Costs not set out", now="2019-05-31")
    assert late.code == 2
    assert "Local Government Act 2000 s9F (call-in)" in late.err
    assert "on Friday 31 May 2019 is too late" in late.err
    assert ("the window runs from the publication of the decision notice on Wednesday 22 May "
            "2019 for 5 working days, to Thursday 30 May 2019") in late.err
    early = d.w.run("decision", "call-in", d.late_notice, "--requested-by", "exec_children",
                    "--reason", "Costs not set out", now="2019-05-21")
    assert early.code == 2 and "before the decision notice" in early.err
    assert d.w.json("decision", "call-ins") == []  # nothing written

    ok = d.w.json("decision", "call-in", d.late_notice, "--requested-by", "exec_children",
                  "--reason", "Costs not set out", now="2019-05-30T16:00")
    assert ok["requested_by"] == "exec_children" and ok["requested_on"] == "2019-05-30"
    again = d.w.run("decision", "call-in", d.late_notice, "--requested-by", "Cllr Bob Jones",
                    "--reason", "Consultation", now="2019-05-30T16:30")
    assert again.code == 2
    assert "has already been called in (call-in" in again.err
    assert "on 30 May 2019, not yet resolved); a decision is called in once" in again.err


def test_non_executive_decision_cannot_be_called_in(d: Decisions) -> None:
    r = d.w.run("decision", "call-in", d.jcc, "--requested-by", "Cllr Bob Jones", "--reason",
                "Consultation", now="2019-04-11")
    assert r.code == 2
    assert ("was taken by Joint Commissioning Committee, which is not an executive body; only "
            "executive decisions may be called in") in r.err
    assert "terms of reference and notices say its decisions are not subject to call-in" in r.err


def test_call_in_stops_implementation_and_referred_back_goes_on_the_next_agenda(
        d: Decisions) -> None:
    r = d.w.run("decision", "call-in", d.for_referred_back, "--requested-by", "exec_children",
                "--reason", "Providers were not consulted", now="2019-05-22")
    assert r.code == 0, r.text
    assert ("called in by Cllr Susan Baines, Executive Member for Children's on Wednesday 22 "
            "May 2019 to the Health and Adult Social Care Scrutiny Committee.") in r.out
    assert ("This decision has been called in: it may not be implemented before the call-in is "
            "resolved.") in r.out
    listing = d.w.run("decision", "list", "--body", "cabinet", now="2019-05-22")
    assert "not before the call-in is resolved" in listing.out
    [c] = [x for x in d.w.json("decision", "call-ins") if x["decision"] == d.for_referred_back]
    text = d.w.pdf_text("notice", d.for_referred_back)
    assert ("Called in on 22 May 2019 by Cllr Susan Baines, Executive Member for Children's to "
            "the Health and Adult Social Care Scrutiny Committee: Providers were not "
            "consulted.") in text
    assert "it may not be implemented before the call-in is resolved" in text

    bad = d.w.run("decision", "call-in-resolve", c["id"], "--outcome", "quashed")
    assert bad.code == 2 and "'quashed' is not valid; expected upheld, referred-back" in bad.err
    out = d.w.json("decision", "call-in-resolve", c["id"], "--outcome", "referred-back",
                   "--reason", "Consult providers first", now="2019-06-03")
    assert out["outcome"] == "referred_back" and out["resolved_on"] == "2019-06-03"
    placed = d.w.json("item", "show", out["reconsideration_item"])
    assert placed["meeting"] == d.june_meeting and placed["state"] == "submitted"
    assert placed["title"] == "Reconsideration after call-in: Home care framework"
    again = d.w.run("decision", "call-in-resolve", c["id"], "--outcome", "upheld")
    assert again.code == 2 and "was already resolved" in again.err
    facts = out["decision_facts"]
    assert facts["implementable_from"] is None
    assert "referred back to the decision-maker for reconsideration on Monday 3 June 2019" in \
        facts["implementation"]


def test_upheld_and_withdrawn(d: Decisions) -> None:
    c = d.w.json("decision", "call-in", d.for_upheld, "--requested-by", "Cllr Bob Jones",
                 "--reason", "Value for money", "--scrutiny", "Corporate Scrutiny Committee",
                 now="2019-05-21")
    assert c["scrutiny_body"] == "Corporate Scrutiny Committee"
    up = d.w.json("decision", "call-in-resolve", c["call_in"], "--outcome", "upheld",
                  now="2019-05-24")
    assert up["decision_facts"]["implementation"] == (
        "This decision may be implemented from Friday 24 May 2019.")
    c2 = d.w.json("decision", "call-in", d.for_withdrawn, "--requested-by", "exec_children",
                  "--reason", "Query", now="2019-05-21")
    wd = d.w.json("decision", "call-in-resolve", c2["call_in"], "--outcome", "withdrawn",
                  now="2019-05-22")
    # Withdrawn inside the window: implemented once the window has closed (Tue 28 May).
    assert wd["decision_facts"]["implementable_from"] == "2019-05-29"
    text = d.w.pdf_text("notice", d.for_withdrawn)
    assert "On 22 May 2019 the call-in was withdrawn." in text


def test_urgency_exempts_from_call_in(d: Decisions) -> None:
    text = d.w.pdf_text("notice", d.urgent_at_decide)
    assert ("This decision is not subject to call-in: exempted from call-in for urgency with "
            "the consent of Cllr Ann Lee, chair of the overview and scrutiny committee, on 20 "
            "May 2019: Beds are needed before winter.") in text
    assert ("This decision is exempt from call-in for urgency and may be implemented at once, "
            "from Monday 20 May 2019.") in text
    r = d.w.run("decision", "call-in", d.urgent_at_decide, "--requested-by", "exec_children",
                "--reason", "Query", now="2019-05-21")
    assert r.code == 2 and "exempted from call-in for urgency" in r.err

    missing = d.w.run("decide", 1, "--urgent")
    assert missing.code == 2 and "--urgent: needs --consent-by NAME" in missing.err
    out = d.w.json("decision", "urgent", d.for_urgent, "--consent-by", "Cllr Ann Lee",
                   "--reason", "Centres close otherwise", now="2019-05-21")
    assert out["call_in_state"] == "exempt" and out["implementable_from"] == "2019-05-20"
    twice = d.w.run("decision", "urgent", d.for_urgent, "--consent-by", "Cllr Ann Lee",
                    "--reason", "Again", now="2019-05-21")
    assert twice.code == 2 and "is already exempt for urgency" in twice.err
    jcc = d.w.run("decision", "urgent", d.jcc, "--consent-by", "Cllr Ann Lee", "--reason",
                  "Now", now="2019-04-11")
    assert jcc.code == 2 and "not an executive body" in jcc.err


def test_meeting_page_shows_when_each_decision_may_be_implemented(d: Decisions) -> None:
    from s75.web.app import create_app
    from tests.web.client import TestClient
    from tests.web.web_helpers import visible, web_app

    assert d.w.run("meeting", "hold", d.may_meeting, now="2019-05-20T16:00").code == 0
    app = web_app(d.w.db)
    with TestClient(create_app(app, start_scheduler=False)) as c:
        page = visible(c.get(f"/meetings/{d.may_meeting}").text)
        notice = visible(c.get(f"/decisions/{d.urgent_at_decide}").text)
    app.close()
    assert "May be implemented" in page
    assert "Winter beds" in page and "from Mon 20 May 2019 (urgent)" in page
    assert "not before the call-in is resolved" in page  # Carers' breaks grant, called in
    assert ("This decision is exempt from call-in for urgency and may be implemented at once, "
            "from Monday 20 May 2019.") in notice


def test_part_2_call_in_reasons_stay_out_of_the_public_notice(d: Decisions) -> None:
    d.w.json("decision", "call-in", d.exempt, "--requested-by", "exec_children", "--reason",
             "The fee for Oak House is too high", now="2019-05-21")
    members = d.w.pdf_text("notice", d.exempt)
    public = d.w.pdf_text("notice", d.exempt, "--public")
    assert "The fee for Oak House is too high" in members
    assert "Oak House" not in public and "The decision has been called in." in public
    assert "it may not be implemented before the call-in is resolved" in public
