"""Key decisions (SI 2012/2089 regs 8-12) and call-in (Local Government Act 2000 s9F)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from decisions.calendar import WorkingCalendar
from decisions.errors import RuleRefused
from decisions.key_decisions import (
    DecisionRecordFields,
    call_in_expires,
    check_key_decision,
    forward_plan_deadline,
    is_key_decision,
)
from decisions.terms import Deadlines, LocalityConfig

CABINET_DAY = date(2019, 9, 16)  # the third Monday of September 2019


def test_key_decision_threshold_and_wards(config: LocalityConfig) -> None:
    cabinet, jcc = config.body_by_id("cabinet"), config.body_by_id("jcc")
    assert is_key_decision(cabinet, Decimal(600_000))
    assert not is_key_decision(cabinet, Decimal(500_000))
    assert is_key_decision(cabinet, Decimal(-750_000))  # a saving counts too
    assert is_key_decision(cabinet, None, wards_affected=2)
    assert not is_key_decision(jcc, Decimal(5_000_000))  # not an executive body


def test_28_clear_days_notice_or_refusal(config: LocalityConfig, cal: WorkingCalendar) -> None:
    cabinet = config.body_by_id("cabinet")
    assert forward_plan_deadline(CABINET_DAY, cabinet, cal) == date(2019, 8, 18)
    check_key_decision(CABINET_DAY, cabinet, cal, forward_plan_published=date(2019, 8, 18),
                       exception=None)
    with pytest.raises(RuleRefused) as err:
        check_key_decision(CABINET_DAY, cabinet, cal, forward_plan_published=date(2019, 8, 19),
                           exception=None)
    assert err.value.rule == "SI 2012/2089 reg 9 (key decision notice)"
    assert ("the forward-plan notice was published on 19 Aug 2019, 27 clear calendar days "
            "before the decision on 16 Sep 2019") in str(err.value)
    assert "(by 18 Aug 2019)" in str(err.value)
    with pytest.raises(RuleRefused, match="no forward-plan notice was published"):
        check_key_decision(CABINET_DAY, cabinet, cal, forward_plan_published=None,
                           exception=None)


def test_working_day_counting_when_configured(config: LocalityConfig,
                                              cal: WorkingCalendar) -> None:
    cabinet = config.body_by_id("cabinet").model_copy(
        update={"deadlines": Deadlines(forward_plan_calendar_days=False)})
    latest = forward_plan_deadline(CABINET_DAY, cabinet, cal)
    assert latest == date(2019, 8, 5)  # 28 clear working days; 26 August was a bank holiday
    check_key_decision(CABINET_DAY, cabinet, cal, forward_plan_published=latest, exception=None)
    with pytest.raises(RuleRefused, match="27 clear working days"):
        check_key_decision(CABINET_DAY, cabinet, cal, forward_plan_published=date(2019, 8, 6),
                           exception=None)


def test_general_exception_needs_five_clear_days_after_telling_scrutiny(
        config: LocalityConfig, cal: WorkingCalendar) -> None:
    cabinet = config.body_by_id("cabinet")
    check_key_decision(CABINET_DAY, cabinet, cal, forward_plan_published=None,
                       exception="general_exception", scrutiny_chair_notified=date(2019, 9, 6))
    with pytest.raises(RuleRefused) as err:
        check_key_decision(CABINET_DAY, cabinet, cal, forward_plan_published=None,
                           exception="general_exception",
                           scrutiny_chair_notified=date(2019, 9, 9))
    assert err.value.rule == "SI 2012/2089 reg 10 (general exception)"
    assert "4 clear working days" in str(err.value)
    assert "the earliest date is 17 Sep 2019" in str(err.value)
    with pytest.raises(RuleRefused, match="needs the date the chair of the overview"):
        check_key_decision(CABINET_DAY, cabinet, cal, forward_plan_published=None,
                           exception="general_exception")


def test_special_urgency_needs_the_scrutiny_chairs_agreement(
        config: LocalityConfig, cal: WorkingCalendar) -> None:
    cabinet = config.body_by_id("cabinet")
    with pytest.raises(RuleRefused, match="reg 11"):
        check_key_decision(CABINET_DAY, cabinet, cal, forward_plan_published=None,
                           exception="special_urgency")
    check_key_decision(CABINET_DAY, cabinet, cal, forward_plan_published=None,
                       exception="special_urgency", scrutiny_chair_agreed=True)


def test_call_in_window(config: LocalityConfig, cal: WorkingCalendar) -> None:
    cabinet = config.body_by_id("cabinet")
    assert call_in_expires(CABINET_DAY, cabinet, cal) == date(2019, 9, 23)
    # Over Christmas: Fri 20 Dec 2019 + 5 working days is Tue 31 Dec.
    assert call_in_expires(date(2019, 12, 20), cabinet, cal) == date(2019, 12, 31)


def test_decision_record_names_the_missing_reg_12_fields() -> None:
    record = DecisionRecordFields("Approve the £159.9m pooled budget", date(2019, 4, 15),
                                  "", "", ("leader: non-pecuniary, governor",))
    assert record.missing_fields() == ["reasons", "alternatives_rejected"]
    with pytest.raises(RuleRefused, match="missing: reasons, alternatives_rejected"):
        record.validate()
    DecisionRecordFields("Approve", date(2019, 4, 15), "Better outcomes",
                         "Aligned budgets: rejected, no shared risk").validate()
    assert DecisionRecordFields("", None, "r", "a").missing_fields() == \
        ["decision", "decision_date"]
