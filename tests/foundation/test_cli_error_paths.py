"""Every command's error paths as a user meets them: unknown ids, malformed dates, months,
amounts and choices, missing options, unreadable files, refused states, and a database that was
never initialised. Each must exit 2 with a message naming the field or file, the value and what
would be valid; never a traceback; nothing half-written. A bug is a one-line 'internal error'
with exit 70 (the traceback only with S75_DEBUG=1)."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from s75.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config.toml"
NOW = "--now=2019-05-01"


@dataclass(frozen=True)
class World:
    ready: str  # an initialised database with a meeting, a draft item and a draft proposal
    blank: str  # a database file that was never initialised
    files: Path
    meeting: int
    item: int
    proposal: int


def _run(*args: str) -> tuple[int, str]:
    """Set-up calls (outside the per-test capture): the exit code and JSON output."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("cli_errors")
    ready = f"sqlite:///{tmp / 'ready.db'}"
    base = ("--config", str(CONFIG), "--db", ready, NOW)
    assert _run(*base, "init", "--json")[0] == 0
    code, out = _run(*base, "meeting", "add", "jcc", "2019-06-20", "--time", "14:00", "--json")
    assert code == 0, out
    meeting = json.loads(out)["id"]
    code, out = _run(*base, "item", "add", str(meeting), "Care homes uplift", "--json")
    assert code == 0, out
    item = json.loads(out)["id"]
    code, out = _run(*base, "proposal", "create", "Integrated equipment store", "--json")
    assert code == 0, out
    proposal = json.loads(out)["id"]

    files = tmp / "files"
    files.mkdir()
    (files / "binary.csv").write_bytes(b"\xff\xfe\x00S\x00e\x00r\x00v\x00i\x00c\x00e\x00")
    (files / "binary.toml").write_bytes(b"\xff\xfe\x00")
    (files / "header.csv").write_text("Service,Budget,Forecast Outturn\n")
    (files / "twice.csv").write_text("Service,Budget,Forecast Outturn\ncare_homes,5,6\n"
                                     "care_homes,7,8\n")
    (files / "words.csv").write_text("Service,Budget,Forecast Outturn\ncare_homes,lots,6\n")
    (files / "huge.csv").write_text("Service,Budget,Forecast Outturn\ncare_homes,1e999999999,6\n")
    (files / "unknown.csv").write_text("Service,Budget,Forecast Outturn\nDentistry,5,6\n")
    (files / "tabs.csv").write_text("Service\tBudget\tForecast Outturn\ncare_homes\t5\t6\n")
    (files / "notadb.db").write_text("this is not an SQLite database, just some text\n" * 4)
    (files / "broken.toml").write_text("[locality\nname = 'x'\n")
    yield World(ready, f"sqlite:///{tmp / 'never-initialised.db'}", files, meeting, item,
                proposal)


# (args, words the message must contain). {meeting} {item} {proposal} {files} are filled in.
READY_CASES: list[tuple[str, tuple[str, ...]]] = [
    # global options
    ("--now=notadate bodies", ("--now", "'notadate'", "YYYY-MM-DD")),
    ("members --body nobody", ("body 'nobody'", "expected one of", "jcc")),
    ("check-config /nonexistent/s75.toml", ("/nonexistent/s75.toml", "no such file",
                                            "--config")),
    ("check-config {files}/broken.toml", ("broken.toml", "(syntax)", "valid TOML")),
    ("check-config {files}/binary.toml", ("binary.toml", "not UTF-8")),
    ("check-config {files}", ("cannot be read", "Is a directory", "--config")),
    # proposal
    ("proposal show 999", ("proposal 999 does not exist", "proposal ids run from 1",
                           "s75 proposal list")),
    ("proposal show abc", ("Invalid value", "proposal_id", "integer")),
    ("proposal history 999", ("proposal 999 does not exist",)),
    ("proposal create X --kind bogus", ("--kind", "'bogus'", "pool_expansion")),
    ("proposal create X --start 2019-13-01", ("--start", "'2019-13-01'", "YYYY-MM-DD")),
    ("proposal fire {proposal} nosuchtrigger", ("'nosuchtrigger'", "'draft'", "submit")),
    ("proposal fire {proposal} submit --fact bad", ("--fact", "'bad'", "KEY=VALUE")),
    ("--as commissioning_lead proposal fire {proposal} submit",
     ("permission refused: proposal fire on proposal", "the programme director",
      "Head of Integrated Commissioning is report author")),
    ("proposal fire {proposal} submit --expect-version 99", ("version 99", "version 1",
                                                             "try again")),
    ("proposal fire {proposal} agree_in_principle", ("'draft'", "triggers allowed now",
                                                  "submit")),
    ("proposal approve {proposal} --partner ccg --body ccg_board --meeting-date 2019-01-01"
     " --minute 1", ("'draft'", "approval stages", "approval_in_principle")),
    ("proposal approve {proposal} --partner ccg --body ccg_board --meeting-date 2019-02-30"
     " --minute 1", ("--meeting-date", "'2019-02-30'", "YYYY-MM-DD")),
    ("proposal approve {proposal} --partner ccg --body ccg_board --meeting-date 2019-01-01",
     ("Missing option", "--minute")),
    ("proposal checklist 999", ("proposal 999 does not exist",)),
    ("proposal sign {proposal} --partner ccg --signatory cfo --on 2019-99-01",
     ("--on", "'2019-99-01'", "YYYY-MM-DD")),
    ("proposal move-start {proposal} --to 2020-04-01 --body nobody --meeting-date 2019-01-01"
     " --minute 1", ("--body", "'nobody'", "ccg_board")),
    # gateway, workflow
    ("gateway record 999 --partner ccg --return go", ("proposal 999 does not exist",)),
    ("gateway record {proposal} --partner ccg --return go --month 2019-13",
     ("--month", "'2019-13'", "YYYY-MM")),
    ("gateway record {proposal} --partner ccg --return go_with_conditions --condition c",
     ("--condition/--owner/--due", "one --owner and one --due")),
    ("gateway record {proposal} --partner ccg --return go", ("'draft'", "shadow operation")),
    ("gateway record {proposal} --partner ccg", ("Missing option", "--return")),
    ("gateway status 999", ("proposal 999 does not exist",)),
    ("gateway close-condition 999", ("condition 999 does not exist",
                                     "s75 gateway conditions")),
    ("workflow show nosuch", ("workflow 'nosuch'", "agenda_item", "proposal")),
    ("workflow show {files}/binary.toml", ("binary.toml", "not UTF-8")),
    ("workflow show {files}/broken.toml", ("broken.toml", "not valid TOML")),
    # meeting
    ("meeting schedule nobody", ("body 'nobody'", "expected one of")),
    ("meeting schedule jcc --from bad", ("--from", "'bad'", "YYYY-MM-DD")),
    ("meeting add jcc 2019-06-31", ("DATE", "'2019-06-31'", "YYYY-MM-DD")),
    ("meeting add jcc 2019-06-20 --time 25:00", ("--time", "'25:00'", "HH:MM")),
    ("meeting add jcc 2019-06-20 --kind bogus", ("kind", "'bogus'", "extraordinary")),
    ("meeting add jcc 2019-06-20 --kind extraordinary", ("reason", "missing")),
    ("meeting list --status bogus", ("--status", "'bogus'", "scheduled, held, cancelled")),
    ("meeting show 999", ("meeting 999 does not exist", "s75 meeting list")),
    ("meeting attend {meeting} nobody", ("member 'nobody'", "expected one of", "leader")),
    ("meeting apologies 999 leader", ("meeting 999 does not exist",)),
    ("meeting cancel {meeting}", ("Missing option", "--reason")),
    ("meeting hold 999", ("meeting 999 does not exist",)),
    ("meeting publish 999", ("meeting 999 does not exist",)),
    ("meeting publish {meeting} --on bad", ("--on", "'bad'", "YYYY-MM-DD")),
    # item
    ("item add 999 X", ("meeting 999 does not exist",)),
    ("item add {meeting} X --action bogus", ("action", "'bogus'", "for_decision")),
    ("item add {meeting} X --part 3", ("part", "3", "1 (public) or 2 (exempt)")),
    ("item add {meeting} X --part 2 --paragraph 9", ("exempt_paragraph", "9", "1 to 7")),
    ("item add {meeting} X --time 99:99", ("time", "'99:99'", "HH:MM")),
    ("item add {meeting} X --amount lots", ("--amount", "'lots'", "pounds")),
    ("item add {meeting} X --amount NaN", ("--amount", "'NaN'", "pounds")),
    ("item add {meeting} X --amount -5", ("amount", "-5", "negative")),
    ("item add {meeting} X --amount 1e999999999", ("amount", "too large", "below")),
    ("item add {meeting} X --amount 0.001", ("amount", "0.001", "pence")),
    ("item add {meeting} X --minutes 0", ("minutes", "0", "from 1 to")),
    ("item add {meeting} X --pool-line nosuch", ("pool_line", "'nosuch'", "care_homes")),
    ("item add {meeting} X --proposal 999", ("proposal 999 does not exist",
                                             "s75 proposal list")),
    ("item add {meeting} X --text-file /nonexistent/report.txt",
     ("--text-file", "/nonexistent/report.txt", "cannot be read")),
    ("item add {meeting} X --text-file {files}/binary.csv", ("--text-file", "binary.csv",
                                                             "not UTF-8")),
    ("item add {meeting} X --appendix noequals", ("--appendix", "'noequals'", "KEY=VALUE")),
    ("item submit 999", ("agenda item 999 does not exist", "s75 meeting show")),
    ("item submit {item} --on bad", ("--on", "'bad'", "YYYY-MM-DD")),
    ("item accept {item}", ("'draft'", "'accepted' cannot be fired", "submitted")),
    ("item route {item} 999", ("meeting 999 does not exist",)),
    ("item route {item} {meeting} --action bogus", ("action", "'bogus'", "to_note")),
    ("item key-decision {item}", ("SI 2012/2089", "not an executive body")),
    ("item key-decision {item} --forward-plan bad", ("--forward-plan", "'bad'", "YYYY-MM-DD")),
    # interest, decide
    ("interest register nobody --nature pecuniary --description x", ("member 'nobody'",
                                                                       "expected one of")),
    ("interest register leader --nature bogus --description x", ("nature", "'bogus'",
                                                                  "non_pecuniary")),
    ("interest list --member nobody", ("member 'nobody'", "expected one of")),
    ("interest declare {item} leader --nature pecuniary --description x --managed bogus",
     ("managed", "'bogus'", "left_room")),
    ("decide 999", ("agenda item 999 does not exist",)),
    ("decide {item}", ("'draft'", "published with the agenda")),
    ("decide {item} --outcome bogus", ("outcome", "'bogus'", "approved, amended, noted")),
    ("decide {item} --vote leader", ("--vote", "'leader'", "KEY=VALUE")),
    ("decide {item} --vote leader=maybe", ("--vote", "'maybe'", "for, against, abstain")),
    ("decide {item} --casting maybe", ("--casting", "'maybe'", "for or against")),
    # action, minutes
    ("action add 999 X --owner leader --due 2019-07-01", ("meeting 999 does not exist",)),
    ("action add {meeting} X --owner leader --due bad", ("--due", "'bad'", "YYYY-MM-DD")),
    ("action add {meeting} X --owner leader --due 2019-07-01 --item 999",
     ("agenda item 999 does not exist",)),
    ("action add {meeting} X --owner leader", ("Missing option", "--due")),
    ("action list --body nobody", ("body 'nobody'", "expected one of")),
    ("action list --status bogus", ("status", "'bogus'", "open, done, dropped")),
    ("action close 999", ("action 999 does not exist", "s75 action list")),
    ("minutes approve 999", ("meeting 999 does not exist",)),
    ("minutes approve {meeting}", ("has no minutes", "scheduled", "held")),
    # pool variance
    ("pool variance /nonexistent/p6.csv", ("/nonexistent/p6.csv", "cannot be read", "CSV")),
    ("pool variance {files}", ("cannot be read", "Is a directory")),
    ("pool variance {files}/binary.csv", ("binary.csv", "not UTF-8", "CSV UTF-8")),
    ("pool variance {files}/header.csv", ("header.csv", "no rows", "one row per pool line")),
    ("pool variance {files}/twice.csv", ("twice.csv", "row 3", "also on row 2")),
    ("pool variance {files}/words.csv", ("words.csv", "row 2, column budget", "'lots'",
                                         "29,911")),
    ("pool variance {files}/huge.csv", ("huge.csv", "row 2, column budget", "not a number")),
    ("pool variance {files}/unknown.csv", ("unknown.csv", "'Dentistry'", "not a pool line")),
    ("pool variance {files}/tabs.csv", ("tabs.csv", "missing column(s)", "Forecast Outturn")),
    # deadlines, scheduler, outbox, calendar
    ("deadlines list --meeting 999", ("--meeting", "meeting 999 does not exist")),
    ("deadlines list --proposal 999", ("proposal 999 does not exist",)),
    ("deadlines list --state bogus", ("--state", "'bogus'", "pending, met, missed or waived")),
    ("scheduler run --until 2019-01-01", ("--until", "--simulate")),
    ("scheduler run --simulate", ("--until", "missing", "2020-03-31")),
    ("scheduler run --simulate --until bad", ("--until", "'bad'", "YYYY-MM-DD")),
    ("scheduler run --simulate --from 2019-02-01 --until 2019-01-01",
     ("--until", "before the start", "later date")),
    ("scheduler run --sweep 0", ("--sweep", "greater than or equal to 1")),
    ("outbox list --state bogus", ("--state", "'bogus'", "pending, sent or dead")),
    ("outbox retry 999", ("outbox message 999 does not exist", "s75 outbox list")),
    ("outbox retry", ("message ids", "--dead")),
    ("serve", ("--now", "real clock", "--no-scheduler")),
    ("scheduler run", ("--now", "real clock", "--once", "--simulate")),
    ("calendar export", ("exactly one of", "--member", "--body")),
    ("calendar export --member nobody", ("member 'nobody'",)),
    ("calendar export --body nobody", ("body 'nobody'", "expected one of")),
    ("calendar export --body jcc --out {files}", ("--out", "Is a directory")),
    # documents, render
    ("documents list --kind bogus", ("--kind", "'bogus'", "pack")),
    ("documents list --meeting 999", ("meeting 999 does not exist",)),
    ("documents get 999 --out {files}/x.pdf", ("document 999 does not exist",
                                               "s75 documents list")),
    ("documents get 999", ("Missing option", "--out")),
    ("render pack 999 --out {files}/x.pdf", ("meeting 999 does not exist",)),
    ("render pack {meeting} --member nobody --out {files}/x.pdf", ("--member", "'nobody'",
                                                                   "leader")),
    ("render pack {meeting} --workers 0 --out {files}/x.pdf", ("--workers",
                                                               "greater than or equal to 1")),
    ("render agenda 999 --out {files}/x.pdf", ("meeting 999 does not exist",)),
    ("render minutes 999 --out {files}/x.pdf", ("meeting 999 does not exist",)),
    ("render notice 999 --out {files}/x.pdf", ("decision 999 does not exist",
                                               "s75 item show")),
    ("render actions nobody --out {files}/x.pdf", ("body 'nobody'", "expected one of")),
    ("render terms nobody --out {files}/x.pdf", ("body 'nobody'", "expected one of")),
]

BLANK_CASES: list[tuple[str, tuple[str, ...]]] = [
    (f"{cmd}", ("--db", "never-initialised.db", "does not exist", "s75 init"))
    for cmd in ("serve", "proposal list", "proposal show 1", "gateway status 1", "audit verify",
                "meeting list", "meeting show 1", "item show 1", "interest list",
                "action list", "minutes approve 1", "deadlines list", "outbox list",
                "calendar export --body jcc", "documents list", "render notice 1",
                "scheduler run --once")
]


def _args(world: World, template: str) -> list[str]:
    fill = {"meeting": world.meeting, "item": world.item, "proposal": world.proposal,
            "files": world.files}
    return [token.format(**fill) for token in shlex.split(template)]


def _check(r, words: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in r.text, r.text
    assert r.code == 2, f"exit {r.code}: {r.text}"
    for word in words:
        assert word in r.err, f"{word!r} not in: {r.err}"


@pytest.mark.parametrize(("template", "words"), READY_CASES, ids=[c[0] for c in READY_CASES])
def test_bad_input_exits_2_naming_the_value_and_what_is_valid(
        cli, world: World, template: str, words: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    _check(cli("--config", str(CONFIG), "--db", world.ready, NOW, *_args(world, template)),
           words)


@pytest.mark.parametrize(("template", "words"), BLANK_CASES, ids=[c[0] for c in BLANK_CASES])
def test_a_database_never_initialised_says_run_init(
        cli, world: World, template: str, words: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    _check(cli("--config", str(CONFIG), "--db", world.blank, NOW, *_args(world, template)),
           words)
    assert not Path(world.blank.removeprefix("sqlite:///")).exists()  # not created as a side effect


def test_an_empty_or_older_database_says_run_init(cli, world: World) -> None:  # type: ignore[no-untyped-def]
    empty = world.files / "empty.db"
    empty.touch()
    r = cli("--config", str(CONFIG), "--db", f"sqlite:///{empty}", NOW, "meeting", "list")
    _check(r, ("has no s75 schema yet", "run 's75 init'"))
    older = world.files / "older.db"
    import shutil
    import sqlite3

    shutil.copy(world.ready.removeprefix("sqlite:///"), older)
    with sqlite3.connect(older) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0000_before'")
    r = cli("--config", str(CONFIG), "--db", f"sqlite:///{older}", NOW, "proposal", "list")
    _check(r, ("schema revision '0000_before'", "needs", "to upgrade it"))


@pytest.mark.parametrize(("db", "words"), [
    ("{files}/notadb.db", ("database", "not a database", "--db")),
    ("{files}/missing-dir/s75.db", ("--db", "missing-dir'", "folder", "does not exist")),
    ("{files}", ("database", "unable to open", "--db")),
    ("foo://x", ("--db", "'foo' is not supported", "sqlite or postgresql")),
], ids=["not-sqlite", "missing-folder", "a-folder", "bad-scheme"])
def test_an_unusable_database_is_named_with_a_fix(
        cli, world: World, db: str, words: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    _check(cli("--config", str(CONFIG), "--db", db.format(files=world.files), "proposal",
               "list"), words)


def test_refused_input_leaves_nothing_written(cli, world: World) -> None:  # type: ignore[no-untyped-def]
    base = ("--config", str(CONFIG), "--db", world.ready, NOW)
    before = json.loads(cli(*base, "meeting", "show", str(world.meeting), "--json").out)
    for bad in (["--amount", "1e999999999"], ["--proposal", "999"], ["--minutes", "-5"],
                ["--text-file", str(world.files / "binary.csv")]):
        r = cli(*base, "item", "add", str(world.meeting), "Never added", *bad)
        assert r.code == 2, r.text
    after = json.loads(cli(*base, "meeting", "show", str(world.meeting), "--json").out)
    assert after["items"] == before["items"]
    # A PDF that cannot be written is not kept in the store either.
    r = cli(*base, "render", "terms", "jcc", "--store", "--out", str(world.files))
    _check(r, ("--out", str(world.files), "Is a directory"))
    assert json.loads(cli(*base, "documents", "list", "--json").out) == []


def test_a_bug_is_an_internal_error_exit_70_and_s75_debug_shows_the_traceback(
        cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import s75.cli.main

    def broken(*_args: object) -> None:
        raise KeyError("quorum")

    monkeypatch.setattr(s75.cli.main, "body_summary", broken)
    monkeypatch.delenv("S75_DEBUG", raising=False)
    r = cli("--config", str(CONFIG), "bodies")
    assert r.code == 70, r.text
    assert "internal error: KeyError: 'quorum'" in r.err
    assert "report" in r.err and "S75_DEBUG=1" in r.err
    assert "Traceback" not in r.text
    monkeypatch.setenv("S75_DEBUG", "1")
    with pytest.raises(KeyError, match="quorum"):
        cli("--config", str(CONFIG), "bodies")
