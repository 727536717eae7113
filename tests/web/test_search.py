"""Full-text search as a visitor uses it: results that open, operators and markup taken as
text, and nothing exempt ever found (a marker planted in every Part 2 field)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine

from decisions.terms import LocalityConfig
from s75.web.search import fts5_query, parse
from tests.web.client import TestClient
from tests.web.web_helpers import PART2_TITLE, SECRETS, Record, build_record, visible


@pytest.fixture
def record(engine: Engine, config: LocalityConfig) -> Record:
    return build_record(engine, config)


def test_search_finds_published_business_and_opens_it(record: Record,
                                                      client: TestClient) -> None:
    r = client.get("/search", params={"q": "winter demand"})
    assert r.status_code == 200
    text = visible(r.text)
    assert "Intermediate care beds" in text
    links = re.findall(r'href="(/(?:decisions/\d+|meetings/\d+/agenda))"', r.text)
    assert links and all(client.get(u).status_code == 200 for u in links)
    assert "<mark>" in r.text  # the matched words are marked
    assert "No results" in visible(client.get("/search", params={"q": "zebra"}).text)


EXEMPT_SEARCHES = (*SECRETS, PART2_TITLE, "sealed bid", "mandate", "Bidder",
                   '"sealed bid" OR mandate', "bid*", "NEAR(sealed bid)", "title:Care",
                   "^Care home fee")
OPERATORS = ('"', "AND", "OR OR", "NOT", "(", "*", "col:x", 'a"b', "'",
             "<script>alert(1)</script>", "-", "--", "\\", "NEAR(", "{a b}")


def test_nothing_exempt_is_ever_found_and_operators_are_text(record: Record,
                                                             client: TestClient) -> None:
    for q in EXEMPT_SEARCHES:
        r = client.get("/search", params={"q": q})
        assert r.status_code == 200, r.text
        assert "No results" in visible(r.text), q
    for q in OPERATORS:
        r = client.get("/search", params={"q": q})
        assert r.status_code == 200, (q, r.text[-400:])
        assert "<script>alert(1)</script>" not in r.text


def test_bad_searches_are_refused_naming_the_field(client: TestClient) -> None:
    r = client.get("/search", params={"q": "x" * 201})
    assert r.status_code == 400 and "q: the search is 201 characters long; at most 200" in r.text
    r = client.get("/search", params={"q": "-winter"})
    assert r.status_code == 400 and "at least one word" in r.text


def test_the_query_is_quoted_for_fts5() -> None:
    assert fts5_query(parse('care "home fees" OR beds -winter')) == \
        '"care" AND "home fees" OR "beds" NOT "winter"'
    assert fts5_query(parse('NEAR("a" b) col:x')) == '"near" AND "a" AND "b" AND "col" AND "x"'
