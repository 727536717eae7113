"""`s75 demo` end to end: a year of governance on a fresh SQLite database, its PDFs and index,
for the default locality and for another one; an invalid config fails clearly."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import CONFIG, Result

ROOT = Path(__file__).resolve().parents[2]
STOCKPORT = ROOT / "examples" / "stockport.toml"
KINDS = ("agenda", "pack", "minutes", "notice")


def text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def bolton(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    from s75.cli.main import main

    out = tmp_path_factory.mktemp("bolton") / "out"
    import contextlib
    import io

    buf, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(err):
        code = main(["--config", str(CONFIG), "demo", "--out", str(out)])
    return Result(code, buf.getvalue(), err.getvalue()), out


def files_by_meeting(out: Path) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pdf in out.glob("*.pdf"):
        m = re.match(r"(\d{4}-\d\d-\d\d)_([a-z0-9-]+)_([a-z0-9-]+)", pdf.name)
        assert m, pdf.name
        day, body, kind = m.groups()
        found[(day, body)].add(kind)
    return found


def test_demo_runs_the_year_and_prints_a_summary(bolton: tuple[Result, Path]) -> None:
    result, _ = bolton
    assert result.code == 0, result.text
    for words in ("meetings held        19", "proposal now live", "referred",
                  "deferred for want of quorum", "(late, urgent)", "sent apologies",
                  "deadlines", "messages sent", "documents"):
        assert words in result.out, words
    assert re.search(r"messages sent\s+[1-9]\d* to \d+ recipients", result.out)
    # Missed: the July gateway of each of the five proposals (shadow operation began late in
    # the month), one later month of one, the signing deadline of the two still in shadow
    # operation, an action and a gateway condition.
    assert re.search(r"(\d+) met, 10 missed", result.out)
    assert ("programme            4 more proposals: 2 shadow operation, 1 stopped, "
            "1 variation") in result.out


def test_every_meeting_has_agenda_pack_minutes_and_notice(bolton: tuple[Result, Path]) -> None:
    _, out = bolton
    meetings = {k: v for k, v in files_by_meeting(out).items() if k[1] != "locality"}
    assert len(meetings) == 19
    for key, kinds in meetings.items():
        assert {"agenda", "pack", "minutes"} <= kinds, key
        assert any(k.startswith("notice") for k in kinds), key
    assert {k for k in meetings if k[1] == "jcc"} and {k for k in meetings if k[1] == "cabinet"}
    assert list(out.glob("*_locality_gateway-report.pdf"))
    assert list(out.glob("*_locality_pool-statement.pdf"))
    # Public and members' versions where a meeting has Part 2 business; one version otherwise.
    for kind in ("agenda", "pack"):
        assert (out / f"2019-10-09_jcc_{kind}_public.pdf").exists()
        assert (out / f"2019-10-09_jcc_{kind}_private.pdf").exists()
        assert (out / f"2019-04-10_jcc_{kind}.pdf").exists()


def test_public_pdfs_keep_part_2_out(bolton: tuple[Result, Path]) -> None:
    _, out = bolton
    exempt_public = text(out / "2019-10-09_jcc_pack_public.pdf")
    exempt_private = text(out / "2019-10-09_jcc_pack_private.pdf")
    assert "Care home fee negotiations with providers" in exempt_public
    assert "£612" not in exempt_public and "Provider A" not in exempt_public
    assert "£612" in exempt_private
    for pdf in out.glob("*public*.pdf"):
        assert "£612" not in text(pdf), pdf.name


def test_gateway_report_and_chair_rotation_read_back(bolton: tuple[Result, Path]) -> None:
    result, out = bolton
    gateway = " ".join(text(next(out.glob("*_gateway-report.pdf"))).split())  # labels wrap
    assert "Expand" in gateway and "Pause: NHS Bolton CCG" in gateway
    chairs = re.findall(r"Joint Commissioning Committee \d\d \w+ held, chair ([^.]+)\.",
                        result.out)
    assert len(chairs) == 12
    assert chairs[:2] == ["Leader of the Council", "Chair of the CCG"]
    assert chairs[2] == "Chair of the CCG"  # the due chair (the Leader) sent apologies


def test_index_links_every_pdf(bolton: tuple[Result, Path]) -> None:
    _, out = bolton
    index = (out / "index.html").read_text()
    for pdf in out.glob("*.pdf"):
        assert f'href="{pdf.name}"' in index, pdf.name
    assert (out / "scheduler-log.txt").read_text().count("REMINDED") > 0


def test_demo_runs_for_another_locality(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    r = cli("demo", "--config", str(STOCKPORT), "--start", "2015-04-01", "--out", str(out))
    assert r.code == 0, r.text
    assert "Stockport" in r.out and "proposal now live" in r.out
    meetings = {k for k in files_by_meeting(out) if k[1] != "locality"}
    assert {b for _, b in meetings} == {"icb", "smbc-cabinet", "governing-body"}


def test_demo_fails_clearly_for_an_invalid_config(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.toml"
    bad.write_text(STOCKPORT.read_text().replace('lead = "smbc"', 'lead = "nhs_england"', 1))
    r = cli("demo", "--config", str(bad), "--out", str(tmp_path / "out"))
    assert r.code == 2
    assert "pool.line[1].lead: 'nhs_england'" in r.err
    assert not (tmp_path / "out").exists()


def test_demo_rejects_a_bad_start_date(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("demo", "--start", "April 2019", "--out", str(tmp_path / "out"))
    assert r.code == 2 and "--start: 'April 2019' is not a date" in r.err


def test_the_year_can_be_browsed_on_the_web(bolton: tuple[Result, Path]) -> None:
    """The summary ends with the command that serves the demo's database; its pages show the
    year as the public would see it (what `s75 demo --serve` starts)."""
    from decisions.clock import SimulatedClock
    from s75.app import clock_at, make_app
    from s75.config import load_config
    from s75.web.app import create_app
    from tests.web.client import TestClient

    result, out = bolton
    m = re.search(r"Browse the year on the web: s75 --config (\S+) --db (\S+) --now (\S+) "
                  r"serve --no-scheduler", result.out)
    assert m, result.out[-600:]
    assert m.group(2) == f"sqlite:///{(out / 'demo.db').resolve()}"
    clock: SimulatedClock = clock_at(m.group(3), load_config(m.group(1)).zone)
    app = make_app(m.group(1), m.group(2), clock)
    try:
        with TestClient(create_app(app, start_scheduler=False)) as client:
            home = client.get("/")
            assert home.status_code == 200 and "Joint Commissioning Committee" in home.text
            proposals = client.get("/proposals").text
            for stage in ("Live", "Annual variation", "Stopped", "Shadow operation"):
                assert f"{stage}<br>" in proposals, stage
            assert "Go with conditions or pause" in proposals and "At risk" in proposals
            risky = client.get("/proposals?at_risk=yes").text
            assert "Intermediate care and reablement" in risky
            assert "Expand the pool: Population Health" not in risky  # live: not at risk
            jcc = client.get("/bodies/jcc").text
            meeting = re.findall(r'href="(/meetings/\d+)"', jcc)
            assert meeting
            pages = [client.get(url).text for url in meeting]
            assert any("consensus" in page.lower() for page in pages)
            assert not [p for p in pages if "Noted. Noted." in p]  # each rule said once
        login = re.search(r"Staff sign-in: http://127\.0\.0\.1:\d+/login as (\S+) with "
                          r"password (\S+) \(secretary of ([^)]+)\)", result.out)
        assert login, result.out[-600:]
        with TestClient(create_app(app, start_scheduler=False),
                        base_url="https://testserver") as staff:
            token = re.search(r'name="csrf" value="([^"]+)"', staff.get("/login").text)
            assert token
            r = staff.post("/login", data={"csrf": token.group(1), "username": login.group(1),
                                           "password": login.group(2)})
            assert r.status_code == 200 and "Your committees" in r.text
            assert login.group(3).split(", ")[0] in r.text
    finally:
        app.close()


def test_demo_on_three_partners_voting_one_vote_each_makes_a_referral(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A joint committee deciding one vote per partner: the referral scene's objector's partner
    votes against, the item is referred to that partner's sovereign body, and it is taken there."""
    out = tmp_path / "out"
    r = cli("--config", str(ROOT / "examples" / "three_partners.toml"), "demo", "--out", str(out))
    assert r.code == 0, r.text
    assert "internal error" not in r.text
    assert re.search(r"decisions\s+\d+ \(1 referred,", r.out), r.out[-800:]
    assert "not every partner voted for, referred" in r.out
    assert "approved (one vote per partner)" in r.out
    assert "referred item" in r.out and "accepted for the Board's agenda" in r.out
    assert "proposal now live" in r.out
    assert "Chief Executive of the Foundation Trust" in r.out  # the third partner signs
    # The referral read back from the minutes: referred by the joint committee under its rule,
    # taken by the CCG Board, and its outcome noted by the committee when it came back.
    minutes = {p.name: " ".join(text(p).split()) for p in out.glob("*_jcc_minutes_public.pdf")}
    [referred] = [t for t in minutes.values() if "That the decision be referred to CCG Board" in t]
    assert ("How the decision was taken: Not agreed: a decision needs every partner's vote, and "
            "Bolton Council voted against. Under paragraph 5.2 of the terms of reference the "
            "decision is referred to CCG Board, at its meeting on") in referred
    [back] = [t for t in minutes.values() if "Report back: decision of CCG Board on" in t]
    assert re.search(r"Report back: decision of CCG Board on [^.]+ Resolved: That the report be "
                     "noted.", back), back
    assert "report back item" in r.out and "Report back: decision of CCG Board" in r.out
    summary = r.out[r.out.index("\nSummary"):]
    assert re.search(r"referrals\s+1: Joint Commissioning Committee to CCG Board, decided there "
                     r"and reported back", summary), summary
