"""Every action's text is cleaned by the pipeline itself (decisions/user_text.py), so the CLI,
the web forms and the API all store the same clean text (issue 18, point 4): control characters
removed, names folded to one line, lengths bounded with the field named, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from decisions.errors import InvalidInput
from decisions.user_text import LINE_MAX, TEXT_MAX, clean, clean_fields
from tests.conftest import Result
from workflows.proposal.actions import CreateProposal

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config.toml"


@pytest.fixture
def s75(cli, tmp_path: Path):  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 's75.db'}"

    def run(*args: str) -> Result:
        r: Result = cli("--config", str(CONFIG), "--db", db, "--now", "2019-05-01", *args)
        assert r.code in (0, 2), f"s75 {' '.join(args)} exited {r.code}: {r.text}"
        return r

    assert run("init").code == 0
    return run


def test_a_title_is_stored_on_one_line_without_control_characters(s75) -> None:  # type: ignore[no-untyped-def]
    made = s75("proposal", "create", "\ufeffWinter\x07 beds\r\nBcc: all@example.org",
               "--description", "Line one\nLine two\x00", "--json")
    assert made.code == 0, made.text
    shown = json.loads(s75("proposal", "show", str(json.loads(made.out)["id"]), "--json").out)
    assert shown["title"] == "Winter beds Bcc: all@example.org"
    assert shown["description"] == "Line one\nLine two"


def test_an_overlong_title_is_refused_naming_the_field_and_nothing_is_written(s75) -> None:  # type: ignore[no-untyped-def]
    r = s75("proposal", "create", "x" * (LINE_MAX + 1))
    assert r.code == 2
    assert f"title: {LINE_MAX + 1:,} characters is too long; give at most {LINE_MAX:,}" in r.err
    assert json.loads(s75("proposal", "list", "--json").out) == []


def test_clean_rules() -> None:
    assert clean("  a\tb\nc  ", "title", single_line=True) == "a b c"
    assert clean("para one\n\npara\ttwo\x1b[31m", "reasons") == "para one\n\npara\ttwo[31m"
    with pytest.raises(InvalidInput, match="reasons: 200,001 characters"):
        clean("y" * (TEXT_MAX + 1), "reasons")
    action = CreateProposal("A\nB", kind="pool_expansion", description="ok")
    assert clean_fields(action) == {"title": "A B"}
    assert clean_fields(CreateProposal("A B", kind="pool_expansion")) == {}
