"""The programme export: the gateway board's rows as CSV and as an XLSX workbook (openpyxl,
write-only). A text cell that a spreadsheet would run as a formula (starting ``=``, ``+``,
``-``, ``@``, tab or carriage return) is prefixed with an apostrophe (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from s75.web.board import BoardRow

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def header(months: Sequence[date]) -> list[str]:
    return ["Proposal", "Title", "Stage", "Start date", "At risk", "Why at risk",
            *(f"{m:%B %Y}" for m in months)]


def cell_text(rag_label: str, returns: Sequence[str]) -> str:
    return f"{rag_label}: {'; '.join(returns)}" if returns else rag_label


def lines(rows: Sequence[BoardRow], months: Sequence[date]) -> list[list[str]]:
    out = [header(months)]
    for r in rows:
        out.append([f"P-{r.id}", safe(r.title), r.stage, r.start_date.isoformat(),
                    "yes" if r.risks else "no", "; ".join(r.risks),
                    *(cell_text(c.label, c.returns) for c in r.cells)])
    return out


def export_csv(rows: Sequence[BoardRow], months: Sequence[date]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(lines(rows, months))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


def export_xlsx(rows: Sequence[BoardRow], months: Sequence[date], locality: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    fills = {"green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE", "due": "DDEBF7"}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Programme")
    ws.freeze_panes = "C2"
    bold = Font(bold=True)
    head = []
    for text in header(months):
        c = WriteOnlyCell(ws, value=text)
        c.font = bold
        head.append(c)
    ws.append(head)
    for r in rows:
        out: list[object] = [f"P-{r.id}", safe(r.title), r.stage, r.start_date,
                             "yes" if r.risks else "no", "; ".join(r.risks)]
        for cell in r.cells:
            c = WriteOnlyCell(ws, value=cell_text(cell.label, cell.returns))
            if cell.rag in fills:
                c.fill = PatternFill("solid", fgColor=fills[cell.rag])
            out.append(c)
        ws.append(out)
    wb.properties.title = f"{locality}: programme of proposals"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
