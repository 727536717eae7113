"""Consensus and its referral (file 003 para 4.4), majority with the casting vote, one block
vote per partner, and the scheme of delegation."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from decisions.agenda_rules import end_of_day_utc, item_deadline
from decisions.calendar import WorkingCalendar
from decisions.delegation import delegation_message, delegation_route, within_delegation
from decisions.errors import InvalidInput, RuleRefused
from decisions.meetings import scheduled_meetings
from decisions.quorum import Attendee
from decisions.referral import MeetingSlot, next_open_meeting, referral_bodies, referral_reason
from decisions.terms import LocalityConfig
from decisions.voting import decide

TZ = "Europe/London"


def attendees(config: LocalityConfig, ids: list[str]) -> list[Attendee]:
    return [Attendee(m, config.member_by_id(m).partner, "member") for m in ids]


JCC_PRESENT = ["leader", "dass", "s151", "ccg_chair", "cfo", "gp_director_1"]


def slots(config: LocalityConfig, cal: WorkingCalendar, body_id: str) -> list[MeetingSlot]:
    body = config.body_by_id(body_id)
    return [MeetingSlot(i, body_id, m.starts_at,
                        end_of_day_utc(item_deadline(m.local_date, body, cal), TZ))
            for i, m in enumerate(scheduled_meetings(body, date(2019, 4, 1), date(2020, 3, 31),
                                                     cal, TZ), start=1)]


def test_consensus_agreed_when_nobody_objects(config: LocalityConfig) -> None:
    out = decide(config.body_by_id("jcc"), config, attendees(config, JCC_PRESENT), "leader")
    assert out.result == "agreed" and out.rule == "consensus"
    assert out.explanation.startswith("Agreed by consensus of the 6 eligible members present")


def test_consensus_failure_on_a_ccg_led_line_goes_to_the_ccg_boards_next_open_meeting(
        config: LocalityConfig, cal: WorkingCalendar) -> None:
    jcc = config.body_by_id("jcc")
    out = decide(jcc, config, attendees(config, JCC_PRESENT), "leader", objections={"cfo"})
    assert out.result == "no_consensus"
    assert out.tally["objections"] == ["cfo"]
    assert "Annette Walker, Chief Financial Officer, objected" in out.explanation
    targets = referral_bodies(config, jcc, ["adult_community"])
    assert targets == ["ccg_board"]
    # The JCC meets on Wed 11 Sep 2019 at 14:00 (13:00 UTC). The CCG Board's September meeting
    # (Fri 27 Sep) takes items until the end of Fri 13 Sep, so the referral goes there.
    now = datetime(2019, 9, 11, 15, 0, tzinfo=UTC)
    board = slots(config, cal, "ccg_board")
    chosen = next_open_meeting(board, "ccg_board", now)
    assert chosen is not None
    assert chosen.starts_at == datetime(2019, 9, 27, 8, 30, tzinfo=UTC)
    assert chosen.item_deadline == datetime(2019, 9, 13, 23, 0, tzinfo=UTC)
    # From an extraordinary JCC on Mon 16 Sep, September's deadline has passed: Fri 25 Oct.
    later = next_open_meeting(board, "ccg_board", datetime(2019, 9, 16, 12, 0, tzinfo=UTC))
    assert later is not None and later.starts_at == datetime(2019, 10, 25, 8, 30, tzinfo=UTC)
    assert next_open_meeting(board, "cabinet", now) is None
    assert "Referred by Joint Commissioning Committee to CCG Board" in referral_reason(
        config, jcc, ["adult_community"], "ccg_board")


def test_several_partners_lines_or_the_whole_pool_go_to_every_partner(
        config: LocalityConfig) -> None:
    jcc = config.body_by_id("jcc")
    assert referral_bodies(config, jcc, ["care_homes"]) == ["cabinet"]
    assert referral_bodies(config, jcc, ["adult_community", "care_homes"]) == \
        ["cabinet", "ccg_board"]
    assert referral_bodies(config, jcc, None) == ["cabinet", "ccg_board"]
    with pytest.raises(InvalidInput, match="lines: dentistry not in the pool"):
        referral_bodies(config, jcc, ["dentistry"])


def test_an_objection_from_someone_not_eligible_is_rejected(config: LocalityConfig) -> None:
    with pytest.raises(InvalidInput, match=r"objection: Dr Helen Lowey, Director of Public "
                                           r"Health \(dph\) may not take part"):
        decide(config.body_by_id("jcc"), config, attendees(config, JCC_PRESENT), "leader",
               objections={"dph"})


def test_majority_with_the_chairs_casting_vote(config: LocalityConfig) -> None:
    board = config.body_by_id("ccg_board")
    present = attendees(config, ["ccg_chair", "accountable_officer", "cfo", "gp_director_1"])
    votes = {"ccg_chair": "for", "accountable_officer": "for", "cfo": "against",
             "gp_director_1": "against"}
    with pytest.raises(RuleRefused, match=r"record the chair's \(Dr Wirin Bhatiani, Chair of "
                                          r"the CCG\) casting vote"):
        decide(board, config, present, "ccg_chair", votes=votes)  # type: ignore[arg-type]
    out = decide(board, config, present, "ccg_chair", votes=votes,  # type: ignore[arg-type]
                 casting="for")
    assert out.result == "agreed"
    assert out.explanation == ("Agreed on the chair's casting vote: the vote was tied (2 for, "
                               "2 against, 0 abstentions) and the chair, Dr Wirin Bhatiani, "
                               "Chair of the CCG, gave a "
                               "casting vote for.")
    assert out.tally["casting_vote"] == {"chair": "ccg_chair", "position": "for"}
    votes["gp_director_1"] = "for"
    out = decide(board, config, present, "ccg_chair", votes=votes)  # type: ignore[arg-type]
    assert (out.result, out.tally["for"], out.tally["against"]) == ("agreed", 3, 1)


def test_a_tie_falls_without_a_casting_vote(config: LocalityConfig) -> None:
    cabinet = config.body_by_id("cabinet")
    present = attendees(config, ["leader", "exec_adults", "exec_children", "exec_resources"])
    votes = {"leader": "for", "exec_adults": "against", "exec_children": "abstain"}
    out = decide(cabinet, config, present, "leader", votes=votes)  # type: ignore[arg-type]
    assert out.result == "not_agreed"
    assert "give the chair no casting vote" in out.explanation
    assert out.tally["did_not_vote"] == ["exec_resources"]
    with pytest.raises(InvalidInput, match="votes: missing"):
        decide(cabinet, config, present, "leader")


def test_one_block_vote_per_partner(config: LocalityConfig) -> None:
    jcc = config.body_by_id("jcc").model_copy(update={"decision_rule": "one_vote_per_partner"})
    present = attendees(config, JCC_PRESENT)
    out = decide(jcc, config, present, "leader", partner_votes={"council": "for", "ccg": "for"})
    assert out.result == "agreed" and out.rule == "one_vote_per_partner"
    out = decide(jcc, config, present, "leader",
                 partner_votes={"council": "for", "ccg": "against"})
    assert out.result == "no_consensus"
    assert "NHS Bolton CCG voted against" in out.explanation
    # A partner present without a recorded block vote is refused, naming it (issue 13).
    with pytest.raises(InvalidInput, match=r"no block vote recorded for NHS Bolton CCG \(ccg\); "
                                           r".* \(Bolton Council \(council\), NHS Bolton CCG "
                                           r"\(ccg\)\)"):
        decide(jcc, config, present, "leader", partner_votes={"council": "for"})
    council_only = attendees(config, ["leader", "dass"])
    with pytest.raises(InvalidInput, match=r"partner_votes\.ccg: no eligible member of NHS "
                                           r"Bolton CCG"):
        decide(jcc, config, council_only, "leader",
               partner_votes={"council": "for", "ccg": "for"})


def test_above_the_delegated_limit_goes_to_every_sovereign_body(config: LocalityConfig) -> None:
    jcc = config.body_by_id("jcc")
    assert within_delegation(jcc, Decimal(20_000_000))
    assert delegation_route(config, jcc, Decimal(20_000_000)) == ["jcc"]
    assert not within_delegation(jcc, Decimal(25_000_000))
    assert delegation_route(config, jcc, Decimal(25_000_000)) == ["cabinet", "ccg_board"]
    assert delegation_message(config, jcc, Decimal(25_000_000)) == (
        "£25,000,000 is above Joint Commissioning Committee's delegated limit of £20,000,000 "
        "under the scheme of delegation, so the decision goes to Council Cabinet and CCG Board.")
    assert delegation_route(config, jcc, None) == ["jcc"]


def test_a_failed_block_vote_is_not_called_a_failure_of_consensus(
        config: LocalityConfig) -> None:
    jcc = config.body_by_id("jcc").model_copy(update={"decision_rule": "one_vote_per_partner"})
    reason = referral_reason(config, jcc, None, "ccg_board")
    assert "the partners' votes did not all agree on a decision affecting the whole pool" \
        in reason
    assert "consensus" not in reason
