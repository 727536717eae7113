"""The command line: deadlines list, a simulated year, calendar export, the file 000 case."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlmodel import Session, select

from notifications.tables import DeadlineRow
from s75.config import load_config
from s75.db import make_engine
from tests.notifications.notif_support import smtp_server, uow_at
from workflows.committee import meetings
from workflows.committee.tables import MeetingRow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def planner_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about deadlines and messages: leave document rendering (which also
    hears meeting.published) to the documents tests."""
    from notifications import planner, planner_proposals

    monkeypatch.setattr("s75.wiring.INSTALLERS", (planner, planner_proposals))


def _init(cli, tmp_path: Path, text: str | None = None) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    cfg = tmp_path / "config.toml"
    cfg.write_text(text or (ROOT / "config.toml").read_text())
    db = f"sqlite:///{tmp_path / 's75.db'}"
    res = cli("--config", str(cfg), "--db", db, "init")
    assert res.code == 0, res.text
    return str(cfg), db


def test_simulated_year_prints_every_deadline_met_reminded_or_missed(
        cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cfg, db = _init(cli, tmp_path)
    res = cli("--config", cfg, "--db", db, "scheduler", "run", "--simulate", "--from",
              "2019-04-01", "--until", "2020-03-31", "--schedule-meetings", "--no-deliver")
    assert res.code == 0, res.text
    out = res.out
    assert "scheduled 42 meeting(s)" in out  # cabinet 12, ccg_board 12, jcc 12, sbpb 6
    summary = re.search(r"simulated 2019-04-01 to 2020-03-31 in \d+ step\(s\): met (\d+), "
                        r"reminded (\d+), missed (\d+)", out)
    assert summary, out[-2000:]
    met, reminded, missed = (int(x) for x in summary.groups())
    assert met > 0 and reminded > 0 and missed > 0
    engine = make_engine(db)
    with Session(engine) as s:
        rows = list(s.exec(select(DeadlineRow)))
    engine.dispose()
    end = datetime(2020, 4, 1, tzinfo=UTC)
    for row in rows:
        if row.due_at < end:  # every deadline that fell due was closed and printed
            assert row.state in ("met", "missed", "waived"), row.title
            label = {"met": "MET", "missed": "MISSED", "waived": "WAIVED"}[row.state]
            assert re.search(rf"{label} +{row.kind} +{re.escape(row.title)}", out), row.title
        start = datetime(2019, 3, 31, 23, tzinfo=UTC)
        if any(start <= datetime.fromisoformat(r) < end for r in row.reminder_at):
            assert re.search(rf"REMINDED +{row.kind} +{re.escape(row.title)}", out), row.title
    assert met + missed == sum(1 for r in rows if r.state in ("met", "missed"))
    assert "PUBLISHED publication      Agenda and reports published for Joint Commissioning " \
           "Committee, 10 Apr 2019" in out
    # Idempotent: the same period again does nothing more.
    again = cli("--config", cfg, "--db", db, "scheduler", "run", "--simulate", "--from",
                "2019-04-01", "--until", "2020-03-31", "--no-deliver")
    assert "met 0, reminded 0, missed 0" in again.out


def test_simulated_month_delivers_to_smtp(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with smtp_server() as (inbox, port):
        text = (ROOT / "config.toml").read_text().replace("port = 8025", f"port = {port}")
        cfg, db = _init(cli, tmp_path, text)
        res = cli("--config", cfg, "--db", db, "scheduler", "run", "--simulate", "--from",
                  "2019-04-01", "--until", "2019-04-12", "--schedule-meetings")
        assert res.code == 0, res.text
        sent = int(re.search(r"sent (\d+)", res.out.splitlines()[-1]).group(1))  # type: ignore[union-attr]
        assert sent > 0 and inbox.wait_for(sent)
    subjects = {m["Subject"] for m in inbox.messages}
    assert "Agenda published: Joint Commissioning Committee, Wednesday 10 April 2019 at 14:00" \
        in subjects
    assert len(inbox.messages) == sent


def test_file_000_stockport_items_deadline_via_cli(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (ROOT / "config.toml").read_text().replace(
        "deadlines = { notice_clear_days = 3, publication_clear_days = 3 }",
        "deadlines = { agenda_items_working_days = 16, notice_clear_days = 3, "
        "publication_clear_days = 3 }")
    cfg, db = _init(cli, tmp_path, text)
    config = load_config(Path(cfg))
    engine = make_engine(db)
    with uow_at(engine, config, datetime(2015, 7, 8, tzinfo=UTC)) as uow:
        m = meetings.add_meeting(uow, "ccg_board", date(2015, 9, 9), kind="ordinary")
    engine.dispose()
    res = cli("--config", cfg, "--db", db, "deadlines", "list", "--meeting", str(m.id), "--json")
    assert res.code == 0, res.text
    rows = {r["kind"]: r for r in json.loads(res.out)}
    assert rows["agenda_items"]["due"] == "2015-08-17 17:00"
    assert rows["agenda_items"]["meeting_date"] == "2015-09-09"
    assert rows["agenda_items"]["state"] == "pending"
    assert rows["publication"]["due"] == "2015-09-03 17:00"  # 3 clear days (1960 Act)
    table = cli("--config", cfg, "--db", db, "deadlines", "list", "--meeting", str(m.id))
    assert "2015-08-17 17:00" in table.out and "2015-09-09" in table.out
    bad = cli("--config", cfg, "--db", db, "deadlines", "list", "--meeting", "999")
    assert bad.code == 2 and "meeting 999 does not exist" in bad.err


def test_calendar_export_over_christmas_and_easter(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cfg, db = _init(cli, tmp_path)
    config = load_config(Path(cfg))
    engine = make_engine(db)
    with uow_at(engine, config, datetime(2015, 11, 1, tzinfo=UTC)) as uow:
        xmas = meetings.add_meeting(uow, "jcc", date(2016, 1, 5), kind="ordinary")
        meetings.add_meeting(uow, "jcc", date(2016, 3, 30), kind="ordinary")
    with Session(engine) as s:
        assert s.get(MeetingRow, xmas.id) is not None
    engine.dispose()
    out = tmp_path / "jcc.ics"
    res = cli("--config", cfg, "--db", db, "--now", "2015-12-01", "calendar", "export",
              "--body", "jcc", "--out", str(out))
    assert res.code == 0, res.text
    cal = Calendar.from_ical(out.read_bytes())
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    meeting_starts = sorted(e.decoded("dtstart") for e in cal.walk("VEVENT")
                            if str(e["uid"]).startswith("meeting-"))
    assert [d.isoformat() for d in meeting_starts] == ["2016-01-05T14:00:00+00:00",
                                                       "2016-03-30T14:00:00+01:00"]
    pub = events["Deadline: Agenda and reports published for Joint Commissioning Committee, "
                 "5 Jan 2016"]
    assert pub.decoded("dtstart") == date(2015, 12, 23)  # over Christmas
    # Wed 30 Mar 2016, after Good Friday 25 and Easter Monday 28 March: the 5 clear days are
    # 21, 22, 23, 24 and 29 March, so the papers go out by Friday 18 March.
    pub2 = events["Deadline: Agenda and reports published for Joint Commissioning Committee, "
                  "30 Mar 2016"]
    assert pub2.decoded("dtstart") == date(2016, 3, 18)
    member = cli("--config", cfg, "--db", db, "calendar", "export", "--member", "dph",
                 "--since", "2015-01-01")
    assert member.code == 0 and "BEGIN:VCALENDAR" in member.out
    assert "Agenda items for Joint Commissioning Committee" in member.out
    assert "Agenda and reports published" not in member.out  # the secretary's, not hers
    both = cli("--config", cfg, "--db", db, "calendar", "export")
    assert both.code == 2 and "exactly one of --member ID or --body ID" in both.err
    # Today (the real clock) is years after these meetings: the feed's window leaves them out,
    # --since brings them back; a bad or backwards window is refused naming the option.
    now = cli("--config", cfg, "--db", db, "calendar", "export", "--body", "jcc")
    assert now.code == 0 and "BEGIN:VCALENDAR" in now.out and "BEGIN:VEVENT" not in now.out
    bad = cli("--config", cfg, "--db", db, "calendar", "export", "--body", "jcc",
              "--since", "2016-02-30")
    assert bad.code == 2 and "--since: '2016-02-30' is not a date" in bad.err
    backwards = cli("--config", cfg, "--db", db, "calendar", "export", "--body", "jcc",
                    "--since", "2016-03-01", "--until", "2016-02-01")
    assert backwards.code == 2 and "--until: 2016-02-01 is before --since 2016-03-01" \
        in backwards.err
    march = cli("--config", cfg, "--db", db, "calendar", "export", "--body", "jcc",
                "--since", "2016-03-01", "--until", "2016-03-30")
    assert march.code == 0 and march.out.count("BEGIN:VEVENT") >= 1
    assert "Joint Commissioning Committee, 5 Jan 2016" not in march.out
    assert "DTSTART;TZID=Europe/London:20160330T140000" in march.out
