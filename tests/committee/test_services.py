"""The committee services against a real database: the events subscribers rely on, the audit
trail, and the pool commands."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from decisions.terms import LocalityConfig
from tests.principals import FULL_COVER, as_principal
from workflows.audit import verify_chain
from workflows.committee import attendance, decide, interests, items, meetings
from workflows.committee.events import (
    DecisionRecorded,
    ItemMoved,
    MeetingScheduled,
    ReferralCreated,
)
from workflows.committee.records import ReferralRow
from workflows.committee.tables import AgendaItemRow
from workflows.events import DomainEvent, EventBus, UnitOfWork

CONFIG = Path(__file__).resolve().parents[2] / "config.toml"


def test_events_carry_what_subscribers_need(engine: Engine, config: LocalityConfig) -> None:
    seen: list[DomainEvent] = []
    bus = EventBus()
    for kind in (MeetingScheduled, ItemMoved, DecisionRecorded, ReferralCreated):
        bus.subscribe(kind, lambda _uow, e: seen.append(e))
    now = datetime(2019, 3, 1, 9, tzinfo=UTC)
    with Session(engine) as session:
        uow = UnitOfWork(session, config, now, as_principal("secretary"), bus)
        [m1, _m2] = meetings.schedule(uow, "jcc", date(2019, 4, 1), date(2019, 5, 31))
        meetings.schedule(uow, "ccg_board", date(2019, 4, 1), date(2019, 5, 31))
        assert m1.id is not None
        item = items.add(uow, m1.id, "Intermediate care beds", cover={
            **FULL_COVER, "decisions_required": "Approve", "sponsor": "DASS"},
            pool_line_id="adult_community")
        assert item.id is not None
        items.submit(uow, item.id, submitted_by="dass", submitted_on=date(2019, 3, 20))
        items.accept(uow, item.id)
        items.publish(uow, item.id, published_on=date(2019, 4, 1))
        uow.now = datetime(2019, 4, 10, 13, tzinfo=UTC)  # attendance on the day of the meeting
        for who in ("exec_adults", "exec_children", "dass", "ccg_chair", "cfo", "gp_director_1"):
            attendance.record(uow, m1.id, who)
        attendance.record(uow, m1.id, "Head of Commissioning", "in_attendance")
        interests.declare(uow, item.id, "gp_director_1", "non_pecuniary", "Trustee of a hospice",
                          managed="took_part")
        result = decide.decide_item(uow, item.id, objections=["cfo"])
        session.commit()
        sched = next(e for e in seen if isinstance(e, MeetingScheduled))
        assert sched.meeting_id == m1.id and sched.body_id == "jcc"
        assert sched.starts_at == "2019-04-10T13:00:00+00:00"
        assert sched.publish_by == "2019-04-02"
        moved = {e.trigger: e for e in reversed(seen)
                 if isinstance(e, ItemMoved) and e.item_id == item.id}  # the first of each
        for trigger in ("submitted", "accepted", "published", "considered", "decided"):
            assert moved[trigger].meeting_id == m1.id, trigger
            assert moved[trigger].action == f"item.{trigger}"
            assert moved[trigger].payload()["action"] == "for_decision"
        [rec] = [e for e in seen if isinstance(e, DecisionRecorded)]
        assert rec.outcome == "referred" and rec.call_in_expires is None
        [ref] = [e for e in seen if isinstance(e, ReferralCreated)]
        assert ref.to_body_id == "ccg_board" and ref.placed is True
        assert result.decision is not None
        assert result.decision.interests_declared == [{
            "member_id": "gp_director_1", "nature": "non_pecuniary",
            "description": "Trustee of a hospice", "managed": "took_part"}]
        assert "Head of Commissioning" not in result.quorum.counted
        [row] = session.exec(select(ReferralRow)).all()
        placed = session.get(AgendaItemRow, row.to_item_id)
        assert placed is not None and placed.state == "submitted"
        assert placed.report_id == item.report_id  # the same report, at another body
        assert verify_chain(session) is None


def test_pool_show_and_variance(cli: Callable[..., Any], tmp_path: Path) -> None:
    r = cli("--config", str(CONFIG), "pool", "show", "--json")
    assert r.code == 0, r.text
    pool = json.loads(r.out)
    assert pool["total"] == 159_900_000
    assert pool["by_partner"] == {"council": 79_950_000, "ccg": 79_950_000}
    assert pool["risk_share"] == {"council": 0.5, "ccg": 0.5}
    assert pool["tbc_lines"] == ["population_health"]
    text = cli("--config", str(CONFIG), "pool", "show").out
    assert "£159.9m" in text and "population_health (tbc)" in text
    # File 004's shape: service, budget, forecast outturn, variance, % in £000's.
    csv = tmp_path / "p6.csv"
    csv.write_text(
        "Budget Monitoring results by Service,2019/20 Budget (£000's),"
        "Forecast Outturn (£000's),Forecast Variance (£000's),Percentage\n"
        "Adult Community (health and care) including End of Life & Hospices,51900,52400,500,1.0%\n"
        "Adult Mental Health community,18500,18300,(200),(1.1)%\n"
        "Care Homes and Home Care Supported Living,59700,60600,900,1.5%\n"
        "Adult Learning Disability,24200,24200,0,0.0%\n"
        "Remaining BCF,5600,5600,0,0.0%\n"
        "Total,159900,161100,1200,0.8%\n", encoding="utf-8")
    r = cli("--config", str(CONFIG), "pool", "variance", str(csv), "--json")
    assert r.code == 0, r.text
    rep = json.loads(r.out)
    assert rep["variance"] == 1_200_000
    assert rep["partner_variance"] == {"council": 600_000, "ccg": 600_000}
    r = cli("--config", str(CONFIG), "pool", "variance", str(tmp_path / "missing.csv"))
    assert r.code == 2 and "cannot be read" in r.err
