"""Chairs: a fixed chair with a vice-chair; the JCC's co-chairs rotating meeting by meeting
(file 003) over twelve meetings with apologies, in both advance modes."""

from __future__ import annotations

from datetime import date

import pytest

from decisions.calendar import WorkingCalendar
from decisions.chairs import ChairRecord, chair_for_item, chair_for_meeting
from decisions.errors import RuleRefused
from decisions.meetings import scheduled_meetings
from decisions.terms import LocalityConfig

L, C = "leader", "ccg_chair"


def run_year(config: LocalityConfig, cal: WorkingCalendar, mode: str,
             apologies: dict[int, set[str]]) -> list[tuple[str, str]]:
    body = config.body_by_id("jcc").model_copy(update={"rotation_advances_by": mode})
    meetings = scheduled_meetings(body, date(2019, 4, 1), date(2020, 3, 31), cal,
                                  "Europe/London")
    assert len(meetings) == 12
    history: list[ChairRecord] = []
    for n, _meeting in enumerate(meetings, start=1):
        choice = chair_for_meeting(body, history, apologies.get(n, set()))
        history.append(ChairRecord(choice.due, choice.chair))
    return [(r.due, r.chair) for r in history]


def test_rotation_advances_with_every_meeting_held(config: LocalityConfig,
                                                   cal: WorkingCalendar) -> None:
    seq = run_year(config, cal, "meeting_held", {3: {L}, 8: {C}, 9: {L}})
    assert seq == [(L, L), (C, C), (L, C), (C, C), (L, L), (C, C),
                   (L, L), (C, L), (L, C), (C, C), (L, L), (C, C)]


def test_rotation_advances_only_when_the_due_chair_served(config: LocalityConfig,
                                                          cal: WorkingCalendar) -> None:
    seq = run_year(config, cal, "chair_served", {3: {L}, 7: {C}, 8: {C}})
    assert seq == [(L, L), (C, C), (L, C), (L, L), (C, C), (L, L),
                   (C, L), (C, L), (C, C), (L, L), (C, C), (L, L)]


def test_reasons_say_who_chairs_and_why(config: LocalityConfig) -> None:
    jcc = config.body_by_id("jcc")
    choice = chair_for_meeting(jcc, [], {L})
    assert choice.reason == ("leader sent apologies, so the co-chair, ccg_chair, chairs; "
                             "the rotation moves on as usual")
    served = jcc.model_copy(update={"rotation_advances_by": "chair_served"})
    assert chair_for_meeting(served, [], {L}).reason.endswith(
        "leader is due again at the next meeting")


def test_both_co_chairs_absent_is_refused(config: LocalityConfig) -> None:
    with pytest.raises(RuleRefused) as err:
        chair_for_meeting(config.body_by_id("jcc"), [ChairRecord(L, L)], {L, C})
    assert "ccg_chair, leader all sent apologies" in str(err.value)
    assert err.value.rule == "terms of reference of the Joint Commissioning Committee (chairing)"


def test_fixed_chair_and_vice_chair(config: LocalityConfig) -> None:
    cabinet = config.body_by_id("cabinet")
    assert chair_for_meeting(cabinet, [], set()).chair == "leader"
    choice = chair_for_meeting(cabinet, [ChairRecord("leader", "leader")], {"leader"})
    assert (choice.due, choice.chair) == ("leader", "exec_adults")
    assert choice.reason == "leader sent apologies, so the vice-chair, exec_adults, chairs"
    with pytest.raises(RuleRefused):
        chair_for_meeting(cabinet, [], {"leader", "exec_adults"})


def test_a_chair_with_an_interest_hands_the_item_over(config: LocalityConfig) -> None:
    jcc, cabinet = config.body_by_id("jcc"), config.body_by_id("cabinet")
    present = {L, C, "cfo", "dass"}
    assert chair_for_item(jcc, L, set(), present) == L
    assert chair_for_item(jcc, L, {L}, present) == C
    assert chair_for_item(cabinet, "leader", {"leader"}, {"leader", "exec_adults"}) == \
        "exec_adults"
    with pytest.raises(RuleRefused, match="Localism Act 2011 s31"):
        chair_for_item(jcc, L, {L, C}, present)
    with pytest.raises(RuleRefused, match="no co-chair or vice-chair without an interest"):
        chair_for_item(jcc, L, {L}, {L, "cfo"})


@pytest.mark.parametrize("mode", ["meeting_held", "chair_served"])
def test_next_record_and_advance_run_the_history_forward(config: LocalityConfig,
                                                         mode: str) -> None:
    """next_record is the record chair_for_meeting's choice adds (from the last record only),
    and advance(k) is next_record applied k times without apologies, from any last record:
    for the rotating JCC in both modes, a fixed chair, and a body with neither."""
    from decisions.chairs import advance, next_record

    jcc = config.body_by_id("jcc").model_copy(update={"rotation_advances_by": mode,
                                                      "vice_chair": None})
    fixed = next(b for b in config.body if not b.chair_rotation and b.chair)
    bodies = [jcc, fixed, fixed.model_copy(update={"chair": None})]
    lasts = [None, ChairRecord(L, L), ChairRecord(L, C), ChairRecord(C, L),
             ChairRecord("someone_else", "someone_else")]
    for body in bodies:
        for last in lasts:
            for away in (set(), {L}, {C}, {L, C}):
                try:
                    choice = chair_for_meeting(body, [last] if last else [], away)
                    want: ChairRecord | None = ChairRecord(choice.due, choice.chair)
                except RuleRefused:
                    want = last
                assert next_record(body, last, away) == want
            step = last
            for k in range(7):
                assert advance(body, last, k) == step
                step = next_record(body, step, ())
