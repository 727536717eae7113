"""The members' pages over HTTP (real session cookie and CSRF; SQLite, and PostgreSQL when
configured): my meetings, my packs (Part 2
only for bodies the member sits on: another body's members' pack is 404 with nothing exempt),
declaring an interest (the pipeline's action; the secretary is e-mailed; the refusal beside
the field), my actions, and the personal calendar link (hash stored, reset, revoked)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from decisions.terms import LocalityConfig
from notifications.documents import gather
from notifications.documents.tables import DocumentRow
from notifications.tables import OutboxRow
from s75 import accounts
from s75.api_tokens import ApiTokenRow
from s75.web.app import create_app
from s75.wiring import build_bus
from tests.principals import FULL_COVER, as_principal
from tests.web.client import TestClient
from tests.web.staff_helpers import BASE, PASSWORD, SECRET, add_accounts, csrf_of, sign_in
from tests.web.web_helpers import SECRETS, Record, build_record, visible, web_app
from workflows.committee import items
from workflows.committee.records import DeclarationRow
from workflows.events import UnitOfWork

NEXT_TITLE = "Winter discharge to assess"
NEXT_SECRET_TITLE = "Provider failure contingency"
NEXT_SECRET = "The provider's cash runs out in March"


def publish_next_meeting(engine: Engine, config: LocalityConfig, meeting_id: int) -> int:
    """The May meeting: a Part 1 and a Part 2 item, published on 11 April 2019 (packs
    stored). Returns the Part 1 item's id."""
    with Session(engine) as session:
        uow = UnitOfWork(session, config, datetime(2019, 4, 11, 8, tzinfo=UTC),
                         as_principal("secretary"), build_bus())
        public = items.add(uow, meeting_id, NEXT_TITLE, lead="DASS",
                           cover={**FULL_COVER}, body_text="# Summary\n\nFewer delays.")
        exempt = items.add(uow, meeting_id, NEXT_SECRET_TITLE, lead="Director of People",
                           part=2, exempt_paragraph=3, public_interest_reason="Commercial.",
                           cover={**FULL_COVER}, body_text=f"# Risk\n\n{NEXT_SECRET}.")
        for item in (public, exempt):
            assert item.id is not None
            items.submit(uow, item.id, submitted_by="dass", submitted_on=date(2019, 4, 11))
            items.accept(uow, item.id)
        items.publish_meeting(uow, meeting_id, published_on=date(2019, 4, 11))
        session.commit()
        assert public.id is not None
        return public.id


def member_record(engine: Engine, config: LocalityConfig) -> tuple[Record, int]:
    record = build_record(engine, config)
    add_accounts(engine, config)
    with Session(engine) as s:  # a member of the cabinet only: not of the jcc
        accounts.add(s, config, "resources", "exec_resources", PASSWORD,
                     datetime(2019, 1, 1, tzinfo=UTC))
        s.commit()
    return record, publish_next_meeting(engine, config, record.next_meeting_id)


@pytest.fixture
def setup(db_url: str, engine: Engine, config: LocalityConfig
          ) -> Iterator[tuple[Record, int, TestClient]]:
    record, item_id = member_record(engine, config)
    app = web_app(db_url)
    with TestClient(create_app(app, start_scheduler=False, secret=SECRET), base_url=BASE) as c:
        yield record, item_id, c
    app.close()


def doc_id(engine: Engine, meeting_id: int, audience: str) -> int:
    with Session(engine) as s:
        row = s.exec(select(DocumentRow).where(
            DocumentRow.meeting_id == meeting_id, DocumentRow.kind == "pack",
            DocumentRow.audience == audience).order_by(col(DocumentRow.id).desc())).first()
    assert row is not None and row.id is not None, audience
    return row.id


def test_my_meetings_and_packs(setup: tuple[Record, int, TestClient], engine: Engine) -> None:
    record, _, client = setup
    assert client.get("/members", follow_redirects=False).headers["location"] == \
        "/login?next=/members"
    assert sign_in(client, "member") == 303
    page = visible(client.get("/members").text)
    assert "You sit on: Council Cabinet, Shadow Bolton Partnership Board, Joint " \
           "Commissioning Committee." in page
    assert "Upcoming meetings" in page and "8 May 2019" in page and "10 April 2019" in page
    packs = visible(client.get("/members/packs").text)
    assert "Members' pack (includes Part 2)" in packs and "Public pack" in packs
    meeting = client.get(f"/members/meetings/{record.next_meeting_id}")
    assert meeting.status_code == 200
    shown = visible(meeting.text)
    assert NEXT_SECRET_TITLE in shown and "Part 2: in the members' pack" in shown
    assert NEXT_SECRET not in shown  # the HTML page never carries exempt text
    members_pack = doc_id(engine, record.next_meeting_id, "members")
    r = client.get(f"/members/documents/{members_pack}.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    import io
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert NEXT_SECRET in " ".join(text.split())  # the member's entitlement: Part 2 included


def test_another_bodys_part2_pack_is_404_and_nothing_exempt(
        setup: tuple[Record, int, TestClient], engine: Engine) -> None:
    record, _, client = setup
    assert sign_in(client, "resources") == 303  # sits on the cabinet, not the jcc
    members_pack = doc_id(engine, record.meeting_id, "members")
    personal = doc_id(engine, record.meeting_id, "member:gp_director_1")
    for doc in (members_pack, personal):
        r = client.get(f"/members/documents/{doc}.pdf")
        assert r.status_code == 404 and "not a pack you may read" in r.text
        assert not [s for s in SECRETS if s in r.text]
    public = doc_id(engine, record.meeting_id, "public")
    assert client.get(f"/members/documents/{public}.pdf").status_code == 200
    r = client.get(f"/members/meetings/{record.meeting_id}")
    assert r.status_code == 404 and "not a meeting of a body you sit on" in r.text
    packs = visible(client.get("/members/packs").text)
    assert "Joint Commissioning Committee" not in packs and "Members' pack" not in packs
    assert "Care home fee negotiation" not in packs


def test_declare_an_interest(setup: tuple[Record, int, TestClient], engine: Engine) -> None:
    record, item_id, client = setup
    assert sign_in(client, "member") == 303
    url = f"/members/meetings/{record.next_meeting_id}"
    token = csrf_of(client.get(url).text)
    r = client.post(f"{url}/declare", data={"csrf": token, "item_id": str(item_id),
                                            "nature": "pecuniary", "description": "",
                                            "managed": "left_room"})
    assert r.status_code == 422
    assert 'id="declare-description-error"' in r.text and "description: missing" in r.text
    r = client.post(f"{url}/declare", data={"csrf": token, "item_id": "", "nature": "pecuniary",
                                            "description": "x", "managed": "left_room"})
    assert r.status_code == 422 and 'id="declare-item_id-error"' in r.text
    r = client.post(f"{url}/declare", data={"csrf": token, "item_id": str(item_id),
                                            "nature": "sideways", "description": "x",
                                            "managed": "left_room"})
    assert r.status_code == 422 and 'id="declare-nature-error"' in r.text
    with Session(engine) as s:
        assert not s.exec(select(DeclarationRow).where(
            DeclarationRow.member_id == "leader")).all()  # nothing written
    r = client.post(f"{url}/declare", data={
        "csrf": token, "item_id": str(item_id), "nature": "pecuniary", "managed": "left_room",
        "description": "My partner is a director of the <b>discharge</b> provider"},
        follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    shown = visible(page.text)
    assert "Your declaration is recorded" in shown
    assert f"{NEXT_TITLE}: Disclosable pecuniary interest. My partner is a director of the " \
           "<b>discharge</b> provider (Leave the room for this item.)" in shown
    assert "<b>discharge</b>" not in page.text  # escaped
    with Session(engine) as s:
        mail = s.exec(select(OutboxRow).where(OutboxRow.kind == "interest_declared")).all()
        d = s.exec(select(DeclarationRow).where(DeclarationRow.member_id == "leader")).one()
    assert d.item_id == item_id and d.nature == "pecuniary"
    with Session(engine) as s:  # and it is in the minutes
        minutes = repr(gather.minutes_view(s, accounts_config(), record.next_meeting_id))
    assert "Leader of the Council" in minutes and "director of the <b>discharge</b>" in minutes
    assert [m.recipient for m in mail] == ["jcc.secretary@example.org"]  # the jcc's clerk
    assert "Leader of the Council has declared a disclosable pecuniary interest in item " \
           f"'{NEXT_TITLE}'" in mail[0].body
    # a decided item (last month's) is not offered, and posting it is refused beside the field
    r = client.post(f"{url}/declare", data={"csrf": token, "item_id": "1", "nature": "pecuniary",
                                            "description": "x", "managed": "left_room"})
    assert r.status_code == 422 and "not an item of this meeting open" in r.text
    # another member's meeting of a body they do not sit on: 404, nothing written
    assert sign_in(client, "resources") == 303
    token = csrf_of(client.get("/members").text)
    r = client.post(f"{url}/declare", data={"csrf": token, "item_id": str(item_id),
                                            "nature": "pecuniary", "description": "x",
                                            "managed": "left_room"})
    assert r.status_code == 404


def test_my_actions(setup: tuple[Record, int, TestClient], engine: Engine) -> None:
    _, _, client = setup
    assert sign_in(client, "member") == 303
    assert "No action arising is assigned to you." in visible(client.get("/members/actions").text)
    with Session(engine) as s:
        accounts.add(s, accounts_config(), "dass", "dass", PASSWORD,
                     datetime(2019, 1, 1, tzinfo=UTC))
        s.commit()
    assert sign_in(client, "dass") == 303
    shown = visible(client.get("/members/actions").text)
    assert SECRETS[6] in shown  # their own action, from a Part 2 item of their own body
    assert "1 May 2019" in shown and "Joint Commissioning Committee, 10 April 2019" in shown
    # the personal feed leaves the site (calendar services keep copies): the Part 2 action is
    # titled as in the public feed
    page = client.get("/members/calendar")
    r = client.post("/members/calendar/reset", data={"csrf": csrf_of(page.text)})
    link = r.text.split('id="calendar-link"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    feed = client.get(link.removeprefix("https://testserver")).text.replace("\r\n ", "")
    assert "Action arising from exempt (Part 2) business" in feed
    assert SECRETS[6] not in feed


def accounts_config() -> LocalityConfig:
    from s75.config import load_config
    from tests.web.web_helpers import CONFIG
    return load_config(CONFIG)


def test_calendar_link_is_hashed_reset_and_revoked(setup: tuple[Record, int, TestClient],
                                                   engine: Engine) -> None:
    _, _, client = setup
    assert sign_in(client, "member") == 303
    page = client.get("/members/calendar")
    assert "You have no calendar link yet." in visible(page.text)
    r = client.post("/members/calendar/reset", data={"csrf": csrf_of(page.text)})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    link = r.text.split('id="calendar-link"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    path = link.removeprefix("https://testserver")
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    with Session(engine) as s:
        rows = s.exec(select(ApiTokenRow)).all()
    assert len(rows) == 1 and token not in rows[0].secret_hash and len(rows[0].secret_hash) == 64
    assert rows[0].scope == "calendar" and rows[0].principal_id == "leader"
    client.cookies.clear()  # the feed needs no sign-in
    feed = client.get(path)
    assert feed.status_code == 200 and feed.text.startswith("BEGIN:VCALENDAR")
    assert "Joint Commissioning Committee" in feed.text and "BEGIN:VTIMEZONE" in feed.text
    assert not [s for s in SECRETS if s in feed.text.replace("\r\n ", "")]
    assert client.get(path.replace(token, token[:-2] + "xx")).status_code == 401
    assert sign_in(client, "member") == 303
    page = client.get("/members/calendar")
    assert "it is working" in visible(page.text) and token not in page.text
    r = client.post("/members/calendar/reset", data={"csrf": csrf_of(page.text)})
    assert client.get(path).status_code == 401  # the old link stopped
    new_path = r.text.split('id="calendar-link"', 1)[1].split('value="', 1)[1].split('"', 1)[0] \
        .removeprefix("https://testserver")
    assert client.get(new_path).status_code == 200
    r = client.post("/members/calendar/revoke", data={"csrf": csrf_of(r.text)},
                    follow_redirects=False)
    assert r.status_code == 303
    assert client.get(new_path).status_code == 401
    assert "You have no calendar link yet." in visible(client.get("/members/calendar").text)
    r = client.post("/members/calendar/reset", data={"csrf": "forged"})
    assert r.status_code == 403
