"""Plain data for the report authors' and clearing officers' pages: the items assigned to an
author, the reports awaiting an officer's clearance, and one item's page (its report rendered
as the pack prints it, its appendices, where its clearance stands, and what the signed-in
person may do there). Who may open an item's page is decided here, in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlmodel import Session, col, func, select

from decisions.principals import SECRETARY, PermissionRefused, Principal, permits
from decisions.terms import LocalityConfig
from notifications.documents.markdown import sections
from notifications.documents.meeting_views import Block
from s75.web.paging import Paging, paging
from workflows.actions import body_scope
from workflows.committee import clearance, common
from workflows.committee.item_edits import OPEN_STATES, PUBLISHED_STATES
from workflows.committee.tables import COVER_FIELDS, AgendaItemRow, MeetingRow

COVER_LABELS = {
    "decisions_required": "What decisions do you require?",
    "key_points": "The key points",
    "impacts": "Likely impacts and implications",
    "business_plan_link": "How does this link to the Annual Business Plan?",
    "conflicts_of_interest": "Potential conflicts of interest",
    "previously_discussed": "Previously discussed at",
    "sponsor": "Sponsor",
    "presenter": "Presenter",
}
STATE_WORDS = {"draft": "Draft", "submitted": "Submitted", "accepted": "Accepted",
               "published": "Published", "considered": "Considered", "decided": "Decided",
               "deferred": "Deferred", "withdrawn": "Withdrawn"}


@dataclass(frozen=True)
class Row:
    """One item in a list: the author's items, or the reports awaiting clearance."""

    id: int
    title: str
    meeting: str
    state: str
    clearance: str


@dataclass(frozen=True)
class ItemPage:
    item: AgendaItemRow
    meeting: str
    meeting_id: int
    body: str
    author: str
    roles: frozenset[str]
    """What the viewer is here: secretary, author, finance, legal (a clearing officer)."""
    preview: tuple[tuple[str, tuple[tuple[bool, Markup], ...]], ...]
    cover: tuple[tuple[str, str, str], ...]
    """(field, label, text) in the cover sheet's order."""
    standing: tuple[clearance.Standing, ...]
    history: tuple[tuple[str, str, str, str, int], ...]
    """(kind, "cleared"/"refused", by whom, comment, version)."""
    authors: tuple[tuple[str, str], ...]

    @property
    def editable(self) -> bool:
        return (self.item.state in OPEN_STATES + PUBLISHED_STATES
                and bool(self.roles & {"secretary", "author"}))

    @property
    def needs_reason(self) -> bool:
        return self.item.state in PUBLISHED_STATES

    @property
    def clearable(self) -> tuple[str, ...]:
        if self.item.state != "submitted":
            return ()
        return tuple(s.kind for s in self.standing if s.kind in self.roles)


def rendered(text: str) -> tuple[tuple[str, tuple[tuple[bool, Markup], ...]], ...]:
    """The report as the pack prints it: (heading, ((is a block, safe HTML), ...))."""
    return tuple((s.heading, tuple((isinstance(p, Block), Markup(p)) for p in s.paragraphs))
                 for s in sections(text))


def _when(cfg: LocalityConfig, m: MeetingRow) -> str:
    return (f"{cfg.body_by_id(m.body_id).name}, "
            f"{m.starts_at.astimezone(cfg.zone):%-d %B %Y}")


def _summary(need: list[clearance.Standing]) -> str:
    if not need:
        return "Not needed"
    return "; ".join(f"{s.kind.capitalize()}: {s.state}" for s in need)


def my_items(session: Session, cfg: LocalityConfig, who: Principal, page: int = 1
             ) -> tuple[list[Row], Paging]:
    """The page of the items ``who`` writes, newest first: three queries at any size."""
    mine = AgendaItemRow.author == who.id
    total = session.exec(select(func.count()).select_from(AgendaItemRow).where(mine)).one()
    paged = paging(total, page, "your reports")
    return _rows(session, cfg, select(AgendaItemRow, MeetingRow).join(
        MeetingRow, col(MeetingRow.id) == col(AgendaItemRow.meeting_id)).where(mine)
        .order_by(col(AgendaItemRow.id).desc()), paged), paged


def _rows(session: Session, cfg: LocalityConfig, query: Any, paged: Paging) -> list[Row]:
    """A page of (item, meeting) rows as list rows, their clearances read in one query."""
    pairs = session.exec(query.offset(paged.offset).limit(paged.size)).all()
    need = clearance.standings(cfg, session, [(i, m.body_id) for i, m in pairs])
    return [Row(i.id, i.title, _when(cfg, m), STATE_WORDS.get(i.state, i.state),
                _summary(need[i.id])) for i, m in pairs]


def officer_kinds(who: Principal) -> tuple[str, ...]:
    """The kinds of clearance ``who`` gives (an admin: every kind)."""
    if "admin" in who.roles:
        return clearance.KINDS
    return tuple(k for k in clearance.KINDS if clearance.ROLE_OF[k] in who.roles)


def awaiting(session: Session, cfg: LocalityConfig, who: Principal, page: int = 1
             ) -> tuple[list[Row], Paging]:
    """Submitted items of bodies that ask for a clearance ``who`` gives, not yet cleared by
    them, soonest meeting first: a page at three queries at any size."""
    clause = clearance.awaiting_clause(cfg, officer_kinds(who))
    if clause is None:
        return [], paging(0, page, "the reports awaiting your clearance")
    joined = (AgendaItemRow, MeetingRow), col(MeetingRow.id) == col(AgendaItemRow.meeting_id)
    total = session.exec(select(func.count()).select_from(AgendaItemRow).join(
        MeetingRow, joined[1]).where(clause)).one()
    paged = paging(total, page, "the reports awaiting your clearance")
    return _rows(session, cfg, select(*joined[0]).join(MeetingRow, joined[1]).where(clause)
                 .order_by(col(MeetingRow.starts_at), col(AgendaItemRow.position),
                           col(AgendaItemRow.id)), paged), paged


def roles_on(cfg: LocalityConfig, session: Session, who: Principal, item: AgendaItemRow
             ) -> frozenset[str]:
    m = common.meeting(session, item.meeting_id)
    roles = set()
    if permits(who, SECRETARY, body_scope(cfg, m.body_id, m.body_id)):
        roles.add("secretary")
    if item.author is not None and item.author == who.id:
        roles.add("author")
    roles |= set(officer_kinds(who)) & set(clearance.needed(cfg, session, item))
    return frozenset(roles)


def refuse_unless_allowed(cfg: LocalityConfig, session: Session, who: Principal,
                          item: AgendaItemRow) -> frozenset[str]:
    """The viewer's roles on the item; PermissionRefused, saying who may, when none."""
    roles = roles_on(cfg, session, who, item)
    if roles:
        return roles
    m = common.meeting(session, item.meeting_id)
    body = cfg.body_by_id(m.body_id)
    may = [f"the secretary of the {body.name} ({body.id})"]
    may.append("its author" + (f" ({common.member(cfg, item.author).name})"
                               if item.author else " (none assigned)"))
    may += [f"a {k} officer" for k in clearance.needed(cfg, session, item)]
    may.append("an admin")
    raise PermissionRefused(
        f"permission refused: the page of {common.describe_item(item)} may be opened by "
        f"{', '.join(may[:-1])} or {may[-1]}; {who.describe()} is {who.holds()}")


def item_page(session: Session, cfg: LocalityConfig, who: Principal, item_id: int,
              text: str | None = None) -> ItemPage:
    i = common.item(session, item_id)
    roles = refuse_unless_allowed(cfg, session, who, i)
    m = common.meeting(session, i.meeting_id)
    names = {x.id: x.display for x in cfg.member}
    hist = tuple((r.kind, "cleared" if r.cleared else "refused", names.get(r.by, r.by),
                  r.comment, r.item_version) for r in clearance.history(session, item_id))
    assert m.id is not None
    session.expunge(i)
    return ItemPage(
        i, _when(cfg, m), m.id, cfg.body_by_id(m.body_id).name,
        names.get(i.author, i.author) if i.author else "None assigned", roles,
        rendered(i.body_text if text is None else text),
        tuple((k, COVER_LABELS[k], str((i.cover or {}).get(k, ""))) for k in COVER_FIELDS),
        tuple(clearance.standing(cfg, session, i)), hist,
        tuple((x.id, x.display) for x in cfg.member if "report_author" in x.roles))


def values_of(page: ItemPage) -> dict[str, Any]:
    """The draft form's fields as the item holds them."""
    i = page.item
    out: dict[str, Any] = {"title": i.title, "lead": i.lead, "body_text": i.body_text,
                           "author": i.author or ""}
    out.update({k: v for k, _, v in page.cover})
    return out
