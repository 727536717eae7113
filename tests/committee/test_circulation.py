"""Circulating the draft minutes: reissued with the minute of each item as written, e-mailed
to the body's members with the members' draft attached; refused once the minutes are
approved, and for a meeting not yet held. Through the CLI and the real event bus."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from notifications.tables import OutboxRow
from workflows.committee.records import MinutesVersionRow


def test_draft_minutes_are_circulated_to_the_members(
        s75json: Callable[..., Any], s75: Callable[..., Any], engine: Engine) -> None:
    quarter = ("--from", "2019-04-01", "--to", "2019-06-30")
    [m1, *_] = [m["id"] for m in s75json("meeting", "schedule", "ccg_board", *quarter)]
    r = s75("minutes", "circulate", m1)
    assert r.code == 2 and "has no minutes: it is scheduled" in r.err
    s75json("meeting", "hold", m1)
    show = s75json("meeting", "show", m1)["items"]
    aob = next(i["id"] for i in show if i["title"] == "Any other business")
    s75json("minutes", "write", m1, aob, "--text", "The Chair thanked the members.")
    refused = s75("--as", "cfo", "minutes", "circulate", m1)
    assert refused.code == 2 and "permission refused: minutes circulate" in refused.err
    out = s75json("--as", "board_secretary", "minutes", "circulate", m1)
    assert out == {"meeting": m1, "minutes": "draft", "circulated": True}
    with Session(engine) as s:
        versions = s.exec(select(MinutesVersionRow).where(
            MinutesVersionRow.meeting_id == m1).order_by(col(MinutesVersionRow.version))).all()
        mail = s.exec(select(OutboxRow).where(OutboxRow.kind == "minutes_circulated")).all()
    assert [(v.version, v.status, v.superseded_at is None) for v in versions] == \
        [(1, "draft", False), (2, "draft", True)]
    assert versions[1].reason == "circulated to members"
    assert mail and all(m.subject.startswith("Draft minutes: ") for m in mail)
    assert {m.recipient for m in mail} >= {"cfo@example.org"}
    # The mail names the issue; its draft, rendered after the commit, is stored by then.
    assert all(a["ref"] == {"kind": "minutes_document", "minutes_version": versions[1].id}
               for m in mail for a in m.attachments)
    assert versions[1].document_id is not None
    assert "for your comments" in mail[0].body
    s75json("minutes", "approve", m1, "--no-sign")
    r = s75("minutes", "circulate", m1)
    assert r.code == 2 and "are approved; approved minutes are changed only by a correction" \
        in r.err
