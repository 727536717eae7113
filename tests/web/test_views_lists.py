"""The staff dashboard and a member's actions page (``?page=``) cost the same queries whatever
the number of rows (the dashboard: a meeting query per body clerked, then every listed
meeting's deadlines in one query; the actions: the count, the page, the page's meetings and
items), issue 17, point 2."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from decisions.terms import LocalityConfig
from s75.web.app import create_app
from tests.web.client import TestClient
from tests.web.staff_helpers import BASE, SECRET, add_accounts, sign_in
from tests.web.test_board import count_queries
from tests.web.test_members import setup  # noqa: F401  the members' record and client
from tests.web.web_helpers import Record, build_record, schedule_jcc, visible, web_app

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def client(db_url: str, engine: Engine, config: LocalityConfig) -> Iterator[TestClient]:
    add_accounts(engine, config)
    app = web_app(db_url)
    with TestClient(create_app(app, start_scheduler=False, secret=SECRET), base_url=BASE) as c:
        yield c
    app.close()


def test_the_staff_dashboard_costs_the_same_queries_at_any_number_of_meetings(
        engine: Engine, config: LocalityConfig, client: TestClient) -> None:
    build_record(engine, config)
    assert sign_in(client, "secretary") == 303
    few, r = count_queries(client, "/staff")
    assert r.status_code == 200
    shown = r.text.count("govuk-tag")  # a tag per deadline listed
    schedule_jcc(engine, config, date(2019, 1, 1), date(2021, 12, 31))
    many, r = count_queries(client, "/staff")
    assert r.status_code == 200 and many == few, (few, many)
    assert r.text.count("govuk-tag") > shown  # more meetings and deadlines listed
    assert "Joint Commissioning Committee" in visible(r.text)


def _actions(engine: Engine, n: int, meeting_ids: list[int]) -> None:
    from datetime import timedelta

    from sqlmodel import select

    from workflows.committee.records import ActionRow
    from workflows.committee.tables import AgendaItemRow

    with Session(engine) as s:
        items = s.exec(select(AgendaItemRow.id).where(
            AgendaItemRow.meeting_id == meeting_ids[0])).all()
        for k in range(n):
            s.add(ActionRow(body_id="jcc", meeting_id=meeting_ids[k % len(meeting_ids)],
                            item_id=items[k % len(items)], description=f"Action {k:04d}",
                            owner="dass", due_on=date(2019, 5, 1) + timedelta(k),
                            created_at=datetime(2019, 4, 10, tzinfo=UTC)))
        s.commit()


def test_a_members_actions_page_at_a_fixed_number_of_queries(
        setup: tuple[Record, int, TestClient], engine: Engine) -> None:  # noqa: F811
    from s75 import accounts
    from tests.web.staff_helpers import PASSWORD
    from tests.web.test_members import accounts_config

    record, _, client = setup
    with Session(engine) as s:
        accounts.add(s, accounts_config(), "dass", "dass", PASSWORD,
                     datetime(2019, 1, 1, tzinfo=UTC))
        s.commit()
    assert sign_in(client, "dass") == 303
    meetings = [record.meeting_id, record.next_meeting_id]
    _actions(engine, 5, meetings)
    few, r = count_queries(client, "/members/actions")
    assert r.status_code == 200 and "Pages of your actions" not in r.text
    _actions(engine, 60, meetings)
    many, r = count_queries(client, "/members/actions")
    assert r.status_code == 200 and many == few, (few, many)
    first = visible(r.text)
    assert "Page 1 of 2" in first and "(1 to 50 of 66)" in first and "Next page" in first
    n2, r = count_queries(client, "/members/actions?page=2")
    second = visible(r.text)
    assert n2 == few and "Page 2 of 2" in second and "(51 to 66 of 66)" in second
    assert "Previous page" in second and "Next page" not in second
    assert client.get("/members/actions?page=3").status_code == 404


def _packs(engine: Engine, config: LocalityConfig, start: date, end: date) -> None:
    """A members' pack on every jcc meeting from ``start`` to ``end`` without one."""
    from sqlmodel import select

    from notifications.documents.tables import DocumentRow
    from workflows.committee.tables import MeetingRow

    schedule_jcc(engine, config, start, end)
    with Session(engine) as s:
        have = set(s.exec(select(DocumentRow.meeting_id)).all())
        for m in s.exec(select(MeetingRow).where(MeetingRow.body_id == "jcc")).all():
            if m.id not in have:
                s.add(DocumentRow(kind="pack", title=f"Pack {m.local_date}", meeting_id=m.id,
                                  subject_type="meeting", subject_id=str(m.id),
                                  audience="members", content_hash=f"h{m.id}", pages=4,
                                  created_at=datetime(2019, 1, 1, tzinfo=UTC)))
        s.commit()


def test_a_members_packs_page_at_a_fixed_number_of_queries(
        setup: tuple[Record, int, TestClient], engine: Engine,  # noqa: F811
        config: LocalityConfig) -> None:
    _, _, client = setup
    assert sign_in(client, "member") == 303
    _packs(engine, config, date(2019, 5, 1), date(2019, 8, 31))
    few, r = count_queries(client, "/members/packs")
    assert r.status_code == 200 and "Pages of your packs" not in r.text
    _packs(engine, config, date(2013, 1, 1), date(2019, 4, 30))
    many, r = count_queries(client, "/members/packs")
    assert r.status_code == 200 and many == few, (few, many)
    first = visible(r.text)
    assert "Page 1 of" in first and "(1 to 20 of" in first and "Next page" in first
    last = int(first.split("Page 1 of ")[1].split()[0])
    assert last >= 2
    n, r = count_queries(client, f"/members/packs?page={last}")
    end = visible(r.text)
    assert n == few and f"Page {last} of {last}" in end and "Previous page" in end
    assert "2013" in end  # the oldest meetings on the last page


def test_a_members_actions_are_read_through_the_owner_indexes(engine: Engine) -> None:
    from sqlalchemy import text

    with engine.connect() as conn:
        plan = " ".join(str(r[-1]) for r in conn.execute(text(
            "EXPLAIN QUERY PLAN SELECT * FROM action WHERE owner = 'dass' "
            "OR owner_email = 'dass@example.org' ORDER BY due_on LIMIT 50")))
    assert "ix_action_owner (" in plan and "ix_action_owner_email" in plan, plan
    assert "SCAN action" not in plan, plan
