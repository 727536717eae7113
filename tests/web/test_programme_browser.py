"""The programme director's journey in a real browser (Debian chromium, Playwright): the
gateway board, a filter, a proposal's timeline, the CSV export; then a visitor's search and
the agenda as a web page."""

from __future__ import annotations

from pathlib import Path

from tests.web.test_browser import ARGS, CHROMIUM, pytestmark, server
from tests.web.web_helpers import PART1_TITLE, SECRETS

__all__ = ["pytestmark", "server"]


def test_programme_director_follows_a_proposal(server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.goto(server + "/")
            page.get_by_role("link", name="Proposals").click()
            assert page.get_by_role("heading", level=1).inner_text() == "Gateway board"
            row = page.get_by_role("row", name="P-1: Add population health to the pool")
            assert "NHS Bolton CCG: stop" in row.inner_text()
            page.get_by_label("Stage").select_option("stopped")
            page.get_by_role("button", name="Apply filters").click()
            assert "stage=stopped" in page.url and "1 proposal;" in page.inner_text("main")
            with page.expect_download() as dl:
                page.get_by_role("link", name="CSV").click()
            text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
            assert text.startswith("Proposal,Title,Stage") and "Stopped" in text
            page.get_by_role("link", name="P-1: Add population health to the pool").click()
            page.get_by_role("heading", name="Timeline of stages").wait_for()
            timeline = page.locator("ol").first.inner_text()
            assert "Shadow operation" in timeline and "Stopped" in timeline
            assert "The proposal was stopped" in page.inner_text("main")

            page.goto(server + "/search?q=winter+demand")
            page.get_by_role("link", name=PART1_TITLE).first.click()
            heading = page.get_by_role("heading", level=1).inner_text()
            assert PART1_TITLE in heading or "agenda" in heading
            body = page.locator("body").inner_text()
            assert PART1_TITLE in body and not [s for s in SECRETS if s in body]
        finally:
            browser.close()
