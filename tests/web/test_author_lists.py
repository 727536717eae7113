"""The authors' and clearing officers' lists are bounded (issue 17, point 2): ``/staff/my-items``
and ``/staff/clearance`` come a page at a time (``?page=``), each page at the same queries
whatever the number of items, and the clearance queue holds exactly what awaits the
officer: a refusal stays on it, a clearance takes it off that officer's queue only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from decisions.principals import find_principal
from s75.app import App
from s75.web.app import create_app
from tests.web.author_helpers import BASE, add_accounts, add_item, author_app, schedule, sign_in_as
from tests.web.client import TestClient
from tests.web.staff_helpers import SECRET
from tests.web.test_board import count_queries
from tests.web.web_helpers import visible
from workflows.committee.clearance import ClearItem
from workflows.committee.item_actions import SubmitItem

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def app(db_url: str, engine: Engine, tmp_path: Path) -> Iterator[App]:
    a = author_app(db_url, tmp_path)
    add_accounts(a)
    yield a
    a.close()


def _client(app: App, username: str) -> Iterator[TestClient]:
    with TestClient(create_app(app, start_scheduler=False, secret=SECRET), base_url=BASE) as c:
        sign_in_as(c, username)
        yield c


@pytest.fixture
def clients(app: App) -> Iterator[dict[str, TestClient]]:
    made = {u: _client(app, u) for u in ("author", "finance", "legal")}
    opened = {u: next(g) for u, g in made.items()}
    yield opened
    for g in made.values():
        next(g, None)


def _submitted(app: App, meeting: int, titles: list[str]) -> list[int]:
    author = find_principal(app.config, "commissioning_lead")
    ids = []
    for title in titles:
        iid = add_item(app, meeting, title)
        app.perform(SubmitItem(iid), lambda _uow, _i: None, principal=author)
        ids.append(iid)
    return ids


def _clear(app: App, iid: int, kind: str, member: str, refuse: bool = False) -> None:
    app.perform(ClearItem(iid, kind, refuse=refuse, comment="Costs unclear" if refuse else ""),
                lambda _uow, _r: None, principal=find_principal(app.config, member))


def test_the_lists_page_at_fixed_queries_and_hold_what_awaits(
        app: App, clients: dict[str, TestClient]) -> None:
    [m, _] = schedule(app)
    first = _submitted(app, m, ["Report 00", "Report 01"])
    pages: dict[tuple[str, str], int] = {}
    for who, url in (("author", "/staff/my-items"), ("finance", "/staff/clearance"),
                     ("legal", "/staff/clearance")):
        clients[who].get(url)
        pages[who, url] = count_queries(clients[who], url)[0]
    ids = first + _submitted(app, m, [f"Report {n:02}" for n in range(2, 60)])
    _clear(app, ids[0], "finance", "s151")                      # off finance's queue only
    _clear(app, ids[1], "finance", "s151", refuse=True)         # refused: still awaiting
    for (who, url), n in pages.items():
        big, r = count_queries(clients[who], url)
        assert r.status_code == 200, r.text
        assert big == n, (who, url)

    mine = visible(clients["author"].get("/staff/my-items").text)
    assert "Your reports, page 1 of 2" in mine and "(1 to 50 of 60)" in mine
    assert "Report 59" in mine and "Report 09" not in mine  # newest first
    older = visible(clients["author"].get("/staff/my-items?page=2").text)
    assert "Report 09" in older and "Report 00" in older and "Next page" not in older
    assert "Finance: cleared; Legal: awaited" in older
    assert "Finance: refused; Legal: awaited" in older

    fin = visible(clients["finance"].get("/staff/clearance").text)
    assert "(1 to 50 of 59)" in fin  # 60 submitted, one cleared by finance
    assert "Report 00" not in fin and "Report 01" in fin  # soonest meeting, agenda order
    legal = visible(clients["legal"].get("/staff/clearance").text)
    assert "(1 to 50 of 60)" in legal and "Report 00" in legal

    bad = clients["finance"].get("/staff/clearance?page=x")
    assert bad.status_code == 400 and "page: 'x' is not valid" in visible(bad.text)
    past = clients["finance"].get("/staff/clearance?page=3")
    assert past.status_code == 404 and "past the last page (2)" in visible(past.text)
