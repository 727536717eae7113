"""Permission cases for the document actions: the quarterly pool report is sent by the pooled
fund manager (config.toml: s151) or the programme director."""

from __future__ import annotations

from notifications.documents.pool_report import SendPoolReport
from s75.app import App
from tests.actions.support import Case, case


@case("pool report")
def _pool_report(app: App) -> Case:
    return Case(SendPoolReport(2), "s151", "exec_adults")
