"""Documents produced at each step from the database: a published meeting its packs, a
decision its notice, a held meeting its draft minutes; then listed and rendered by the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from decisions.terms import LocalityConfig
from notifications.documents import produce, store
from tests.documents.doc_helpers import is_tagged_ua, text, top_outline
from tests.documents.meeting_setup import publish_and_attend
from tests.principals import as_principal
from workflows.committee import attendance, decide, items, meetings
from workflows.events import EventBus, UnitOfWork

CONFIG = Path(__file__).resolve().parents[2] / "config.toml"
SECRET = "The provider's sealed bid is 4.2 million pounds"


def _meeting(engine: Engine, config: LocalityConfig) -> tuple[int, int, int]:
    bus = EventBus()
    produce.install(bus)
    now = datetime(2019, 3, 1, 9, tzinfo=UTC)
    with Session(engine) as session:
        uow = UnitOfWork(session, config, now, as_principal("secretary"), bus)
        [m1, _m2] = meetings.schedule(uow, "jcc", date(2019, 4, 1), date(2019, 5, 31))
        assert m1.id is not None
        public = items.add(uow, m1.id, "Intermediate care beds", lead="DASS",
                           indicative_time="14:15", cover={
                               "decisions_required": "Approve 20 intermediate care beds",
                               "key_points": "Winter demand", "impacts": "Financial: £1.2m",
                               "sponsor": "DASS",
                               "presenter": "Head of Commissioning"},
                           body_text="# Background\n\nDemand rose by 12% over winter.\n\n"
                                     "# Proposal\n\nCommission 20 beds from October.",
                           appendices=[{"title": "Activity data", "text": "Admissions by month."}],
                           pool_line_id="adult_community")
        exempt = items.add(uow, m1.id, "Care home fee negotiation", lead="Director of People",
                           part=2, exempt_paragraph=3,
                           public_interest_reason="Commercial negotiations are live.",
                           cover={"decisions_required": "Agree the mandate",
                                  "key_points": "Fee proposals", "impacts": "Financial",
                                  "sponsor": "Director of People",
                                  "presenter": "Director of People"},
                           body_text=f"# Negotiation\n\n{SECRET}.",
                           appendices=[{"title": "Bid letter", "text": "Sealed bid letter."}])
        assert public.id is not None and exempt.id is not None
        publish_and_attend(uow, m1.id, public.id, exempt.id)
        attendance.record(uow, m1.id, "dcs", "apologies")
        attendance.record(uow, m1.id, "Head of Commissioning", "in_attendance")
        meetings.hold(uow, m1.id)
        result = decide.decide_item(uow, public.id or 0, resolution="That 20 beds be "
                                    "commissioned.", reasons="Winter demand.",
                                    alternatives_rejected="Spot purchase: dearer")
        session.commit()
        assert result.decision is not None and result.decision.id is not None
        return m1.id, public.id or 0, result.decision.id


def test_events_produce_packs_notice_and_minutes(engine: Engine, config: LocalityConfig) -> None:
    meeting_id, _item, decision_id = _meeting(engine, config)
    with Session(engine) as session:
        docs = store.listing(session)
        kinds = {(d.kind, d.audience) for d in docs}
        assert {("pack", "public"), ("pack", "members"), ("pack", "member:gp_director_1"),
                ("notice", "public"), ("minutes", "members")} <= kinds
        # The decided item is Part 1: its members' notice would equal the public one, so only
        # the public notice is stored.
        assert ("notice", "members") not in kinds
        by = {(d.kind, d.audience): d for d in docs}
        public = by[("pack", "public")].content or b""
        members = by[("pack", "members")].content or b""
        personal = by[("pack", "member:gp_director_1")].content or b""
        assert is_tagged_ua(public) and is_tagged_ua(members)
        assert SECRET not in text(public) and "Bid letter" not in text(public)
        assert "Care home fee negotiation" in text(public)
        assert SECRET in text(members) and "Appendix 1: Bid letter" in text(members)
        assert "Interest declared" in text(personal)
        assert len(top_outline(members)) == 3  # agenda + two reports
        notice = text(by[("notice", "public")].content or b"")
        assert "That 20 beds be commissioned." in notice and "Spot purchase: dearer" in notice
        minutes = text(by[("minutes", "members")].content or b"")
        assert "Draft minutes" in minutes and "Statutory Director of Children's Services" in \
            minutes
        assert all(d.meeting_id == meeting_id for d in docs)
        assert by[("notice", "public")].subject_id == str(decision_id)


def test_cli_lists_and_renders(engine: Engine, config: LocalityConfig, db_url: str,
                               cli: Callable[..., Any], tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S75_DOCUMENT_CACHE", str(tmp_path / "cache"))
    meeting_id, _item, decision_id = _meeting(engine, config)
    base = ("--config", str(CONFIG), "--db", db_url)
    r = cli(*base, "documents", "list", "--json")
    assert r.code == 0, r.text
    listed = json.loads(r.out)
    assert {d["kind"] for d in listed} >= {"pack", "notice", "minutes"}
    for args in (("agenda", str(meeting_id), "--public"), ("pack", str(meeting_id), "--workers",
                                                             "1"),
                 ("minutes", str(meeting_id)), ("notice", str(decision_id)),
                 ("actions", "jcc"), ("forward-plan",), ("terms", "jcc"),
                 ("gateway-report",), ("pool",)):
        out = tmp_path / f"{args[0]}.pdf"
        r = cli(*base, "render", *args, "--out", str(out))
        assert r.code == 0, (args, r.text)
        assert is_tagged_ua(out.read_bytes()), args
    assert "Intermediate care beds" in text((tmp_path / "agenda.pdf").read_bytes())
    r = cli(*base, "render", "pack", "999", "--out", str(tmp_path / "x.pdf"))
    assert r.code == 2 and "meeting 999 does not exist" in r.text
    r = cli(*base, "render", "pack", str(meeting_id), "--member", "nobody",
            "--out", str(tmp_path / "x.pdf"))
    assert r.code == 2 and "'nobody' is not a member id" in r.text
    r = cli(*base, "documents", "get", str(listed[0]["id"]), "--out", str(tmp_path / "g.pdf"))
    assert r.code == 0 and (tmp_path / "g.pdf").read_bytes().startswith(b"%PDF")
