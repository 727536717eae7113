"""View models for every document kind: plain, frozen dataclasses the templates read.

Nothing here touches the database or WeasyPrint. ``gather.py`` builds these from the tables,
``config_views.py`` from config.toml, ``samples.py`` from the seed papers; ``render.py`` and
``pack.py`` turn them into PDFs. Money is :class:`~decimal.Decimal` in pounds.

They live in :mod:`~notifications.documents.meeting_views` (agenda, reports, packs,
supplements, minutes, action log) and :mod:`~notifications.documents.record_views` (decision
notices, forward plan, terms of reference, gateway report, pool statement); this module
gathers them under one name for the code that works across document kinds.
"""

from __future__ import annotations

from notifications.documents.meeting_views import (
    ActionLogView,
    ActionView,
    AgendaEntry,
    AgendaView,
    Appendix,
    Attendee,
    Block,
    ChecklistLine,
    ComplianceChecklist,
    CoverSheet,
    DataTable,
    DeclarationView,
    Figure,
    MinuteItem,
    MinutesView,
    NextMeeting,
    NumberedSection,
    PackView,
    ReportView,
    Section,
    SupplementView,
    numbered,
)
from notifications.documents.record_views import (
    DecisionNoticeView,
    ForwardPlanEntry,
    ForwardPlanView,
    GatewayCell,
    GatewayProposal,
    GatewayReportView,
    OpenCondition,
    PoolLineView,
    PoolStatementView,
    Rag,
    TermsClause,
    TermsView,
)

__all__ = [
    "ActionLogView",
    "ActionView",
    "AgendaEntry",
    "AgendaView",
    "Appendix",
    "Attendee",
    "Block",
    "ChecklistLine",
    "ComplianceChecklist",
    "CoverSheet",
    "DataTable",
    "DecisionNoticeView",
    "DeclarationView",
    "Figure",
    "ForwardPlanEntry",
    "ForwardPlanView",
    "GatewayCell",
    "GatewayProposal",
    "GatewayReportView",
    "MinuteItem",
    "MinutesView",
    "NextMeeting",
    "NumberedSection",
    "OpenCondition",
    "PackView",
    "PoolLineView",
    "PoolStatementView",
    "Rag",
    "ReportView",
    "Section",
    "SupplementView",
    "TermsClause",
    "TermsView",
    "numbered",
]
