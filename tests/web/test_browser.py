"""One journey in a real browser (Debian chromium driven by Playwright): home page, a body,
a meeting; the Part 2 item shows only its title and exempt paragraph."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from decisions.terms import LocalityConfig
from s75.web.app import create_app
from tests.web.web_helpers import PART1_TITLE, PART2_TITLE, SECRETS, build_record, web_app

CHROMIUM = Path("/usr/bin/chromium")
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
