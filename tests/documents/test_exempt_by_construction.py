"""Exempt means exempt, by construction (issue 18): a unique marker planted in every field of a
Part 2 item (lead, timing, reason for exclusion, each cover-sheet field, report text, appendix,
figure, resolution, reasons, alternatives, declaration, action arising and its closing note)
reaches no public output by any route: the public web pages and the PDFs and calendars they
link to, the stored public documents, ``render ... --public`` of every kind, the body's
iCalendar feed, the email to anyone outside the body, and ``--member`` for a member of
another body (refused). Each marker is found in the members' version, so the test can fail."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from decisions.terms import LocalityConfig
from notifications.documents import store
from notifications.tables import OutboxRow
from s75.web.app import create_app
from s75.wiring import build_bus
from tests.documents.doc_helpers import text
from tests.documents.meeting_setup import publish_and_attend
from tests.principals import FULL_COVER, as_principal
from tests.web.client import TestClient
from tests.web.web_helpers import CONFIG, web_app
from workflows.committee import actions, decide, interests, items, meetings
from workflows.committee.tables import COVER_FIELDS
from workflows.events import UnitOfWork

FIELDS = ("lead", "time", "reason", *COVER_FIELDS, "body", "appendix_title", "appendix",
          "resolution", "reasons", "alternatives", "interest", "action", "note")
MARK = {f: f"Zq{n:02d}Mark" for n, f in enumerate(FIELDS)}
FIGURE = Decimal("7654321")
FIGURES = ("7,654,321", "7654321")
TITLE = "Fee negotiation"


def _build(engine: Engine, config: LocalityConfig) -> tuple[int, int]:
    with Session(engine) as session:
        uow = UnitOfWork(session, config, datetime(2019, 3, 1, 9, tzinfo=UTC),
                         as_principal("secretary"), build_bus())
        [m1, _m2] = meetings.schedule(uow, "jcc", date(2019, 4, 1), date(2019, 5, 31))
        assert m1.id is not None
        public = items.add(uow, m1.id, "Intermediate care beds", lead="DASS",
                           cover={**FULL_COVER, "decisions_required": "Approve beds"},
                           body_text="# Background\n\nDemand rose.")
        exempt = items.add(
            uow, m1.id, TITLE, lead=MARK["lead"], indicative_time="15:47", part=2,
            exempt_paragraph=3, public_interest_reason=MARK["reason"],
            cover={k: MARK[k] for k in COVER_FIELDS}, body_text=f"# Terms\n\n{MARK['body']}.",
            appendices=[{"title": MARK["appendix_title"], "text": MARK["appendix"]}],
            pool_line_id="adult_community", amount=FIGURE)
        assert public.id is not None and exempt.id is not None
        publish_and_attend(uow, m1.id, public.id, exempt.id)
        interests.declare(uow, exempt.id, "cfo", "pecuniary", MARK["interest"],
                              managed="left_room")
        meetings.hold(uow, m1.id)
        decide.decide_item(uow, public.id, resolution="That beds be commissioned.",
                           reasons="Demand.")
        decide.decide_item(uow, exempt.id, resolution=MARK["resolution"],
                           reasons=MARK["reasons"], alternatives_rejected=MARK["alternatives"])
        act = actions.add(uow, m1.id, MARK["action"], owner="dass", due_on=date(2019, 5, 1),
                          item_id=exempt.id)
        assert act.id is not None
        actions.close(uow, act.id, note=MARK["note"])
        session.commit()
        return m1.id, exempt.id


def _leaks(where: str, content: str) -> list[str]:
    return [f"{where}: {what}" for what in (*MARK.values(), *FIGURES, "15.47", "15:47")
            if what in content]


def _crawl(client: TestClient) -> dict[str, str]:
    """Every page reachable from the home page by links, with PDFs and calendars read."""
    seen: dict[str, str] = {}
    todo = ["/"]
    while todo and len(seen) < 300:
        url = todo.pop()
        if url in seen:
            continue
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        kind = r.headers.get("content-type", "")
        if "pdf" in kind:
            seen[url] = text(r.content)
            continue
        seen[url] = r.text
        if "html" in kind:
            for href in re.findall(r'href="([^"#]+)"', r.text):
                nxt = urljoin(url, href)
                if nxt.startswith("/") and not nxt.startswith("/static/"):
                    todo.append(nxt)
    return seen


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_no_field_of_a_part_2_item_reaches_the_public(
        engine: Engine, config: LocalityConfig, db_url: str, cli: Callable[..., Any],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S75_DOCUMENT_CACHE", str(tmp_path / "cache"))
    meeting_id, _exempt_id = _build(engine, config)
    base = ("--config", str(CONFIG), "--db", db_url, "--now", "2019-04-11T09:00")
    leaks: list[str] = []
    members_text = ""

    def render(*args: str) -> str:
        out = tmp_path / f"{'-'.join(args)}.pdf"
        r = cli(*base, "render", *args, "--out", str(out))
        assert r.code == 0, r.text
        return text(out.read_bytes())

    # 1. render --public, every kind; the members' versions hold the markers.
    decisions = [str(d) for d in range(1, 3)]
    public_text: dict[str, str] = {}
    for args in (("pack", str(meeting_id)), ("agenda", str(meeting_id)),
                 ("minutes", str(meeting_id)), ("actions", "jcc"),
                 *(("notice", d) for d in decisions)):
        public_text[args[0]] = render(*args, "--public")
        leaks += _leaks(f"render {' '.join(args)} --public", public_text[args[0]])
        members_text += render(*args)
    # What the public do see: that a declaration and an action exist, by the ground.
    assert "Declared on exempt business: recorded in the Part 2 minutes" in public_text["minutes"]
    assert "An action arising from Part 2 business, exempt by virtue of paragraph 3" in \
        public_text["actions"]
    for mark in (MARK["body"], MARK["lead"], MARK["resolution"], MARK["action"]):
        assert mark in members_text, mark
    # 2. Stored public documents (produced by the events).
    with Session(engine) as s:
        stored = [d for d in store.listing(s) if d.audience == "public"]
        assert stored, "the events stored public documents"
        for d in stored:
            assert d.id is not None
            row = store.content(s, d.id)
            leaks += _leaks(f"stored {d.kind} {d.id}", text(row.content or b""))
    # 3. The public web site, by every link, PDFs and calendars included.
    a = web_app(db_url)
    with TestClient(create_app(a, start_scheduler=False)) as client:
        pages = _crawl(client)
        pages["/calendar/jcc.ics"] = client.get("/calendar/jcc.ics").text
    a.close()
    assert any(TITLE in t for t in pages.values()), "the Part 2 title is public"
    for url, content in pages.items():
        leaks += _leaks(f"web {url}", content)
    # 4. A member of another body: no personal pack, no exempt text in their calendar or mail.
    outsider = next(m for m in config.member if "jcc" not in m.bodies)
    r = cli(*base, "render", "pack", str(meeting_id), "--member", outsider.id,
            "--out", str(tmp_path / "outsider.pdf"))
    assert r.code == 2 and "is not a member of Joint Commissioning Committee" in r.text
    assert not (tmp_path / "outsider.pdf").exists()
    r = cli(*base, "calendar", "export", "--member", outsider.id)
    assert r.code == 0, r.text
    leaks += _leaks("calendar --member outsider", r.out)
    r = cli(*base, "calendar", "export", "--body", "jcc")
    leaks += _leaks("calendar --body jcc", r.out)
    jcc = {m.email for m in config.members_of("jcc")}
    with Session(engine) as s:
        for row in s.exec(select(OutboxRow)).all():
            if row.recipient not in jcc:
                leaks += _leaks(f"email to {row.recipient}", row.subject + row.body)
    # 5. Refused: a public version for one member.
    r = cli(*base, "render", "agenda", str(meeting_id), "--public", "--member", "dass",
            "--out", str(tmp_path / "x.pdf"))
    assert r.code == 2 and "--public and --member" in r.text
    assert leaks == [], "\n".join(leaks)
    print(f"\nexempt: {len(MARK)} markers + figure + time; {len(stored)} stored public "
          f"documents, {len(pages)} web pages/files, 6 public renders, 2 calendars, "
          "outsiders' mail: nothing found")
