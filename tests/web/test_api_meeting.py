"""A meeting taken through with the JSON API alone, every endpoint once: items added, one
withdrawn, one deferred, one routed to another body, the agenda published, attendance,
a member's own declaration, the meeting held, a decision, the previous minutes approved. What
the API answers is checked against what the record then holds (and what OParl shows)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import select

from decisions.clock import SimulatedClock
from s75.wiring import build_bus
from tests.principals import as_principal
from tests.web.test_api import World, bearer, build_world
from workflows.committee import meetings
from workflows.committee.records import AttendanceRow, DeclarationRow
from workflows.committee.tables import AgendaItemRow, DecisionRow, MeetingRow
from workflows.events import UnitOfWork

COVER = {"decisions_required": "Note the plan", "key_points": "Three wards",
         "impacts": "None", "sponsor": "DASS", "presenter": "Head of Commissioning"}
QUORUM = ["leader", "exec_adults", "dass", "ccg_chair", "accountable_officer",
          "gp_director_1"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from build_world(tmp_path_factory.mktemp("api-meeting"))


def post(w: World, url: str, body: dict[str, Any] | None = None, role: str = "secretary",
         status: int = 200) -> dict[str, Any]:
    r = w.client.post(url, json=body, headers=bearer(w, role))
    assert r.status_code == status, (url, r.text)
    out: dict[str, Any] = r.json()
    return out


def test_a_meeting_through_the_api(world: World) -> None:
    w = world
    m1, m2 = w.record.meeting_id, w.record.next_meeting_id
    with w.app.session() as s:  # a cabinet meeting to route a report to
        uow = UnitOfWork(s, w.app.config, datetime(2019, 4, 11, tzinfo=UTC),
                         as_principal("secretary"), build_bus())
        [cabinet] = meetings.schedule(uow, "cabinet", date(2019, 6, 1), date(2019, 6, 30))
        s.commit()
        cabinet_id = cabinet.id
    ids = [post(w, f"/api/v1/meetings/{m2}/items", {"title": t, "lead": "DASS", "cover": COVER,
                                                    "body_text": f"# {t}\n\nThe plan."},
                status=201)["item"]["id"] for t in ("Withdrawn one", "Routed one",
                                                     "Deferred one", "Decided one")]
    withdrawn, routed, deferred, decided = ids
    assert post(w, f"/api/v1/items/{withdrawn}/withdraw", {"reason": "Not ready"}
                )["item"]["state"] == "withdrawn"
    for i in (routed, deferred, decided):
        post(w, f"/api/v1/items/{i}/submit")
        post(w, f"/api/v1/items/{i}/accept")
    done = post(w, f"/api/v1/items/{routed}/route", {"to_meeting": m1, "action": "to_note"},
                status=409)
    assert "held" in done["message"]  # the workflow's words: route to a scheduled meeting
    assert post(w, f"/api/v1/items/{routed}/route",
                {"to_meeting": cabinet_id, "action": "for_decision"})["action"] == "item route"
    assert post(w, f"/api/v1/items/{deferred}/defer", {"reason": "Awaiting figures"}
                )["item"]["state"] == "deferred"
    assert post(w, f"/api/v1/meetings/{m2}/publish")["meeting"]["id"] == m2
    w.app.clock = SimulatedClock(datetime(2019, 5, 30, 12, tzinfo=UTC))
    post(w, f"/api/v1/meetings/{m2}/attendance", {"people": QUORUM, "status": "present"})
    post(w, f"/api/v1/items/{decided}/declarations",  # the member themself
         {"member_id": "leader", "nature": "non_pecuniary", "description": "A friend bids",
          "managed": "took_part"}, role="member", status=201)
    post(w, f"/api/v1/items/{decided}/declarations",  # but not for someone else
         {"member_id": "dass", "nature": "non_pecuniary", "description": "x",
          "managed": "took_part"}, role="member", status=403)
    assert post(w, f"/api/v1/meetings/{m2}/hold")["meeting"]["status"] == "held"
    done = post(w, f"/api/v1/items/{decided}/decision", {
        "outcome": "approved", "resolution": "That the plan be agreed.", "reasons": "Winter"},
        status=201)
    assert done["item"]["state"] == "decided"
    assert post(w, f"/api/v1/meetings/{m2}/minutes-approval", {"minutes_of": m1}
                )["action"] == "minutes approve"

    with w.app.session() as s:
        present = s.exec(select(AttendanceRow.person).where(
            AttendanceRow.meeting_id == m2, AttendanceRow.status == "present")).all()
        assert set(QUORUM) <= set(present)
        decl = s.exec(select(DeclarationRow).where(DeclarationRow.item_id == decided)).all()
        assert [(d.member_id, d.description) for d in decl] == [("leader", "A friend bids")]
        decision = s.exec(select(DecisionRow).where(DecisionRow.item_id == decided)).one()
        assert decision.text == "That the plan be agreed." and decision.outcome == "approved"
        assert s.get(MeetingRow, m2).status == "held"  # type: ignore[union-attr]
        on_cabinet = s.exec(select(AgendaItemRow).where(
            AgendaItemRow.meeting_id == cabinet_id, AgendaItemRow.title == "Routed one")).all()
        assert on_cabinet, "the routed report is on the cabinet's agenda"

    oparl = w.client.get(f"/oparl/v1/meeting/{m2}").json()
    item = next(i for i in oparl["agendaItem"] if i["name"] == "Decided one")
    assert item["result"] == "Approved" and item["resolutionText"] == "That the plan be agreed."
    assert "Withdrawn one" not in str(oparl)
    assert f"{w.client.base_url}/oparl/v1/person/leader" in oparl["participant"]
