"""The permission cases of attaching an appendix (workflows/committee/appendix_actions.py),
officer clearance (clearance.py: the JCC's terms ask for finance clearance here; an admin may
clear, a secretary without the role not) and circulating the draft minutes (circulation.py)."""

from __future__ import annotations

from s75.app import App
from tests.actions.committee_cases import item, meetings
from tests.actions.support import Case, case
from workflows.committee.appendix_actions import AttachAppendix
from workflows.committee.circulation import CirculateMinutes
from workflows.committee.clearance import ClearItem


@case("item clear")
def _item_clear(app: App) -> Case:
    cfg = app.config
    bodies = tuple(b.model_copy(update={"clearance": ("finance",)}) if b.id == "jcc" else b
                   for b in cfg.body)
    app.__dict__["config"] = cfg.model_copy(update={"body": bodies})
    i = item(app, meetings(app, "jcc")[0], "submitted")
    return Case(ClearItem(i, "finance"), "democratic_services", "board_secretary")


@case("item attach")
def _item_attach(app: App) -> Case:
    i = item(app, meetings(app, "jcc")[0])
    return Case(AttachAppendix(i, "Equality impact assessment", "eia.pdf", one_page_pdf()),
                "commissioning_lead", "exec_adults")


def one_page_pdf() -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


@case("minutes circulate")
def _minutes_circulate(app: App) -> Case:
    from tests.actions.committee_cases import QUARTER
    from workflows.committee.meeting_actions import HoldMeeting

    first = meetings(app, "ccg_board", QUARTER)[0]
    app.perform(HoldMeeting(first))
    return Case(CirculateMinutes(first), "board_secretary", "cfo")
