"""One report, many bodies (issue #13 point 6): ``s75 item history ITEM`` lists every meeting
the report went to, routed to another body, referred when consensus failed, deferred to a
later meeting, with the body, the date, the action, the outcome and its date, in names; and
``--json`` gives the same with ids. Any item of the journey shows the whole journey."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.rules.world import CCG, COUNCIL, World, make_world

CCG_VOTES = ("--vote", "ccg_chair=for", "--vote", "accountable_officer=for", "--vote",
             "cfo=for", "--vote", "gp_director_1=for", "--reasons", "Safe staffing",
             "--alternatives", "Do nothing")


@dataclass(frozen=True)
class Journey:
    w: World
    first: int
    routed: int
    referred: int
    deferred_to: int


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journey]:
    w = make_world(tmp_path_factory.mktemp("history"))
    jcc, sbpb = w.meeting("jcc", "2019-04-10"), None
    w.json("meeting", "schedule", "sbpb", "--from", "2019-04-01", "--to", "2019-07-31",
           now="2019-03-01")
    sbpb = w.meeting("sbpb", "2019-06-06")
    first = w.ready_item(jcc, "Adult community services re-procurement", "--pool-line",
                         "adult_community", "--amount", "1500000")
    routed = w.json("item", "route", first, sbpb, "--action", "to_note")["id"]
    w.json("meeting", "attend", jcc, *COUNCIL, *CCG, now="2019-04-10T15:00")
    out = w.json("decide", first, "--objection", "cfo", now="2019-04-10T16:00")
    [ref] = out["referrals"]
    assert w.run("meeting", "hold", jcc, now="2019-04-10T17:00").code == 0
    referred = ref["to_item"]
    board = ref["to_meeting"]
    w.json("item", "accept", referred, now="2019-04-11")
    w.json("item", "publish", referred, "--on", "2019-04-12", now="2019-04-12")
    w.json("meeting", "attend", board, *CCG, now="2019-04-26T10:00")
    deferred = w.json("item", "defer", referred, "--reason", "Awaiting the provider market "
                      "review", now="2019-04-26T11:00")
    assert w.run("meeting", "hold", board, now="2019-04-26T12:00").code == 0
    yield Journey(w, first, routed, referred, deferred["deferred_to_item"])


def test_history_lists_every_meeting_with_action_outcome_and_date(journey: Journey) -> None:
    r = journey.w.run("item", "history", journey.first, now="2019-05-01")
    assert r.code == 0, r.text
    text = " ".join(r.out.split())
    assert "History of the report 'Adult community services re-procurement': 4 meeting(s)" in \
        text
    assert ("1. Joint Commissioning Committee, Wednesday 10 April 2019: Adult community "
            "services re-procurement came: first considered here action: For decision "
            "outcome: Referred to the CCG Board (consensus), 10 April 2019") in text
    assert ("2. CCG Board, Friday 26 April 2019: Referral from Joint Commissioning Committee: "
            "Adult community services re-procurement came: referred by the Joint Commissioning "
            "Committee on 10 April 2019 (no consensus) action: For decision outcome: Deferred "
            "to 31 May 2019, 26 April 2019") in text
    assert ("3. CCG Board, Friday 31 May 2019 (scheduled): Referral from Joint Commissioning "
            "Committee: Adult community services re-procurement came: deferred from the CCG "
            "Board on 26 April 2019") in text
    assert ("4. Shadow Bolton Partnership Board, Thursday 6 June 2019 (scheduled): Adult "
            "community services re-procurement came: routed (the same report sent on) action: "
            "To note outcome: Pending: not yet submitted") in text
    for member_id in ("cfo", "jcc", "ccg_board"):  # names, never ids, for a person
        assert f" {member_id} " not in f" {text} "


def test_history_json_is_the_same_journey_in_meeting_order(journey: Journey) -> None:
    for start in (journey.first, journey.referred, journey.deferred_to, journey.routed):
        rows = journey.w.json("item", "history", start)
        assert [r["item_id"] for r in rows] == [journey.first, journey.referred,
                                                journey.deferred_to, journey.routed]
    rows = journey.w.json("item", "history", journey.first)
    assert [(r["body_id"], r["meeting_date"]) for r in rows] == [
        ("jcc", "2019-04-10"), ("ccg_board", "2019-04-26"), ("ccg_board", "2019-05-31"),
        ("sbpb", "2019-06-06")]
    assert rows[0]["outcome"] == "Referred to the CCG Board (consensus)"
    assert rows[0]["outcome_on"] == "2019-04-10" and rows[0]["referral_id"] is not None
    assert rows[1]["outcome"] == "Deferred to 31 May 2019"
    assert rows[1]["outcome_on"] == "2019-04-26"
    assert rows[2]["outcome_on"] is None and rows[3]["action"] == "To note"


def test_history_of_an_unknown_item_says_which_exist(journey: Journey) -> None:
    r = journey.w.run("item", "history", 9999)
    assert r.code == 2 and "item 9999 does not exist" in r.err
