"""Publishing a meeting by hand (``s75 meeting publish``) raises the same event as the
scheduler at the publication deadline: the public and members' packs are stored, the members'
emails queued and the publication deadline met."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Result = Any


def _accepted(s75json: Callable[..., Any], meeting: int, title: str, *extra: object) -> int:
    item = s75json("--as", "commissioning_lead", "item", "add", meeting, title,
                   "--decisions", "Approve the recommendations", *extra)
    s75json("--as", "commissioning_lead", "item", "submit", item["id"], "--on", "2019-03-20")
    s75json("item", "accept", item["id"])
    return int(item["id"])


def test_publishing_by_hand_stores_packs_queues_emails_and_meets_the_deadline(
        jcc: list[dict[str, Any]], s75json: Callable[..., Any]) -> None:
    m = jcc[0]["id"]
    _accepted(s75json, m, "Winter beds")
    _accepted(s75json, m, "Care home contract award", "--part", "2", "--paragraph", "3",
              "--exempt-reason", "Commercially sensitive tender prices")
    before = s75json("deadlines", "list", "--meeting", m)
    assert {d["kind"]: d["state"] for d in before}["publication"] == "pending"

    published = s75json("--as", "democratic_services", "meeting", "publish", m,
                        "--on", "2019-04-01")
    assert {p["title"] for p in published} >= {"Winter beds", "Care home contract award"}
    assert all(p["state"] == "published" for p in published)

    packs = s75json("documents", "list", "--kind", "pack", "--meeting", m)
    assert {p["audience"] for p in packs} == {"public", "members"}
    assert all(p["pages"] > 0 and p["event"] == "meeting.published" for p in packs)

    mails = [o for o in s75json("outbox", "list") if o["kind"] == "agenda_published"]
    assert mails and all(o["state"] == "pending" for o in mails)
    assert all(o["subject"].startswith("Agenda published: Joint Commissioning Committee")
               for o in mails)
    assert len({o["recipient"] for o in mails}) == len(mails) >= 6

    after = {d["kind"]: d for d in s75json("deadlines", "list", "--meeting", m)}
    assert after["publication"]["state"] == "met"


def test_publishing_is_refused_to_a_member_who_is_not_the_secretary(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    m = jcc[0]["id"]
    _accepted(s75json, m, "Winter beds")
    r = s75("--as", "exec_adults", "meeting", "publish", m)
    assert r.code == 2
    assert "permission refused: meeting publish on meeting" in r.err
    assert "secretary of the Joint Commissioning Committee (jcc)" in r.err
    assert s75json("documents", "list", "--kind", "pack", "--meeting", m) == []
    assert [o for o in s75json("outbox", "list") if o["kind"] == "agenda_published"] == []
