"""The public documents as HTML pages: the same content as the public PDFs, Part 2 shown by
title and ground of exemption only, nothing before it is published."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine

from decisions.terms import LocalityConfig
from tests.web.client import TestClient
from tests.web.web_helpers import (
    PART1_TITLE,
    PART2_TITLE,
    SECRETS,
    Record,
    build_record,
    visible,
)


@pytest.fixture
def record(engine: Engine, config: LocalityConfig) -> Record:
    return build_record(engine, config)


def test_documents_as_pages_keep_part_2_out(record: Record, client: TestClient) -> None:
    mid = record.meeting_id
    meeting = client.get(f"/meetings/{mid}").text
    assert f'href="/meetings/{mid}/agenda"' in meeting
    assert f'href="/meetings/{mid}/minutes"' in meeting
    agenda = client.get(f"/meetings/{mid}/agenda")
    minutes = client.get(f"/meetings/{mid}/minutes")
    assert agenda.status_code == minutes.status_code == 200
    a, m = visible(agenda.text), visible(minutes.text)
    assert "Part 1: items to be considered in public" in a and PART1_TITLE in a
    assert PART2_TITLE in a and "paragraph 3 of Part 1 of Schedule 12A" in a
    assert "Also as PDF:" in a and 'href="/documents/' in agenda.text
    assert 'href="/calendar/jcc.ics"' in agenda.text
    assert "Resolved: That 20 beds be commissioned." in m
    assert f"{PART2_TITLE} (Part 2) This item was considered in private" in m
    assert "That the public be excluded" in m
    notices = re.findall(r'href="/decisions/(\d+)"', minutes.text)
    assert len(notices) == 2
    pages = [visible(client.get(f"/decisions/{n}").text) for n in notices]
    assert any("That 20 beds be commissioned." in p for p in pages)
    exempt = next(p for p in pages if PART2_TITLE in p)
    assert "The decision was taken in private" in exempt
    terms = client.get("/bodies/jcc/terms")
    plan = client.get("/forward-plan")
    assert terms.status_code == plan.status_code == 200
    assert "terms of reference" in visible(terms.text) and "Quorum" in visible(terms.text)
    for page in (a, m, *pages, visible(terms.text), visible(plan.text)):
        for secret in SECRETS:
            assert secret not in page, secret


def test_nothing_is_shown_before_it_is_published(record: Record, client: TestClient) -> None:
    nxt = record.next_meeting_id
    r = client.get(f"/meetings/{nxt}/agenda")
    assert r.status_code == 404 and "has not been published yet" in r.text
    r = client.get(f"/meetings/{nxt}/minutes")
    assert r.status_code == 404 and "has not been held yet" in r.text
    assert client.get("/decisions/9999").status_code == 404
    r = client.get("/bodies/nonsense/terms")
    assert r.status_code == 404 and "jcc" in r.text
