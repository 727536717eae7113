"""Reports as their authors write them, through the CLI: Markdown with a table and a list, a
PDF appendix bound into the pack, the action in the secretary's words, file 000's compliance
checklist on the cover sheet; and the refusals (raw HTML, a file that is not a PDF, a blank
cover sheet), each exit 2 with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from notifications.documents.render import html_to_pdf
from tests.documents.doc_helpers import reader, text
from tests.principals import COVER_ARGS

Result = Any
BODY = """# Budget

The pooled budget grows as follows.

| Service line | Budget £000 |
|---|---:|
| Adult community | 3,808 |
| Mental health | 1,200 |

- Demand rose by 12%
- Costs are within the pool
"""


def _appendix(tmp_path: Path) -> Path:
    pdf = html_to_pdf("<html lang='en-GB'><title>EIA</title><body><p>Equality impact "
                      "assessment: no adverse impact found.</p>"
                      "<p style='page-break-before: always'>Second page of the "
                      "assessment.</p></body></html>").pdf
    path = tmp_path / "eia.pdf"
    path.write_bytes(pdf)
    return path


def test_markdown_report_with_pdf_appendix_in_the_pack(
        jcc: list[dict[str, Any]], s75: Callable[..., Result], s75json: Callable[..., Any],
        tmp_path: Path) -> None:
    m = jcc[0]["id"]
    (tmp_path / "body.md").write_text(BODY, encoding="utf-8")
    item = s75json("item", "add", m, "Pool budget 2019/20", *COVER_ARGS,
                   "--text-file", tmp_path / "body.md", "--wording", "To debate and approve",
                   "--appendix", f"Equality impact assessment={_appendix(tmp_path)}",
                   "--check", "eia=Y", "--check", "finance=To follow")
    s75json("item", "submit", item["id"], "--on", "2019-03-20")
    s75json("item", "accept", item["id"])
    s75json("meeting", "publish", m, "--on", "2019-04-01")
    [pack] = s75json("documents", "list", "--kind", "pack", "--meeting", m)
    out = tmp_path / "pack.pdf"
    assert s75("documents", "get", pack["id"], "--out", out).code == 0
    pdf = out.read_bytes()
    words = " ".join(text(pdf).split())
    assert "| Service line |" not in words
    assert "Adult community 3,808" in words and "Demand rose by 12%" in words
    assert "To debate and approve" in words
    assert "Compliance checklist" in words and "To follow" in words
    assert "Not provided" in words  # checklist lines the author did not answer
    assert "Appendix 1: Equality impact assessment" in words and "eia.pdf, 2 pages" in words
    pages = [" ".join(p.extract_text().split()) for p in reader(pdf).pages]
    at = next(i for i, p in enumerate(pages) if "no adverse impact found" in p)
    assert "Second page of the assessment" in pages[at + 1]
    assert pages[at].endswith(f"Page {at + 1} of {len(pages)}")


def test_bad_reports_are_refused_and_nothing_is_written(
        jcc: list[dict[str, Any]], s75: Callable[..., Result], s75json: Callable[..., Any],
        tmp_path: Path) -> None:
    m = jcc[0]["id"]
    before = s75json("meeting", "show", m)
    r = s75("item", "add", m, "Scripted", *COVER_ARGS, "--text",
            "Intro\n\n<script>alert(1)</script>")
    assert r.code == 2 and "text: line 3 holds raw HTML" in r.err and "Markdown" in r.err
    word = tmp_path / "eia.docx"
    word.write_bytes(b"PK\x03\x04 not a pdf \xff\xfe")
    r = s75("item", "add", m, "Word appendix", *COVER_ARGS, "--appendix", f"EIA={word}")
    assert r.code == 2 and "eia.docx is neither a PDF nor UTF-8 text" in r.err
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"hello")
    r = s75("item", "add", m, "Fake PDF", *COVER_ARGS, "--appendix", f"EIA={fake}")
    assert r.code == 2 and "fake.pdf is not a PDF" in r.err and "20 MB" in r.err
    assert s75json("meeting", "show", m) == before
    blank = s75json("item", "add", m, "Blank cover", "--decisions", "Approve")
    r = s75("item", "submit", blank["id"], "--on", "2019-03-20")
    assert r.code == 2
    for field in ("key_points", "impacts", "sponsor", "presenter"):
        assert field in r.err
    assert s75json("item", "show", blank["id"])["state"] == "draft"


def test_items_are_edited_until_published_then_with_a_reason_and_reordered(
        jcc: list[dict[str, Any]], s75: Callable[..., Result], s75json: Callable[..., Any],
        tmp_path: Path) -> None:
    m = jcc[0]["id"]
    ids = []
    for title in ("Winter beds", "Care homes", "Carers breaks"):
        item = s75json("item", "add", m, title, *COVER_ARGS)
        ids.append(item["id"])
    order = s75json("item", "reorder", ids[2], "1")
    assert [i["title"] for i in order] == ["Carers breaks", "Winter beds", "Care homes"]
    agenda = s75json("meeting", "show", m)
    titles = [i["title"] for i in agenda["items"]]  # in agenda order
    assert titles[0] == "Apologies for absence" and titles[-1] == "Any other business"
    assert titles.index("Carers breaks") < titles.index("Winter beds")
    assert s75("item", "reorder", ids[0], "9").code == 2
    edited = s75json("item", "edit", ids[0], "--title", "Winter beds: 20 more")
    assert edited["title"] == "Winter beds: 20 more" and edited["version"] == 2
    for i in ids:
        s75json("item", "submit", i, "--on", "2019-03-20")
        s75json("item", "accept", i)
    s75json("meeting", "publish", m, "--on", "2019-04-01")
    r = s75("item", "edit", ids[0], "--title", "Winter beds: 25 more")
    assert r.code == 2 and "reason: missing" in r.err
    (tmp_path / "fix.md").write_text("Corrected: 25 beds are needed.", encoding="utf-8")
    s75json("item", "edit", ids[0], "--text-file", tmp_path / "fix.md",
            "--reason", "The bed count was wrong")
    packs = s75json("documents", "list", "--kind", "pack", "--meeting", m)
    assert len(packs) == 2  # the first version kept beside the correction
    out = tmp_path / "v2.pdf"
    assert s75("documents", "get", max(p["id"] for p in packs), "--out", out).code == 0
    words = " ".join(text(out.read_bytes()).split())
    assert "Corrected: 25 beds are needed." in words and "Version 2, republished" in words
