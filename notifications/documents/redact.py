"""Public versions of documents: a Part 2 item shows only its title and exempt paragraph
(LGA 1972 s100B(2),(5)). Redaction happens on the view model, before any template sees the
exempt content, so no body text, figure or appendix can reach public output.

Every public view of a Part 2 item is built from :class:`ExemptItem` (number, title, ground of
exemption in the words of :mod:`decisions.access`; nothing else): the agenda line, the report,
the minute, the decision notice, the action log. A declaration of interest on a Part 2 item
shows in the public minutes only as one line saying that a declaration on that item is
recorded in the Part 2 minutes (no member, no interest, no management)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from decisions.access import EXEMPT_PART, REGIMES, RegimeId, is_exempt
from notifications.documents.meeting_views import declared_sentences
from notifications.documents.views import (
    ActionLogView,
    ActionView,
    AgendaEntry,
    AgendaView,
    CoverSheet,
    DecisionNoticeView,
    DeclarationView,
    MinuteItem,
    MinutesView,
    ReportView,
)

EMPTY_COVER = CoverSheet((), (), (), "", "", "", "", "")


@dataclass(frozen=True)
class ExemptItem:
    """All the public may know of a Part 2 item."""

    number: str
    title: str
    exempt_paragraph: int | None
    ground: str
    """To follow "exempt by virtue of": :meth:`decisions.access.Regime.exempt_basis`."""


def exempt_item(number: str, title: str, exempt_paragraph: int | None,
                regime: RegimeId | str = "lga1972") -> ExemptItem:
    basis = REGIMES[regime].exempt_basis(exempt_paragraph)
    return ExemptItem(number, title, exempt_paragraph, basis)


def exempt_action_text(x: ExemptItem) -> str:
    item = f" (item {x.number})" if x.number else ""
    return f"An action arising from Part 2 business{item}, exempt by virtue of {x.ground}."


def public_entry(e: AgendaEntry) -> AgendaEntry:
    """What the public see of an agenda line: of a Part 2 item only its number, title and
    the ground of exemption (not the reason, the lead officer or the timing)."""
    if is_exempt(e):
        x = exempt_item(e.number, e.title, e.exempt_paragraph)
        return AgendaEntry(x.number, x.title, report="Not for publication", action="",
                           part=EXEMPT_PART, exempt_paragraph=x.exempt_paragraph,
                           supplement=e.supplement)
    return replace(e, interest_declared=False)


def public_agenda(a: AgendaView) -> AgendaView:
    return replace(a, entries=tuple(public_entry(e) for e in a.entries), public=True,
                   member_name=None)


def public_report(r: ReportView) -> ReportView:
    if not is_exempt(r):
        return replace(r, interest_note="")
    x = exempt_item(r.number, r.title, r.exempt_paragraph, r.regime)
    return ReportView(number=x.number, title=x.title, cover=EMPTY_COVER, sections=(),
                      part=EXEMPT_PART, exempt_paragraph=x.exempt_paragraph,
                      supplement=r.supplement, regime=r.regime)


def public_minutes(m: MinutesView) -> MinutesView:
    exempt = {i.number: exempt_item(i.number, i.title, i.exempt_paragraph, m.regime)
              for i in m.items if is_exempt(i)}
    items = tuple(
        MinuteItem(number=exempt[i.number].number, title=exempt[i.number].title,
                   part=EXEMPT_PART, exempt_paragraph=exempt[i.number].exempt_paragraph)
        if i.number in exempt else i for i in m.items)
    declarations = tuple(d for d in m.declarations if d.item_number not in exempt)
    declared = dict.fromkeys(d.item_number for d in m.declarations if d.item_number in exempt)
    declarations += tuple(  # that a declaration was made is public; who and what is not
        DeclarationView("–", exempt[n].number, exempt[n].title,
                        "Declared on exempt business: recorded in the Part 2 minutes", "")
        for n in declared)
    generated = len(declared_sentences(m.declarations))
    items = tuple(  # the declarations minute, retold from the public declarations only
        replace(i, discussion=declared_sentences(declarations) + i.discussion[generated:])
        if i.standing == "declarations" else i for i in items)
    return replace(m, items=items, declarations=declarations, public=True)


def public_actions(v: ActionLogView) -> ActionLogView:
    """The public action log: an action on a Part 2 item keeps its reference, due date and
    status; its item is named by number and title only, its text by the ground of
    exemption, and its owner and closing note are left out."""
    return replace(v, actions=tuple(_public_action(a, v.regime) for a in v.actions),
                   public=True)


def _public_action(a: ActionView, regime: str) -> ActionView:
    if not is_exempt(a):
        return a
    x = exempt_item(a.item_number, a.item, a.exempt_paragraph, regime)
    return ActionView(a.ref, f"{x.number}. {x.title}" if x.number else x.title,
                      exempt_action_text(x), "", a.due_on, a.status, part=EXEMPT_PART,
                      exempt_paragraph=x.exempt_paragraph, item_number=x.number)


def public_notice(n: DecisionNoticeView) -> DecisionNoticeView:
    if not is_exempt(n):
        return replace(n, public=True)
    x = exempt_item("", n.title, n.exempt_paragraph, n.regime)
    return replace(n, title=x.title, exempt_paragraph=x.exempt_paragraph, decision="",
                   reasons="", alternatives_rejected=(), interests_declared=(),
                   dispensations=(), urgency="", public=True,
                   call_in_note="The decision has been called in." if n.call_in_note else "")
