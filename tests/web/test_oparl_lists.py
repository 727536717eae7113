"""The OParl meeting list embeds each meeting exactly as the meeting's own address returns it,
with what its meetings embed (agendas open to inspection, items, files, people present)
fetched once for the page rather than per meeting (issue 17, point 2)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.test_api import World, build_world
from tests.web.test_board import count_queries
from tests.web.test_oparl import _publish_an_exempt_item


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    for w in build_world(Path(tmp_path_factory.mktemp("oparl-lists"))):
        _publish_an_exempt_item(w)
        yield w


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
    # the count, the page, then for the page: published agendas, items, decisions, files,
    # people present; and each shown agenda's numbering
    assert many <= 7 + len(shown), (few, many)
