"""Report authors and clearing officers over HTTP: the items assigned to an author, the draft
with its preview (with and without htmx), a PDF appendix (a non-PDF or an oversized file
refused beside the field), submission, finance and legal clearance before the secretary may
accept; and the errors as pages: 403 saying who may, 404, 409 for a stale page or a double
submit (written once), 422 beside the field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from s75.app import App
from s75.web.app import create_app
from tests.web.author_helpers import (
    BASE,
    add_accounts,
    add_item,
    author_app,
    one_page_pdf,
    schedule,
    sign_in_as,
)
from tests.web.client import TestClient
from tests.web.staff_helpers import SECRET
from tests.web.web_helpers import visible
from workflows.committee.tables import AgendaItemRow, ItemAppendixRow, ItemClearanceRow

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def app(db_url: str, engine: Engine, tmp_path: Path) -> Iterator[App]:
    a = author_app(db_url, tmp_path)
    add_accounts(a)
    yield a
    a.close()


@pytest.fixture
def web(app: App) -> Iterator[Any]:
    """A factory of clients, each with its own cookie jar."""
    opened: list[TestClient] = []

    def new() -> TestClient:
        c = TestClient(create_app(app, start_scheduler=False, secret=SECRET), base_url=BASE)
        c.__enter__()
        opened.append(c)
        return c

    yield new
    for c in opened:
        c.__exit__(None, None, None)


def row(app: App, item_id: int) -> AgendaItemRow:
    with Session(app.engine) as s:
        i = s.get(AgendaItemRow, item_id)
        assert i is not None
        s.expunge(i)
        return i


def version(app: App, item_id: int) -> str:
    return str(row(app, item_id).version)


def draft(item: AgendaItemRow, **changes: str) -> dict[str, str]:
    out = {"title": item.title, "lead": item.lead, "body_text": item.body_text,
           **{k: str(v) for k, v in item.cover.items()}, "version": str(item.version)}
    out.update(changes)
    return out


def test_an_author_drafts_attaches_submits_and_the_officers_clear(app: App, web: Any) -> None:
    [m, _] = schedule(app)
    iid = add_item(app, m)
    author = web()
    token = sign_in_as(author, "author")
    listing = visible(author.get("/staff/my-items").text)
    assert "Winter beds" in listing and "Finance: awaited; Legal: awaited" in listing
    page = author.get(f"/staff/items/{iid}")
    assert page.status_code == 200 and "Draft the report" in page.text
    assert "finance and legal clearance" in visible(page.text)

    # preview without JavaScript: the whole page, the posted text rendered, nothing saved
    body = "# Costs\n\nThe beds cost **£1.2m** a year.\n\n- 20 beds\n- from November"
    r = author.post(f"/staff/items/{iid}/preview",
                    data={"csrf": token, **draft(row(app, iid), body_text=body)})
    assert r.status_code == 200 and "Preview of your changes (not saved)" in r.text
    assert "<strong>£1.2m</strong>" in r.text and "<li>20 beds</li>" in r.text
    assert row(app, iid).body_text != body
    # with htmx: the preview fragment alone
    r = author.post(f"/staff/items/{iid}/preview", headers={"HX-Request": "true"},
                    data={"csrf": token, **draft(row(app, iid), body_text=body)})
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="preview"')
    assert "<html" not in r.text and "<strong>£1.2m</strong>" in r.text

    r = author.post(f"/staff/items/{iid}/draft",
                    data={"csrf": token, **draft(row(app, iid), body_text=body)},
                    follow_redirects=False)
    assert r.status_code == 303 and row(app, iid).body_text == body

    # an appendix: a PDF is attached; a Word file and an oversized file are refused
    r = author.post(f"/staff/items/{iid}/attach",
                    data={"csrf": token, "title": "Equality impact assessment",
                          "version": version(app, iid)},
                    files={"file": ("eia.pdf", one_page_pdf(), "application/pdf")},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    assert [a["title"] for a in row(app, iid).appendices] == ["Equality impact assessment"]
    r = author.post(f"/staff/items/{iid}/attach",
                    data={"csrf": token, "title": "Letter", "version": version(app, iid)},
                    files={"file": ("letter.docx", b"PK\x03\x04 word", "application/msword")})
    assert r.status_code == 422
    assert 'id="attach-file-error"' in r.text
    assert "appendix: letter.docx is not a PDF" in visible(r.text)
    big = b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024 + 10)
    r = author.post(f"/staff/items/{iid}/attach",
                    data={"csrf": token, "title": "Scans", "version": version(app, iid)},
                    files={"file": ("scans.pdf", big, "application/pdf")})
    assert r.status_code == 422 and "file: scans.pdf is larger than 20 MB" in visible(r.text)
    with Session(app.engine) as s:
        assert len(s.exec(select(ItemAppendixRow)).all()) == 1

    r = author.post(f"/staff/items/{iid}/submit",
                    data={"csrf": token, "version": version(app, iid)}, follow_redirects=False)
    assert r.status_code == 303 and row(app, iid).state == "submitted"

    # the secretary may not accept before clearance: the refusal in words
    secretary = web()
    stoken = sign_in_as(secretary, "secretary")
    ws = secretary.get(f"/staff/meetings/{m}")
    assert "Clearance: Finance awaited; Legal awaited" in visible(ws.text)
    r = secretary.post(f"/staff/meetings/{m}/accept",
                       data={"csrf": stoken, "item_id": iid, "version": version(app, iid)})
    assert r.status_code == 409
    said = visible(r.text)
    assert "cannot be accepted until its report is cleared" in said
    assert "finance clearance awaited" in said and "legal clearance awaited" in said

    # the finance officer sees it waiting, refuses without a comment (422), then clears it
    finance = web()
    ftoken = sign_in_as(finance, "finance")
    assert "Winter beds" in finance.get("/staff/clearance").text
    page = finance.get(f"/staff/items/{iid}")
    assert "Your finance clearance" in page.text and "Your legal clearance" not in page.text
    r = finance.post(f"/staff/items/{iid}/clear",
                     data={"csrf": ftoken, "kind": "finance", "decision": "refuse",
                           "comment": "", "version": version(app, iid)})
    assert r.status_code == 422 and 'id="clear-comment-error"' in r.text
    assert "comment: missing; say why the report is not cleared" in visible(r.text)
    r = finance.post(f"/staff/items/{iid}/clear",
                     data={"csrf": ftoken, "kind": "finance", "decision": "clear",
                           "version": version(app, iid)}, follow_redirects=False)
    assert r.status_code == 303
    # the finance officer may not give the legal clearance: 403 saying who may
    r = finance.post(f"/staff/items/{iid}/clear",
                     data={"csrf": ftoken, "kind": "legal", "decision": "clear",
                           "version": version(app, iid)})
    assert r.status_code == 403 and "may be done by a legal officer or an admin" in \
        visible(r.text)

    legal = web()
    ltoken = sign_in_as(legal, "legal")
    r = legal.post(f"/staff/items/{iid}/clear",
                   data={"csrf": ltoken, "kind": "legal", "decision": "clear",
                         "comment": "JLF", "version": version(app, iid)},
                   follow_redirects=False)
    assert r.status_code == 303
    page = visible(author.get(f"/staff/items/{iid}").text)
    assert "Finance: cleared Paul Carroll" in page and "Legal: cleared Jane Lee-Fox" in page

    r = secretary.post(f"/staff/meetings/{m}/accept",
                       data={"csrf": stoken, "item_id": iid, "version": version(app, iid)},
                       follow_redirects=False)
    assert r.status_code == 303 and row(app, iid).state == "accepted"
    with Session(app.engine) as s:
        kinds = sorted((c.kind, c.cleared) for c in s.exec(select(ItemClearanceRow)).all())
    assert kinds == [("finance", True), ("legal", True)]


def test_errors_are_pages(app: App, web: Any) -> None:
    [m, _] = schedule(app)
    iid = add_item(app, m)
    director = web()
    dtoken = sign_in_as(director, "director")
    r = director.get(f"/staff/items/{iid}")
    assert r.status_code == 403
    said = visible(r.text)
    assert ("may be opened by the secretary of the Joint Commissioning Committee (jcc), its "
            "author (Head of Integrated Commissioning), a finance officer, a legal officer "
            "or an admin") in said
    assert "Traceback" not in r.text
    r = director.post(f"/staff/items/{iid}/draft", data={"csrf": dtoken, "title": "Mine"})
    assert r.status_code == 403 and row(app, iid).title == "Winter beds"

    author = web()
    token = sign_in_as(author, "author")
    assert author.get("/staff/items/99999").status_code == 404
    r = author.post("/staff/items/99999/draft", data={"csrf": token})
    assert r.status_code == 404 and "Traceback" not in r.text
    assert author.post(f"/staff/items/{iid}/nonsense", data={"csrf": token}).status_code == 404

    # 422 beside the field, nothing written
    r = author.post(f"/staff/items/{iid}/draft",
                    data={"csrf": token, **draft(row(app, iid), title="")})
    assert r.status_code == 422 and 'id="draft-title-error"' in r.text
    assert "title: missing" in visible(r.text) and row(app, iid).title == "Winter beds"

    # 409: the page is stale (someone else saved first): reload, nothing written
    stale = draft(row(app, iid), title="Winter beds: the author's version")
    secretary = web()
    stoken = sign_in_as(secretary, "secretary")
    r = secretary.post(f"/staff/items/{iid}/draft",
                       data={"csrf": stoken, **draft(row(app, iid), title="Winter beds 2019")},
                       follow_redirects=False)
    assert r.status_code == 303
    r = author.post(f"/staff/items/{iid}/draft", data={"csrf": token, **stale})
    assert r.status_code == 409
    assert "Someone else changed this item since you opened the page" in visible(r.text)
    assert "Reload the page" in visible(r.text) and row(app, iid).title == "Winter beds 2019"

    # a double submit writes once
    form = {"csrf": token, "version": version(app, iid)}
    first = author.post(f"/staff/items/{iid}/submit", data=form, follow_redirects=False)
    second = author.post(f"/staff/items/{iid}/submit", data=form, follow_redirects=False)
    assert (first.status_code, second.status_code) == (303, 409)
    assert row(app, iid).state == "submitted"
    # CSRF missing: 403 before anything runs
    assert author.post(f"/staff/items/{iid}/draft", data={"title": "x"}).status_code == 403


def test_an_item_of_no_author_is_not_on_the_authors_list(app: App, web: Any) -> None:
    [m, _] = schedule(app)
    add_item(app, m, "Secretary's own paper", author=None)
    author = web()
    sign_in_as(author, "author")
    assert "No report is assigned to you" in author.get("/staff/my-items").text
