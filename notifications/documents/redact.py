"""Public versions of documents: a Part 2 item shows only its title and exempt paragraph
(LGA 1972 s100B(2),(5)). Redaction happens on the view model, before any template sees the
exempt content, so no body text, figure or appendix can reach public output."""

from __future__ import annotations

from dataclasses import replace

from decisions.access import EXEMPT_PART, is_exempt
from notifications.documents.views import (
    AgendaEntry,
    AgendaView,
    CoverSheet,
    DecisionNoticeView,
    MinuteItem,
    MinutesView,
    ReportView,
)

EMPTY_COVER = CoverSheet((), (), (), "", "", "", "", "")


def public_entry(e: AgendaEntry) -> AgendaEntry:
    """What the public see of an agenda line: of a Part 2 item only its number, title and
    the ground of exemption (not the reason, the lead officer or the timing)."""
    if is_exempt(e):
        return replace(e, exempt_reason="", interest_declared=False, lead="", time="")
    return replace(e, interest_declared=False)


def public_agenda(a: AgendaView) -> AgendaView:
    return replace(a, entries=tuple(public_entry(e) for e in a.entries), public=True,
                   member_name=None)


def public_report(r: ReportView) -> ReportView:
    if not is_exempt(r):
        return replace(r, interest_note="")
    return ReportView(number=r.number, title=r.title, cover=EMPTY_COVER, sections=(),
                      part=EXEMPT_PART, exempt_paragraph=r.exempt_paragraph,
                      supplement=r.supplement, regime=r.regime)


def public_minutes(m: MinutesView) -> MinutesView:
    items = tuple(
        MinuteItem(number=i.number, title=i.title, part=EXEMPT_PART,
                   exempt_paragraph=i.exempt_paragraph)
        if is_exempt(i) else i for i in m.items)
    return replace(m, items=items, public=True)


def public_notice(n: DecisionNoticeView) -> DecisionNoticeView:
    if not is_exempt(n):
        return replace(n, public=True)
    return replace(n, decision="", reasons="", alternatives_rejected=(), public=True)
