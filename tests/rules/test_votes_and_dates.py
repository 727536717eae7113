"""Votes and dates that cannot slip through (issue 13, point 5), on the command line: the
start date moves only on every partner's decision; a gateway return for a month already
marked missed needs --late and a reason and shows as late; standing items are not routed, and
a routed report takes the action and decisions required of the receiving meeting; an approval
names the decision (of a held meeting) that made it, or is recorded from outside s75."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from tests.principals import COVER_ARGS

Result = Any
CABINET = ["leader", "exec_adults", "exec_children", "exec_resources"]
SEPT = ("--now", "2018-09-20T12:00:00+01:00")


def _to_shadow(s75json: Callable[..., Any], now: tuple[str, str]) -> None:
    """Proposal 1 through both approval stages into shadow operation (approvals recorded from
    outside s75: no meeting of those bodies is recorded on those dates)."""
    s75json(*now, "proposal", "create", "Expand the pool")
    s75json(*now, "proposal", "fire", 1, "submit")
    for trigger in ("agree_in_principle", "agree_heads_of_terms"):
        for partner, body in (("council", "cabinet"), ("ccg", "ccg_board")):
            s75json(*now, "proposal", "approve", 1, "--partner", partner, "--body", body,
                    "--meeting-date", "2018-09-03", "--minute", f"{body}/{trigger[:5]}")
        s75json(*now, "proposal", "fire", 1, trigger)


def test_start_date_moves_only_on_every_partners_decision(
        s75: Callable[..., Result], s75json: Callable[..., Any]) -> None:
    s75json(*SEPT, "proposal", "create", "Expand the pool")
    move = ("proposal", "move-start", 1, "--to", "2019-07-01", "--meeting-date", "2018-09-17")
    r = s75(*SEPT, *move, "--body", "sbpb", "--minute", "SBPB/18/3")
    assert r.code == 2, r.text
    assert "Shadow Bolton Partnership Board (sbpb) cannot move the start date of proposal 1 " \
           "'Expand the pool'; it is moved by each partner's sovereign body (Council Cabinet, " \
           "CCG Board)" in r.err
    out = s75json(*SEPT, *move, "--body", "cabinet", "--minute", "CAB/18/7")
    assert out["moved"] == "not yet: awaiting NHS Bolton CCG (CCG Board)"
    assert str(out["start_date"]) == "2019-04-01"
    shown = s75(*SEPT, "proposal", "show", 1)
    assert "start moving to 2019-07-01, awaiting NHS Bolton CCG (CCG Board)" in shown.out
    r = s75(*SEPT, "proposal", "move-start", 1, "--to", "2019-08-01", "--meeting-date",
            "2018-09-14", "--body", "ccg_board", "--minute", "CCG/18/9")
    assert r.code == 2, r.text
    assert "Council Cabinet decided on 2018-09-17 to move the start of proposal 1 'Expand the " \
           "pool' to 2019-07-01, not 2019-08-01; every partner decides the same new start " \
           "date" in r.err
    r = s75(*SEPT, *move, "--body", "cabinet", "--minute", "CAB/18/8")
    assert r.code == 2 and "Council Cabinet already decided on 2018-09-17" in r.err, r.text
    out = s75json(*SEPT, "proposal", "move-start", 1, "--to", "2019-07-01", "--meeting-date",
                  "2018-09-14", "--body", "ccg_board", "--minute", "CCG/18/9")
    assert out["moved"] == "yes: every partner has decided"
    shown = s75json(*SEPT, "proposal", "show", 1)
    assert shown["start_date"] == "2019-07-01" and shown["signing_deadline"] == "2019-06-30"


def test_a_return_for_a_missed_month_is_late(
        s75: Callable[..., Result], s75json: Callable[..., Any], tmp_path: Path) -> None:
    oct_ = ("--now", "2018-10-10T12:00:00+01:00")
    _to_shadow(s75json, oct_)
    nov = ("--now", "2018-11-15T12:00:00+00:00")
    r = s75(*nov, "gateway", "record", 1, "--partner", "ccg", "--return", "go",
            "--month", "2018-10")
    assert r.code == 2, r.text
    assert "--month: the October 2018 gateway of proposal 1 'Expand the pool' was marked " \
           "missed (no return from ccg by 2018-10-31); record this return as late with " \
           "--late and --reason" in r.err
    r = s75(*nov, "gateway", "record", 1, "--partner", "ccg", "--return", "go", "--month",
            "2018-10", "--late")
    assert r.code == 2 and "--reason: a return recorded --late says why it is late" in r.err
    r = s75(*nov, "gateway", "record", 1, "--partner", "ccg", "--return", "go", "--month",
            "2018-11", "--late", "--reason", "x")
    assert r.code == 2 and "--late: the November 2018 gateway is not marked missed" in r.err
    assert s75json(*nov, "gateway", "status", 1)[0]["summary"] == "missed: no gateway held"
    out = s75json(*nov, "gateway", "record", 1, "--partner", "ccg", "--return", "go",
                  "--month", "2018-10", "--late", "--reason", "Board meeting moved to 2 Nov")
    assert out["recorded_late"] == "Board meeting moved to 2 Nov"
    [october, _] = s75json(*nov, "gateway", "status", 1)
    assert october["summary"] == ("missed: no return from council; recorded late (ccg: Board "
                                  "meeting moved to 2 Nov)")
    pdf = tmp_path / "gateways.pdf"
    assert s75(*nov, "render", "gateway-report", "--out", pdf).code == 0
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf.read_bytes()))
                    .pages)
    assert "late: NHS Bolton CCG" in " ".join(text.split()), text


def test_routing_refuses_standing_items_and_takes_the_receiving_decisions(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    m1 = jcc[0]["id"]
    cabinet = s75json("meeting", "list", "--body", "cabinet")[0]["id"]
    standing = next(i for i in s75json("meeting", "show", m1)["items"]
                    if i["title"].startswith("Declarations"))
    r = s75("item", "route", standing["id"], cabinet)
    assert r.code == 2, r.text
    assert "is standing business (declarations) of its own meeting" in r.err
    item = s75json("item", "add", m1, "Winter pressures update", "--action", "to_note",
                   *COVER_ARGS[2:], "--decisions", "Note the report")
    r = s75("item", "route", item["id"], cabinet, "--action", "for_decision")
    assert r.code == 2, r.text
    assert "--decisions: missing; item" in r.err and "went to its meeting to note " \
           "(decisions required: 'Note the report')" in r.err
    assert "say what the Council Cabinet is asked to decide" in r.err
    out = s75json("item", "route", item["id"], cabinet, "--action", "for_decision",
                  "--decisions", "Approve the winter funding", "--wording",
                  "To debate and approve")
    assert out["action"] == "for_decision" and out["wording"] == "To debate and approve"
    assert out["cover"]["decisions_required"] == "Approve the winter funding"
    back = s75json("item", "route", out["id"], jcc[1]["id"])
    assert back["action"] == "to_note"
    assert back["cover"]["decisions_required"] == "To note the report."


def test_an_approval_names_the_decision_of_a_held_meeting(
        s75: Callable[..., Result], s75json: Callable[..., Any]) -> None:
    [sep, oct_] = s75json("meeting", "schedule", "cabinet", "--from", "2018-09-01",
                          "--to", "2018-10-31")
    item = s75json("item", "add", sep["id"], "Approval in principle: pool expansion",
                   *COVER_ARGS)
    s75json("--as", "commissioning_lead", "item", "submit", item["id"], "--on", "2018-08-20")
    s75json("item", "accept", item["id"])
    s75json("item", "publish", item["id"], "--on", "2018-09-07")
    s75json("meeting", "attend", sep["id"], *CABINET)
    votes = [a for m in CABINET for a in ("--vote", f"{m}=for")]
    d = s75json("decide", item["id"], *votes, "--reasons", "Better joined-up care",
                "--alternatives", "Keep separate budgets")["decision"]
    s75json(*SEPT, "proposal", "create", "Expand the pool")
    s75json(*SEPT, "proposal", "fire", 1, "submit")
    approve = ("proposal", "approve", 1, "--partner", "council", "--body", "cabinet",
               "--minute", "CAB/18/12")
    r = s75(*SEPT, *approve, "--meeting-date", "2018-09-17", "--decision", d)
    assert r.code == 2, r.text
    assert f"--decision: decision {d} is recorded at meeting {sep['id']} (Council Cabinet, " \
           f"Mon 17 Sep 2018 10:00), which was not held (it is scheduled)" in r.err
    r = s75("--now", "2018-10-20T12:00:00+01:00", *approve, "--meeting-date", "2018-10-15")
    assert r.code == 2, r.text
    assert f"--meeting-date: meeting {oct_['id']} (Council Cabinet, Mon 15 Oct 2018 10:00) " \
           "was not held (it is scheduled); cite a decision of a held meeting" in r.err
    s75json(*SEPT, "meeting", "hold", sep["id"])
    r = s75(*SEPT, *approve, "--meeting-date", "2018-09-17")
    assert r.code == 2, r.text
    assert "is recorded in s75, so cite the decision it took (--decision; approving " \
           f"decisions there: [{d}])" in r.err
    assert s75json(*SEPT, "proposal", "show", 1)["approvals"] == []  # nothing written
    out = s75json(*SEPT, *approve, "--meeting-date", "2018-09-17", "--decision", d)
    assert out["recorded"] == f"decision {d}"
    out = s75json(*SEPT, "proposal", "approve", 1, "--partner", "ccg", "--body", "ccg_board",
                  "--meeting-date", "2018-09-14", "--minute", "CCG/18/9")
    assert out["recorded"] == "from outside s75 (minute and date as given)"
    shown = s75(*SEPT, "proposal", "show", 1).out
    assert f"council by cabinet on 2018-09-17 (minute CAB/18/12; decision {d})" in shown
    assert "ccg by ccg_board on 2018-09-14 (minute CCG/18/9; from outside s75)" in shown


def test_a_joint_body_with_delegated_authority_moves_the_start_in_one_decision(
        cli: Callable[..., Result], db_url: str, tmp_path: Path) -> None:
    """Point 5: "moving the start date needs each partner's decision (or the delegated joint
    body's)": with ``delegated_stages = ["s75_approval"]`` the JCC's one decision moves it;
    the Shadow Bolton Partnership Board, without that authority, is refused and nothing is
    written."""
    from tests.conftest import CONFIG

    text = CONFIG.read_text(encoding="utf-8")
    old = "delegated_limit = 20_000_000\n"
    assert text.count(old) == 1
    config = tmp_path / "delegated.toml"
    config.write_text(text.replace(old, old + 'delegated_stages = ["s75_approval"]\n'),
                      encoding="utf-8")

    def s75(*args: object) -> Result:
        return cli("--db", db_url, "--config", str(config), *SEPT, *(str(a) for a in args))

    def js(*args: object) -> Any:
        r = s75(*args, "--json")
        assert r.code == 0, r.text
        return json.loads(r.out)

    assert s75("init").code == 0
    js("proposal", "create", "Expand the pool")
    move = ("proposal", "move-start", 1, "--to", "2019-07-01", "--meeting-date", "2018-09-12")
    r = s75(*move, "--body", "sbpb", "--minute", "SBPB/18/3")
    assert r.code == 2, r.text
    assert ("Shadow Bolton Partnership Board (sbpb) cannot move the start date of proposal 1 "
            "'Expand the pool'; it is moved by each partner's sovereign body (Council Cabinet, "
            "CCG Board) or, with delegated authority for the agreement, Joint Commissioning "
            "Committee") in r.err
    assert js("proposal", "show", 1)["start_date"] == "2019-04-01"  # nothing written
    out = js(*move, "--body", "jcc", "--minute", "JCC/18/21")
    assert out["moved"] == "yes: every partner has decided", out
    shown = js("proposal", "show", 1)
    assert shown["start_date"] == "2019-07-01" and shown["signing_deadline"] == "2019-06-30"


def test_a_refused_route_writes_nothing(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    cabinet = s75json("meeting", "list", "--body", "cabinet")[0]["id"]
    before = s75json("meeting", "show", cabinet)["items"]
    standing = next(i for i in s75json("meeting", "show", jcc[0]["id"])["items"]
                    if i["title"].startswith("Minutes"))
    r = s75("item", "route", standing["id"], cabinet)
    assert r.code == 2 and "is standing business (minutes) of its own meeting" in r.err, r.text
    assert "Traceback" not in r.text
    assert s75json("meeting", "show", cabinet)["items"] == before
