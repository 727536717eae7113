"""``--now`` / ``S75_NOW`` and other date-times without an offset are local time in the
locality's zone (config.toml: Europe/London), not UTC; a date alone is noon local time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from decisions.errors import InvalidInput
from s75.app import clock_at, make_app
from s75.cli.options import parse_moment
from s75.config import load_config

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config.toml"


@pytest.mark.parametrize(("value", "utc"), [
    ("2019-07-01T09:00", datetime(2019, 7, 1, 8, 0, tzinfo=UTC)),    # BST: UTC+1
    ("2019-12-02T09:00", datetime(2019, 12, 2, 9, 0, tzinfo=UTC)),   # GMT
    ("2019-07-01", datetime(2019, 7, 1, 11, 0, tzinfo=UTC)),         # noon BST
    ("2019-07-01T09:00+00:00", datetime(2019, 7, 1, 9, 0, tzinfo=UTC)),  # an offset wins
])
def test_now_is_read_in_the_localitys_zone(value: str, utc: datetime, tmp_path: Path) -> None:
    app = make_app(CONFIG, f"sqlite:///{tmp_path / 'x.db'}", now=value)
    assert app.clock.now() == utc
    assert app.clock.now().tzinfo is UTC  # held in UTC, as stored times and audit hashes are


def test_the_zone_comes_from_the_config() -> None:
    cfg = load_config(CONFIG)
    zoned = cfg.model_copy(update={"locality": cfg.locality.model_copy(
        update={"timezone": "America/New_York"})})
    assert zoned.zone.key == "America/New_York"
    assert clock_at("2019-07-01T09:00", zoned.zone).now() == datetime(2019, 7, 1, 13, 0,
                                                                         tzinfo=UTC)


def test_a_bad_now_names_the_option_and_the_valid_forms(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("--config", str(CONFIG), "--now", "tomorrow", "bodies")
    assert r.code == 2
    assert "--now / S75_NOW: 'tomorrow' is not a date or time" in r.err
    assert "YYYY-MM-DD (noon local time)" in r.err and "YYYY-MM-DDTHH:MM" in r.err


def test_the_shared_parser_names_its_option() -> None:
    with pytest.raises(InvalidInput, match="--at: '9am' is not a date or time"):
        parse_moment("9am", "--at", load_config(CONFIG).zone)
