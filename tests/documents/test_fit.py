"""Documents fit the page: page by page, no text is drawn outside the page box, and no page
carries a single stray line (keep-with-next, widows and orphans)."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from notifications.documents.pack import PackResult

FURNITURE = re.compile(r"^(Page \d+ of \d+|Supplement \d+ · page .*|NOT FOR PUBLICATION.*)$")


def _pages(pdf: bytes) -> list[tuple[list[tuple[float, float, str]], tuple[float, float]]]:
    """Each page's text runs (x, y, text) in page space, and the page's width and height."""
    out = []
    for page in PdfReader(BytesIO(pdf)).pages:
        runs: list[tuple[float, float, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object,
                  runs: list[tuple[float, float, str]] = runs) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append((x, y, text.strip()))

        page.extract_text(visitor_text=visit)
        box = page.mediabox
        out.append((runs, (float(box.width), float(box.height))))
    return out


def _check(name: str, pdf: bytes) -> None:
    pages = _pages(pdf)
    for n, (runs, (width, height)) in enumerate(pages, start=1):
        for x, y, text in runs:
            assert -1 <= x < width and 0 <= y <= height, (
                f"{name} page {n}: {text!r} at ({x:.0f}, {y:.0f}) is outside the page box "
                f"{width:.0f} x {height:.0f}")
        body = [r for r in runs if not FURNITURE.match(r[2])]
        lines = {round(y) for _, y, _ in body}
        # The running header is one line at the top of every page after the first.
        header = {round(y) for _, y, _ in body if y > height - 60}
        if len(pages) > 1:
            assert len(lines - header) != 1, (
                f"{name} page {n} holds one stray line: "
                f"{[t for _, y, t in body if round(y) in lines - header]}")


def test_every_document_kind_fits_its_pages(docs: dict[str, bytes], pack: PackResult) -> None:
    for name, pdf in {**docs, "pack": pack.pdf}.items():
        _check(name, pdf)


@pytest.mark.parametrize("months", [14])
def test_a_wide_gateway_report_keeps_every_month_on_the_page(months: int) -> None:
    from dataclasses import replace

    from notifications.documents import kinds
    from notifications.documents import samples as S

    g = S.sample_gateway()
    labels = tuple(f"M{n:02d} 2020" for n in range(months))
    proposals = tuple(replace(p, cells=tuple(replace(p.cells[0], month=m,
                                                     label="Go with conditions or pause: "
                                                           "go with conditions (ccg)")
                                             for m in labels)) for p in g.proposals)
    pdf = kinds.render(kinds.gateway_html(replace(g, months=labels,
                                                  proposals=proposals))).pdf
    _check("gateway", pdf)
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert all(m in text for m in labels)


def test_pool_statement_says_not_yet_forecast_and_shares_no_missing_figures() -> None:
    from dataclasses import replace

    from notifications.documents import kinds
    from notifications.documents import samples as S

    p = S.sample_pool()
    blank = replace(p, lines=tuple(replace(ln, forecast=None) for ln in p.lines))
    totals = kinds.pool_totals(blank)
    assert totals.forecast is None and totals.variance is None and totals.shares == ()
    words = " ".join(PdfReader(BytesIO(kinds.render(kinds.pool_html(blank)).pdf))
                     .pages[0].extract_text().split())
    assert "not yet forecast" in words and "no overspend or underspend to share" in words
    assert "n/a" not in words
    full = " ".join(PdfReader(BytesIO(kinds.render(kinds.pool_html(p)).pdf))
                    .pages[0].extract_text().split())
    assert re.search(r"£\d{1,3},\d{3},\d{3}", full), "money to the pound"
