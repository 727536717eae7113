"""Publication as a dated act: the packs print the day the agenda was published and the chair
of the day; a changed pack is republished as the next version with the earlier one kept; an
urgent late item published after the agenda produces a public and a members' supplement,
numbered on from the main pack, and mailed to the members."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from decisions.terms import LocalityConfig
from notifications.documents import produce, store
from notifications.tables import OutboxRow
from tests.documents.doc_helpers import text
from tests.principals import as_principal
from workflows.committee import items, meetings
from workflows.events import EventBus, UnitOfWork

COVER = {"decisions_required": "Approve the plan", "key_points": "Demand is rising",
         "impacts": "Financial: within the pool's budget",
         "sponsor": "DASS", "presenter": "Head of Commissioning"}


def _published(engine: Engine, config: LocalityConfig) -> tuple[int, int]:
    bus = EventBus()
    produce.install(bus)
    with Session(engine) as session:
        uow = UnitOfWork(session, config, datetime(2019, 3, 1, 9, tzinfo=UTC),
                         as_principal("secretary"), bus)
        [m1, _m2] = meetings.schedule(uow, "jcc", date(2019, 4, 1), date(2019, 5, 31))
        assert m1.id is not None
        item = items.add(uow, m1.id, "Intermediate care beds", lead="DASS", cover=COVER,
                         indicative_time="14:15",
                         body_text="# Background\n\nDemand rose by 12% over winter.")
        assert item.id is not None
        items.submit(uow, item.id, submitted_by="dass", submitted_on=date(2019, 3, 20))
        items.accept(uow, item.id)
        uow.now = datetime(2019, 3, 26, 9, tzinfo=UTC)
        items.publish_meeting(uow, m1.id)
        session.commit()
        return m1.id, item.id


def test_pack_prints_its_publication_date_chair_and_versions(engine: Engine,
                                                             config: LocalityConfig) -> None:
    meeting_id, item_id = _published(engine, config)
    with Session(engine) as session:
        [pack] = [d for d in store.listing(session, kind="pack")]
        words = text(pack.content or b"")
        # (pypdf reads the agenda's labels before their values)
        assert "Published" in words and "Tuesday 26 March 2019" in words
        assert "Leader of the Council" in words and "to be confirmed" not in words
        assert "2.15pm" in words and "14:15" not in words
        assert pack.version == 1 and pack.published_by == "secretary"
        assert pack.published_at == datetime(2019, 3, 26, 9, tzinfo=UTC)
        # The same content published again is not a new version.
        uow = UnitOfWork(session, config, datetime(2019, 3, 27, 9, tzinfo=UTC),
                         as_principal("secretary"), EventBus())
        assert produce.produce_packs(uow, meeting_id) == [pack.id]
        # A correction is: version 2, dated, the first kept.
        row = session.get(items.AgendaItemRow, item_id)
        assert row is not None
        row.body_text += "\n\nCorrection: demand rose by 14%."
        session.add(row)
        [new_id] = produce.produce_packs(uow, meeting_id)
        session.commit()
        new = store.content(session, new_id)
        assert (new.version, new.supersedes_id) == (2, pack.id)
        flat = " ".join(text(new.content or b"").split())
        assert "Version 2, republished Wednesday 27 March 2019" in flat, flat[:600]
        assert "first published Tuesday 26 March 2019" in flat
        assert store.content(session, pack.id or 0).content == pack.content


def test_urgent_late_item_publishes_a_supplement(engine: Engine,
                                                 config: LocalityConfig) -> None:
    meeting_id, _item = _published(engine, config)
    bus = EventBus()
    produce.install(bus)
    with Session(engine) as session:
        uow = UnitOfWork(session, config, datetime(2019, 4, 5, 9, tzinfo=UTC),
                         as_principal("secretary"), bus)
        late = items.add(uow, meeting_id, "Winter pressures: urgent funding", lead="DASS",
                         cover=COVER, body_text="# Proposal\n\nFund 10 extra beds.")
        assert late.id is not None
        items.submit(uow, late.id, submitted_by="dass", submitted_on=date(2019, 4, 5),
                     urgency_reason="The funding offer expires before the next meeting.",
                     chair_consent_by="leader")
        items.accept(uow, late.id)
        items.publish(uow, late.id, published_on=date(2019, 4, 5))
        session.commit()
        docs = {(d.kind, d.audience): d for d in store.listing(session)}
        main, supp = docs[("pack", "public")], docs[("supplement", "public")]
        assert supp.public and supp.published_at is not None
        words = " ".join(text(supp.content or b"").split())
        assert "Supplementary agenda 1" in words
        assert "Friday 5 April 2019" in words and "26 March" not in words
        assert "The funding offer expires before the next meeting." in words
        assert f"this supplement starts at page {main.pages + 1}" in words
        # Main agenda: four opening items, the report (5), any other business (6); the late
        # item takes the next number and its paragraphs follow on.
        assert re.search(r"\b7\.1 Fund 10 extra beds", words)
        assert f"pages {main.pages + 1}–" in words
        mails = session.exec(select(OutboxRow).where(
            OutboxRow.kind == "supplement_published")).all()
        assert {m.recipient for m in mails} >= {"leader@example.org", "ccg.chair@example.org"}
        assert all(m.attachments[0]["ref"]["kind"] == "meeting_supplement" for m in mails)
