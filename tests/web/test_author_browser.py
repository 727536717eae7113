"""The report author's journey in a real browser (Debian chromium, Playwright): sign in, your
reports, draft the report with its preview (htmx: no reload), attach a PDF appendix, submit;
the finance and legal officers clear it; the secretary accepts it. axe-core on every page;
screenshots to docs/img/web-author-*.png."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from s75.app import App
from s75.web.app import create_app
from tests.web.author_helpers import add_accounts, add_item, author_app, one_page_pdf, schedule
from tests.web.staff_helpers import PASSWORD
from tests.web.test_browser import ARGS, AXE, CHROMIUM, SHOTS, axe_problems

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian chromium at /usr/bin/chromium "
                              "(apt-get install -y chromium)"),
    pytest.mark.skipif(not AXE.exists(), reason="needs make web-assets (axe-core)"),
    pytest.mark.parametrize("db_url", ["sqlite"], indirect=True),
]


@pytest.fixture
def served(db_url: str, engine: Engine, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, App, int, int]]:
    import uvicorn

    monkeypatch.setenv("S75_DOCUMENTS_ON_EVENTS", "0")  # no packs: accepting renders none
    app = author_app(db_url, tmp_path)
    add_accounts(app)
    [m, _] = schedule(app)
    iid = add_item(app, m, "Intermediate care beds")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(app, start_scheduler=False), ws="none",
                                        log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    ready = threading.Event()
    while not srv.started and thread.is_alive():
        ready.wait(0.05)
    assert srv.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}", app, m, iid
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.close()


def sign_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Your committees", \
        page.locator("main").inner_text()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name=re.compile("^Sign out")).click()
    page.get_by_role("heading", name="Meetings and decisions").wait_for()


def clear_as(page: Any, username: str, kind: str, problems: list[str],
             shot: str | None = None) -> None:
    sign_in(page, username)
    page.get_by_role("link", name="Reports awaiting your clearance").click()
    page.get_by_role("heading", name="Reports awaiting clearance").wait_for()
    problems += axe_problems(page)
    page.get_by_role("link", name="Intermediate care beds").click()
    page.get_by_role("heading", name=f"Your {kind} clearance").wait_for()
    page.get_by_label("Yes, I clear it").check()
    problems += axe_problems(page)
    page.get_by_role("button", name=f"Record {kind} clearance").click()
    assert "Clearance recorded." in page.locator("main").inner_text()
    assert f"{kind.capitalize()}: cleared" in page.locator("main").inner_text()
    if shot:
        page.locator("#clearance").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / shot))
    sign_out(page)


def test_author_drafts_submits_officers_clear_secretary_accepts(
        served: tuple[str, App, int, int], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    server, _app, meeting_id, item_id = served
    appendix = tmp_path / "equality-impact-assessment.pdf"
    appendix.write_bytes(one_page_pdf())
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(base_url=server, viewport={"width": 1100, "height": 900})
            sign_in(page, "author")
            page.get_by_role("link", name="Your reports").click()
            page.get_by_role("heading", name="Your reports").wait_for()
            assert "Finance: awaited; Legal: awaited" in page.locator("main").inner_text()
            problems += axe_problems(page)
            page.screenshot(path=str(SHOTS / "web-author-items.png"))
            page.get_by_role("link", name="Intermediate care beds").click()
            page.get_by_role("heading", name="Draft the report").wait_for()
            problems += axe_problems(page)

            report = page.get_by_label(re.compile(r"^Report \(Markdown"))
            report.fill("# Background\n\nDemand rose by **12%** over winter.\n\n"
                        "# Proposal\n\nCommission 20 beds from November.")
            url = page.url
            page.get_by_role("button", name="Preview").click()  # htmx: the preview only
            page.get_by_role("heading", name="Preview of your changes (not saved)").wait_for()
            assert page.url == url
            assert "Commission 20 beds from November." in page.locator("#preview").inner_text()
            problems += axe_problems(page)
            page.locator("#preview").scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / "web-author-draft.png"))
            page.get_by_role("button", name="Save report").click()
            assert "Report saved." in page.locator("main").inner_text()

            page.get_by_label("Appendix title").fill("Equality impact assessment")
            page.get_by_label("PDF file").set_input_files(str(appendix))
            page.get_by_role("button", name="Attach appendix").click()
            main = page.locator("main").inner_text()
            assert "Appendix attached." in main
            assert "Appendix 1: Equality impact assessment" in main
            problems += axe_problems(page)
            page.get_by_role("button", name="Submit report").click()
            assert "Report submitted to the secretary." in page.locator("main").inner_text()
            problems += axe_problems(page)
            page.screenshot(path=str(SHOTS / "web-author-submitted.png"))
            sign_out(page)

            clear_as(page, "finance", "finance", problems, "web-author-clearance.png")
            clear_as(page, "legal", "legal", problems)

            sign_in(page, "secretary")
            page.goto(f"/staff/meetings/{meeting_id}")
            assert "Clearance: Finance cleared; Legal cleared" in \
                page.locator("main").inner_text()
            page.get_by_role("button", name=f"Accept item {item_id}").click()
            main = page.locator("main").inner_text()
            assert "Item accepted." in main
            assert "Clearance: Finance cleared; Legal cleared" in main  # as accepted
            problems += axe_problems(page)
            page.locator(f"#item-{item_id}").scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / "web-author-accepted.png"))
        finally:
            browser.close()
    assert not problems, "\n".join(problems)


def test_authors_and_officers_page_through_their_lists_in_chromium(
        served: tuple[str, App, int, int]) -> None:
    """Sixty reports (one a draft): the author's list and the finance officer's queue come fifty
    to a page, each page passes axe-core, and "Next page" and "Previous page" move between
    them."""
    from playwright.sync_api import sync_playwright

    from decisions.principals import find_principal
    from workflows.committee.item_actions import SubmitItem

    server, app, meeting_id, _item_id = served
    author = find_principal(app.config, "commissioning_lead")
    for n in range(1, 60):
        iid = add_item(app, meeting_id, f"Report {n:02}")
        app.perform(SubmitItem(iid), lambda _uow, _i: None, principal=author)
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(base_url=server, viewport={"width": 1100, "height": 900})
            sign_in(page, "author")
            page.get_by_role("link", name="Your reports").click()
            main = page.locator("main").inner_text()
            assert "page 1 of 2" in main and "(1 to 50 of 60)" in main, main
            problems += axe_problems(page)
            page.get_by_role("link", name="Next page").click()
            page.get_by_text("(51 to 60 of 60)").wait_for()
            main = page.locator("main").inner_text()
            assert "Intermediate care beds" in main and "Report 59" not in main, main
            problems += axe_problems(page)
            page.locator(".govuk-pagination").scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / "web-author-items-page-2.png"))
            page.get_by_role("link", name="Previous page").click()
            page.get_by_text("(1 to 50 of 60)").wait_for()
            sign_out(page)

            sign_in(page, "finance")
            page.get_by_role("link", name="Reports awaiting your clearance").click()
            page.get_by_role("heading", name="Reports awaiting clearance").wait_for()
            assert "(1 to 50 of 59)" in page.locator("main").inner_text()
            problems += axe_problems(page)
            page.get_by_role("link", name="Next page").click()
            page.get_by_text("(51 to 59 of 59)").wait_for()
            problems += axe_problems(page)
            page.screenshot(path=str(SHOTS / "web-clearance-page-2.png"), full_page=True)
        finally:
            browser.close()
    assert not problems, "\n".join(problems)
