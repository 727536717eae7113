"""A committee member's journey in Debian chromium: sign in, Your meetings, the next
meeting, the members' pack (Part 2 included: they sit on the body), declaring an interest
(refused beside the field first), the declaration on their meeting page and in the e-mail to
the secretary, and a personal calendar link; axe-core on every page (no serious or critical
WCAG 2.2 A/AA violation); screenshots in docs/img/member-*.png."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine
from sqlmodel import Session, select

from decisions.terms import LocalityConfig
from notifications.tables import OutboxRow
from tests.web.staff_helpers import PASSWORD
from tests.web.test_browser import ARGS, AXE, CHROMIUM, SHOTS, axe_problems, pytestmark, server
from tests.web.test_members import NEXT_SECRET, NEXT_SECRET_TITLE, NEXT_TITLE, publish_next_meeting
from workflows.committee.tables import MeetingRow

__all__ = ["pytestmark", "server"]


@pytest.fixture
def published(server: str, engine: Engine, config: LocalityConfig) -> str:
    """The server's record (built by ``server``) with the May meeting published too."""
    with Session(engine) as s:
        ids = sorted(m.id for m in s.exec(select(MeetingRow).where(
            MeetingRow.body_id == "jcc")).all() if m.id is not None)
    publish_next_meeting(engine, config, ids[1])
    return server


@pytest.mark.skipif(not AXE.exists(), reason="needs make web-assets (axe-core)")
def test_member_reads_pack_and_declares_an_interest(published: str, engine: Engine) -> None:
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(base_url=published, viewport={"width": 1100, "height": 900})
            page.goto("/members")  # not signed in: the sign-in page, then back
            page.get_by_label("Username").fill("member")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            assert page.get_by_role("heading", level=1).inner_text() == "Your meetings"
            assert "Joint Commissioning Committee" in page.inner_text("main")
            problems += axe_problems(page)
            page.screenshot(path=str(SHOTS / "member-meetings.png"), full_page=True)

            page.get_by_role("link", name="8 May 2019, 2.00pm").click()
            page.get_by_role("heading", name="Your packs").wait_for()
            main = page.inner_text("main")
            assert NEXT_TITLE in main and NEXT_SECRET_TITLE in main and NEXT_SECRET not in main
            problems += axe_problems(page)
            page.screenshot(path=str(SHOTS / "member-meeting.png"), full_page=True)

            href = page.get_by_role("link", name="Members' pack (includes Part 2)").first \
                .get_attribute("href")
            assert href
            pdf = page.request.get(href)  # with the member's session cookie
            assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
            text = " ".join(" ".join(p.extract_text() for p in
                                     PdfReader(io.BytesIO(pdf.body())).pages).split())
            assert NEXT_SECRET in text

            page.get_by_role("button", name="Declare interest").click()  # nothing filled in
            assert "item_id: missing" in page.locator("#declare-item_id-error").inner_text()
            problems += axe_problems(page)
            page.locator("#declare").scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / "member-refusal.png"))
            page.get_by_label("Item", exact=True).select_option(label=f"5 {NEXT_TITLE}")
            page.get_by_label("Kind of interest").select_option("pecuniary")
            page.get_by_label("What the interest is").fill(
                "My partner is a director of the discharge provider")
            page.get_by_label("What you will do").select_option("left_room")
            page.get_by_role("button", name="Declare interest").click()
            assert "Your declaration is recorded" in page.inner_text("main")
            listed = page.locator("#declarations + ul").inner_text()
            assert f"{NEXT_TITLE}: Disclosable pecuniary interest. My partner is a director " \
                   "of the discharge provider" in listed, listed
            problems += axe_problems(page)
            page.screenshot(path=str(SHOTS / "member-declared.png"), full_page=True)

            page.get_by_role("link", name="Your packs").click()
            assert "Members' pack (includes Part 2)" in page.inner_text("main")
            problems += axe_problems(page)
            page.get_by_role("link", name="Your actions").click()
            problems += axe_problems(page)
            page.get_by_role("link", name="Your calendar link").click()
            page.get_by_role("button", name="Make my link").click()
            link = page.get_by_label("Your calendar link").input_value()
            problems += axe_problems(page)
            page.screenshot(path=str(SHOTS / "member-calendar.png"))
            feed = browser.new_page().request.get(link)  # no session: the token is the key
            assert feed.status == 200 and feed.text().startswith("BEGIN:VCALENDAR")
        finally:
            browser.close()
    with Session(engine) as s:
        mail = s.exec(select(OutboxRow).where(OutboxRow.kind == "interest_declared")).one()
    assert mail.recipient == "jcc.secretary@example.org"  # it reached the secretary
    assert "Leader of the Council has declared a disclosable pecuniary interest" in mail.body
    assert not problems, "\n".join(problems)

