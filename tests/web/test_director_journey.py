"""The programme director's journey in Debian chromium: sign in, the gateway board, the "at
risk" filter, a proposal's page, the CSV export; axe-core on every page (no serious or
critical WCAG 2.2 A/AA violation); screenshots in docs/img (director-*.png, and the board as
programme-board.png)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from decisions.terms import LocalityConfig
from tests.web.staff_helpers import PASSWORD
from tests.web.test_browser import ARGS, AXE, CHROMIUM, SHOTS, axe_problems, pytestmark, server
from tests.workflows.wf_helpers import Driver

__all__ = ["pytestmark", "server"]
TITLE = "P-1: Add population health to the pool"
AT_RISK = "P-2: Community equipment store"


@pytest.fixture
def programme(server: str, engine: Engine, config: LocalityConfig) -> str:
    """Beside the record's stopped proposal, one in shadow operation whose latest gateway
    was a pause from the CCG: at risk."""
    driver = Driver(engine, config)
    pid = driver.create("Community equipment store")
    driver.today = "2019-01-07"
    driver.to_shadow(pid)
    driver.gateway(pid, "2019-03-28", council="go", ccg="pause")
    return server


@pytest.mark.skipif(not AXE.exists(), reason="needs make web-assets (axe-core)")
def test_programme_director_board_at_risk_proposal_and_csv(programme: str) -> None:
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(base_url=programme, viewport={"width": 1200, "height": 900})
            page.goto("/login?next=/proposals")
            page.get_by_label("Username").fill("programme.director")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            assert page.get_by_role("heading", level=1).inner_text() == "Gateway board"
            assert page.get_by_role("row", name=TITLE).count() == 1
            assert "2 proposals;" in page.inner_text("main")
            problems += axe_problems(page)
            page.screenshot(path=str(SHOTS / "programme-board.png"), full_page=True)
            page.screenshot(path=str(SHOTS / "director-board.png"))

            page.get_by_label("At risk only").check()
            page.get_by_role("button", name="Apply filters").click()
            assert "at_risk=yes" in page.url
            main = page.inner_text("main")
            assert "1 proposal;" in main, main
            assert page.get_by_role("row", name=TITLE).count() == 0  # stopped: not at risk
            row = page.get_by_role("row", name=AT_RISK)
            assert "NHS Bolton CCG: pause" in row.inner_text(), row.inner_text()
            problems += axe_problems(page)
            page.screenshot(path=str(SHOTS / "director-at-risk.png"), full_page=True)

            with page.expect_download() as dl:
                page.get_by_role("link", name="CSV").click()
            csv = Path(dl.value.path()).read_text(encoding="utf-8-sig")
            lines = csv.splitlines()
            assert lines[0].startswith("Proposal,Title,Stage") and len(lines) == 2, csv
            assert "Community equipment store" in lines[1]

            page.get_by_role("link", name=AT_RISK).click()
            page.get_by_role("heading", name="Timeline of stages").wait_for()
            assert "Shadow operation" in page.locator("ol").first.inner_text()
            problems += axe_problems(page)
            page.screenshot(path=str(SHOTS / "director-proposal.png"), full_page=True)
        finally:
            browser.close()
    assert not problems, "\n".join(problems)
