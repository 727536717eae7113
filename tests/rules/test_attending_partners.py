"""A partner that attends a joint committee without pooling (issue 13, point 4;
examples/attending_partner.toml: the foundation trust, ``pools = false``): check-config
refuses it any share of the pool; it counts for quorum as the terms say and is not needed for
the minimum per partner; it casts no vote unless the terms give it one; and it takes no part
in approvals, gateways, signing or the risk share."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.principals import COVER_ARGS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "attending_partner.toml"
COUNCIL = ["leader", "exec_adults", "dass"]
CCG = ["ccg_chair", "accountable_officer"]
TRUST = ["trust_ceo", "trust_finance"]


def _runner(cli: Callable[..., Any], db_url: str, config: Path) -> Any:
    def s75(*args: object) -> Any:
        return cli("--db", db_url, "--config", str(config), *(str(a) for a in args))
    return s75


def _js(s75: Callable[..., Any]) -> Callable[..., Any]:
    def js(*args: object) -> Any:
        r = s75(*args, "--json")
        assert r.code == 0, r.text
        return json.loads(r.out)
    return js


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    out = tmp_path / "locality.toml"
    out.write_text(text.replace(old, new, 1), encoding="utf-8")
    return out


def _published_item(js: Callable[..., Any]) -> tuple[int, int]:
    [m1, *_] = js("meeting", "schedule", "jcc", "--from", "2019-04-01", "--to", "2019-04-30")
    item = js("item", "add", m1["id"], "Care homes quality scheme", *COVER_ARGS)
    js("--as", "commissioning_lead", "item", "submit", item["id"], "--on", "2019-03-20")
    js("item", "accept", item["id"])
    js("item", "publish", item["id"], "--on", "2019-04-01")
    return int(m1["id"]), int(item["id"])


def test_check_config_refuses_an_attending_partner_any_share(
        cli: Callable[..., Any], tmp_path: Path) -> None:
    ok = cli("--config", str(EXAMPLE), "check-config")
    assert ok.code == 0, ok.text
    assert "Bolton NHS Foundation Trust (trust; attends, does not pool)" in ok.out
    bad = _variant(tmp_path, "contributions = { council = 25_950_000, ccg = 25_950_000 }",
                   "contributions = { council = 25_950_000, ccg = 25_950_000, trust = 1 }")
    r = cli("--config", str(bad), "check-config")
    assert r.code == 2, r.text
    assert "pool.line[0].contributions.trust: '1' is not valid; a partner with pools = false " \
           "attends but pools nothing; set pools = true on partner trust" in r.err


def test_quorum_votes_and_the_pool_without_the_attending_partner(
        cli: Callable[..., Any], db_url: str) -> None:
    s75 = _runner(cli, db_url, EXAMPLE)
    js = _js(s75)
    assert s75("init").code == 0
    m1, item = _published_item(js)
    # 3 council + 2 CCG + 2 trust = 7: the trust counts towards the 7 (attending_count = true)
    js("meeting", "attend", m1, *COUNCIL, *CCG, *TRUST)
    r = s75("decide", item, "--partner-vote", "council=for", "--partner-vote", "ccg=for",
            "--partner-vote", "trust=for")
    assert r.code == 2, r.text
    assert "partner_votes.trust: Bolton NHS Foundation Trust attends Joint Commissioning " \
           "Committee but does not pool" in r.err
    assert "(body.attending_vote); partners who vote: Bolton Council (council), NHS Bolton " \
           "CCG (ccg)" in r.err
    assert js("item", "show", item)["state"] == "published"  # nothing written
    out = js("decide", item, "--partner-vote", "council=for", "--partner-vote", "ccg=for")
    assert out["outcome"] == "approved", out
    assert "every partner voted for (Bolton Council, NHS Bolton CCG)" in out["explanation"]
    # The risk share is the pooling partners'.
    pool = js("pool", "show")
    assert set(pool["risk_share"]) == {"council", "ccg"}


def test_attending_members_not_counted_when_the_terms_say_so(
        cli: Callable[..., Any], db_url: str, tmp_path: Path) -> None:
    config = _variant(tmp_path, "attending_count = true", "attending_count = false")
    s75 = _runner(cli, db_url, config)
    js = _js(s75)
    assert s75("init").code == 0
    m1, item = _published_item(js)
    js("meeting", "attend", m1, *COUNCIL, *CCG, *TRUST)
    r = s75("decide", item, "--partner-vote", "council=for", "--partner-vote", "ccg=for")
    assert r.code == 2, r.text
    assert "needs 7 members, 5 can count" in r.err
    assert "Chief Executive of the Foundation Trust does not count (attends for Bolton NHS " \
           "Foundation Trust, which does not pool; the terms of reference of the Joint " \
           "Commissioning Committee do not count attending partners for quorum)" in r.err


def test_attending_partner_takes_no_part_in_the_proposal(
        cli: Callable[..., Any], db_url: str) -> None:
    s75 = _runner(cli, db_url, EXAMPLE)
    js = _js(s75)
    assert s75("init").code == 0
    now = ("--now", "2018-09-03T12:00:00+01:00")
    js(*now, "proposal", "create", "Expand the pool")
    js(*now, "proposal", "fire", 1, "submit")
    shown = js(*now, "proposal", "show", 1)
    assert shown["awaiting"] == [
        "Approval in principle needs approval from Bolton Council (Council Cabinet)",
        "Approval in principle needs approval from NHS Bolton CCG (CCG Board)"]
    tried = {
        "approvals": ("proposal", "approve", 1, "--partner", "trust", "--body", "trust_board",
                      "--meeting-date", "2018-09-03", "--minute", "TB/18/1"),
        "the monthly gateways": ("gateway", "record", 1, "--partner", "trust", "--return",
                                 "go"),
        "signing the agreement": ("proposal", "sign", 1, "--partner", "trust", "--signatory",
                                  "trust_ceo"),
    }
    for what, args in tried.items():
        r = s75(*now, *args)
        assert r.code == 2, r.text
        assert f"Bolton NHS Foundation Trust (trust) attends but does not pool (config " \
               f"partner.pools = false), so it takes no part in {what}; the partners that " \
               "pool: council, ccg" in r.err, r.err
    assert js(*now, "proposal", "show", 1)["approvals"] == []  # nothing written


def test_attending_partner_votes_when_the_terms_say_so_and_is_never_referred_to(
        cli: Callable[..., Any], db_url: str, tmp_path: Path) -> None:
    """``attending_vote = true``: the trust's block vote is then needed like the others (a
    vote without it is refused, naming it, nothing written); a failed block vote is referred to
    the pooling partners' sovereign bodies only, never to the trust's board."""
    config = _variant(tmp_path, "attending_vote = false", "attending_vote = true")
    s75 = _runner(cli, db_url, config)
    js = _js(s75)
    assert s75("init").code == 0
    for body in ("cabinet", "ccg_board", "trust_board"):
        js("meeting", "schedule", body, "--from", "2019-04-01", "--to", "2019-06-30")
    m1, item = _published_item(js)
    js("meeting", "attend", m1, *COUNCIL, *CCG, *TRUST)
    r = s75("decide", item, "--partner-vote", "council=for", "--partner-vote", "ccg=for")
    assert r.code == 2, r.text
    assert "no block vote recorded for Bolton NHS Foundation Trust (trust)" in r.err
    assert js("item", "show", item)["state"] == "published"  # nothing written
    out = js("decide", item, "--partner-vote", "council=for", "--partner-vote", "ccg=for",
             "--partner-vote", "trust=against")
    assert out["outcome"] == "referred", out
    assert sorted(x["to_body"] for x in out["referrals"]) == ["cabinet", "ccg_board"]
    listed = js("referral", "list")
    assert {x["to_body"] for x in listed} == {"Council Cabinet", "CCG Board"}
