"""A locality where the JCC asks for finance and legal clearance (tests/committee/
clearance_config.py), its April and May meetings scheduled, and one staff account per role
the report authors' pages serve: the secretary, the author, the two officers, and others."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

from sqlmodel import Session

from decisions.clock import SimulatedClock
from decisions.principals import find_principal
from s75 import accounts
from s75.app import App, make_app
from tests.committee.clearance_config import clearance_config
from tests.principals import FULL_COVER
from tests.web.client import TestClient
from tests.web.staff_helpers import BASE, PASSWORD, csrf_of
from workflows.committee.item_actions import AddItem
from workflows.committee.meeting_actions import ScheduleMeetings

NOW = datetime(2019, 3, 1, 9, tzinfo=UTC)
ACCOUNTS = {
    "secretary": "democratic_services",
    "author": "commissioning_lead",
    "finance": "s151",
    "legal": "legal_services",
    "director": "programme_director",
    "other.secretary": "board_secretary",
}


def author_app(db_url: str, directory: Path) -> App:
    return make_app(clearance_config(directory), db_url, SimulatedClock(NOW))


def add_accounts(app: App) -> None:
    with Session(app.engine) as s:
        for username, member in ACCOUNTS.items():
            accounts.add(s, app.config, username, member, PASSWORD, NOW)
        s.commit()


def schedule(app: App) -> list[int]:
    """The JCC's April and May meetings."""
    return list(app.perform(ScheduleMeetings("jcc", date(2019, 4, 1), date(2019, 5, 31)),
                            lambda _uow, rows: [m.id for m in rows if m.id is not None]))


def add_item(app: App, meeting_id: int, title: str = "Winter beds",
             author: str | None = "commissioning_lead") -> int:
    who = find_principal(app.config, "democratic_services")
    iid: int = app.perform(AddItem(meeting_id, title, cover=FULL_COVER, author=author,
                                   body_text="# Background\n\nDemand rose."),
                           lambda _uow, i: i.id, principal=who)
    return iid


def sign_in_as(client: TestClient, username: str) -> str:
    """Sign in through the form; the new session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"csrf": token, "username": username,
                                    "password": PASSWORD, "next": "/staff"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return csrf_of(client.get("/staff").text)


def one_page_pdf(text: str = "") -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    if text:
        w.add_metadata({"/Title": text})
    out = BytesIO()
    w.write(out)
    return out.getvalue()


__all__ = ["BASE", "NOW", "add_accounts", "add_item", "author_app", "one_page_pdf",
           "schedule", "sign_in_as"]
