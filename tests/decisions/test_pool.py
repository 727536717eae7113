"""The pool: Bolton's £159.9m over five lines with one 'tbc' (file 003), the 50:50 risk share,
and budget monitoring in file 004's shape (budget, forecast outturn, variance, %)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from decisions.errors import InvalidInput
from decisions.pool import (
    VarianceLine,
    parse_variance_csv,
    pool_totals,
    risk_shares,
    variance_report,
)
from decisions.terms import LocalityConfig, Pool, PoolLine

HEADER = ("Budget Monitoring results by Service,2019/20 Budget (£000's),"
          "Forecast Outturn (£000's),Forecast Variance (£000's),Percent-age\n")
BOLTON_MONITORING = HEADER + """\
Adult Community (health and care) including End of Life & Hospices,"51,900","53,100","1,200",2.3%
Adult Mental Health community,"18,500","18,500",0,0.0%
Care Homes and Home Care Supported Living,"59,700","59,421",(279),(0.5)%
Adult Learning Disability,"24,200","24,458",258,1.1%
Remaining BCF,"5,600","5,600",0,0.0%
Total Service Budgets,"159,900","161,079","1,179",0.7%
"""


def test_bolton_pool_totals_159_9m_split_50_50(config: LocalityConfig) -> None:
    totals = pool_totals(config.pool)
    assert totals.total == Decimal("159900000")
    assert totals.by_partner == {"council": Decimal("79950000"), "ccg": Decimal("79950000")}
    assert totals.tbc_lines == ("population_health",)
    assert risk_shares(config.pool) == {"council": Decimal("0.5"), "ccg": Decimal("0.5")}


def test_fixed_risk_share(config: LocalityConfig) -> None:
    fixed = config.pool.model_copy(update={"risk_share": {"council": Decimal("0.6"),
                                                          "ccg": Decimal("0.4")}})
    assert risk_shares(fixed) == {"council": Decimal("0.6"), "ccg": Decimal("0.4")}


def test_variance_table_gives_each_partner_its_share(config: LocalityConfig) -> None:
    rows = parse_variance_csv(BOLTON_MONITORING, "p6.csv", config.pool)
    assert len(rows) == 5  # the Total row is left out
    assert rows[2] == VarianceLine("Care Homes and Home Care Supported Living",
                                   Decimal("59700000"), Decimal("59421000"))
    report = variance_report(config.pool, rows)
    assert report.budget == Decimal("159900000")
    assert report.forecast_outturn == Decimal("161079000")
    assert report.variance == Decimal("1179000")
    assert report.percent == Decimal("0.7")
    assert report.position == "overspend"
    assert report.partner_variance == {"council": Decimal("589500.00"),
                                       "ccg": Decimal("589500.00")}
    by_line = {r.line_id: (r.variance, r.percent) for r in report.rows}
    assert by_line["adult_community"] == (Decimal("1200000"), Decimal("2.3"))
    assert by_line["care_homes"] == (Decimal("-279000"), Decimal("-0.5"))
    assert by_line["learning_disability"] == (Decimal("258000"), Decimal("1.1"))


def test_file_004_trafford_columns_are_reproduced() -> None:
    """The Trafford Council table (file 004, period 6, £000's): variance and % per service."""
    services = ["Children's Services", "Adult Services (Inc. Public Health)",
                "Economic Growth, Environment & Infrastructure", "Transformation & Resources"]
    pool = Pool(name="Trafford", financial_year="2016/17", host="council",
                risk_share={"council": Decimal("0.5"), "ccg": Decimal("0.5")},
                line=tuple(PoolLine(id=f"s{i}", service=s, lead="council",
                                    contributions="tbc") for i, s in enumerate(services)))
    table = [(29_911, 32_233), (46_652, 46_910), (32_198, 31_919), (16_939, 16_239)]
    report = variance_report(pool, [VarianceLine(s, Decimal(b), Decimal(f))
                                    for s, (b, f) in zip(services, table, strict=True)])
    assert [(r.variance, r.percent) for r in report.rows] == [
        (Decimal(2322), Decimal("7.8")), (Decimal(258), Decimal("0.6")),
        (Decimal(-279), Decimal("-0.9")), (Decimal(-700), Decimal("-4.1"))]
    assert (report.budget, report.forecast_outturn, report.variance, report.percent) == (
        Decimal(125_700), Decimal(127_301), Decimal(1_601), Decimal("1.3"))
    assert report.partner_variance == {"council": Decimal("800.50"), "ccg": Decimal("800.50")}


def test_underspend_is_shared_too(config: LocalityConfig) -> None:
    report = variance_report(config.pool, [VarianceLine("remaining_bcf", Decimal(5_600_000),
                                                        Decimal(5_000_000))])
    assert report.position == "underspend"
    assert report.partner_variance["ccg"] == Decimal("-300000.00")


@pytest.mark.parametrize(("text", "message"), [
    ("Service,Budget\nRemaining BCF,100\n",
     "p6.csv: row 1 (header): missing column(s) forecast_outturn"),
    ("Service,Budget,Forecast Outturn\nDentistry,100,120\n",
     "p6.csv: row 2, column service: 'Dentistry' is not a pool line"),
    ("Service,Budget,Forecast Outturn\nRemaining BCF,100,120\nAdult Learning Disability,"
     "lots,120\n", "p6.csv: row 3, column budget: 'lots' is not a number"),
    ("Service,Budget,Forecast Outturn,Variance\nRemaining BCF,100,120,30\n",
     "p6.csv: row 2, column variance: '30' does not equal forecast outturn minus budget"),
    ("", "p6.csv: the file is empty"),
])
def test_bad_variance_files_name_the_file_row_column_and_value(
        config: LocalityConfig, text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_variance_csv(text, "p6.csv", config.pool)
    assert str(err.value).startswith(message)


def test_pound_columns_and_line_ids(config: LocalityConfig) -> None:
    rows = parse_variance_csv("line,budget,forecast_outturn\nremaining_bcf,"
                              "\"£5,600,000\",5650000.50\n", "x.csv", config.pool)
    assert rows == [VarianceLine("remaining_bcf", Decimal(5_600_000), Decimal("5650000.50"))]
    with pytest.raises(InvalidInput, match="appears twice"):
        variance_report(config.pool, rows * 2)
