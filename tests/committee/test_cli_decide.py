"""Items from draft to decision on the command line: late items, Part 2, a declared interest
making an item inquorate, consensus failure referred to the CCG Board, the delegated limit,
and key decisions at Cabinet."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.principals import COVER_ARGS

Result = Any
COUNCIL = ["leader", "exec_adults", "exec_children", "dass", "dph", "s151"]
CCG = ["ccg_chair", "accountable_officer", "cfo", "gp_director_1"]


def ready_item(s75json: Callable[..., Any], meeting: int, title: str, *extra: object,
               submitted: str = "2019-03-20", published: str = "2019-04-01",
               created: str | None = None) -> int:
    when = ("--now", created) if created else ()
    item = s75json(*when, "item", "add", meeting, title, *COVER_ARGS, *extra)
    s75json("--as", "commissioning_lead", "item", "submit", item["id"], "--on", submitted)
    s75json("item", "accept", item["id"])
    s75json("item", "publish", item["id"], "--on", published)
    return int(item["id"])


def test_consensus_failure_on_ccg_led_line_goes_to_ccg_board(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    m1 = jcc[0]["id"]
    item = ready_item(s75json, m1, "Adult community services re-procurement",
                      "--pool-line", "adult_community", "--amount", "1500000")
    s75json("meeting", "attend", m1, *COUNCIL, *CCG)
    out = s75json("decide", item, "--objection", "cfo")
    assert out["outcome"] == "referred" and out["rule"] == "consensus"
    assert "Annette Walker, Chief Financial Officer, objected" in out["explanation"]
    [ref] = out["referrals"]
    board = s75json("meeting", "list", "--body", "ccg_board")
    # The JCC met on 10 April; the Board's 26 April meeting's item deadline (10 April) has not
    # passed, so the referral goes on that agenda.
    assert ref["to_body"] == "ccg_board" and ref["to_meeting"] == board[0]["id"]
    assert board[0]["date"] == "2019-04-26"
    agenda = s75json("meeting", "show", board[0]["id"])["items"]
    placed = [i for i in agenda if i["id"] == ref["to_item"]]
    assert placed[0]["title"] == ("Referral from Joint Commissioning Committee: "
                                  "Adult community services re-procurement")
    assert placed[0]["state"] == "submitted"
    shown = s75json("item", "show", ref["to_item"])
    assert "Joint Commissioning Committee, 10 April 2019: referred" in \
        shown["cover"]["previously_discussed"]
    # Agreed by consensus on a council-led line: decided, no referral.
    item2 = ready_item(s75json, m1, "Learning disability packages review",
                       "--pool-line", "learning_disability")
    agreed = s75json("decide", item2)
    assert agreed["outcome"] == "approved" and agreed["referrals"] == []


def test_whole_pool_no_consensus_goes_to_both_sovereign_bodies(
        jcc: list[dict[str, Any]], s75json: Callable[..., Any]) -> None:
    m1 = jcc[0]["id"]
    item = ready_item(s75json, m1, "Pool risk share for 2020/21", "--pool-line", "*")
    s75json("meeting", "attend", m1, *COUNCIL, *CCG)
    out = s75json("decide", item, "--objection", "leader")
    assert sorted(r["to_body"] for r in out["referrals"]) == ["cabinet", "ccg_board"]
    cabinet = s75json("meeting", "list", "--body", "cabinet")
    # Cabinet's 15 April meeting's deadline (1 April) has passed: next open is 20 May.
    [to_cab] = [r for r in out["referrals"] if r["to_body"] == "cabinet"]
    assert to_cab["to_meeting"] == next(m["id"] for m in cabinet if m["date"] == "2019-05-20")


def test_above_delegated_limit_goes_to_every_sovereign_body(
        jcc: list[dict[str, Any]], s75json: Callable[..., Any]) -> None:
    m1 = jcc[0]["id"]
    item = ready_item(s75json, m1, "Care homes block contract", "--pool-line", "care_homes",
                      "--amount", "25000000")
    s75json("meeting", "attend", m1, *COUNCIL, *CCG)
    out = s75json("decide", item)
    assert out["outcome"] == "referred" and out["rule"] == "delegated_limit"
    assert "above Joint Commissioning Committee's delegated limit of £20,000,000" in \
        out["explanation"]
    assert sorted(r["to_body"] for r in out["referrals"]) == ["cabinet", "ccg_board"]


def test_declared_interest_makes_item_inquorate_and_defers_it(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    m1, m2 = jcc[0]["id"], jcc[1]["id"]
    item = ready_item(s75json, m1, "Home care framework award", "--pool-line", "care_homes")
    # Three council members (the minimum per partner) and four from the CCG.
    s75json("meeting", "attend", m1, "exec_adults", "dass", "dph", *CCG)
    s75json("interest", "register", "dph", "--nature", "pecuniary",
            "--description", "Spouse is a director of a bidding provider", "--on", "2019-04-01")
    declared = s75json("interest", "declare", item, "dph", "--nature", "pecuniary",
                       "--description", "Spouse is a director of a bidding provider")
    assert declared["managed"] == "left_room"
    r = s75("decide", item)
    assert r.code == 2
    assert "Refused by quorum (terms of reference of the Joint Commissioning " \
        "Committee)" in r.err
    assert "needs 3 from Bolton Council, 2 can count" in r.err
    assert f"deferred to meeting {m2}" in r.err
    assert s75json("item", "show", item)["state"] == "deferred"
    carried = [i for i in s75json("meeting", "show", m2)["items"]
               if i["title"] == "Home care framework award"]
    assert carried and carried[0]["state"] == "accepted"


def test_pecuniary_interest_taking_part_needs_dispensation(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    m1 = jcc[0]["id"]
    item = ready_item(s75json, m1, "GP federation contract")
    s75json("meeting", "attend", m1, *COUNCIL, *CCG)
    r = s75("interest", "declare", item, "gp_director_1", "--nature", "pecuniary",
            "--description", "Partner in a member practice", "--managed", "took_part")
    assert r.code == 2 and "Localism Act 2011 s31(4) and s33" in r.err
    ok = s75json("interest", "declare", item, "gp_director_1", "--nature", "pecuniary",
                 "--description", "Partner in a member practice", "--managed", "took_part",
                 "--dispensation-by", "Audit Committee", "--dispensation-reason",
                 "All GP directors conflicted")
    assert ok["dispensation_by"] == "Audit Committee"
    out = s75json("decide", item)
    assert out["quorum"] == "quorate: 10 members count"


def test_late_item_needs_chairs_urgency_consent(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    m1 = jcc[0]["id"]  # item deadline Wed 27 March 2019
    item = s75json("item", "add", m1, "Winter pressures funding",
                   *COVER_ARGS)["id"]
    r = s75("item", "submit", item, "--on", "2019-04-02")
    assert r.code == 2
    assert "Local Government Act 1972 s100B(4)" in r.err
    assert "after the item deadline of Wed 27 Mar 2019" in r.err
    assert s75json("item", "show", item)["state"] == "draft"
    r = s75("item", "submit", item, "--on", "2019-04-02", "--urgency-reason", "Funding "
            "letter received 1 April", "--chair-consent", "gp_director_2")
    assert r.code == 2 and "not a chair, co-chair or vice-chair" in r.err
    done = s75json("item", "submit", item, "--on", "2019-04-02", "--urgency-reason",
                   "Funding letter received 1 April; must be spent by June",
                   "--chair-consent", "leader")
    assert done["state"] == "submitted" and done["late"] is True
    assert done["urgency_consent_by"] == "leader"
    s75json("item", "accept", item)
    # Published after the 5-clear-day deadline (Tue 2 April): the urgency consent covers it.
    assert s75json("item", "publish", item, "--on", "2019-04-05")["state"] == "published"
    on_time = ready_item(s75json, m1, "Better Care Fund plan")
    assert s75json("item", "show", on_time)["late"] is False


def test_late_publication_refused(jcc: list[dict[str, Any]], s75: Callable[..., Result],
                                  s75json: Callable[..., Any]) -> None:
    m1 = jcc[0]["id"]
    item = s75json("item", "add", m1, "Market position statement", "--action", "to_note",
                   *COVER_ARGS)["id"]
    s75json("item", "submit", item, "--on", "2019-03-20")
    s75json("item", "accept", item)
    r = s75("item", "publish", item, "--on", "2019-04-04")
    assert r.code == 2
    assert "5 clear days before the meeting means publishing by Tue 02 Apr 2019" in r.err


@pytest.mark.parametrize("meeting_body", ["jcc"])
def test_part_two_needs_paragraph_and_reason(
        meeting_body: str, jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    m1 = jcc[0]["id"]
    r = s75("item", "add", m1, "Provider failure contingency", "--part", "2")
    assert r.code == 2
    assert "exempt_paragraph: missing" in r.err and "Schedule 12A" in r.err
    assert "exempt_reason: missing" in r.err
    r = s75("item", "add", m1, "Provider failure contingency", "--part", "2", "--paragraph",
            "9", "--exempt-reason", "Commercially sensitive")
    assert r.code == 2 and "expected a Schedule 12A paragraph from 1 to 7" in r.err
    ok = s75json("item", "add", m1, "Provider failure contingency", "--part", "2",
                 "--paragraph", "3", "--exempt-reason",
                 "Disclosure would prejudice the council's negotiating position")
    assert ok["part"] == 2 and ok["exempt_paragraph"] == 3
    # The CCG Board meets under the 1960 Act: no paragraph, but a reason.
    board = s75json("meeting", "list", "--body", "ccg_board")[0]["id"]
    nhs = s75json("item", "add", board, "Provider failure contingency", "--part", "2",
                  "--exempt-reason", "Publicity would prejudice the public interest")
    assert nhs["exempt_paragraph"] is None


def test_key_decision_refused_without_forward_plan_notice(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    cabinet = s75json("meeting", "list", "--body", "cabinet")
    may = next(m for m in cabinet if m["date"] == "2019-05-20")["id"]
    item = ready_item(s75json, may, "Extra care housing contract", "--amount", "750000",
                      submitted="2019-05-01", published="2019-05-10", created="2019-03-01")
    s75json("meeting", "attend", may, "leader", "exec_adults", "exec_children")
    votes = ["--vote", "leader=for", "--vote", "exec_adults=for", "--vote",
             "exec_children=against"]
    r = s75("decide", item, *votes, "--reasons", "Best value", "--alternatives", "Do nothing")
    assert r.code == 2
    assert "SI 2012/2089 reg 9 (key decision notice)" in r.err
    assert "no forward-plan notice was published" in r.err
    assert "by 21 Apr 2019" in r.err
    assert s75json("item", "show", item)["state"] == "published"  # nothing written
    s75json("item", "key-decision", item, "--forward-plan", "2019-04-10")
    r = s75("decide", item, *votes)
    assert r.code == 2 and "reg 12" in r.err and "reasons" in r.err
    out = s75json("--now", "2019-05-20T15:00", "decide", item, *votes, "--reasons",
                  "Best value for money",
                  "--alternatives", "Extending the current contract (rejected: cost)")
    assert out["outcome"] == "approved" and out["rule"] == "majority"
    # Decided and its notice published on Monday 20 May 2019: five working days of call-in
    # end on Monday 27 May? No: 27 May 2019 was the Spring bank holiday, so the window closes
    # on Tuesday 28 May.
    assert out["call_in_expires"] == "2019-05-28"


def test_key_decision_special_urgency(jcc: list[dict[str, Any]], s75: Callable[..., Result],
                                      s75json: Callable[..., Any]) -> None:
    cabinet = s75json("meeting", "list", "--body", "cabinet")
    may = next(m for m in cabinet if m["date"] == "2019-05-20")["id"]
    item = ready_item(s75json, may, "Emergency home care provision", "--amount", "900000",
                      submitted="2019-05-01", published="2019-05-10")
    s75json("meeting", "attend", may, "leader", "exec_adults", "exec_children")
    s75json("item", "key-decision", item, "--exception", "special_urgency",
            "--scrutiny-agreed", "Chair of Health Scrutiny", "--reason", "Provider collapse")
    out = s75json("decide", item, "--vote", "leader=for", "--vote", "exec_adults=for",
                  "--reasons", "Continuity of care", "--alternatives", "None viable")
    assert out["outcome"] == "approved"


def test_consensus_body_refuses_votes(jcc: list[dict[str, Any]], s75: Callable[..., Result],
                                      s75json: Callable[..., Any]) -> None:
    m1 = jcc[0]["id"]
    item = ready_item(s75json, m1, "Carers breaks")
    s75json("meeting", "attend", m1, *COUNCIL, *CCG)
    r = s75("decide", item, "--vote", "leader=for")
    assert r.code == 2 and "decides by consensus" in r.err
    r = s75("decide", item, "--objection", "exec_resources")
    assert r.code == 2 and "may not take part" in r.err
