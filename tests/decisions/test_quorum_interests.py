"""Quorum per item (total and per partner), interests and dispensations, substitutes."""

from __future__ import annotations

import pytest

from decisions.errors import InvalidInput, RuleRefused
from decisions.interests import (
    Declaration,
    excluded_from_item,
    validate_declaration,
)
from decisions.quorum import Attendee, quorum_for_item
from decisions.terms import LocalityConfig

COUNCIL = ["leader", "dass", "s151"]
CCG = ["ccg_chair", "cfo", "gp_director_1"]


def jcc_present(config: LocalityConfig) -> list[Attendee]:
    return [Attendee(m, config.member_by_id(m).partner, "member") for m in COUNCIL + CCG]


def test_six_members_three_from_each_partner_is_quorate(config: LocalityConfig) -> None:
    result = quorum_for_item(config.body_by_id("jcc"), config, jcc_present(config), set())
    assert result.quorate
    assert result.per_partner == {"council": 3, "ccg": 3}
    assert result.shortfalls == ()


def test_a_declared_interest_makes_the_item_inquorate(config: LocalityConfig) -> None:
    decl = Declaration("gp_director_1", "JCC/2019/07/5", "pecuniary",
                       "Partner in a practice bidding for the community contract", "left_room")
    validate_declaration(decl)
    excluded = excluded_from_item([decl])
    assert excluded == {"gp_director_1"}
    result = quorum_for_item(config.body_by_id("jcc"), config, jcc_present(config), excluded)
    assert not result.quorate
    assert result.shortfalls == (
        "needs 6 members, 5 can count: Dr Colin Mercer, GP Board Director (1) does not count "
        "(declared an interest in this item)",
        "needs 3 from NHS Bolton CCG, 2 can count",
    )
    assert result.per_partner == {"council": 3, "ccg": 2}
    assert result.explain().startswith("inquorate: needs 6 members, 5 can count")


def test_a_dispensation_lets_the_member_take_part_and_count(config: LocalityConfig) -> None:
    decl = Declaration("gp_director_1", "JCC/2019/07/5", "pecuniary", "GP partner",
                       "took_part", dispensation_by="Audit Committee",
                       dispensation_reason="without it the item would be inquorate (s33(2)(a))")
    validate_declaration(decl)
    assert excluded_from_item([decl]) == frozenset()
    assert quorum_for_item(config.body_by_id("jcc"), config, jcc_present(config),
                           excluded_from_item([decl])).quorate
    assert "under a dispensation granted by Audit Committee" in decl.minute()


def test_pecuniary_interest_without_dispensation_cannot_take_part() -> None:
    decl = Declaration("cfo", "JCC/1", "pecuniary", "Spouse employed by provider", "took_part")
    with pytest.raises(RuleRefused) as err:
        validate_declaration(decl)
    assert err.value.rule == "Localism Act 2011 s31(4) and s33"
    assert "cfo has a pecuniary interest in item JCC/1" in str(err.value)
    validate_declaration(Declaration("cfo", "JCC/1", "non_pecuniary", "Trustee of a charity",
                                     "took_part"))
    with pytest.raises(InvalidInput, match="managed: 'abstained' is not valid"):
        validate_declaration(Declaration("cfo", "JCC/1", "indirect", "x", "abstained"))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="give both who granted it"):
        validate_declaration(Declaration("cfo", "JCC/1", "indirect", "x", "took_part",
                                         dispensation_by="Audit Committee"))


def test_named_substitute_counts_in_the_members_place(config: LocalityConfig) -> None:
    jcc = config.body_by_id("jcc")
    present = [a for a in jcc_present(config) if a.member_id != "dass"]
    sub = Attendee("director_people", "council", "substitute", substitute_for="dass")
    result = quorum_for_item(jcc, config, [*present, sub], set())
    assert result.quorate and "director_people" in result.counted
    wrong = Attendee("exec_resources", "council", "substitute", substitute_for="dass")
    result = quorum_for_item(jcc, config, [*present, wrong], set())
    assert not result.quorate
    assert result.not_counted["exec_resources"] == (
        "not the named substitute for Rachel Tanner, Statutory Director of Adult Social "
        "Services (named: Margaret Asquith, Director of People)")
    # Substitutes do not count where the terms of reference do not allow them.
    no_subs = jcc.model_copy(update={"substitutes_allowed": False})
    result = quorum_for_item(no_subs, config, [*present, sub], set())
    assert "do not allow substitutes" in result.not_counted["director_people"]


def test_officers_in_attendance_never_count(config: LocalityConfig) -> None:
    present = [a for a in jcc_present(config) if a.member_id != "s151"]
    officer = Attendee("director_people", "council", "in_attendance")
    result = quorum_for_item(config.body_by_id("jcc"), config, [*present, officer], set())
    assert not result.quorate
    assert result.not_counted == {"director_people": "in attendance only"}
    assert "needs 3 from Bolton Council, 2 can count" in result.shortfalls
