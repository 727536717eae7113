"""`check-config` parses what it checks: the time zone by the time-zone database, month-days
by parsing them as dates, meeting rules by parsing the recurrence rule, and the signing
deadline against the financial year start; every problem at once, exit 2, naming key and value."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config.toml"


def _with(tmp_path: Path, *subs: tuple[str, str]) -> str:
    text = CONFIG.read_text()
    for pattern, new in subs:
        text, n = re.subn(pattern, new, text, count=1, flags=re.M)
        assert n == 1, pattern
    out = tmp_path / "locality.toml"
    out.write_text(text)
    return str(out)


def test_every_parsing_problem_is_reported_together(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _with(tmp_path,
                 (r'^timezone = .*$', 'timezone = "Europe/Londn"'),
                 (r'^financial_year_start = .*$', 'financial_year_start = "13-45"'),
                 (r'^signing_deadline = .*$', 'signing_deadline = "02-30"'),
                 (r'BYDAY=3MO', 'BYDAY=9ZZ'),
                 (r'BYDAY=-1FR', 'BYMONTH=2;BYMONTHDAY=31'))
    r = cli("check-config", path)
    assert r.code == 2, r.text
    assert "5 problem(s)" in r.err
    assert ("locality.timezone: 'Europe/Londn' is not valid; expected an IANA time zone name "
            "such as 'Europe/London'") in r.err
    assert ("locality.financial_year_start: '13-45' is not valid; expected a month-day MM-DD "
            "that exists in every year, such as '04-01'; there is no month 13") in r.err
    assert "locality.signing_deadline: '02-30' is not valid" in r.err
    assert "month 2 has no day 30 every year" in r.err
    assert ("body[0].meetings.rule: 'FREQ=MONTHLY;BYDAY=9ZZ' is not valid; expected an RFC 5545 "
            "rule such as 'FREQ=MONTHLY;BYDAY=2WE' (invalid 'BYDAY': 9ZZ)") in r.err
    assert "body[1].meetings.rule" in r.err and "gives no meeting in five years" in r.err
    assert "Traceback" not in r.text and "bug" not in r.text


def test_leap_day_is_refused_as_a_month_day(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("check-config", _with(tmp_path, (r'^signing_deadline = .*$',
                                             'signing_deadline = "02-29"')))
    assert r.code == 2
    assert "locality.signing_deadline: '02-29' is not valid" in r.err


def test_signing_deadline_on_the_start_day_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("check-config", _with(tmp_path, (r'^signing_deadline = .*$',
                                             'signing_deadline = "04-01"')))
    assert r.code == 2, r.text
    assert ("locality.signing_deadline: '04-01' is not valid; a month-day before the financial "
            "year start (locality.financial_year_start = '04-01')") in r.err


def test_member_on_a_body_their_partner_is_not_part_of_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _with(tmp_path, (r'^bodies = \["ccg_board", "sbpb", "jcc"\]$',
                            'bodies = ["ccg_board", "sbpb", "jcc", "cabinet"]'))
    r = cli("check-config", path)
    assert r.code == 2, r.text
    assert ("bodies[3]: 'cabinet' is not valid; ccg_chair is a member for partner ccg, which is "
            "not a partner of cabinet (its partners: ['council'])") in r.err
