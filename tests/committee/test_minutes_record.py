"""Minutes as a true record: a full meeting minuted in agenda order and approved with an
amendment at the next meeting; impossible dates refused. (Each outcome in its own words, in
the minutes and the notice: test_outcome_records.py.)"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from s75.web.app import create_app
from tests.committee.test_cli_decide import CCG, COUNCIL, ready_item
from tests.web.client import TestClient
from tests.web.web_helpers import web_app

Result = Any
IDS = re.compile(r"\b(exec_adults|exec_children|ccg_chair|accountable_officer|gp_director_\d|"
                 r"dass|cfo|s151|dph|director_people|leader|ccg_board|jcc|cabinet)\b(?![.@])")


def pdf_text(path: Path) -> str:
    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", text)


def minutes(s75: Callable[..., Result], meeting: int, tmp: Path, *flags: str) -> str:
    out = tmp / f"minutes-{meeting}{''.join(flags)}.pdf"
    r = s75("render", "minutes", meeting, "--out", out, *flags)
    assert r.code == 0, r.text
    return pdf_text(out)


def notice(s75: Callable[..., Result], decision: int, tmp: Path) -> str:
    out = tmp / f"notice-{decision}.pdf"
    r = s75("render", "notice", decision, "--out", out)
    assert r.code == 0, r.text
    return pdf_text(out)


def no_ids(text: str) -> None:
    assert not IDS.search(text), IDS.search(text)


def test_full_meeting_then_approval_with_amendment(
        jcc: list[dict[str, Any]], s75: Callable[..., Result], s75json: Callable[..., Any],
        tmp_path: Path, db_url: str) -> None:
    m1, m2 = jcc[0]["id"], jcc[1]["id"]
    open_item = ready_item(s75json, m1, "Intermediate care beds")
    quorum_item = ready_item(s75json, m1, "GP out-of-hours contract")
    private = ready_item(s75json, m1, "Care home fee negotiations", "--part", "2",
                         "--paragraph", "3", "--exempt-reason",
                         "Disclosure would prejudice the negotiations")
    s75json("meeting", "apologies", m1, "dass")
    s75json("meeting", "attend", m1, "director_people", "--substitute-for", "dass")
    s75json("meeting", "attend", m1, "leader", "exec_adults", "exec_children", "dph", "s151",
            *CCG)
    s75json("interest", "declare", open_item, "dph", "--nature", "non_pecuniary",
            "--description", "Trustee of a hospice", "--managed", "left_room")
    s75json("decide", open_item)
    for member in ("ccg_chair", "gp_director_1"):
        s75json("interest", "declare", quorum_item, member, "--nature", "pecuniary",
                "--description", "GP partner in the provider federation")
    assert s75("decide", quorum_item).code == 2
    s75json("decide", private)
    show = s75json("meeting", "show", m1)["items"]
    aob = next(i["id"] for i in show if i["title"] == "Any other business")
    s75json("meeting", "hold", m1)
    wrong = s75("minutes", "write", m2, aob, "--text", "Nothing")
    assert wrong.code == 2 and "not of meeting" in wrong.err
    s75json("minutes", "write", m1, aob, "--text",
            "The Chair thanked the Director of People for attending at short notice.")
    draft = minutes(s75, m1, tmp_path)
    no_ids(draft)
    order = ["Apologies for absence were received from Rachel Tanner, Statutory Director of "
             "Adult Social Services.",
             "Margaret Asquith, Director of People attended as substitute for Rachel Tanner",
             "Dr Helen Lowey, Director of Public Health declared a non-pecuniary interest",
             "Left the room for the item and took no part",
             "JCC/19/5 Intermediate care beds", "JCC/19/6 GP out-of-hours contract",
             "could not be decided for want of a quorum", "Exclusion of the public",
             "Care home fee negotiations", "The Chair thanked the Director of People",
             "The next meeting will be held on Wednesday 8 May 2019 at 2.00pm"]
    missing = [x for x in order if x not in draft]
    assert not missing, (missing, draft)
    at = [draft.index(x) for x in order]
    assert at == sorted(at), list(zip(order, at, strict=True))
    # The next meeting: attendance, then the minutes approved with an amendment.
    s75json("meeting", "attend", m2, *COUNCIL, *CCG)
    s75json("minutes", "approve", m1, "--amendments",
            "Minute JCC/19/5: the hospice is St Ann's Hospice")
    approved = minutes(s75, m1, tmp_path, "--public")
    assert "Approved by the Joint Commissioning Committee at its meeting on Wednesday 8 May " \
        "2019 as amended, and signed by the chair" in approved
    assert "St Ann's Hospice" in approved and "Disclosure would prejudice" not in approved
    docs = s75json("documents", "list", "--meeting", m1)
    kinds = [(d["kind"], d["audience"]) for d in docs]
    assert ("minutes", "public") in kinds and kinds.count(("minutes", "members")) == 2
    # A correction reissues the minutes as a new version, with the reason.
    r = s75("minutes", "write", m1, aob, "--text", "Late change")
    assert r.code == 2 and "correction" in r.err
    s75json("minutes", "correct", m1, aob, "--text", "The Chair thanked the Director of People "
            "and the Director of Public Health.", "--reason", "The minute omitted the DPH")
    corrected = minutes(s75, m1, tmp_path, "--public")
    assert "Corrected on" in corrected and "The minute omitted the DPH." in corrected
    assert "and the Director of Public Health." in corrected
    docs = s75json("documents", "list", "--meeting", m1)
    # The meeting's public page lists the approved public minutes (and no Part 2 text).
    app = web_app(db_url)
    with TestClient(create_app(app, start_scheduler=False)) as client:
        page = client.get(f"/meetings/{m1}")
        public_id = next(d["id"] for d in docs
                         if d["audience"] == "public" and d["kind"] == "minutes")
        assert page.status_code == 200 and f"/documents/{public_id}.pdf" in page.text
        assert "Disclosure would prejudice" not in page.text
    app.close()


def test_impossible_dates_are_refused_and_back_entry_allowed(
        jcc: list[dict[str, Any]], s75: Callable[..., Result],
        s75json: Callable[..., Any]) -> None:
    m1, m2 = jcc[0]["id"], jcc[1]["id"]
    early = ("--now", "2019-04-01T09:00")
    r = s75(*early, "meeting", "hold", m1)
    assert r.code == 2 and "starts at 14:00 on Wednesday 10 April 2019" in r.err
    assert "a meeting is held only once it has begun" in r.err and "--now" in r.err
    r = s75(*early, "meeting", "attend", m1, "leader")
    assert r.code == 2 and "before it" in r.err and "Wednesday 10 April 2019" in r.err
    assert s75json(*early, "meeting", "apologies", m1, "dass")  # apologies may come first
    assert s75json("meeting", "show", m1)["status"] == "scheduled"
    on_the_day = ("--now", "2019-04-10T16:00")
    s75json(*on_the_day, "meeting", "attend", m1, *COUNCIL[:1], *CCG)
    s75json(*on_the_day, "meeting", "hold", m1)
    r = s75(*on_the_day, "minutes", "approve", m1, "--at", m2)
    assert r.code == 2 and "the approving meeting, starts at 14:00 on Wednesday 8 May 2019" \
        in r.err
    r = s75(*on_the_day, "minutes", "approve", m1, "--at", jcc[2]["id"] + 100)
    assert r.code == 2
    assert s75json("minutes", "approve", m1, "--at", m2, "--no-sign")["state"] == "approved"
