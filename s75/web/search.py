"""Full-text search over what has been published: Part 1 agenda items (title, cover sheet and
report text) once their agenda is open to inspection, and Part 1 decisions once the meeting
is held. Part 2 (exempt) business is never read into the corpus, so it can never be found.

On SQLite the corpus is loaded into an FTS5 index in memory (built again when the audit log
has grown since, i.e. when anything changed); on PostgreSQL the same rows are searched with
``to_tsvector`` / ``websearch_to_tsquery``. A visitor's query is never passed to FTS5 as
syntax: it is parsed here into words, "quoted phrases", OR and -excluded words, and each
is quoted, so operators or markup in it are only ever text."""

from __future__ import annotations

import html
import re
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import Text, cast, func, literal, select, union_all
from sqlmodel import Session, col

from decisions.access import exempt_clause
from decisions.errors import InvalidInput
from s75.web.paging import Paging, paging
from workflows.committee.tables import AgendaItemRow, DecisionRow, MeetingRow
from workflows.tables import AuditEventRow

MAX_QUERY = 200
LIMIT = 50
PUBLISHED_STATES = ("published", "considered", "decided")
START, STOP = "\x02", "\x03"


@dataclass(frozen=True)
class Hit:
    kind: str
    """agenda item | decision"""
    title: str
    url: str
    snippet: Markup
    """Escaped text with the matched words in <mark>."""


def _public_items() -> Any:
    """Part 1 agenda items whose agenda is open to inspection (or whose meeting is held)."""
    return (select(literal("agenda item").label("kind"), col(AgendaItemRow.id).label("id"),
                   col(AgendaItemRow.meeting_id).label("meeting"),
                   col(AgendaItemRow.title).label("title"),
                   (func.coalesce(AgendaItemRow.body_text, "") + " "
                    + func.coalesce(cast(AgendaItemRow.cover, Text), "")).label("body"))
            .join(MeetingRow, col(MeetingRow.id) == col(AgendaItemRow.meeting_id))
            .where(~exempt_clause(AgendaItemRow.part), col(AgendaItemRow.state) != "withdrawn",
                   col(AgendaItemRow.state).in_(PUBLISHED_STATES)
                   | (col(MeetingRow.status) == "held")))


def _public_decisions() -> Any:
    """Decisions on Part 1 items of meetings held."""
    return (select(literal("decision").label("kind"), col(DecisionRow.id).label("id"),
                   col(AgendaItemRow.meeting_id).label("meeting"),
                   col(AgendaItemRow.title).label("title"),
                   (func.coalesce(DecisionRow.text, "") + " "
                    + func.coalesce(DecisionRow.reasons, "")).label("body"))
            .join(AgendaItemRow, col(AgendaItemRow.id) == col(DecisionRow.item_id))
            .join(MeetingRow, col(MeetingRow.id) == col(AgendaItemRow.meeting_id))
            .where(~exempt_clause(AgendaItemRow.part), col(MeetingRow.status) == "held"))


def public_corpus() -> Any:
    """Everything the public may search, as one query (kind, id, meeting, title, body)."""
    return union_all(_public_items(), _public_decisions()).subquery("doc")


def corpus(session: Session) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in session.execute(select(public_corpus())).all()]


# The visitor's query ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    words: str
    negate: bool = False
    either: bool = False
    """Joined to the previous term by OR."""


def parse(query: str) -> list[Term]:
    """Words, "phrases", OR and -word from free text; anything else is a separator."""
    q = query.strip()
    if len(q) > MAX_QUERY:
        raise InvalidInput(f"q: the search is {len(q)} characters long; at most {MAX_QUERY}")
    terms: list[Term] = []
    either = False
    for m in re.finditer(r'(-?)"([^"]*)"|(-?)([^\W_]+(?:[\'’][^\W_]+)?)', q):
        neg = bool(m.group(1) or m.group(3))
        words = " ".join(re.findall(r"[^\W_]+", m.group(2) if m.group(2) is not None
                                    else m.group(4)))
        if not words:
            continue
        if words == "OR" and m.group(4) is not None:
            either = bool(terms)
            continue
        terms.append(Term(words.lower(), neg, either and not neg))
        either = False
    if terms and all(t.negate for t in terms):
        raise InvalidInput("q: a search needs at least one word to look for, not only words "
                           "to leave out (-word)")
    return terms


def fts5_query(terms: list[Term]) -> str:
    """The terms as an FTS5 expression in which every word is a quoted string."""
    out = ""
    for t in terms:
        phrase = '"' + t.words.replace('"', '""') + '"'
        if t.negate:
            out += f" NOT {phrase}"
        elif t.either and out:
            out += f" OR {phrase}"
        else:
            out += f" AND {phrase}" if out else phrase
    return out


def web_query(terms: list[Term]) -> str:
    """The terms again as websearch_to_tsquery text (which never raises on syntax)."""
    parts = []
    for t in terms:
        phrase = f'"{t.words}"' if " " in t.words else t.words
        parts.append(("-" if t.negate else "") + ("or " if t.either else "") + phrase)
    return " ".join(parts)


# SQLite: FTS5 in memory ---------------------------------------------------------------------
_lock = threading.Lock()
_indexes: dict[str, tuple[int, sqlite3.Connection]] = {}


def _stamp(session: Session) -> int:
    return int(session.execute(select(func.coalesce(func.max(AuditEventRow.id), 0))).scalar_one())


def _index(session: Session, key: str) -> sqlite3.Connection:
    stamp = _stamp(session)
    with _lock:
        held = _indexes.get(key)
        if held is not None and held[0] == stamp:
            return held[1]
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute("CREATE VIRTUAL TABLE doc USING fts5(kind UNINDEXED, id UNINDEXED, "
                   "meeting UNINDEXED, title, body, tokenize='porter unicode61')")
        db.executemany("INSERT INTO doc VALUES (?, ?, ?, ?, ?)", corpus(session))
        db.commit()
        if held is not None:
            held[1].close()
        _indexes[key] = (stamp, db)
        return db


def _sqlite(session: Session, key: str, terms: list[Term], page: int
            ) -> tuple[list[tuple[Any, ...]], Paging]:
    db = _index(session, key)
    match = fts5_query(terms)
    with _lock:
        total = db.execute("SELECT count(*) FROM doc WHERE doc MATCH ?", (match,)).fetchone()[0]
        p = paging(total, page, "the results", LIMIT)
        return db.execute(
            "SELECT kind, id, meeting, title, snippet(doc, -1, ?, ?, '…', 24) FROM doc "
            "WHERE doc MATCH ? ORDER BY bm25(doc, 0, 0, 0, 5.0, 1.0), id LIMIT ? OFFSET ?",
            (START, STOP, match, p.size, p.offset)).fetchall(), p


def _postgres(session: Session, terms: list[Term], page: int
              ) -> tuple[list[tuple[Any, ...]], Paging]:
    doc = public_corpus()
    q = func.websearch_to_tsquery("english", web_query(terms))
    vector = func.to_tsvector("english", doc.c.title + " " + doc.c.body)
    total = session.execute(select(func.count()).select_from(doc)
                            .where(vector.op("@@")(q))).scalar_one()
    p = paging(int(total), page, "the results", LIMIT)
    headline = func.ts_headline("english", doc.c.title + " " + doc.c.body, q,
                                f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=10")
    stmt = (select(doc.c.kind, doc.c.id, doc.c.meeting, doc.c.title, headline)
            .where(vector.op("@@")(q)).order_by(func.ts_rank(vector, q).desc(), doc.c.kind,
                                                doc.c.id).offset(p.offset).limit(p.size))
    return [tuple(r) for r in session.execute(stmt).all()], p


def _snippet(raw: str) -> Markup:
    safe = html.escape(raw or "")
    return Markup(safe.replace(START, "<mark>").replace(STOP, "</mark>"))


def search(session: Session, query: str, db_key: str, page: int = 1
           ) -> tuple[list[Hit], Paging]:
    """One page of the hits (two queries: the count and the page)."""
    terms = parse(query)
    if not terms:
        return [], Paging(1, LIMIT, 0)
    dialect = session.get_bind().dialect.name
    rows, p = _postgres(session, terms, page) if dialect == "postgresql" else \
        _sqlite(session, db_key, terms, page)
    return [Hit(kind, title, f"/decisions/{id_}" if kind == "decision"
                else f"/meetings/{meeting}/agenda", _snippet(snip))
            for kind, id_, meeting, title, snip in rows], p

