"""One journey in a real browser (Debian chromium driven by Playwright): home page, a body,
a meeting; the Part 2 item shows only its title and exempt paragraph."""

from __future__ import annotations

import os
import re
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from decisions.terms import LocalityConfig
from s75.web.app import create_app
from tests.web.staff_helpers import PASSWORD, add_accounts
from tests.web.web_helpers import PART1_TITLE, PART2_TITLE, SECRETS, build_record, web_app

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "templates" / "static" / "vendor" / "axe.min.js"
# Screenshots go to a temporary folder, so a test run leaves the working tree as it was;
# `make screenshots` runs the browser tests with S75_SCREENSHOTS=docs/img to refresh the docs.
SHOTS = Path(os.environ.get("S75_SCREENSHOTS") or Path(tempfile.gettempdir()) / "s75-screenshots")
SHOTS.mkdir(parents=True, exist_ok=True)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian chromium at /usr/bin/chromium "
                              "(apt-get install -y chromium)"),
    pytest.mark.parametrize("db_url", ["sqlite"], indirect=True),  # SQLite only
]


@pytest.fixture
def server(db_url: str, engine: Engine, config: LocalityConfig) -> Iterator[str]:
    import uvicorn

    build_record(engine, config)
    add_accounts(engine, config)
    app = web_app(db_url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # a free loopback port, held until uvicorn takes it
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
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.close()


def test_visitor_reads_a_meeting_in_chromium(server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.goto(server + "/")
            assert page.locator("html").get_attribute("lang") == "en-GB"
            assert page.get_by_role("heading", level=1).inner_text() == \
                "Meetings and decisions"
            page.get_by_role("link", name="Joint Commissioning Committee").click()
            page.get_by_role("heading", name="Past meetings", exact=True).wait_for()
            page.get_by_role("link", name="10 April 2019").click()
            page.get_by_role("heading", name="Agenda").wait_for()
            assert "10 April 2019" in page.get_by_role("heading", level=1).inner_text()
            part1 = page.locator("tr[data-part='1']", has_text=PART1_TITLE)
            assert "DASS" in part1.inner_text()
            exempt = page.locator("tr[data-part='2']")
            assert exempt.count() == 1
            shown = " ".join(exempt.inner_text().split())
            assert shown.startswith(f"6 {PART2_TITLE} Part 2 (exempt): not for publication by "
                                    "virtue of paragraph 3 of Part 1 of Schedule 12A")
            body = page.locator("body").inner_text()
            assert not [s for s in SECRETS if s in body]
            assert "That 20 beds be commissioned." in body
        finally:
            browser.close()


def axe_problems(page: Any) -> list[str]:
    """axe-core (served from /static, so the page's CSP allows it) on the page as it is:
    the serious and critical violations of WCAG 2.0-2.2 A and AA."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe.min.js")
    found = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
    return [f"{page.url}: {v}" for v in found]


@pytest.mark.skipif(not AXE.exists(), reason="needs make web-assets (axe-core)")
def test_secretary_runs_a_meeting_cycle_in_chromium(server: str) -> None:
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(base_url=server, viewport={"width": 1100, "height": 900})
            for url in ("/", "/bodies/jcc", "/meetings/1", "/proposals", "/deadlines",
                        "/login", "/no/such/page"):
                page.goto(url)
                problems += axe_problems(page)
            page.goto("/staff")  # not signed in: the sign-in page, then back
            page.get_by_label("Username").fill("secretary")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("heading", name="Your committees").wait_for()
            assert "Joint Commissioning Committee" in page.locator("main").inner_text()
            problems += axe_problems(page)
            page.screenshot(path=str(SHOTS / "web-staff.png"), full_page=True)
            page.get_by_role("link", name=re.compile(r"^8 May 2019")).first.click()
            page.get_by_role("heading", name="Add an item").wait_for()
            problems += axe_problems(page)
            page.get_by_role("button", name="Add item").click()  # the refusal beside the field
            assert "title: missing" in page.locator("#add-item-title-error").inner_text()
            problems += axe_problems(page)
            page.locator("#add-item-title").scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / "web-refusal.png"))
            page.get_by_label("Title", exact=True).fill("Falls prevention service")
            page.get_by_label("Lead officer").fill("DASS")
            page.get_by_label("What decisions do you require?").fill("Approve the service")
            page.get_by_label("The key points").fill("Falls at home cost beds.")
            page.get_by_label("Likely impacts and implications").fill("Fewer admissions.")
            page.get_by_label("Sponsor", exact=True).fill("Director of Adult Services")
            page.get_by_label("Presenter", exact=True).fill("Head of Commissioning")
            page.get_by_label("Report (Markdown)").fill("# Summary\n\nFewer falls at home.")
            page.get_by_role("button", name="Add item").click()
            assert "Item added (draft)." in page.locator("main").inner_text()
            page.get_by_text("Submit this item").click()
            page.get_by_role("button", name="Submit item").click()
            assert "Item submitted." in page.locator("main").inner_text()
            page.get_by_role("button", name=re.compile(r"^Accept item")).click()
            assert "Item accepted." in page.locator("main").inner_text()
            page.get_by_role("button", name="Publish agenda").click()
            assert "Agenda published." in page.locator("main").inner_text()
            page.get_by_label("Person").select_option("leader")
            page.get_by_label("Attendance", exact=True).select_option("apologies")
            page.get_by_role("button", name="Record attendance").click()
            page.get_by_text("Attendance recorded.").wait_for()  # htmx: swapped in place
            listed = page.locator("#form-attendance + ul").inner_text()
            assert "Leader of the Council: apologies" in listed, listed
            problems += axe_problems(page)
            page.screenshot(path=str(SHOTS / "web-workspace.png"))
            page.goto("/meetings/2")  # the public page shows the published item
            assert "Falls prevention service" in page.locator("main").inner_text()
            page.goto("/staff")
            page.get_by_role("button", name=re.compile("^Sign out")).click()
            page.goto("/staff")
            assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
        finally:
            browser.close()
    assert not problems, "\n".join(problems)
