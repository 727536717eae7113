"""User text is data: titles, names and reasons that look like terminal markup (``[/b]``,
``[red]x[/red]``) are saved, listed, shown and quoted in error messages exactly as typed; no
command exits 70 on them (issue 11: a title containing ``[/b]`` used to break ``proposal
list`` on that database for good)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Result

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config.toml"

PROPOSAL = "Equipment [/b] store [red]x[/red]"
ITEM = "Care homes [/b] uplift [red]x[/red]"
REASON = "Superseded by [bold]item 7[/bold] [/b] [red]x[/red]"


@pytest.fixture
def s75(cli, tmp_path: Path):  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 's75.db'}"

    def run(*args: str) -> Result:
        r: Result = cli("--config", str(CONFIG), "--db", db, "--now", "2019-05-01", *args)
        assert r.code in (0, 2), f"s75 {' '.join(args)} exited {r.code}: {r.text}"
        return r

    assert run("init").code == 0
    return run


def test_titles_and_reasons_print_as_typed(s75) -> None:  # type: ignore[no-untyped-def]
    made = s75("proposal", "create", PROPOSAL, "--json")
    assert made.code == 0, made.text
    proposal = str(json.loads(made.out)["id"])
    meeting = s75("meeting", "add", "jcc", "2019-06-20", "--time", "14:00", "--json")
    assert meeting.code == 0, meeting.text
    meeting_id = str(json.loads(meeting.out)["id"])
    added = s75("item", "add", meeting_id, ITEM, "--json")
    assert added.code == 0, added.text
    item = str(json.loads(added.out)["id"])

    listed = s75("proposal", "list")
    assert listed.code == 0 and PROPOSAL in listed.out, listed.text
    shown = s75("proposal", "show", proposal)
    assert shown.code == 0 and PROPOSAL in shown.out, shown.text
    agenda = s75("meeting", "show", meeting_id)
    assert agenda.code == 0 and ITEM in agenda.out, agenda.text

    withdrawn = s75("item", "withdraw", item, "--reason", REASON)
    assert withdrawn.code == 0, withdrawn.text
    item_shown = s75("item", "show", item)
    assert item_shown.code == 0 and ITEM in item_shown.out, item_shown.text
    assert json.loads(s75("item", "show", item, "--json").out)["title"] == ITEM


def test_an_error_quoting_user_text_shows_it_literally(s75) -> None:  # type: ignore[no-untyped-def]
    r = s75("members", "--body", "[red]x[/red]")
    assert r.code == 2
    assert "body '[red]x[/red]' is not in the config" in r.err
    r = s75("render", "pack", "0", "--sample", "--member", "[/b]")
    assert r.code == 2
    assert "--member: '[/b]' is not a member id" in r.err


def test_a_refusal_about_an_item_quotes_its_title_literally(s75) -> None:  # type: ignore[no-untyped-def]
    meeting = json.loads(s75("meeting", "add", "jcc", "2019-06-20", "--time", "14:00",
                             "--json").out)["id"]
    item = json.loads(s75("item", "add", str(meeting), ITEM, "--json").out)["id"]
    assert s75("item", "withdraw", str(item), "--reason", REASON).code == 0
    again = s75("item", "withdraw", str(item), "--reason", REASON)
    assert again.code == 2
    assert f"agenda item {item} '{ITEM}' is 'withdrawn'" in again.err


def test_a_part_2_reason_prints_as_typed(s75) -> None:  # type: ignore[no-untyped-def]
    meeting = json.loads(s75("meeting", "add", "jcc", "2019-06-20", "--time", "14:00",
                             "--json").out)["id"]
    added = s75("item", "add", str(meeting), ITEM, "--part", "2", "--paragraph", "3",
                "--exempt-reason", REASON, "--json")
    assert added.code == 0, added.text
    shown = s75("item", "show", str(json.loads(added.out)["id"]))
    assert shown.code == 0
    assert f"public interest reason  {REASON}" in shown.out
