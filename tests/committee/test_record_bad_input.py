"""Bad input to the record, refused with exit 2 naming the item and the rule and nothing
written: an outcome the body's rule cannot produce, a resolution for an item not on the
agenda, minutes text for an item of another meeting, minutes approved by a body that did not
take them, a forward-plan notice dated before the item existed. Back-entry with --now is
recorded in the audit event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.committee.test_cli_decide import CCG, COUNCIL, ready_item
from tests.principals import COVER_ARGS

Result = Any


def events(s75json: Callable[..., Any]) -> int:
    return int(s75json("audit", "verify")["events"])


def test_bad_input_is_refused_naming_item_and_rule(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    m1, m2 = jcc[0]["id"], jcc[1]["id"]
    cab = s75json("meeting", "list", "--body", "cabinet")[0]["id"]
    item = ready_item(s75json, m1, "Carers strategy")
    draft = s75json("item", "add", m1, "Winter plan", *COVER_ARGS)["id"]
    s75json("meeting", "attend", m1, *COUNCIL, *CCG)
    before = events(s75json)

    # An outcome the body's decision rule cannot produce: a referral or a refusal follows
    # from the objections (consensus), not from an --outcome.
    for outcome in ("referred", "not_approved"):
        r = s75("decide", item, "--outcome", outcome)
        assert r.code == 2, r.text
        assert "item" in r.err and "'Carers strategy'" in r.err, r.err
        assert "consensus" in r.err and "Joint Commissioning Committee" in r.err, r.err
    r = s75("decide", item, "--vote", "leader=for")
    assert r.code == 2 and "decides by consensus" in r.err
    # A resolution for an item that is not on the published agenda.
    r = s75("decide", draft, "--resolution", "That the winter plan be approved")
    assert r.code == 2 and "'Winter plan'" in r.err and "agenda_item workflow" in r.err
    assert "published with the agenda" in r.err
    assert events(s75json) == before
    assert s75json("item", "show", item)["state"] == "published"

    s75json("decide", item)
    s75json("meeting", "hold", m1)
    aob = next(i["id"] for i in s75json("meeting", "show", m1)["items"]
               if i["title"] == "Any other business")
    before = events(s75json)
    # Minutes text for an item of another meeting.
    r = s75("minutes", "write", m2, aob, "--text", "Nothing further")
    assert r.code == 2 and f"item {aob} 'Any other business'" in r.err
    assert "an item is minuted by the meeting that took it" in r.err
    # Minutes approved by a body that did not take them.
    r = s75("minutes", "approve", m1, "--at", cab)
    assert r.code == 2 and "approved by the body that took them" in r.err
    assert "Joint Commissioning Committee" in r.err and "Council Cabinet" in r.err
    assert events(s75json) == before
    assert s75json("documents", "list", "--meeting", m1, "--kind", "minutes")[-1]["version"] \
        == 1


def test_forward_plan_dates_and_back_entry_in_the_audit(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    m1 = jcc[0]["id"]
    cab = s75json("meeting", "list", "--body", "cabinet")
    may = next(m for m in cab if m["date"] == "2019-05-20")["id"]
    item = s75json("--now", "2019-03-15", "item", "add", may, "Extra care housing contract",
                   *COVER_ARGS, "--amount", "750000")["id"]
    before = events(s75json)
    r = s75("item", "key-decision", item, "--forward-plan", "2019-03-01")
    assert r.code == 2, r.text
    assert "forward plan" in r.err and "Friday 1 March 2019" in r.err
    assert "first recorded on Friday 15 March 2019" in r.err and "'Extra care" in r.err
    assert events(s75json) == before
    assert s75json("item", "key-decision", item, "--forward-plan", "2019-03-15")

    # Back-entry: attendance and holding the meeting entered later, as of the afternoon.
    on_the_day = ("--now", "2019-04-10T16:00")
    s75json(*on_the_day, "meeting", "attend", m1, *COUNCIL, *CCG)
    s75json(*on_the_day, "meeting", "hold", m1)
    log = s75json("audit", "list", "--subject", f"meeting:{m1}")
    held = next(e for e in log if e["event"] == "meeting.held")
    assert held["at"].startswith("2019-04-10T15:00")  # 16:00 BST
    assert held["back_entry"]["as_of"].startswith("2019-04-10T15:00")
    assert not held["back_entry"]["entered_at"].startswith("2019")
    r = s75("audit", "list", "--subject", f"meeting:{m1}")
    assert r.code == 0 and "as of 10 Apr 2019 16:00" in r.out
    assert "Democratic Services Manager" in r.out  # the actor by name
    # Entered as it happened: no back-entry note.
    s75json("item", "add", jcc[1]["id"], "Late note", *COVER_ARGS)
    last = s75json("audit", "list", "--limit", "1")[-1]
    assert last["back_entry"] is None
