"""The proposal lifecycle through the services: every path and every guard message."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from decisions.errors import InvalidInput, RuleRefused
from decisions.terms import LocalityConfig
from s75.db import session_scope
from tests.workflows.wf_helpers import Driver
from workflows.audit import verify_chain
from workflows.proposal import gateways, signing, start_date
from workflows.proposal import lifecycle as proposals
from workflows.proposal.queries import gateway_status
from workflows.proposal.rules import REG7_CHECKLIST


@pytest.fixture
def d(engine: Engine, config: LocalityConfig) -> Driver:
    return Driver(engine, config)


def test_happy_path_to_live_and_a_variation(d: Driver) -> None:
    pid = d.create()
    d.to_signing(pid)
    assert d.state(pid) == "signing"
    d.today = "2019-03-20"
    d.do(signing.record_signature, pid, partner_id="council", signatory_id="director_people")
    assert d.state(pid) == "signing"
    d.do(signing.record_signature, pid, partner_id="ccg", signatory_id="accountable_officer")
    assert d.state(pid) == "live"
    # annual variation: contributions revised, back through every partner's approval
    d.today = "2020-01-10"
    assert d.fire(pid, "vary", reason="Contributions revised for 2020/21") == "variation"
    with pytest.raises(RuleRefused, match="The annual variation needs approval from Bolton "
                                          "Council \\(Council Cabinet\\)"):
        d.fire(pid, "approve_variation")
    d.approve_all(pid)
    assert d.fire(pid, "approve_variation") == "signing"
    with pytest.raises(RuleRefused, match="had to be signed by 2020-03-31 to start on "
                                          "2020-04-01"):
        d.today = "2020-04-02"
        d.do(signing.record_signature, pid, partner_id="council",
             signatory_id="director_people")
    d.today = "2020-03-02"
    for p, who in (("council", "director_people"), ("ccg", "accountable_officer")):
        d.do(signing.record_signature, pid, partner_id=p, signatory_id=who)
    assert d.state(pid) == "live"
    with session_scope(d.engine) as s:
        assert verify_chain(s) is None
        actions = [e.action for e in proposals.history(s, pid)]
    assert actions.count("proposal.go_live") == 2
    assert "proposal.vary" in actions


def test_every_stage_needs_every_partner(d: Driver) -> None:
    pid = d.create()
    d.fire(pid, "submit")
    with pytest.raises(RuleRefused) as err:
        d.fire(pid, "agree_in_principle")
    assert ("needs:\n  - Approval in principle needs approval from Bolton Council (Council "
            "Cabinet)\n  - Approval in principle needs approval from NHS Bolton CCG (CCG "
            "Board)") in str(err.value)
    d.do(proposals.record_approval, pid, partner_id="council", body_id="cabinet",
         meeting_date=date(2018, 9, 3), minute_ref="CAB/1")
    with pytest.raises(RuleRefused) as err:
        d.fire(pid, "agree_in_principle")
    assert "Bolton Council" not in str(err.value)
    assert "needs approval from NHS Bolton CCG (CCG Board)" in str(err.value)
    with pytest.raises(RuleRefused, match="not 'jcc': a joint body may approve only a stage "
                                          "it holds delegated authority for"):
        d.do(proposals.record_approval, pid, partner_id="ccg", body_id="jcc",
             meeting_date=date(2018, 9, 3), minute_ref="JCC/1")
    with pytest.raises(RuleRefused, match="already approved for council by cabinet"):
        d.do(proposals.record_approval, pid, partner_id="council", body_id="cabinet",
             meeting_date=date(2018, 9, 3), minute_ref="CAB/2")
    with pytest.raises(InvalidInput, match="is in the future"):
        d.do(proposals.record_approval, pid, partner_id="ccg", body_id="ccg_board",
             meeting_date=date(2018, 9, 4), minute_ref="CCG/1")


def test_joint_body_with_delegated_authority_may_approve(engine: Engine,
                                                         config: LocalityConfig) -> None:
    bodies = tuple(b.model_copy(update={"delegated_stages": ("heads_of_terms",)})
                   if b.id == "jcc" else b for b in config.body)
    d = Driver(engine, config.model_copy(update={"body": bodies}))
    pid = d.create()
    d.fire(pid, "submit")
    d.approve_all(pid)
    d.fire(pid, "agree_in_principle")
    for partner in ("council", "ccg"):
        d.do(proposals.record_approval, pid, partner_id=partner, body_id="jcc",
             meeting_date=date(2018, 9, 3), minute_ref="JCC/7")
    assert d.fire(pid, "agree_heads_of_terms") == "shadow_operation"


def test_gateways_conditions_pause_and_drafting(d: Driver) -> None:
    pid = d.create()
    d.today = "2018-10-05"
    d.to_shadow(pid)
    d.gateway(pid, "2018-10-30", council="go", ccg="go_with_conditions")
    d.gateway(pid, "2018-12-10", council="pause")  # November missed
    assert d.state(pid) == "paused"
    with session_scope(d.engine) as s:
        paused = [e for e in proposals.history(s, pid) if e.action == "proposal.pause"]
    # the reason is read on the proposal's page and in its history: the partner by name
    assert paused[-1].payload["facts"]["reason"] == "Bolton Council returned pause at the " \
                                                     "December 2018 gateway: because"
    with pytest.raises(RuleRefused, match="paused until council returns go at a gateway"):
        d.fire(pid, "resume")
    d.gateway(pid, "2018-12-11", ccg="go")
    assert d.state(pid) == "paused"
    d.gateway(pid, "2019-01-07", council="go")
    assert d.state(pid) == "shadow_operation"
    with session_scope(d.engine) as s:
        rag = [(m.month.strftime("%Y-%m"), m.rag) for m in
               gateway_status(s, pid, date(2019, 1, 7))]
    assert rag == [("2018-10", "amber"), ("2018-11", "red"), ("2018-12", "amber"),
                   ("2019-01", "due")]
    d.gateway(pid, "2019-01-08", ccg="go")
    d.gateway(pid, "2019-02-08", council="go", ccg="go")
    with pytest.raises(RuleRefused) as err:
        d.fire(pid, "start_drafting")
    text = str(err.value)
    assert "s75 drafting needs 3 consecutive go gateways (every partner go); there are 2 in " \
           "a row; December 2018 was pause (council)" in text
    assert "1 gateway condition(s) still open: #1 'Agree the workforce plan' (owner " \
           "director_transformation, due 2030-01-01)" in text
    d.gateway(pid, "2019-03-08", council="go", ccg="go")
    with pytest.raises(RuleRefused, match="still open"):
        d.fire(pid, "start_drafting")
    d.do(gateways.close_condition, 1, "Agreed")
    with pytest.raises(RuleRefused, match="already closed"):
        d.do(gateways.close_condition, 1)
    assert d.fire(pid, "start_drafting") == "s75_drafting"
    with pytest.raises(RuleRefused) as err:
        d.fire(pid, "submit_agreement")
    assert "not yet marked present: aims_and_outcomes (the aims and outcomes" in str(err.value)
    missing = d.do(signing.mark_checklist, pid, list(REG7_CHECKLIST)[:-1])
    assert missing == ["reports_and_returns"]
    with pytest.raises(RuleRefused, match="not yet marked present: reports_and_returns "
                                          "\\(quarterly reports and an annual return"):
        d.fire(pid, "submit_agreement")


def test_gateway_input_errors_and_stop(d: Driver) -> None:
    pid = d.create()
    with pytest.raises(RuleRefused, match="gateways are held only in shadow operation"):
        d.gateway(pid, "2018-09-03", council="go")
    d.today = "2018-10-05"
    d.to_shadow(pid)
    with pytest.raises(InvalidInput, match="'maybe' is not a gateway return; expected one of "
                                           "go, go_with_conditions, pause, stop"):
        d.gateway(pid, "2018-10-06", council="maybe")
    with pytest.raises(InvalidInput, match="a go_with_conditions return needs at least one"):
        d.do(gateways.record_return, pid, partner_id="ccg", decision="go_with_conditions",
             reasons="x")
    with pytest.raises(InvalidInput, match="a stop return needs the partner's reasons"):
        d.do(gateways.record_return, pid, partner_id="ccg", decision="stop")
    with pytest.raises(InvalidInput, match="'nobody' is not a member id"):
        d.do(gateways.record_return, pid, partner_id="ccg", decision="go_with_conditions",
             reasons="x", conditions=(gateways.ConditionSpec("t", "nobody", date(2019, 1, 1)),))
    d.gateway(pid, "2018-10-06", ccg="stop")
    assert d.state(pid) == "stopped"
    with pytest.raises(RuleRefused, match="none \\(it is a final state\\)"):
        d.fire(pid, "resume")


def test_signing_rules(d: Driver) -> None:
    pid = d.create()
    d.to_signing(pid)
    d.today = "2019-03-20"
    with pytest.raises(RuleRefused, match="Bolton Council signs by its authorised signatory, "
                                          "Director of People \\(director_people\\), not "
                                          "'leader'"):
        d.do(signing.record_signature, pid, partner_id="council", signatory_id="leader")
    with pytest.raises(RuleRefused, match="the agreement needs signing for Bolton Council "
                                          "\\(Director of People\\), NHS Bolton CCG"):
        d.fire(pid, "go_live")
    d.today = "2019-04-03"
    with pytest.raises(RuleRefused, match="refused unless a recorded decision moves the start"):
        d.do(signing.record_signature, pid, partner_id="council", signatory_id="director_people")
    for body, minute in (("cabinet", "CAB/19/4"), ("ccg_board", "CCG/19/4")):  # each partner
        d.do(start_date.move_start, pid, new_start=date(2019, 7, 1), body_id=body,
             meeting_date=date(2019, 4, 3), minute_ref=minute)
    d.do(signing.record_signature, pid, partner_id="council", signatory_id="director_people")
    with pytest.raises(RuleRefused, match="already signed for Bolton Council"):
        d.do(signing.record_signature, pid, partner_id="council", signatory_id="director_people")
    d.do(signing.record_signature, pid, partner_id="ccg", signatory_id="accountable_officer")
    assert d.state(pid) == "live"


def test_withdraw_needs_a_reason(d: Driver) -> None:
    pid = d.create()
    with pytest.raises(RuleRefused, match="a reason \\(--reason"):
        d.fire(pid, "withdraw")
    assert d.fire(pid, "withdraw", reason="Superseded by the ICS plan") == "withdrawn"
