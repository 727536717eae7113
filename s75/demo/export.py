"""Writing the demo's documents to the output folder, each named by meeting date, body and kind
and marked public or private where both exist, with an index page."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, col, select

from decisions.access import is_exempt
from decisions.terms import LocalityConfig
from notifications.documents import gather, kinds
from notifications.documents.config_views import pool_view
from notifications.documents.tables import DocumentRow
from workflows.committee.tables import MeetingRow

# A month-9 forecast outturn for the pool statement (file 004's columns), per line id share of
# budget: a modest overspend on the care lines, an underspend elsewhere.
FORECAST_FACTORS = (Decimal("1.023"), Decimal("0.995"), Decimal("1.011"), Decimal("1.004"),
                    Decimal("1.000"))


KIND_NAMES = {"pool": "pool-statement"}


@dataclass(frozen=True)
class Exported:
    path: Path
    kind: str
    body: str
    day: str
    audience: str
    title: str


def _name(day: str, body: str, kind: str, audience: str) -> str:
    """``2019-10-09_jcc_pack_public.pdf``: date, body, kind, audience, separated by ``_``
    (ids keep their words joined by ``-``)."""
    suffix = "" if audience == "" else f"_{audience}"
    return f"{day}_{body.replace('_', '-')}_{kind}{suffix}.pdf"


def _audience(doc_public: bool, member: str | None, both: bool) -> str:
    if member:
        return f"private-{member.replace('_', '-')}"
    if not both:
        return ""
    return "public" if doc_public else "private"


def export_documents(session: Session, cfg: LocalityConfig, out: Path,
                     now: datetime) -> list[Path]:
    zone = cfg.zone
    meetings = {m.id: m for m in session.exec(select(MeetingRow)).all()}
    docs = session.exec(select(DocumentRow).order_by(col(DocumentRow.id))).all()
    # Keep the newest version of each (kind, subject, audience).
    latest: dict[tuple[str, str, str, str], DocumentRow] = {}
    for d in docs:
        latest[(d.kind, d.subject_type, d.subject_id, d.audience)] = d
    audiences: dict[tuple[str, str, str], set[bool]] = {}
    for d in latest.values():
        audiences.setdefault((d.kind, d.subject_type, d.subject_id), set()).add(d.public)
    exported: list[Exported] = []
    seen: set[str] = set()
    for d in latest.values():
        m = meetings.get(d.meeting_id) if d.meeting_id else None
        day = (m.local_date.isoformat() if m and m.local_date else
               d.created_at.astimezone(zone).date().isoformat())
        body = m.body_id if m else "locality"
        both = len(audiences[(d.kind, d.subject_type, d.subject_id)]) > 1
        kind = KIND_NAMES.get(d.kind, d.kind)
        if d.subject_type == "decision" or d.subject_type == "locality":
            kind = f"{kind}-{d.subject_id}"
        name = _name(day, body, kind, _audience(d.public, d.member_id, both))
        if name in seen or d.content is None:
            continue
        seen.add(name)
        (out / name).write_bytes(d.content)
        exported.append(Exported(out / name, d.kind, body, day, d.audience, d.title))
    # Agendas of every meeting held: public and members' versions where it has Part 2 items.
    for m in meetings.values():
        if m.status != "held" or m.id is None:
            continue
        day = (m.local_date or m.starts_at.astimezone(zone).date()).isoformat()
        view = gather.agenda_view(session, cfg, m.id)
        exempt = any(is_exempt(e) for e in view.entries)
        for public in (True, False) if exempt else (True,):
            rendered = kinds.render(kinds.agenda_html(view, public=public))
            name = _name(day, m.body_id, "agenda",
                         ("public" if public else "private") if exempt else "")
            (out / name).write_bytes(rendered.pdf)
            exported.append(Exported(out / name, "agenda", m.body_id, day,
                                     "public" if public else "members", view.title))
    # The gateway report and the pool statement.
    today = now.astimezone(zone).date().isoformat()
    gateway = kinds.render(kinds.gateway_html(gather.gateway_view(session, cfg, now)))
    path = out / f"{today}_locality_gateway-report.pdf"
    path.write_bytes(gateway.pdf)
    exported.append(Exported(path, "gateway-report", "locality", today, "public",
                             "Gateway status report"))
    forecasts = {ln.id: (ln.value * f).quantize(Decimal(1))
                 for ln, f in zip([x for x in cfg.pool.line if x.value is not None],
                                  FORECAST_FACTORS * 10, strict=False)
                 if ln.value is not None}
    pool = kinds.render(kinds.pool_html(pool_view(cfg, "month 9 forecast outturn", forecasts)))
    path = out / f"{today}_locality_pool-statement.pdf"
    path.write_bytes(pool.pdf)
    exported.append(Exported(path, "pool-statement", "locality", today, "public",
                             "Pool statement"))
    write_index(out, cfg, exported)
    return [e.path for e in exported]


def write_index(out: Path, cfg: LocalityConfig, exported: list[Exported]) -> None:
    rows = []
    names = {b.id: b.name for b in cfg.body} | {"locality": cfg.locality.name}
    for e in sorted(exported, key=lambda e: (e.day, e.body, e.kind, e.path.name)):
        rows.append(
            f"<tr><td>{html.escape(e.day)}</td><td>{html.escape(names.get(e.body, e.body))}</td>"
            f"<td>{html.escape(e.kind)}</td><td>{html.escape(e.audience)}</td>"
            f"<td><a href=\"{html.escape(e.path.name)}\">{html.escape(e.title)}</a></td></tr>")
    title = f"{html.escape(cfg.locality.name)}: the demo year's documents"
    (out / "index.html").write_text(
        f"<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{title}"
        "</title><style>body{font-family:Arial,sans-serif;margin:2em}table{border-collapse:"
        "collapse}td,th{border:1px solid #999;padding:4px 8px;text-align:left}</style></head>"
        f"<body><h1>{title}</h1><p>{len(exported)} documents. The scheduler's log is in "
        "<a href=\"scheduler-log.txt\">scheduler-log.txt</a>.</p><table><thead><tr>"
        "<th scope=\"col\">Date</th><th scope=\"col\">Body</th><th scope=\"col\">Kind</th>"
        "<th scope=\"col\">Audience</th><th scope=\"col\">Document</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table></body></html>\n", encoding="utf-8")
