"""Config loading: the default locality, and every problem reported at once with its key path."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from decisions.errors import ConfigError
from decisions.terms import LocalityConfig
from s75.config import load_config

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = (ROOT / "config.toml").read_text()


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "locality.toml"
    p.write_text(text)
    return p


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    return [str(p) for p in info.value.problems]


def test_default_config_is_bolton(config: LocalityConfig) -> None:
    assert config.locality.name == "Bolton"
    assert [p.name for p in config.partner] == ["Bolton Council", "NHS Bolton CCG"]
    assert config.sovereign_body_of("council").name == "Council Cabinet"
    assert config.sovereign_body_of("ccg").name == "CCG Board"
    jcc = config.body_by_id("jcc")
    assert jcc.reports_to == "sbpb"
    assert config.body_by_id("sbpb").name == "Shadow Bolton Partnership Board"
    assert jcc.chair_rotation == ("leader", "ccg_chair")
    assert jcc.decision_rule == "consensus" and jcc.on_no_consensus == "refer"
    assert len(config.members_of("jcc")) == 14  # file 003, paragraph 4.3
    assert jcc.quorum.min_per_partner >= 1  # a quorum that needs both partners


def test_pool_is_159_9m_with_population_health_tbc(config: LocalityConfig) -> None:
    lines = {line.id: line for line in config.pool.line}
    assert lines["population_health"].is_tbc and lines["population_health"].value is None
    total = sum((line.value or Decimal(0)) for line in config.pool.line)
    assert total == Decimal("159900000")
    assert {line.service: line.value for line in config.pool.line}[
        "Adult Learning Disability"] == Decimal("24200000")


def test_three_planted_errors_give_three_messages_with_key_paths(tmp_path: Path) -> None:
    text = DEFAULT.replace('chair_rotation = ["leader", "ccg_chair"]',
                           'chair_rotation = ["leader", "exec_resources"]')
    text = text.replace('lead = "ccg"', 'lead = "nhs_england"', 1)
    text = text.replace('risk_share = "proportional"  ',
                        "risk_share = { council = 0.5, ccg = 0.4 }")
    problems = problems_of(tmp_path, text)
    assert len(problems) == 3, problems
    assert problems[0].startswith("body[3].chair_rotation[1]: 'exec_resources'")
    assert "members who sit on jcc" in problems[0]
    assert problems[1].startswith("pool.risk_share:") and "sum to 0.9" in problems[1]
    assert problems[2].startswith("pool.line[0].lead: 'nhs_england'")
    assert "partner ids" in problems[2]


@pytest.mark.parametrize(
    ("old", "new", "path", "hint"),
    [
        ("quorum = { min_members = 6, min_per_partner = 3 }",
         "quorum = { min_members = 60, min_per_partner = 3 }",
         "body[3].quorum.min_members", "at most the body's 14 members"),
        ("contributions = { council = 12_100_000, ccg = 12_100_000 }",
         "contributions = { council = -5, ccg = 12_100_000 }",
         "pool.line[3].contributions.council", "an amount >= 0"),
        ('partner = "ccg"\nbodies = ["ccg_board", "sbpb", "jcc"]',
         'partner = "nhs"\nbodies = ["ccg_board", "sbpb", "jcc"]',
         "member[9].partner", "partner ids"),
        ('sovereign_body = "cabinet"', 'sovereign_body = "council_cabinet"',
         "partner[0].sovereign_body", "body ids"),
        ('decision_rule = "consensus"\non_no_consensus = "refer"                   #',
         'decision_rule = "unanimity"\non_no_consensus = "refer"                   #',
         "body[3].decision_rule", "'consensus', 'majority' or 'one_vote_per_partner'"),
        ('time = "14:00:00", venue = "Town Hall, Bolton" }\ndeadlines',
         'time = "2pm", venue = "Town Hall, Bolton" }\ndeadlines',
         "body[3].meetings.time", "time"),
        ('financial_year = "2019/20"', 'financial_year = "2019"',
         "pool.financial_year", "pattern"),
        ("[smtp]\n", "[smtp]\nhostname = 'x'\n", "smtp.hostname", "unknown key"),
    ],
)
def test_each_problem_names_key_path_value_and_what_is_allowed(
    tmp_path: Path, old: str, new: str, path: str, hint: str
) -> None:
    assert old in DEFAULT
    problems = problems_of(tmp_path, DEFAULT.replace(old, new, 1))
    assert any(p.startswith(path) and hint in p for p in problems), problems


def test_fixed_risk_share_that_sums_to_one_is_accepted(tmp_path: Path) -> None:
    text = DEFAULT.replace('risk_share = "proportional"  ',
                           "risk_share = { council = 0.5, ccg = 0.5 }")
    cfg = load_config(write(tmp_path, text))
    assert cfg.pool.risk_share == {"council": Decimal("0.5"), "ccg": Decimal("0.5")}


def test_missing_file_and_bad_toml_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no such file; pass --config PATH"):
        load_config(tmp_path / "nope.toml")
    problems = problems_of(tmp_path, "[locality\nname='x'")
    assert re.search(r"\(syntax\).*valid TOML", problems[0])
