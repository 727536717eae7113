"""The permission case of officer clearance (workflows/committee/clearance.py): the JCC's
terms ask for finance clearance here; an admin may clear, a secretary without the role not."""

from __future__ import annotations

from s75.app import App
from tests.actions.committee_cases import item, meetings
from tests.actions.support import Case, case
from workflows.committee.clearance import ClearItem


@case("item clear")
def _item_clear(app: App) -> Case:
    cfg = app.config
    bodies = tuple(b.model_copy(update={"clearance": ("finance",)}) if b.id == "jcc" else b
                   for b in cfg.body)
    app.__dict__["config"] = cfg.model_copy(update={"body": bodies})
    i = item(app, meetings(app, "jcc")[0], "submitted")
    return Case(ClearItem(i, "finance"), "democratic_services", "board_secretary")
