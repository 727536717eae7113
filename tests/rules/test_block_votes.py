"""A joint committee deciding one vote per partner (examples/three_partners.toml): a block
vote missing a partner who is present is refused, naming it, and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.principals import COVER_ARGS

ROOT = Path(__file__).resolve().parents[2]
THREE = ROOT / "examples" / "three_partners.toml"
JCC = ["leader", "exec_adults", "dass", "ccg_chair", "accountable_officer", "cfo",
       "trust_ceo", "trust_finance"]


def test_block_vote_missing_a_partner_is_refused(cli: Callable[..., Any], db_url: str) -> None:
    def s75(*args: object) -> Any:
        return cli("--db", db_url, "--config", str(THREE), *(str(a) for a in args))

    def js(*args: object) -> Any:
        r = s75(*args, "--json")
        assert r.code == 0, r.text
        return json.loads(r.out)

    assert s75("init").code == 0
    [m1, *_] = js("meeting", "schedule", "jcc", "--from", "2019-04-01", "--to", "2019-04-30")
    item = js("item", "add", m1["id"], "Care homes quality scheme", *COVER_ARGS)
    js("--as", "commissioning_lead", "item", "submit", item["id"], "--on", "2019-03-20")
    js("item", "accept", item["id"])
    js("item", "publish", item["id"], "--on", "2019-04-01")
    js("meeting", "attend", m1["id"], *JCC)
    r = s75("decide", item["id"], "--partner-vote", "council=for", "--partner-vote", "ccg=for")
    assert r.code == 2, r.text
    assert "no block vote recorded for Bolton NHS Foundation Trust (trust)" in r.err
    assert "(Bolton Council (council), NHS Bolton CCG (ccg), Bolton NHS Foundation Trust " \
           "(trust))" in r.err
    assert js("item", "show", item["id"])["state"] == "published"  # nothing written
    out = js("decide", item["id"], "--partner-vote", "council=for", "--partner-vote", "ccg=for",
             "--partner-vote", "trust=for")
    assert out["outcome"] == "approved" and out["rule"] == "one_vote_per_partner"
