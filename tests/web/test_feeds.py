"""iCalendar feeds carry a VTIMEZONE for every TZID they use (RFC 5545 3.2.19) and link each
meeting back to its page; read back with icalendar as a calendar client would."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from icalendar import Calendar
from sqlalchemy import Engine
from sqlmodel import Session

from decisions.terms import LocalityConfig
from notifications.ical import member_feed
from tests.web.client import TestClient
from tests.web.web_helpers import NOW, SECRETS, Record, build_record


def tzids_used(ics: str) -> set[str]:
    return set(re.findall(r";TZID=([^:;]+)", ics))


def tzids_defined(cal: Calendar) -> set[str]:
    return {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}


def test_body_feed_defines_its_zones_and_links_each_meeting(
        engine: Engine, config: LocalityConfig, client: TestClient) -> None:
    record: Record = build_record(engine, config)
    r = client.get("/calendar/jcc.ics")
    assert r.status_code == 200
    cal = Calendar.from_ical(r.content)
    assert tzids_used(r.text) == {"Europe/London"} == tzids_defined(cal)
    meetings = [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("meeting-")]
    assert len(meetings) == 2
    for ev in meetings:
        url = str(ev["URL"])
        assert url == f"http://testserver/meetings/{str(ev['UID'])[8:].split('@')[0]}"
        assert url in str(ev["DESCRIPTION"])
        page = client.get(url)
        assert page.status_code == 200 and "Joint Commissioning Committee" in page.text
    first = min(meetings, key=lambda e: e.decoded("DTSTART"))
    # 10 April 2019, 14:00 in Bolton is 13:00 UTC (British Summer Time).
    assert first.decoded("DTSTART").astimezone(UTC) == datetime(2019, 4, 10, 13, tzinfo=UTC)
    assert f"/meetings/{record.meeting_id}" in r.text
    for secret in SECRETS:
        assert secret not in r.text

    # A member's feed too (the CLI's, given the site's address).
    with Session(engine) as s:
        data = member_feed(s, config, "leader", NOW, "https://meetings.example.org")
    text = data.decode()
    member = Calendar.from_ical(data)
    assert tzids_used(text) == tzids_defined(member) == {"Europe/London"}
    assert "URL:https://meetings.example.org/meetings/" in text
