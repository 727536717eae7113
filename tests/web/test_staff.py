"""The staff web over HTTP: sign-in (argon2, rotation, throttling), sessions that end, CSRF on
every form, one action per form with the refusal beside the field, and the hardening headers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from decisions.terms import LocalityConfig
from s75 import accounts
from s75.web.app import create_app
from s75.web.staff.forms import FORMS
from s75.web.staff.sessions import COOKIE
from tests.principals import FULL_COVER
from tests.web.client import TestClient
from tests.web.staff_helpers import BASE, PASSWORD, SECRET, add_accounts, csrf_of, sign_in
from tests.web.web_helpers import Record, build_record, web_app
from workflows.committee.tables import AgendaItemRow

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def record(engine: Engine, config: LocalityConfig, client: TestClient) -> Record:
    """The meeting record, for the tests that need one (sign-in tests need only accounts)."""
    return build_record(engine, config)


@pytest.fixture
def client(db_url: str, engine: Engine, config: LocalityConfig) -> Iterator[TestClient]:
    add_accounts(engine, config)
    app = web_app(db_url)
    with TestClient(create_app(app, start_scheduler=False, secret=SECRET), base_url=BASE) as c:
        yield c
    app.close()


def items_on(engine: Engine, meeting_id: int) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(AgendaItemRow)
                      .where(AgendaItemRow.meeting_id == meeting_id)).one()


def test_sign_in_rotates_the_cookie_and_sign_out_ends_it(client: TestClient,
                                                         record: Record) -> None:
    r = client.get("/staff", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/staff"
    client.get("/login")
    before = client.cookies.get(COOKIE)
    assert sign_in(client, "secretary") == 303
    after = client.cookies.get(COOKIE)
    assert after and after != before
    page = client.get("/staff")
    assert page.status_code == 200 and "Joint Commissioning Committee" in page.text
    assert "govuk-tag" in page.text  # each deadline's RAG status
    client.post("/logout", data={"csrf": csrf_of(page.text)})
    assert client.get("/staff", follow_redirects=False).status_code == 303
    # the cookie from before the sign-in never becomes a signed-in session
    client.cookies.set(COOKIE, before or "", domain="testserver.local")
    assert client.get("/staff", follow_redirects=False).status_code == 303


def test_cookie_is_secure_http_only_and_same_site(client: TestClient) -> None:
    header = client.get("/login").headers["set-cookie"].lower()
    assert "secure" in header and "httponly" in header and "samesite=lax" in header


def test_wrong_password_then_throttled_per_account(client: TestClient, engine: Engine) -> None:
    for _ in range(accounts.MAX_PER_ACCOUNT):
        assert sign_in(client, "secretary", "wrong password!") == 401
    r_status = sign_in(client, "secretary")  # the right password, too late
    assert r_status == 401
    page = client.get("/login")
    token = csrf_of(page.text)
    r = client.post("/login", data={"csrf": token, "username": "secretary",
                                    "password": PASSWORD})
    assert "Too many failed sign-in attempts" in r.text
    assert sign_in(client, "member") == 303  # another account from elsewhere is not blocked


def test_throttled_per_address(client: TestClient) -> None:
    for n in range(accounts.MAX_PER_ADDRESS):
        token = csrf_of(client.get("/login").text)
        client.post("/login", data={"csrf": token, "username": f"guess{n}", "password": "x"})
    assert sign_in(client, "member") == 401


def test_disabled_account_loses_its_session(client: TestClient, engine: Engine) -> None:
    assert sign_in(client, "secretary") == 303
    assert client.get("/staff").status_code == 200
    with Session(engine) as s:
        accounts.disable(s, "secretary")
        s.commit()
    assert client.get("/staff", follow_redirects=False).status_code == 303
    assert sign_in(client, "secretary") == 401


def test_a_cookie_signed_with_another_key_is_not_a_session(client: TestClient) -> None:
    from itsdangerous import URLSafeTimedSerializer

    forged = URLSafeTimedSerializer("guessed", salt="s75-session").dumps(
        {"a": 1, "e": 1, "c": "x", "n": "y"})
    client.cookies.set(COOKIE, forged)
    assert client.get("/staff", follow_redirects=False).status_code == 303


def test_every_form_refuses_a_missing_or_forged_csrf_token(
        client: TestClient, record: Record, engine: Engine) -> None:
    assert sign_in(client, "secretary") == 303
    before = items_on(engine, record.next_meeting_id)
    for name in [*FORMS, "../login"]:
        url = f"/staff/meetings/{record.next_meeting_id}/{name}"
        for data in ({"title": "Forged"}, {"csrf": "forged", "title": "Forged"}):
            r = client.post(url, data=data)
            assert r.status_code in (403, 404), (name, r.status_code)
            if r.status_code == 403:
                assert "did not come from this site" in r.text
    for url in ("/login", "/logout"):
        assert client.post(url, data={"csrf": "forged"}).status_code == 403
    assert items_on(engine, record.next_meeting_id) == before


def test_the_agenda_builder_performs_one_action_per_form(
        client: TestClient, record: Record, engine: Engine) -> None:
    assert sign_in(client, "secretary") == 303
    mid = record.next_meeting_id
    page = client.get(f"/staff/meetings/{mid}")
    token = csrf_of(page.text)
    before = items_on(engine, mid)
    r = client.post(f"/staff/meetings/{mid}/add-item",
                    data={"csrf": token, "title": "  ", "action": "for_decision", "part": "1"})
    assert r.status_code == 422
    assert 'id="add-item-title-error"' in r.text and "title: missing" in r.text
    assert items_on(engine, mid) == before
    r = client.post(f"/staff/meetings/{mid}/add-item",
                    data={"csrf": token, "title": "Falls prevention", "action": "for_decision",
                          "part": "1", "lead": "DASS", "body_text": "# Summary\n\nFewer falls.",
                          **FULL_COVER, "decisions_required": "Approve the falls service"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert items_on(engine, mid) == before + 1
    with Session(engine) as s:
        item = s.exec(select(AgendaItemRow).where(AgendaItemRow.title == "Falls prevention")
                      ).one()
    page = client.get(r.headers["location"])
    assert "Item added (draft)." in page.text and "Falls prevention" in page.text
    for form in ("submit", "accept"):
        r = client.post(f"/staff/meetings/{mid}/{form}",
                        data={"csrf": token, "item_id": str(item.id)}, follow_redirects=False)
        assert r.status_code == 303, r.text
    again = client.post(f"/staff/meetings/{mid}/accept",  # a double submit writes once
                        data={"csrf": token, "item_id": str(item.id)})
    assert again.status_code == 409 and "There is a problem" in again.text
    # an item of another meeting is not found on this one
    r = client.post(f"/staff/meetings/{record.meeting_id}/accept",
                    data={"csrf": token, "item_id": str(item.id)})
    assert r.status_code == 404 and "is not on the agenda of meeting" in r.text


def test_another_bodys_secretary_is_refused_with_the_role_that_may(
        client: TestClient, record: Record) -> None:
    assert sign_in(client, "other_secretary") == 303
    r = client.get(f"/staff/meetings/{record.next_meeting_id}")
    assert r.status_code == 403
    assert "may be done by the secretary of the Joint Commissioning Committee" in r.text
    token = csrf_of(client.get("/staff").text)
    r = client.post(f"/staff/meetings/{record.next_meeting_id}/publish", data={"csrf": token})
    assert r.status_code == 403 and "permission refused" in r.text


def test_hardening_headers_and_head(client: TestClient, record: Record) -> None:
    for url in ("/", f"/meetings/{record.meeting_id}", "/login", "/no/such/page"):
        r = client.get(url)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "same-origin"
        h = client.head(url)
        assert h.status_code == r.status_code and h.content == b"", url
    assert client.head("/static/vendor/govuk-frontend.min.css").status_code == 200
