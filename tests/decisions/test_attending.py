"""The rules for a partner that attends without pooling, as plain functions
(examples/attending_partner.toml: the trust sits on the JCC, ``pools = false``): quorum,
each decision rule, referral and delegation leave it out as the terms say."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from decisions.delegation import delegation_route
from decisions.errors import RuleRefused
from decisions.quorum import Attendee, quorum_for_item
from decisions.referral import referral_bodies
from decisions.terms import LocalityConfig
from decisions.voting import decide, voting_partners
from s75.config import load_config

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "attending_partner.toml"
PRESENT = ["leader", "exec_adults", "dass", "ccg_chair", "accountable_officer", "trust_ceo",
           "trust_finance"]


@pytest.fixture(scope="module")
def cfg() -> LocalityConfig:
    return load_config(EXAMPLE)


def _with(cfg: LocalityConfig, **changes: object) -> LocalityConfig:
    jcc = cfg.body_by_id("jcc")
    quorum = changes.pop("quorum", jcc.quorum)
    body = jcc.model_copy(update={"quorum": quorum, **changes})
    return cfg.model_copy(update={"body": tuple(body if b.id == "jcc" else b
                                                for b in cfg.body)})


def _present(cfg: LocalityConfig, ids: list[str]) -> list[Attendee]:
    return [Attendee(m, cfg.member_by_id(m).partner, "member") for m in ids]


def test_quorum_counts_attending_members_only_where_the_terms_say(cfg: LocalityConfig) -> None:
    jcc = cfg.body_by_id("jcc")
    q = quorum_for_item(jcc, cfg, _present(cfg, PRESENT), ())
    assert q.quorate and "trust_ceo" in q.counted
    strict = _with(cfg, quorum=jcc.quorum.model_copy(update={"attending_count": False}))
    q = quorum_for_item(strict.body_by_id("jcc"), strict, _present(strict, PRESENT), ())
    assert not q.quorate
    assert "needs 7 members, 5 can count" in q.explain()
    assert "which does not pool" in q.not_counted["trust_finance"]
    # min_per_partner (2) is asked of the pooling partners: no trust member needed
    q = quorum_for_item(jcc, cfg, _present(cfg, [*PRESENT[:5], "exec_children", "dph"]), ())
    assert q.quorate


def test_attending_members_do_not_vote_or_object_unless_the_terms_say(
        cfg: LocalityConfig) -> None:
    for rule, kw in (("consensus", {"objections": ("trust_ceo",)}),
                     ("majority", {"votes": {"leader": "for", "trust_ceo": "against"}})):
        c = _with(cfg, decision_rule=rule)
        with pytest.raises(RuleRefused, match=r"Foundation Trust \(trust_ceo\) attend for "
                                              "Bolton NHS Foundation Trust, which does not pool"):
            decide(c.body_by_id("jcc"), c, _present(c, PRESENT), "leader", **kw)  # type: ignore[arg-type]
    c = _with(cfg, decision_rule="consensus")
    out = decide(c.body_by_id("jcc"), c, _present(c, PRESENT), "leader")
    assert out.result == "agreed" and "trust_ceo" not in out.tally["eligible"]
    voting = _with(cfg, decision_rule="majority", attending_vote=True)
    out = decide(voting.body_by_id("jcc"), voting, _present(voting, PRESENT), "leader",
                 votes={"leader": "for", "trust_ceo": "for", "ccg_chair": "against"})
    assert out.result == "agreed"
    assert voting_partners(cfg.body_by_id("jcc"), cfg) == ["council", "ccg"]
    assert voting_partners(voting.body_by_id("jcc"), voting) == ["council", "ccg", "trust"]


def test_referral_and_delegation_go_to_pooling_partners_only(cfg: LocalityConfig) -> None:
    jcc = cfg.body_by_id("jcc")
    assert referral_bodies(cfg, jcc, None) == ["cabinet", "ccg_board"]
    assert delegation_route(cfg, jcc, Decimal("30000000")) == ["cabinet", "ccg_board"]
