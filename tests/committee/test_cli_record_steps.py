"""The record steps that had an action but no command: returning an item to its lead,
dispensations, signing minutes and calling a decision in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.principals import COVER_ARGS


def test_a_submitted_item_goes_back_to_its_lead_with_the_reason(
        jcc: list[dict[str, Any]], s75json: Callable[..., Any],
        s75: Callable[..., Any]) -> None:
    item = s75json("--as", "commissioning_lead", "item", "add", jcc[0]["id"], "Winter beds",
                   *COVER_ARGS)
    s75json("--as", "commissioning_lead", "item", "submit", item["id"], "--on", "2019-03-20")
    refused = s75("--as", "board_secretary", "item", "return", item["id"], "--reason", "x")
    assert refused.code == 2 and "permission refused: item return on item" in refused.err
    back = s75json("item", "return", item["id"], "--reason", "Finance clearance missing")
    assert back["state"] != "submitted"
    r = s75("item", "return", item["id"], "--reason", " ")
    assert r.code == 2 and "reason: missing" in r.err


def test_a_dispensation_for_a_body_is_recorded_by_its_secretary(
        s75json: Callable[..., Any], s75: Callable[..., Any]) -> None:
    args = ("interest", "dispense", "cfo", "--granted-by", "Audit Committee", "--reason",
            "Needed for a quorum", "--body", "ccg_board", "--expires", "2020-03-31")
    refused = s75("--as", "exec_adults", *args)
    assert refused.code == 2 and "permission refused: dispensation grant" in refused.err
    d = s75json("--as", "board_secretary", *args)
    assert (d["member"], d["body"], d["granted_by"]) == ("cfo", "ccg_board", "Audit Committee")
    assert d["expires_on"] == "2020-03-31"


def test_call_in_and_sign_name_what_does_not_exist(s75: Callable[..., Any]) -> None:
    r = s75("decision", "call-in", "99", "--requested-by", "Chair of Scrutiny", "--reason", "Costs")
    assert r.code == 2 and "decision 99 does not exist" in r.err
    r = s75("minutes", "sign", "99")
    assert r.code == 2 and "meeting 99 does not exist" in r.err
