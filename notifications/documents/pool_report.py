"""The quarterly report on the pooled fund to the partners (SI 2000/617 reg 7(4): the pooled
fund manager reports quarterly): rendered, stored as a public document, and raised as
PoolReportSent, which meets the quarter's reporting deadline."""

from __future__ import annotations

from dataclasses import dataclass

from decisions.errors import InvalidInput
from decisions.principals import SELF, Permission, Scope
from decisions.terms import LocalityConfig
from notifications.documents.events import PoolReportSent
from notifications.documents.tables import DocumentRow
from workflows.actions import Action
from workflows.events import UnitOfWork


@dataclass(frozen=True)
class SendPoolReport(Action[DocumentRow]):
    """``s75 pool report --quarter N``: the pooled fund manager (``[pool] fund_manager``) or
    the programme director sends the quarter's report to the partners."""

    name = "pool report"
    permission = Permission(("programme_director", SELF))
    quarter: int

    def validate(self, cfg: LocalityConfig) -> None:
        if not 1 <= self.quarter <= 4:
            raise InvalidInput(f"--quarter: {self.quarter} is not a quarter of the financial "
                               "year; expected 1, 2, 3 or 4")

    def scope(self, uow: UnitOfWork, loaded: object) -> Scope:
        pool = uow.config.pool
        manager = pool.fund_manager
        who = f", whose fund manager is {uow.config.member_by_id(manager).name}" if manager \
            else ""
        return Scope(f"the {pool.name} quarter {self.quarter} report{who}", member=manager,
                     member_name=uow.config.member_by_id(manager).display if manager else "")

    def write(self, uow: UnitOfWork, loaded: object) -> DocumentRow:
        from notifications.documents import kinds, store
        from notifications.documents.config_views import pool_view

        cfg = uow.config
        r = kinds.render(kinds.pool_html(pool_view(cfg, f"quarter {self.quarter} report")))
        doc = store.save(uow.session, kind="pool", title=f"{cfg.pool.name}: Q{self.quarter} "
                         "report", pdf=r.pdf, pages=r.pages, subject_type="locality",
                         subject_id=f"q{self.quarter}", now=uow.now, public=True,
                         event="pool.report_sent")
        assert doc.id is not None
        uow.emit(PoolReportSent(document_id=doc.id, quarter=self.quarter))
        return doc
