"""A report "to follow" (issue 14, point 2): an item listed on the published agenda with its
report to follow keeps its place and number; when the report is supplied (``item edit
--text-file``, with its cover sheet) it is published in a supplement (public, and members'
where there is Part 2 business), paged on from the main pack, saying which item's report it
carries, and mailed to the members as the main pack was."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from notifications.tables import OutboxRow
from tests.documents.doc_helpers import text
from tests.principals import COVER_ARGS

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

COVER = ("--cover", "decisions_required=Approve the falls service",
         "--cover", "key_points=Fewer falls, fewer admissions",
         "--cover", "impacts=Financial: within the pool's budget",
         "--cover", "sponsor=Director of Adult Social Services",
         "--cover", "presenter=Head of Commissioning")


def _pdf(s75: Callable[..., Any], doc: dict[str, Any], tmp_path: Path) -> str:
    out = tmp_path / f"{doc['id']}.pdf"
    assert s75("documents", "get", doc["id"], "--out", out).code == 0
    return " ".join(text(out.read_bytes()).split())


def test_a_report_to_follow_is_published_in_a_supplement_keeping_its_number(
        jcc: list[dict[str, Any]], s75: Callable[..., Any], s75json: Callable[..., Any],
        tmp_path: Path, engine: Engine) -> None:
    m = jcc[0]["id"]
    lead = ("--as", "commissioning_lead")
    first = s75json(*lead, "item", "add", m, "Winter beds", *COVER_ARGS)
    later = s75json(*lead, "item", "add", m, "Falls prevention service", "--report",
                    "To follow", "--decisions", "Approve the falls service")
    for item in (first, later):  # a report to follow is submitted before its cover sheet
        s75json(*lead, "item", "submit", item["id"], "--on", "2019-03-20")
        s75json("item", "accept", item["id"])
    s75json("meeting", "publish", m, "--on", "2019-04-01")
    [agenda] = [d for d in s75json("documents", "list", "--kind", "pack", "--meeting", m)
                if d["audience"] == "public"]
    words = _pdf(s75, agenda, tmp_path)
    assert "Falls prevention service" in words and "Report to follow" in words
    found = re.search(r"(\d+) Falls prevention service", words)
    assert found, words[:2000]
    number = found.group(1)

    report = tmp_path / "falls.md"
    report.write_text("# Falls prevention\n\n| Ward | Falls |\n|---|---|\n| Halliwell | 41 |\n")
    missing = s75(*lead, "item", "edit", later["id"], "--text-file", report)
    assert missing.code == 2 and "cover sheet's required fields" in missing.err
    assert s75json("documents", "list", "--kind", "supplement", "--meeting", m) == []

    s75json("--now", "2019-04-03", *lead, "item", "edit", later["id"], "--text-file", report,
            *COVER)
    supplements = s75json("documents", "list", "--kind", "supplement", "--meeting", m)
    assert {d["audience"] for d in supplements} == {"public"}  # no Part 2: one version
    [public] = [d for d in supplements if d["audience"] == "public"]
    words = _pdf(s75, public, tmp_path)
    assert "Supplementary agenda 1" in words
    assert (f"The report for item {number}, listed on the agenda as to follow, is now "
            "published.") in words
    assert "matter of urgency" not in words
    assert f"Agenda item {number}" in words and "Halliwell" in words
    [main, again] = s75json("documents", "list", "--kind", "pack", "--meeting", m)
    assert again["pages"] == main["pages"]  # republished (the agenda says "In supplement 1")
    assert f"this supplement starts at page {agenda['pages'] + 1}" in words
    with Session(engine) as session:
        mails = session.exec(select(OutboxRow).where(
            OutboxRow.kind == "supplement_published")).all()
    assert mails and all("reports listed on the agenda as to follow." in o.body
                         for o in mails)
    assert all("urgency" not in o.body for o in mails)
    assert s75json("item", "show", later["id"])["report"] == "Written Report"
