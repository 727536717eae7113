"""The public pages as a visitor sees them, over a record built through the services."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar
from sqlalchemy import Engine
from sqlmodel import Session, select

from decisions.terms import LocalityConfig
from notifications.documents.tables import DocumentRow
from tests.documents.doc_helpers import text as pdf_text
from tests.principals import FULL_COVER
from tests.web.client import TestClient
from tests.web.web_helpers import (
    PART1_TITLE,
    PART2_TITLE,
    SECRETS,
    Record,
    build_record,
)


@pytest.fixture
def record(engine: Engine, config: LocalityConfig) -> Record:
    return build_record(engine, config)


def visible(html: str) -> str:
    """The page's text as a reader gets it: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_pages_show_the_record_and_never_exempt_content(
        record: Record, client: TestClient, engine: Engine) -> None:
    pages = {}
    for url in ("/", "/bodies/jcc", f"/meetings/{record.meeting_id}",
                f"/meetings/{record.next_meeting_id}", "/proposals", "/deadlines"):
        r = client.get(url)
        assert r.status_code == 200, (url, r.text)
        assert r.headers["content-type"].startswith("text/html")
        assert '<html lang="en-GB">' in r.text and 'href="#main"' in r.text, url
        assert r.text.count("<h1") == 1, url
        assert 'scope="col"' in r.text or url == f"/meetings/{record.next_meeting_id}", url
        pages[url] = visible(r.text)

    home = pages["/"]
    assert "Bolton" in home and "Joint Commissioning Committee" in home
    assert f'href="/meetings/{record.next_meeting_id}"' in client.get("/").text

    meeting = pages[f"/meetings/{record.meeting_id}"]
    assert PART1_TITLE in meeting and "That 20 beds be commissioned." in meeting
    assert PART2_TITLE in meeting and "paragraph 3 of Part 1 of Schedule 12A" in meeting
    assert "Director of People" not in meeting  # the exempt item's lead is not shown either
    assert "No public documents" not in meeting
    assert "The agenda has not been published yet" in pages[f"/meetings/{record.next_meeting_id}"]

    assert "Stop or missed" in pages["/proposals"] and "Go" in pages["/proposals"]
    assert "Go: go" not in pages["/proposals"]
    assert "Add population health to the pool" in pages["/proposals"]
    deadlines = pages["/deadlines"]
    assert "Draft minutes of Joint Commissioning Committee" in deadlines
    assert "Action arising from exempt (Part 2) business" in deadlines

    feed = client.get("/calendar/jcc.ics")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(feed.content)
    summaries = [str(e.get("summary")) for e in cal.walk("VEVENT")]
    assert summaries.count("Joint Commissioning Committee") == 2

    # Every public document linked from the meeting page opens; none holds exempt content.
    links = re.findall(r'href="(/documents/\d+\.pdf)"', client.get(
        f"/meetings/{record.meeting_id}").text)
    assert links
    for link in links:
        r = client.get(link)
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
        body = pdf_text(r.content)
        assert not [s for s in SECRETS if s in body], link
        pages[link] = body
    assert any(PART2_TITLE in body for url, body in pages.items() if url.endswith(".pdf"))

    everything = " ".join(pages.values()) + feed.text
    leaked = [s for s in SECRETS if s in everything]
    assert not leaked, leaked

    # The members' and personal packs exist but are not served.
    with Session(engine) as s:
        private = s.exec(select(DocumentRow).where(DocumentRow.public == False)).all()  # noqa: E712
    assert {d.audience for d in private} >= {"members", "member:gp_director_1"}
    members_pack = next(d for d in private if d.audience == "members" and d.kind == "pack")
    assert SECRETS[0] in pdf_text(members_pack.content or b"")  # the check above is not vacuous
    for d in private:
        r = client.get(f"/documents/{d.id}.pdf")
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
        assert "is not a published document" in r.text
        assert SECRETS[0] not in r.text


def test_unknown_and_malformed_addresses_give_pages_with_a_message(client: TestClient) -> None:
    cases = {
        "/meetings/999": (404, "meeting 999 does not exist"),
        "/bodies/nobody": (404, "body &#39;nobody&#39; is not in the config"),
        "/documents/12345.pdf": (404, "document 12345 is not a published document"),
        "/calendar/nobody.ics": (404, "body &#39;nobody&#39; is not in the config"),
        "/no/such/page": (404, "There is no page at /no/such/page"),
        "/meetings/abc": (404, "There is no page at /meetings/abc"),
        "/meetings/1_0": (404, "There is no page at /meetings/1_0"),
        "/meetings/+1": (404, "There is no page at /meetings/+1"),
        "/meetings/01": (404, "There is no page at /meetings/01"),
        "/meetings/2147483648": (404, "There is no page at /meetings/2147483648"),
        "/meetings/2147483647": (404, "meeting 2147483647 does not exist"),
        "/documents/99999999999999999999.pdf": (404, "There is no page at"),
    }
    for url, (status, message) in cases.items():
        r = client.get(url)
        assert r.status_code == status, (url, r.text)
        assert r.headers["content-type"].startswith("text/html"), url
        assert message in r.text, (url, r.text)
        assert "Traceback" not in r.text and '<html lang="en-GB">' in r.text


def test_pages_of_an_empty_record_and_health(client: TestClient) -> None:
    assert "None scheduled" in visible(client.get("/").text)
    assert "There are no proposals." in visible(client.get("/proposals").text)
    assert "No deadlines fall due" in visible(client.get("/deadlines").text)
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["outbox"] == {"pending": 0, "failing": 0, "dead": 0,
                              "oldest_pending_seconds": None, "unhealthy_after_seconds": 3600,
                              "healthy": True, "problems": []}
    del body["outbox"]
    assert body == {"database": "reachable", "scheduler": "off", "scheduler_running": False}


def test_markup_in_titles_is_escaped(engine: Engine, config: LocalityConfig,
                                     client: TestClient) -> None:
    from datetime import UTC, date, datetime

    from s75.wiring import build_bus
    from tests.principals import as_principal
    from workflows.committee import items, meetings
    from workflows.events import UnitOfWork

    with Session(engine) as s:
        uow = UnitOfWork(s, config, datetime(2019, 3, 1, 9, tzinfo=UTC),
                         as_principal("secretary"), build_bus())
        [m, *_] = meetings.schedule(uow, "sbpb", date(2019, 4, 1), date(2019, 4, 30))
        it = items.add(uow, m.id or 0, "<script>alert(1)</script> & beds", lead="DASS",
                       cover={**FULL_COVER, "decisions_required": "Note"})
        items.submit(uow, it.id or 0, submitted_by="dass", submitted_on=date(2019, 3, 5))
        items.accept(uow, it.id or 0)
        items.publish(uow, it.id or 0, published_on=date(2019, 3, 20))
        s.commit()
        mid = m.id
    html = client.get(f"/meetings/{mid}").text
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; beds" in html


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_calendar_export_keeps_exempt_action_text_to_the_member(
        record: Record, db_url: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`s75 calendar export --body` is a public feed, like /calendar/{body}.ics; the owner's own
    feed names the action, since members are entitled to the Part 2 papers."""
    body_ics, member_ics = tmp_path / "jcc.ics", tmp_path / "dass.ics"
    assert cli("--db", db_url, "--now", "2019-04-11", "calendar", "export", "--body", "jcc",
               "--out", str(body_ics)).code == 0
    assert cli("--db", db_url, "--now", "2019-04-11", "calendar", "export", "--member", "dass",
               "--out", str(member_ics)).code == 0
    public = [str(e["summary"]) for e in Calendar.from_ical(body_ics.read_bytes()).walk("VEVENT")]
    own = [str(e["summary"]) for e in Calendar.from_ical(member_ics.read_bytes()).walk("VEVENT")]
    assert "Deadline: Action arising from exempt (Part 2) business" in public
    assert not [s for s in public if SECRETS[6] in s]
    assert [s for s in own if SECRETS[6] in s]
