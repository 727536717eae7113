"""The malformed-input corpus (issue 18): over a hundred bad inputs across config files, command
arguments, CSV files and web requests, each with the exit code (or HTTP status) and the words
of the message it must give, never a traceback or exit 70 / HTTP 500; and afterwards nothing
was written: every table holds what it held before, and the audit chain is intact."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from s75.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config.toml"
NOW = "--now=2019-05-01"
BIG = "99999999999999999999"  # above 2^63
I63 = str(2**63)
I31 = str(2**31)


@dataclass(frozen=True)
class World:
    db: str
    files: Path
    meeting: int
    item: int
    proposal: int


def _quiet(*args: str) -> tuple[int, str]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(args))
    return code, out.getvalue()


def _config_variant(files: Path, name: str, old: str, new: str) -> None:
    source = CONFIG.read_text(encoding="utf-8")
    assert old in source, old
    (files / f"{name}.toml").write_text(source.replace(old, new, 1), encoding="utf-8")


# (file name, text replaced in config.toml, replacement, words of the message)
CONFIG_CASES: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("items-days-huge", "agenda_items_working_days = 10", "agenda_items_working_days = 100000000",
     ("agenda_items_working_days", "100000000", "less than or equal to 366")),
    ("items-days-negative", "agenda_items_working_days = 10", "agenda_items_working_days = -1",
     ("agenda_items_working_days", "greater than or equal to 0")),
    ("pub-days-huge", "publication_clear_days = 5", "publication_clear_days = 5000",
     ("publication_clear_days", "5000")),
    ("pub-days-text", "publication_clear_days = 5", "publication_clear_days = 'five'",
     ("publication_clear_days", "'five'")),
    ("pub-days-float", "publication_clear_days = 5", "publication_clear_days = 5.5",
     ("publication_clear_days", "5.5")),
    ("reminders-negative", "publication_clear_days = 5",
     "publication_clear_days = 5, reminder_working_days = [5, -2]",
     ("reminder_working_days", "-2", "greater than or equal to 0")),
    ("reminders-huge", "publication_clear_days = 5",
     "publication_clear_days = 5, reminder_working_days = [99999]",
     ("reminder_working_days", "99999")),
    ("quorum-zero", "min_members = 6", "min_members = 0", ("min_members", "0")),
    ("quorum-huge", "min_members = 6", "min_members = 100000", ("min_members", "100000")),
    ("limit-huge", "delegated_limit = 20_000_000", "delegated_limit = 1e30",
     ("delegated_limit",)),
    ("limit-negative", "delegated_limit = 20_000_000", "delegated_limit = -1",
     ("delegated_limit", "-1")),
    ("contribution-huge", "council = 12_100_000", "council = 1e30",
     ("contributions.council", "below 1,000,000,000,000")),
    ("contribution-negative", "council = 12_100_000", "council = -5",
     ("contributions.council", "an amount >= 0")),
    ("unknown-key", "decision_rule = \"consensus\"",
     "decision_rule = \"consensus\"\nbogus_key = 1", ("bogus_key",)),
    ("bad-rule", "decision_rule = \"consensus\"", "decision_rule = \"dictator\"",
     ("decision_rule", "'dictator'")),
    ("bad-rrule", "FREQ=MONTHLY;BYDAY=2WE", "MONTHLY ON WEDNESDAYS", ("rule", "RFC 5545")),
    ("bad-time", "time = \"14:00:00\"", "time = \"25:00:00\"", ("time",)),
    ("bad-email", "email = \"leader@example.org\"", "email = \"leader at example\"",
     ("email", "leader at example")),
    ("bad-timezone", "timezone = \"Europe/London\"", "timezone = \"Mars/Olympus\"",
     ("timezone", "Mars/Olympus")),
]

CLI_CASES: list[tuple[str, int, tuple[str, ...]]] = [
    # ids beyond any table
    *[(f"{cmd} {n}", 2, ("Invalid value", "less than or equal to 2147483647"))
      for cmd in ("meeting show", "proposal show", "item show", "proposal history",
                  "gateway status", "decide", "action close", "outbox retry",
                  "minutes approve", "meeting hold", "item submit", "render notice")
      for n in (BIG, I63)],
    *[(f"{cmd} {I31}", 2, ("less than or equal to 2147483647",))
      for cmd in ("meeting show", "proposal show", "item show")],
    ("meeting show -- -1", 2, ("meeting -1 does not exist",)),
    ("item add {meeting} X --minutes " + BIG, 2, ("--minutes", "less than or equal to")),
    ("item add {meeting} X --proposal " + I63, 2, ("--proposal", "less than or equal to")),
    ("deadlines list --meeting " + BIG, 2, ("--meeting", "less than or equal to")),
    ("documents get " + BIG + " --out {files}/x.pdf", 2, ("less than or equal to",)),
    ("render pack --workers " + BIG + " {meeting} --out {files}/x.pdf", 2,
     ("--workers", "less than or equal to")),
    # dates far outside any business
    ("meeting add jcc 0001-01-01", 2, ("0001-01-01 is out of range", "1900-01-01",
                                      "2199-12-31")),
    ("meeting add jcc 9999-12-31", 2, ("9999-12-31 is out of range",)),
    ("meeting schedule jcc --from 2019-01-01 --to 9999-12-31", 2, ("--to", "out of range")),
    ("meeting schedule jcc --from 0001-01-01", 2, ("--from", "out of range")),
    ("action add {meeting} X --owner leader --due 9999-12-31", 2, ("--due", "out of range")),
    ("action add {meeting} X --owner leader --due 1066-10-14", 2, ("--due", "out of range")),
    ("item submit {item} --on 0001-01-01", 2, ("--on", "out of range")),
    ("meeting publish {meeting} --on 9999-01-01", 2, ("--on", "out of range")),
    ("proposal create X --start 9999-04-01", 2, ("--start", "out of range")),
    ("gateway record {proposal} --partner ccg --return go --month 9999-12", 2,
     ("--month", "out of range")),
    ("gateway record {proposal} --partner ccg --return go --month 0001-01", 2,
     ("--month", "out of range")),
    ("scheduler run --simulate --until 9999-12-31", 2, ("--until", "out of range")),
    ("item key-decision {item} --forward-plan 0001-01-01", 2, ("--forward-plan",
                                                             "out of range")),
    # conflicting options, both named
    ("item add {meeting} X --text hello --text-file {files}/report.txt", 2,
     ("--text and --text-file", "not both")),
    ("render agenda {meeting} --public --member leader --out {files}/x.pdf", 2,
     ("--public and --member",)),
    ("render pack {meeting} --public --member leader --out {files}/x.pdf", 2,
     ("--public and --member",)),
    ("render supplement {meeting} --public --member leader --out {files}/x.pdf", 2,
     ("--public and --member",)),
    ("calendar export --member leader --body jcc", 2, ("exactly one of",)),
    ("render pack {meeting} --member exec_resources --out {files}/x.pdf", 2,
     ("'exec_resources' is not a member of Joint Commissioning Committee",)),
    # text: too long, or a title that is empty once control characters are removed
    ("item add {meeting} " + "T" * 300, 2, ("TITLE", "300 characters is too long", "250")),
    ("item add {meeting} X --lead " + "L" * 400, 2, ("--lead", "too long")),
    ("item add {meeting} X --text-file {files}/huge.txt", 2, ("--text-file",
                                                               "too long", "200,000")),
    # values
    ("item add {meeting} X --amount 1e30", 2, ("amount", "too large")),
    ("item add {meeting} X --amount inf", 2, ("--amount", "'inf'")),
    ("item add {meeting} X --part 0", 2, ("part", "0")),
    ("item add {meeting} X --part " + BIG, 2, ("--part", "less than or equal to")),
    ("item add {meeting} X --part 2 --paragraph " + BIG, 2, ("--paragraph",)),
    ("audit verify --anchors {files}/report.txt", 2, ("--anchors", "line 1",
                                                      "not an audit anchor")),
    ("audit verify --anchors /nonexistent/anchors.jsonl", 2, ("--anchors", "cannot read")),
    ("audit anchor", 2, ("S75_AUDIT_KEY", "S75_AUDIT_KEY_FILE")),
    # files: a BOM is accepted (the command goes on to the next check)
    ("check-config {files}/bom.toml", 0, ("locality Bolton",)),
    ("pool variance {files}/bom.csv", 0, ("Forecast outturn by line",)),
]

CSV_CASES: list[tuple[str, bytes, tuple[str, ...]]] = [
    ("empty", b"", ("the file is empty",)),
    ("header-only", b"Service,Budget,Forecast Outturn\n", ("no rows",)),
    ("no-header", b"care_homes,5,6\n", ("missing column(s)",)),
    ("latin1", "Service,Budget,Forecast Outturn\ncaf\xe9,5,6\n".encode("latin-1"),
     ("not UTF-8",)),
    ("utf16", "Service,Budget,Forecast Outturn\n".encode("utf-16"), ("not UTF-8",)),
    ("words", b"Service,Budget,Forecast Outturn\ncare_homes,lots,6\n", ("'lots'",)),
    ("huge", b"Service,Budget,Forecast Outturn\ncare_homes,1e999999999,6\n",
     ("not a number",)),
    ("nan", b"Service,Budget,Forecast Outturn\ncare_homes,NaN,6\n", ("column budget",)),
    ("unknown", b"Service,Budget,Forecast Outturn\nDentistry,5,6\n", ("'Dentistry'",)),
    ("twice", b"Service,Budget,Forecast Outturn\ncare_homes,5,6\ncare_homes,7,8\n",
     ("also on row 2",)),
    ("tabs", b"Service\tBudget\tForecast Outturn\ncare_homes\t5\t6\n", ("missing column(s)",)),
    ("nul", b"Service,Budget,Forecast Outturn\ncare\x00homes,5,6\n", ("row 2",)),
    ("quote", b'Service,Budget,Forecast Outturn\n"care_homes,5,6\n', ("row",)),
]

NOPE = (400, 404)  # a malformed id is a bad request, an unknown one not found; never 500
WEB_CASES: list[tuple[str, tuple[int, ...]]] = [
    (f"/meetings/{BIG}", NOPE), (f"/meetings/{I63}", NOPE), (f"/meetings/{I31}", NOPE),
    ("/meetings/abc", NOPE), ("/meetings/-1", NOPE), ("/meetings/0", NOPE),
    ("/meetings/1.5", NOPE), ("/meetings/%00", NOPE),
    (f"/documents/{BIG}.pdf", NOPE), (f"/documents/{I63}.pdf", NOPE),
    ("/documents/x.pdf", NOPE), ("/documents/-1.pdf", NOPE), ("/bodies/nobody", NOPE),
    ("/bodies/%ff", NOPE), ("/calendar/nobody.ics", NOPE), ("/calendar/%00.ics", NOPE),
    ("/no/such/page", (404,)), ("/proposals?page=" + BIG, (200, 400, 404)),
    ("/proposals?page=-1", (200, 400, 404)), ("/deadlines?x=%ff", (200,)),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("corpus")
    db = f"sqlite:///{tmp / 'corpus.db'}"
    base = ("--config", str(CONFIG), "--db", db, NOW)
    assert _quiet(*base, "init", "--json")[0] == 0
    meeting = json.loads(_quiet(*base, "meeting", "add", "jcc", "2019-06-20", "--json")[1])["id"]
    item = json.loads(_quiet(*base, "item", "add", str(meeting), "Care homes uplift",
                             "--json")[1])["id"]
    proposal = json.loads(_quiet(*base, "proposal", "create", "Equipment store",
                                 "--json")[1])["id"]
    files = tmp / "files"
    files.mkdir()
    (files / "report.txt").write_text("A report.\n")
    (files / "huge.txt").write_text("x" * 200_001)
    (files / "bom.toml").write_bytes(b"\xef\xbb\xbf" + CONFIG.read_bytes())
    (files / "bom.csv").write_bytes(b"\xef\xbb\xbfService,Budget,Forecast Outturn\n"
                                    b"care_homes,5,6\n")
    for name, old, new, _words in CONFIG_CASES:
        _config_variant(files, name, old, new)
    for name, data, _words in CSV_CASES:
        (files / f"{name}.csv").write_bytes(data)
    yield World(db, files, meeting, item, proposal)


def _counts(db: str) -> dict[str, int]:
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return {t: int(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one())
                    for t in inspect(conn).get_table_names()}
    finally:
        engine.dispose()


def _expect(r, code: int, words: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in r.text and "internal error" not in r.text, r.text
    assert r.code == code, f"exit {r.code}: {r.text}"
    flat = re.sub(r"\s+", " ", r.text)  # Click wraps long messages
    for word in words:
        assert word in flat, f"{word!r} not in: {r.text}"


def test_corpus_size() -> None:
    total = len(CONFIG_CASES) + len(CLI_CASES) + len(CSV_CASES) + len(WEB_CASES)
    assert total >= 100, total


def test_malformed_inputs_are_refused_and_nothing_is_written(
        cli, world: World, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("S75_AUDIT_KEY", raising=False)
    monkeypatch.delenv("S75_AUDIT_KEY_FILE", raising=False)
    before = _counts(world.db)
    base = ("--config", str(CONFIG), "--db", world.db, NOW)
    fill = {"meeting": world.meeting, "item": world.item, "proposal": world.proposal,
            "files": world.files}
    failures: list[str] = []

    def check(label: str, r, code: int, words: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
        try:
            _expect(r, code, words)
        except AssertionError as exc:
            failures.append(f"{label}: {exc}")

    for name, _old, _new, words in CONFIG_CASES:
        path = world.files / f"{name}.toml"
        check(f"config {name}", cli("check-config", str(path)), 2, words)
        check(f"config {name} (any command)", cli("--config", str(path), "--db", world.db,
                                                 "meeting", "list"), 2, words[:1])
    for template, code, words in CLI_CASES:
        args = [t.format(**fill) for t in shlex.split(template)]
        check(template[:80], cli(*base, *args), code, words)
    for name, _data, words in CSV_CASES:
        check(f"csv {name}", cli(*base, "pool", "variance", str(world.files / f"{name}.csv")),
              2, (f"{name}.csv", *words))
    from s75.app import make_app
    from s75.web.app import create_app
    from tests.web.client import TestClient

    app = make_app(CONFIG, world.db)
    with TestClient(create_app(app, start_scheduler=False)) as client:
        for url, status in WEB_CASES:
            r = client.get(url)
            if r.status_code not in status or "Traceback" in r.text:
                failures.append(f"web {url}: HTTP {r.status_code}")
    app.close()
    assert failures == [], "\n".join(failures)
    assert _counts(world.db) == before
    r = cli(*base, "audit", "verify", "--state")
    assert r.code == 0, r.text
