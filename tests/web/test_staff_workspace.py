"""The secretary's workspace beyond the first cycle: the agenda reordered with up and down
buttons (a plain form, and an htmx fragment with ``HX-Request``), an item assigned to its
author when added, an edit after publication needing its reason, the minute of each item
written after the meeting, and the minutes approved at the next meeting; each refusal on the
page beside its field."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from s75.app import App
from s75.web.app import create_app
from tests.principals import FULL_COVER
from tests.web.author_helpers import BASE, add_accounts, add_item, author_app, sign_in_as
from tests.web.client import TestClient
from tests.web.staff_helpers import SECRET
from tests.web.web_helpers import visible
from workflows.committee import common
from workflows.committee.item_actions import EditItem
from workflows.committee.records import MinutesRow, MinuteTextRow
from workflows.committee.tables import AgendaItemRow

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def app(db_url: str, engine: Engine, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    monkeypatch.setenv("S75_DOCUMENTS_ON_EVENTS", "0")  # no packs rendered: not tested here
    a = author_app(db_url, tmp_path)
    add_accounts(a)
    yield a
    a.close()


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    with TestClient(create_app(app, start_scheduler=False, secret=SECRET), base_url=BASE) as c:
        yield c


def order(app: App, meeting_id: int) -> list[str]:
    with Session(app.engine) as s:
        return [i.title for i in common.items_of(s, meeting_id) if i.standing is None]


def version(app: App, item_id: int) -> str:
    with Session(app.engine) as s:
        i = s.get(AgendaItemRow, item_id)
        assert i is not None
        return str(i.version)


def test_reorder_with_and_without_htmx(app: App, client: TestClient) -> None:
    from tests.web.author_helpers import schedule

    [m, _] = schedule(app)
    ids = [add_item(app, m, t) for t in ("Beds", "Falls", "Carers")]
    token = sign_in_as(client, "secretary")
    page = client.get(f"/staff/meetings/{m}")
    assert page.text.count(">Move up<") == 2 and page.text.count(">Move down<") == 2
    assert 'hx-post="/staff/meetings/' in page.text and "htmx.min.js" in page.text

    r = client.post(f"/staff/meetings/{m}/reorder",  # no JavaScript: a redirect, reloaded
                    data={"csrf": token, "item_id": ids[2], "position": "1",
                          "version": version(app, ids[2])}, follow_redirects=False)
    assert r.status_code == 303 and order(app, m) == ["Carers", "Beds", "Falls"]
    assert "Agenda order changed." in client.get(r.headers["location"]).text

    r = client.post(f"/staff/meetings/{m}/reorder", headers={"HX-Request": "true"},
                    data={"csrf": token, "item_id": ids[0], "position": "3",
                          "version": version(app, ids[0])})
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="agenda">')
    assert "<html" not in r.text and "Agenda order changed." in r.text
    assert order(app, m) == ["Carers", "Falls", "Beds"]
    shown = visible(r.text)
    assert shown.index("Carers") < shown.index("Falls") < shown.index("Beds")

    seen = version(app, ids[1])  # the page as the secretary has it; then someone edits it
    app.perform(EditItem(ids[1], {"title": "Falls prevention"}))
    stale = client.post(f"/staff/meetings/{m}/reorder", headers={"HX-Request": "true"},
                        data={"csrf": token, "item_id": ids[1], "position": "1",
                              "version": seen})
    assert stale.status_code == 409 and stale.text.lstrip().startswith('<div id="agenda">')
    assert "Someone else changed this item" in visible(stale.text)
    assert order(app, m) == ["Carers", "Falls prevention", "Beds"]
    r = client.post(f"/staff/meetings/{m}/reorder",
                    data={"csrf": token, "item_id": ids[1], "position": "9",
                          "version": version(app, ids[1])})
    assert r.status_code == 422
    assert "position: 9 is not valid; expected 1 to 3" in visible(r.text)


def test_add_with_an_author_and_edit_after_publication_needs_a_reason(
        app: App, client: TestClient) -> None:
    from datetime import date

    from workflows.committee.meeting_actions import ScheduleMeetings

    [m, *_] = app.perform(ScheduleMeetings("ccg_board", date(2019, 4, 1), date(2019, 4, 30)),
                          lambda _uow, rows: [x.id for x in rows])
    token = sign_in_as(client, "other.secretary")
    assert "Head of Integrated Commissioning" in client.get(f"/staff/meetings/{m}").text
    r = client.post(f"/staff/meetings/{m}/add-item",
                    data={"csrf": token, "title": "Falls", "action": "for_decision",
                          "part": "1", "author": "leader", **FULL_COVER})
    assert r.status_code == 422 and 'id="add-item-author-error"' in r.text
    assert "author: 'leader' is not a report author" in visible(r.text)
    r = client.post(f"/staff/meetings/{m}/add-item",
                    data={"csrf": token, "title": "Falls", "action": "for_decision",
                          "part": "1", "author": "commissioning_lead", **FULL_COVER},
                    follow_redirects=False)
    assert r.status_code == 303
    with Session(app.engine) as s:
        item = s.exec(select(AgendaItemRow).where(AgendaItemRow.title == "Falls")).one()
    assert item.author == "commissioning_lead"
    for form in ("submit", "accept", "publish-item"):
        r = client.post(f"/staff/meetings/{m}/{form}",
                        data={"csrf": token, "item_id": item.id}, follow_redirects=False)
        assert r.status_code == 303, (form, visible(r.text))
    page = client.get(f"/staff/items/{item.id}")
    assert "Reason for the change" in page.text
    fields = {"title": "Falls prevention", "lead": "", "body_text": "", **FULL_COVER,
              "version": version(app, item.id)}
    r = client.post(f"/staff/items/{item.id}/draft", data={"csrf": token, **fields})
    assert r.status_code == 422 and 'id="draft-reason-error"' in r.text
    assert "reason: missing" in visible(r.text) and "is published" in visible(r.text)
    r = client.post(f"/staff/items/{item.id}/draft",
                    data={"csrf": token, **fields, "reason": "Title as agreed with the chair"},
                    follow_redirects=False)
    assert r.status_code == 303
    with Session(app.engine) as s:
        assert s.get(AgendaItemRow, item.id).title == "Falls prevention"  # type: ignore[union-attr]


def test_minutes_written_per_item_then_approved_at_the_next_meeting(
        app: App, client: TestClient) -> None:
    from tests.web.author_helpers import schedule

    [april, may] = schedule(app)
    token = sign_in_as(client, "secretary")
    app.clock.set(datetime(2019, 4, 10, 17, tzinfo=UTC))  # type: ignore[attr-defined]
    r = client.post(f"/staff/meetings/{april}/hold", data={"csrf": token},
                    follow_redirects=False)
    assert r.status_code == 303, visible(r.text)
    with Session(app.engine) as s:
        standing = next(i for i in common.items_of(s, april) if i.standing == "apologies")
    page = client.get(f"/staff/meetings/{april}")
    assert "Write the minute" in page.text
    r = client.post(f"/staff/meetings/{april}/minute",
                    data={"csrf": token, "item_id": standing.id, "text": "  "})
    assert r.status_code == 422 and f'id="minute-text-{standing.id}-error"' in r.text
    assert "text: missing; write the minute of the item" in visible(r.text)
    r = client.post(f"/staff/meetings/{april}/minute",
                    data={"csrf": token, "item_id": standing.id,
                          "text": "Apologies were received from the Director of Public Health."},
                    follow_redirects=False)
    assert r.status_code == 303
    page = visible(client.get(f"/staff/meetings/{april}").text)
    assert "Minuted: Apologies were received from the Director of Public Health." in page
    with Session(app.engine) as s:
        assert len(s.exec(select(MinuteTextRow)).all()) == 1

    r = client.post(f"/staff/meetings/{april}/circulate", data={"csrf": token},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "Draft minutes circulated to the members." in client.get(r.headers["location"]).text

    early = client.post(f"/staff/meetings/{may}/minutes",
                        data={"csrf": token, "minutes_of": april, "amendments": ""})
    assert early.status_code == 409 and "There is a problem" in early.text
    app.clock.set(datetime(2019, 5, 8, 17, tzinfo=UTC))  # type: ignore[attr-defined]
    r = client.post(f"/staff/meetings/{may}/minutes",
                    data={"csrf": token, "minutes_of": april, "amendments": ""},
                    follow_redirects=False)
    assert r.status_code == 303, visible(r.text)
    with Session(app.engine) as s:
        row = s.exec(select(MinutesRow).where(MinutesRow.meeting_id == april)).one()
    assert row.state == "signed"
    r = client.post(f"/staff/meetings/{april}/circulate", data={"csrf": token})
    assert r.status_code == 409 and "are signed; approved minutes are changed only by a " \
        "correction" in visible(r.text)


def test_attendance_ticks_with_htmx(app: App, client: TestClient) -> None:
    from tests.web.author_helpers import schedule

    [m, _] = schedule(app)
    token = sign_in_as(client, "secretary")
    hx = {"HX-Request": "true"}
    r = client.post(f"/staff/meetings/{m}/attendance", headers=hx,
                    data={"csrf": token, "person": "leader", "status": "apologies",
                          "substitute_for": ""})
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="attendance">')
    assert "<html" not in r.text
    shown = visible(r.text)
    assert "Leader of the Council: apologies" in shown and "Attendance recorded." in shown
    r = client.post(f"/staff/meetings/{m}/attendance", headers=hx,
                    data={"csrf": token, "person": "leader", "status": "asleep"})
    assert r.status_code == 422 and 'id="attendance-status-error"' in r.text
    assert "status: 'asleep' is not valid" in visible(r.text)
    page = client.get(f"/staff/meetings/{m}")  # the whole page, as without JavaScript
    assert "Leader of the Council: apologies" in visible(page.text)


def test_the_decide_forms_rule_check_live_and_without_javascript(
        app: App, client: TestClient) -> None:
    from datetime import date

    from workflows.committee.meeting_actions import ScheduleMeetings

    [m, *_] = app.perform(ScheduleMeetings("ccg_board", date(2019, 4, 1), date(2019, 4, 30)),
                          lambda _uow, rows: [x.id for x in rows])
    token = sign_in_as(client, "other.secretary")
    client.post(f"/staff/meetings/{m}/add-item",
                data={"csrf": token, "title": "Falls", "action": "for_decision", "part": "1",
                      **FULL_COVER})
    with Session(app.engine) as s:
        iid = s.exec(select(AgendaItemRow.id).where(AgendaItemRow.title == "Falls")).one()
    for form in ("submit", "accept", "publish-item"):
        assert client.post(f"/staff/meetings/{m}/{form}", data={"csrf": token, "item_id": iid},
                           follow_redirects=False).status_code == 303
    page = client.get(f"/staff/meetings/{m}")
    assert f'hx-get="/staff/meetings/{m}/items/{iid}/rules"' in page.text
    hx = {"HX-Request": "true"}
    r = client.get(f"/staff/meetings/{m}/items/{iid}/rules", headers=hx)
    assert r.status_code == 200 and r.text.startswith(f'<div id="rules-{iid}"')
    assert "no attendance is recorded" in visible(r.text)
    app.clock.set(datetime(2019, 4, 26, 9, 30, tzinfo=UTC))  # type: ignore[attr-defined]
    r = client.post(f"/staff/meetings/{m}/attendance",
                    data={"csrf": token, "person": "cfo", "status": "present",
                          "substitute_for": ""}, follow_redirects=False)
    assert r.status_code == 303, visible(r.text)
    r = client.get(f"/staff/meetings/{m}/items/{iid}/rules", headers=hx)
    said = visible(r.text)
    assert "A decision now would not stand as asked" in said
    assert "Quorum for this item: inquorate" in said and "defers the item" in said
    full = client.get(f"/staff/meetings/{m}/items/{iid}/rules")  # without JavaScript
    assert "<html" in full.text and "Quorum for this item: inquorate" in visible(full.text)
    assert "Back to the meeting workspace" in full.text
    with Session(app.engine) as s:  # read only: the item is still published, not deferred
        assert s.get(AgendaItemRow, iid).state == "published"  # type: ignore[union-attr]
    assert client.get(f"/staff/meetings/{m}/items/99999/rules").status_code == 404
