"""Referrals that come back (issue 13, point 3), on the command line: a referral to a body with
no meeting yet is listed as open, escalates when still unplaced at its deadline, is placed
automatically when that body's meetings are scheduled (or by 's75 referral place'), and the
receiving body's decision is reported back on the referring body's next agenda."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from tests.principals import COVER_ARGS

Result = Any
COUNCIL = ["leader", "exec_adults", "exec_children", "dass", "dph", "s151"]
CCG = ["ccg_chair", "accountable_officer", "cfo", "gp_director_1"]
BOARD = ["ccg_chair", "accountable_officer", "cfo", "director_transformation", "gp_director_1"]
TITLE = "Adult community services re-procurement"


def _referred(s75json: Callable[..., Any], *, jcc_to: str = "2019-04-30") -> dict[str, Any]:
    """The JCC's April meeting (and its later ones to ``jcc_to``) refers an item on a CCG-led
    line to the CCG Board, which has no meeting scheduled."""
    jcc = s75json("meeting", "schedule", "jcc", "--from", "2019-04-01", "--to", jcc_to)
    m1 = jcc[0]["id"]
    item = s75json("item", "add", m1, TITLE, *COVER_ARGS, "--pool-line", "adult_community")
    s75json("--as", "commissioning_lead", "item", "submit", item["id"], "--on", "2019-03-20")
    s75json("item", "accept", item["id"])
    s75json("item", "publish", item["id"], "--on", "2019-04-01")
    s75json("meeting", "attend", m1, *COUNCIL, *CCG)
    out = s75json("decide", item["id"], "--objection", "cfo")
    assert out["outcome"] == "referred"
    [ref] = out["referrals"]
    assert ref["to_meeting"] is None  # the CCG Board has no meeting yet
    return {"ref": ref["id"], "jcc": jcc, "item": item["id"]}


def test_open_referral_escalates_then_is_placed_and_reported_back(
        s75: Callable[..., Result], s75json: Callable[..., Any], tmp_path: Path) -> None:
    _referred(s75json)
    r = s75("referral", "list", "--state", "open")
    assert r.code == 0, r.text
    for words in ("Joint Commissioning", TITLE[:20], "CCG Board", "not yet placed"):
        assert words in r.out, r.out
    assert s75json("referral", "list", "--state", "placed") == []

    # Unplaced 20 working days after the JCC's 10 April meeting: missed and escalated.
    assert s75("--now", "2019-05-20T12:00:00+01:00", "scheduler", "run", "--once").code == 0
    [dl] = [d for d in s75json("deadlines", "list") if d["kind"] == "referral_placement"]
    assert dl["state"] == "missed", dl
    assert "placed on a meeting of the CCG Board" in dl["title"]
    mail = s75json("outbox", "list")
    assert any(m["kind"] == "escalation" and "Referral from the Joint" in m["subject"]
               for m in mail), mail

    # The Board's meetings are scheduled: the referral goes on the first open to it.
    board = s75json("meeting", "schedule", "ccg_board", "--from", "2019-04-01",
                    "--to", "2019-06-30")
    [placed] = s75json("referral", "list", "--state", "placed")
    assert placed["placed_at"] == "CCG Board, 26 Apr 2019"
    assert placed["to_meeting_id"] == board[0]["id"]
    shown = s75json("item", "show", placed["to_item_id"])
    assert shown["title"] == f"Referral from Joint Commissioning Committee: {TITLE}"
    assert shown["state"] == "submitted"

    # The Board decides; the JCC has no later meeting yet, so the report back waits ...
    to_item = placed["to_item_id"]
    s75json("item", "accept", to_item)
    s75json("item", "publish", to_item, "--on", "2019-04-15")
    s75json("meeting", "attend", board[0]["id"], *BOARD)
    votes = [a for m in BOARD for a in ("--vote", f"{m}=for")]
    assert s75json("decide", to_item, *votes)["outcome"] == "approved"
    [decided] = s75json("referral", "list", "--state", "decided")
    assert decided["outcome"] == "approved"
    assert decided["reported_back"] == "awaits a meeting of the Joint Commissioning Committee"

    # ... until the JCC's next meetings are scheduled: it goes on the first open to it.
    s75json("meeting", "schedule", "jcc", "--from", "2019-05-01", "--to", "2019-06-30")
    r = s75("referral", "list", "--state", "decided")
    assert "Joint Commissioning Committee, 12 Jun 2019" in r.out, r.out
    [decided] = s75json("referral", "list", "--state", "decided")
    report = s75json("item", "show", decided["report_item_id"])
    assert report["title"] == f"Report back: decision of CCG Board on {TITLE}"
    assert report["action"] == "to_note" and report["state"] == "submitted"
    assert report["cover"]["decisions_required"] == "To note the decision of the CCG Board."
    assert "CCG Board, 26 April 2019: approved" in report["cover"]["previously_discussed"]
    # ... and it is on that agenda, read back from the PDF.
    s75json("item", "accept", report["id"])
    pdf = tmp_path / "agenda.pdf"
    assert s75("render", "agenda", report["meeting"], "--public", "--out", pdf).code == 0
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    assert f"Report back: decision of CCG Board on {TITLE}" in text, text


def test_place_by_command_refusals_then_as_a_late_item(
        s75: Callable[..., Result], s75json: Callable[..., Any]) -> None:
    got = _referred(s75json)
    # A Board meeting two days later: its item deadline had passed, so not placed on it.
    early = s75json("meeting", "add", "ccg_board", "2019-04-12", "--time", "09:30")
    assert s75json("referral", "list", "--state", "open")[0]["id"] == got["ref"]

    r = s75("referral", "place", got["ref"], "--meeting", got["jcc"][0]["id"])
    assert r.code == 2, r.text
    assert "is a meeting of the Joint Commissioning Committee" in r.err
    assert "goes to the CCG Board" in r.err and f"meeting {early['id']}" in r.err
    r = s75("referral", "place", got["ref"], "--meeting", early["id"])
    assert r.code == 2, r.text
    assert "had passed when the referral was made (2019-04-10)" in r.err
    assert "--urgency-reason and --chair-consent" in r.err
    assert s75json("referral", "list", "--state", "placed") == []  # nothing written

    out = s75json("referral", "place", got["ref"], "--meeting", early["id"],
                  "--urgency-reason", "The contract ends in May", "--chair-consent",
                  "ccg_chair")
    assert out["state"] == "placed" and out["placed_at"] == "CCG Board, 12 Apr 2019"
    r = s75("referral", "place", got["ref"], "--meeting", early["id"])
    assert r.code == 2 and "already placed on meeting" in r.err, r.text
    assert s75("referral", "list", "--state", "closed").code == 2


def test_referral_list_json_names_and_ids(s75json: Callable[..., Any]) -> None:
    got = _referred(s75json)
    [row] = s75json("referral", "list")
    assert row["from_body"] == "Joint Commissioning Committee" and row["to_body"] == "CCG Board"
    assert row["from_item_id"] == got["item"] and row["state"] == "open"
    assert json.dumps(row)
