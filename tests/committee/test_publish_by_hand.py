"""Publishing a meeting by hand (``s75 meeting publish``) raises the same event as the
scheduler at the publication deadline: the public and members' packs are stored, the members'
emails queued and the publication deadline met."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.principals import COVER_ARGS

Result = Any


def _accepted(s75json: Callable[..., Any], meeting: int, title: str, *extra: object) -> int:
    item = s75json("--as", "commissioning_lead", "item", "add", meeting, title,
                   *COVER_ARGS, *extra)
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
    assert "secretary of the Joint Commissioning Committee or an admin" in r.err
    assert s75json("documents", "list", "--kind", "pack", "--meeting", m) == []
    assert [o for o in s75json("outbox", "list") if o["kind"] == "agenda_published"] == []


def test_members_declare_their_own_interests_and_no_one_else_s(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    m = jcc[0]["id"]
    item = _accepted(s75json, m, "Winter beds")
    declare = ("interest", "declare", item, "gp_director_1", "--nature", "non_pecuniary",
               "--description", "Trustee of a hospice")
    r = s75("--as", "cfo", *declare)
    assert r.code == 2
    assert "permission refused: interest declare on item" in r.err
    assert "Dr Colin Mercer, GP Board Director (1) themself" in r.err
    assert "Annette Walker, Chief Financial Officer, is a member" in r.err
    assert s75json("item", "show", item)["declarations"] == []
    out = s75json("--as", "gp_director_1", *declare)
    assert out["member"] == "gp_director_1"
    [d] = s75json("item", "show", item)["declarations"]
    assert d["member"] == "gp_director_1" and d["description"] == "Trustee of a hospice"


def test_the_principal_is_recorded_as_who_submitted_the_item(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    m = jcc[0]["id"]
    item = s75json("--as", "commissioning_lead", "item", "add", m, "Winter beds",
                   *COVER_ARGS)
    assert s75("item", "submit", item["id"], "--by", "anyone").code == 2  # no free-text actor
    s75json("--as", "commissioning_lead", "item", "submit", item["id"], "--on", "2019-03-20")
    r = s75("--as", "exec_adults", "item", "accept", item["id"])
    assert r.code == 2 and "may be done by the secretary of the Joint Commissioning " \
        "Committee or an admin; Cllr Amir Hussain, Executive Member for Adults, is a member of " \
        "the Council Cabinet and the Joint Commissioning Committee" in r.err
    assert s75json("item", "show", item["id"])["state"] == "submitted"
