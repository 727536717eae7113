"""The register of members' interests as a public page (``/register-of-interests``), where
the locality publishes it (``[locality] publish_register_of_interests = true``; otherwise the
page is 404 saying so). Current entries only (not ended); a sensitive interest (Localism Act
2011 s32) is shown as withheld, never its nature or description."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, col, select

from decisions.errors import NotFound
from decisions.terms import LocalityConfig
from s75.app import App
from s75.web.pages import page
from workflows.committee import common
from workflows.committee.records import InterestRow

router = APIRouter()
NATURE_WORDS = {"pecuniary": "Disclosable pecuniary interest",
                "non_pecuniary": "Other registrable interest",
                "indirect": "Interest of a close associate"}
WITHHELD = ("The member has an interest whose details are withheld under section 32(2) of "
            "the Localism Act 2011 (a sensitive interest).")


@dataclass(frozen=True)
class Entry:
    nature: str
    description: str
    registered_on: date | None


@dataclass(frozen=True)
class MemberEntry:
    name: str
    partner: str
    bodies: str
    entries: tuple[Entry, ...]


def register(session: Session, cfg: LocalityConfig, today: date) -> list[MemberEntry]:
    """Each member who sits on a body, with their current, publishable entries."""
    rows = session.exec(select(InterestRow).order_by(col(InterestRow.registered_on),
                                                     col(InterestRow.id))).all()
    by_member: dict[str, list[Entry]] = {}
    for r in rows:
        if r.ended_on is not None and r.ended_on < today:
            continue
        entry = (Entry("Sensitive interest", WITHHELD, None) if r.sensitive else
                 Entry(NATURE_WORDS.get(r.nature, r.nature), r.description, r.registered_on))
        by_member.setdefault(r.member_id, []).append(entry)
    names = {b.id: b.name for b in cfg.body}
    partners = {p.id: p.name for p in cfg.partner}
    return [MemberEntry(m.display, partners.get(m.partner, m.partner),
                        ", ".join(names.get(b, b) for b in m.bodies),
                        tuple(by_member.get(m.id, ())))
            for m in sorted(cfg.member, key=lambda m: m.display) if m.bodies]


@router.get("/register-of-interests", response_class=HTMLResponse)
def register_page(request: Request) -> HTMLResponse:
    a: App = request.app.state.s75
    if not a.config.locality.publish_register_of_interests:
        raise NotFound(f"{a.config.locality.name} does not publish its register of members' "
                       "interests on this site; ask the monitoring officer or the committee "
                       "secretary how to inspect it")
    now = a.clock.now()
    with a.read_session() as s:
        members = register(s, a.config, common.local_day(a.config, now))
    return page(request, "register.html", title="Register of members' interests",
                members=members, today=common.local_day(a.config, now))
