"""The public, no sign-in: the register of members' interests where the locality publishes
it (sensitive and ended entries never shown), and subscribing to a body by e-mail (double
opt-in through the outbox; the public pack's link only; unsubscribe)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from decisions.clock import SimulatedClock
from decisions.terms import LocalityConfig
from notifications.documents.tables import DocumentRow
from notifications.tables import OutboxRow
from s75.app import make_app
from s75.config import load_config
from s75.web.app import create_app
from s75.web.subscriptions import SubscriptionRow
from s75.wiring import build_bus
from tests.principals import FULL_COVER, as_principal
from tests.web.client import TestClient
from tests.web.staff_helpers import BASE, SECRET, csrf_of
from tests.web.test_members import NEXT_SECRET, NEXT_SECRET_TITLE, publish_next_meeting
from tests.web.web_helpers import CONFIG, NOW, SECRETS, build_record, visible
from workflows.committee import interests, items
from workflows.committee.records import InterestRow
from workflows.events import UnitOfWork


def published_config(tmp_path: Path) -> Path:
    text = CONFIG.read_text(encoding="utf-8").replace(
        "[locality]\n", "[locality]\npublish_register_of_interests = true\n"
        'site_url = "https://meetings.example.org"\n', 1)
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def client(db_url: str, engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    app = make_app(published_config(tmp_path), db_url, SimulatedClock(NOW))
    with TestClient(create_app(app, start_scheduler=False, secret=SECRET), base_url=BASE) as c:
        yield c
    app.close()


def test_register_hidden_unless_the_locality_publishes_it(db_url: str, engine: Engine) -> None:
    app = make_app(CONFIG, db_url, SimulatedClock(NOW))
    with TestClient(create_app(app, start_scheduler=False, secret=SECRET), base_url=BASE) as c:
        r = c.get("/register-of-interests")
        assert 'href="/register-of-interests"' not in c.get("/").text
    app.close()
    assert r.status_code == 404 and "does not publish its register" in r.text


def test_register_shows_current_entries_never_sensitive_ones(
        client: TestClient, engine: Engine, config: LocalityConfig) -> None:
    with Session(engine) as s:
        uow = UnitOfWork(s, config, datetime(2019, 3, 1, tzinfo=UTC), as_principal("secretary"),
                         build_bus())
        interests.register(uow, "leader", "pecuniary", "Director of Bolton <Care> Ltd",
                           registered_on=date(2019, 1, 7))
        interests.register(uow, "dass", "non_pecuniary", "Lives at 4 Secret Street",
                           sensitive=True)
        ended = interests.register(uow, "dph", "pecuniary", "Shares in Old Pharma plc")
        ended.ended_on = date(2019, 2, 1)
        s.add(ended)
        s.commit()
        assert s.exec(select(InterestRow).where(col(InterestRow.sensitive))).one().member_id \
            == "dass"
    assert 'href="/register-of-interests"' in client.get("/").text  # linked from every page
    r = client.get("/register-of-interests")
    assert r.status_code == 200
    shown = visible(r.text)
    assert "Disclosable pecuniary interest Director of Bolton <Care> Ltd 7 January 2019" in shown
    assert "&lt;Care&gt;" in r.text
    assert "Secret Street" not in r.text and "withheld under section 32(2)" in shown
    assert "Old Pharma" not in r.text
    assert "Leader of the Council" in shown and "No interests registered." in shown


def confirm_link(engine: Engine, email: str) -> str:
    with Session(engine) as s:
        row = s.exec(select(OutboxRow).where(OutboxRow.recipient == email,
                                             OutboxRow.kind == "subscription_confirm")
                     .order_by(col(OutboxRow.id).desc())).first()
    assert row is not None
    found = re.search(r"https://meetings\.example\.org(/subscriptions/confirm\?token=\S+)",
                      row.body)
    assert found, row.body
    return found.group(1)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_subscribe_confirm_publish_unsubscribe(client: TestClient, engine: Engine,
                                               config: LocalityConfig, tmp_path: Path) -> None:
    record = build_record(engine, config)
    config = load_config(tmp_path / "config.toml")  # with the site's address
    body = client.get("/bodies/jcc")
    assert 'href="/bodies/jcc/subscribe"' in body.text and 'href="/calendar/jcc.ics"' in body.text
    form = client.get("/bodies/jcc/subscribe")
    token = csrf_of(form.text)
    r = client.post("/bodies/jcc/subscribe", data={"csrf": token, "email": "not an address"})
    assert r.status_code == 422 and 'id="email-error"' in r.text
    assert "email: 'not an address' is not an e-mail address" in visible(r.text)
    assert client.post("/bodies/nope/subscribe", data={"csrf": token,
                                                       "email": "a@b.org"}).status_code == 404
    assert client.post("/bodies/jcc/subscribe", data={"email": "a@b.org"}).status_code == 403
    with Session(engine) as s:
        assert not s.exec(select(SubscriptionRow)).all()
    r = client.post("/bodies/jcc/subscribe", data={"csrf": token, "email": "Resident@Example.org"})
    assert r.status_code == 200 and "Check your e-mail" in r.text
    link = confirm_link(engine, "resident@example.org")
    with Session(engine) as s:
        sub = s.exec(select(SubscriptionRow)).one()
    assert sub.state == "pending" and link.split("=", 1)[1] != sub.confirm_hash
    page = client.get(link)  # the link opens a page; only its button confirms
    assert page.status_code == 200 and "Confirm" in page.text
    with Session(engine) as s:
        assert s.exec(select(SubscriptionRow)).one().state == "pending"
    assert client.get("/subscriptions/confirm?token=wrong").status_code == 404
    r = client.post("/subscriptions/confirm", data={"csrf": csrf_of(page.text),
                                                    "token": link.split("=", 1)[1]})
    assert r.status_code == 200 and "Subscription confirmed" in r.text
    r = client.post("/subscriptions/confirm", data={"csrf": csrf_of(page.text),
                                                    "token": link.split("=", 1)[1]})
    assert r.status_code == 404  # used once
    publish_next_meeting(engine, config, record.next_meeting_id)
    with Session(engine) as s:
        mails = s.exec(select(OutboxRow).where(OutboxRow.kind == "subscription_published")).all()
        public = s.exec(select(DocumentRow).where(
            DocumentRow.meeting_id == record.next_meeting_id, DocumentRow.kind == "pack",
            DocumentRow.audience == "public")).one()
        others = s.exec(select(DocumentRow.id).where(
            DocumentRow.meeting_id == record.next_meeting_id,
            DocumentRow.audience != "public")).all()
        members_mail = s.exec(select(OutboxRow).where(
            OutboxRow.kind == "agenda_published", OutboxRow.recipient == "leader@example.org")
            .order_by(col(OutboxRow.id).desc())).first()
    assert [m.recipient for m in mails] == ["resident@example.org"]
    text = mails[0].body
    assert f"https://meetings.example.org/meetings/{record.next_meeting_id}/pack.pdf" in text
    assert client.get(f"/meetings/{record.next_meeting_id}/pack.pdf").content == public.content
    assert f"https://meetings.example.org/meetings/{record.next_meeting_id}" in text
    assert not mails[0].attachments and others
    assert not [d for d in others if f"/documents/{d}.pdf" in text]
    assert NEXT_SECRET not in text and NEXT_SECRET_TITLE not in text
    assert not [s for s in SECRETS if s in text]
    assert members_mail is not None and (
        f"https://meetings.example.org/members/meetings/{record.next_meeting_id}"
        in members_mail.body)
    # an urgent late item after the agenda: the public supplement's link only
    with Session(engine) as s:
        uow = UnitOfWork(s, config, datetime(2019, 5, 1, 9, tzinfo=UTC),
                         as_principal("secretary"), build_bus())
        late = items.add(uow, record.next_meeting_id, "Urgent winter funding", lead="DASS",
                         cover={**FULL_COVER}, body_text="# Proposal\n\nTen more beds.")
        assert late.id is not None
        items.submit(uow, late.id, submitted_by="dass", submitted_on=date(2019, 5, 1),
                     urgency_reason="The offer expires.", chair_consent_by="leader")
        items.accept(uow, late.id)
        items.publish(uow, late.id, published_on=date(2019, 5, 1))
        s.commit()
        supp = s.exec(select(DocumentRow).where(
            DocumentRow.meeting_id == record.next_meeting_id, DocumentRow.kind == "supplement",
            DocumentRow.audience == "public")).one()
        later = s.exec(select(OutboxRow).where(OutboxRow.kind == "subscription_published")
                       .order_by(col(OutboxRow.id))).all()
    assert len(later) == 2 and "Supplementary agenda" in later[1].subject
    assert (f"https://meetings.example.org/meetings/{record.next_meeting_id}/supplement.pdf"
            in later[1].body)
    assert client.get(f"/meetings/{record.next_meeting_id}/supplement.pdf").content == \
        supp.content
    assert not later[1].attachments and NEXT_SECRET not in later[1].body
    stop = re.search(r"https://meetings\.example\.org(/subscriptions/unsubscribe\?token=\S+)",
                     text)
    assert stop
    page = client.get(stop.group(1))
    assert page.status_code == 200 and "Unsubscribe" in page.text
    r = client.post("/subscriptions/unsubscribe", data={
        "csrf": csrf_of(page.text), "token": stop.group(1).split("=", 1)[1]})
    assert r.status_code == 200 and "Unsubscribed" in r.text
    with Session(engine) as s:
        assert s.exec(select(SubscriptionRow)).one().state == "unsubscribed"
    assert client.get("/subscriptions/unsubscribe?token=nope").status_code == 404


def test_cli_registers_a_sensitive_interest(cli: Any, db_url: str, engine: Engine) -> None:
    r = cli("--db", db_url, "--config", str(CONFIG), "--as", "democratic_services", "interest",
            "register", "dass", "--nature", "non_pecuniary", "--description",
            "Lives at 4 Secret Street", "--sensitive")
    assert r.code == 0, r.text
    with Session(engine) as s:
        row = s.exec(select(InterestRow)).one()
    assert row.sensitive and row.member_id == "dass"
