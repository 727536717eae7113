"""The OParl meeting list embeds each meeting exactly as the meeting's own address returns it,
with what its meetings embed (agendas open to inspection, items, files, people present)
fetched once for the page rather than per meeting (issue 17, point 2)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.test_api import World, bearer, build_world
from tests.web.test_board import count_queries
from tests.web.test_oparl import _publish_an_exempt_item


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    for w in build_world(Path(tmp_path_factory.mktemp("oparl-lists"))):
        _publish_an_exempt_item(w)
        _publish_a_public_item(w)
        yield w


def _publish_a_public_item(w: World) -> None:
    """A Part 1 item published on the next meeting's agenda: a second agenda in the lists."""
    h = bearer(w, "secretary")
    r = w.client.post(f"/api/v1/meetings/{w.record.next_meeting_id}/items", headers=h, json={
        "title": "Carers' breaks review", "part": 1, "lead": "Commissioning",
        "body_text": "# Review\n\nThe carers' breaks offer.",
        "cover": {k: f"Carers {k}" for k in ("decisions_required", "key_points", "impacts",
                                             "sponsor", "presenter")}})
    assert r.status_code == 201, r.text
    item = r.json()["item"]["id"]
    for step in ("submit", "accept", "publish"):
        r = w.client.post(f"/api/v1/items/{item}/{step}", headers=h)
        assert r.status_code == 200, (step, r.text)


def test_the_meeting_list_embeds_each_meeting_as_its_own_address(world: World) -> None:
    c = world.client
    listed = c.get("/oparl/v1/body/meetings?limit=200").json()["data"]
    assert listed and any("agendaItem" in m for m in listed)
    assert any(m.get("participant") for m in listed)
    assert any("invitation" in m for m in listed)
    for m in listed:
        path = "/" + m["id"].split("/", 3)[3]
        assert c.get(path).json() == m, path


def test_the_meeting_list_costs_a_few_queries_for_the_whole_page(world: World) -> None:
    few, r = count_queries(world.client, "/oparl/v1/body/meetings?limit=1")
    many, r = count_queries(world.client, "/oparl/v1/body/meetings?limit=200")
    assert r.status_code == 200
    shown = {m["id"].rsplit("/", 1)[1] for m in r.json()["data"] if "agendaItem" in m}
    assert len(shown) >= 2
    # the count, the page, then for the page: published agendas, items, decisions, the
    # agendas' numbering, files, people present (a query is left out when the page has
    # nothing for it): at most 8 for one meeting or for all of them
    assert few <= many <= 8, (few, many)


LISTS = ("meetings", "agenda-items", "papers", "files", "organizations", "people",
         "memberships")


@pytest.mark.parametrize("name", LISTS)
def test_every_list_costs_the_same_queries_for_one_object_or_a_page(world: World,
                                                                     name: str) -> None:
    few, r = count_queries(world.client, f"/oparl/v1/body/{name}?limit=1")
    assert r.status_code == 200 and len(r.json()["data"]) == 1
    many, r = count_queries(world.client, f"/oparl/v1/body/{name}?limit=200")
    listed = r.json()["data"]
    assert r.status_code == 200 and len(listed) >= 2, name
    if name in ("agenda-items", "papers"):  # from more than one meeting's agenda
        assert len({o.get("meeting") or o["web"] for o in listed}) >= 2, name
    assert many <= few + (name == "meetings"), (name, few, many)  # meetings: see above
    # page 2 of one object a page is the second object of the whole list
    second = world.client.get(f"/oparl/v1/body/{name}?limit=1&page=2").json()
    assert second["data"] == [listed[1]] and second["pagination"]["currentPage"] == 2
    assert "prev" in second["links"]


def test_agenda_item_numbers_are_the_agendas_own(world: World) -> None:
    from notifications.documents.gather import agenda_view

    listed = world.client.get("/oparl/v1/body/agenda-items?limit=200").json()["data"]
    by_meeting: dict[int, set[tuple[str, str]]] = {}
    for i in listed:
        by_meeting.setdefault(int(i["meeting"].rsplit("/", 1)[1]), set()).add(
            (i["number"], i["name"]))
    assert len(by_meeting) >= 2
    with world.app.session() as s:
        for mid, shown in by_meeting.items():
            entries = {(e.number, e.title) for e in agenda_view(s, world.app.config, mid).entries}
            assert shown <= entries, mid
    for i in listed:  # each item at its own address says the same
        assert world.client.get("/" + i["id"].split("/", 3)[3]).json() == i
