"""The JCC year on the command line: schedule, attendance and apologies, the chair rotation,
holding meetings, minutes and the action log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.principals import COVER_ARGS

Result = Any


def test_schedule_the_jcc_year(s75json: Callable[..., Any]) -> None:
    jcc = s75json("meeting", "schedule", "jcc")
    # Second Wednesday of each month, 14:00 local, April 2019 to March 2020.
    assert [m["date"] for m in jcc] == [
        "2019-04-10", "2019-05-08", "2019-06-12", "2019-07-10", "2019-08-14", "2019-09-11",
        "2019-10-09", "2019-11-13", "2019-12-11", "2020-01-08", "2020-02-12", "2020-03-11"]
    assert {m["time"] for m in jcc} == {"14:00"}
    assert jcc[0]["starts_at"] == "2019-04-10T13:00:00+00:00"  # BST
    assert jcc[0]["item_deadline"] == "2019-03-27"  # 10 working days before
    # Scheduling again adds nothing.
    assert s75json("meeting", "schedule", "jcc") == []
    first = s75json("meeting", "show", jcc[0]["id"])
    assert [i["title"] for i in first["items"]] == [
        "Apologies for absence", "Declarations of interest", "Minutes of the last meeting",
        "Matters arising and the action log", "Any other business"]


def test_bank_holiday_meeting_moves(s75json: Callable[..., Any]) -> None:
    # Cabinet meets on the third Monday; none of 2019/20's is a bank holiday, but a
    # first-Monday rule in May 2019 would be. Schedule an ad-hoc meeting on a bank holiday:
    # refused with the next working day.
    year = s75json("meeting", "schedule", "cabinet")
    assert all(m["moved"] is None for m in year)


def test_adhoc_on_bank_holiday_refused(s75: Callable[..., Result]) -> None:
    r = s75("meeting", "add", "jcc", "2019-05-27")
    assert r.code == 2
    assert "not a working day" in r.err and "Tue 28 May 2019" in r.err
    r = s75("meeting", "add", "jcc", "2019-05-29", "--kind", "extraordinary")
    assert r.code == 2 and "reason" in r.err


def test_extraordinary_meeting_agenda(s75json: Callable[..., Any]) -> None:
    m = s75json("meeting", "add", "jcc", "2019-05-29", "--kind", "extraordinary",
                "--reason", "Called by the co-chairs: care home market failure")
    shown = s75json("meeting", "show", m["id"])
    assert [i["standing"] for i in shown["items"]] == ["apologies", "declarations"]


def test_chair_rotation_over_twelve_meetings_with_apologies(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    year = jcc + s75json("meeting", "schedule", "jcc")
    ids = [m["id"] for m in year]
    assert len(ids) == 12
    out = s75json("meeting", "apologies", ids[0], "leader")
    assert out["chair"] == "ccg_chair"
    assert "Cllr Jane Smith, Leader of the Council, sent apologies" in out["chair_reason"]
    s75json("meeting", "apologies", ids[3], "ccg_chair")
    chairs = [m["chair"] for m in s75json("meeting", "list", "--body", "jcc")]
    # Rotation advances by meeting held: due L C L C ...; apologies at 1 and 4.
    assert chairs == ["ccg_chair", "ccg_chair", "leader", "leader", "leader", "ccg_chair",
                      "leader", "ccg_chair", "leader", "ccg_chair", "leader", "ccg_chair"]
    # Holding meetings fixes the chair; holding out of order is refused.
    r = s75("meeting", "hold", ids[1])
    assert r.code == 2 and "comes first" in r.err
    held = s75json("meeting", "hold", ids[0])
    assert held["status"] == "held" and held["chair"] == "ccg_chair"


def test_cancel_moves_items_on(jcc: list[dict[str, Any]], s75json: Callable[..., Any]) -> None:
    m1, m2 = jcc[0]["id"], jcc[1]["id"]
    item = s75json("item", "add", m1, "Carers strategy", "--action", "to_note",
                   *COVER_ARGS)
    s75json("item", "submit", item["id"], "--on", "2019-03-20")
    s75json("meeting", "cancel", m1, "--reason", "Purdah: local elections")
    moved = [i for i in s75json("meeting", "show", m2)["items"] if i["title"] == "Carers strategy"]
    assert moved and moved[0]["state"] == "accepted"
    assert s75json("item", "show", item["id"])["state"] == "deferred"


def test_minutes_and_action_log(jcc: list[dict[str, Any]], s75: Callable[..., Result],
                                s75json: Callable[..., Any]) -> None:
    m1, m2 = jcc[0]["id"], jcc[1]["id"]
    s75json("meeting", "attend", m1, "leader", "ccg_chair")
    s75json("meeting", "hold", m1)
    action = s75json("action", "add", m1, "Report care home fee uplift options",
                     "--owner", "dass", "--due", "2019-05-01")
    assert action["status"] == "open" and action["due"] == "2019-05-01"
    listed = s75json("action", "list", "--body", "jcc")
    assert [a["description"] for a in listed] == ["Report care home fee uplift options"]
    closed = s75json("action", "close", action["id"], "--note", "Reported to May meeting")
    assert closed["status"] == "done"
    assert s75json("action", "list", "--body", "jcc") == []
    assert len(s75json("action", "list", "--status", "all")) == 1
    r = s75("action", "close", action["id"])
    assert r.code == 2 and "already done" in r.err
    # Minutes of meeting 1 approved at meeting 2, signed by its chair (ccg_chair's turn).
    approved = s75json("minutes", "approve", m1, "--amendments", "Item 3: add dph's apologies")
    assert approved["approved_at_meeting"] == m2
    assert approved["state"] == "signed" and approved["signed_by"] == "ccg_chair"
    assert approved["amended"] is True
    r = s75("minutes", "approve", m1)
    assert r.code == 2 and "already signed" in r.err


def test_unknown_member_and_meeting(jcc: list[dict[str, Any]], s75: Callable[..., Result]) -> None:
    r = s75("meeting", "attend", jcc[0]["id"], "nobody")
    assert r.code == 2 and "nobody" in r.err and "expected one of" in r.err
    r = s75("meeting", "attend", jcc[0]["id"], "exec_resources")
    assert r.code == 2 and "does not sit on the Joint Commissioning Committee" in r.err
    r = s75("meeting", "show", "999")
    assert r.code == 2 and "meeting 999 does not exist" in r.err


def test_chair_of_one_meeting_is_the_projection(
        jcc: list[dict[str, Any]], s75json: Callable[..., Any], engine: Any,
        config: Any) -> None:
    """chair_of (refresh_chair's constant-query projection, run forward from the last
    meeting held with a recorded chair) gives what projected_chairs gives for every meeting:
    before and after a meeting is held, with apologies (a stand-in, and no chair at all)."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    from decisions.principals import SYSTEM
    from workflows.committee import meetings
    from workflows.committee.tables import MeetingRow
    from workflows.events import UnitOfWork

    ids = [m["id"] for m in jcc + s75json("meeting", "schedule", "jcc")]

    def check() -> None:
        with Session(engine) as s:
            uow = UnitOfWork(s, config, datetime(2019, 4, 1, tzinfo=UTC), SYSTEM)
            whole = meetings.projected_chairs(uow, "jcc")
            for mid in ids:
                m = s.get(MeetingRow, mid)
                assert m is not None
                assert meetings.chair_of(uow, m) == whole.get(mid, "the meeting is cancelled")

    check()
    s75json("meeting", "apologies", ids[0], "leader")
    s75json("meeting", "apologies", ids[2], "ccg_chair")
    s75json("meeting", "apologies", ids[5], "leader", "ccg_chair")
    check()
    s75json("meeting", "attend", ids[0], "ccg_chair")
    s75json("meeting", "hold", ids[0])
    s75json("meeting", "cancel", ids[3], "--reason", "Purdah")
    check()
