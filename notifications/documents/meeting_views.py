"""View models for a meeting's documents: agenda, reports, packs and supplements, minutes,
action log. Plain, frozen dataclasses the templates read (overview in ``views.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from markupsafe import Markup


class Block(Markup):
    """A report's list, table or other block from its Markdown (notifications/documents/
    markdown.py): safe HTML printed as written, without a paragraph number."""


# Agendas and reports -------------------------------------------------------------------------
@dataclass(frozen=True)
class AgendaEntry:
    """One row of an agenda: file 000's columns (item, report, action, timing, lead)."""

    number: str
    title: str
    report: str = "Written report"
    action: str = "To debate and approve"
    time: str = ""
    lead: str = ""
    part: int = 1
    exempt_paragraph: int | None = None
    """Schedule 12A paragraph (1-7) for a Part 2 item."""
    exempt_reason: str = ""
    """The public-interest reason for exclusion (or the 1960 Act reason for an NHS body)."""
    interest_declared: bool = False
    """Set in a member's personal pack when that member declared an interest on this item."""
    supplement: int | None = None
    """The supplement number when this item reached members after the main pack."""


@dataclass(frozen=True)
class NextMeeting:
    starts_at: datetime
    venue: str
    items_deadline: date
    contact: str


@dataclass(frozen=True)
class AgendaView:
    body_name: str
    locality: str
    starts_at: datetime
    """Local (Europe/London) time of the meeting."""
    venue: str
    chair: str
    entries: tuple[AgendaEntry, ...]
    next_meeting: NextMeeting | None = None
    contact: str = ""
    published_on: date | None = None
    """When the agenda was first published (the ``meeting.published`` act)."""
    public: bool = False
    member_name: str | None = None
    """Set for a member's personal pack."""
    version: int = 1
    """The document's version: 2 and on for a republication (a correction, a late report)."""
    republished_on: date | None = None
    """When this version was published, for a version after the first."""
    access_note: str = ""
    regime: str = "lga1972"
    """The body's access regime (decisions/access.py): the wording of Part 2 business."""
    """Which access-to-information regime the body meets under."""

    @property
    def title(self) -> str:
        return f"{self.body_name}: agenda, {self.starts_at:%-d %B %Y}"


@dataclass(frozen=True)
class CoverSheet:
    """File 000's executive summary: what the body is asked to decide and why."""

    decisions_required: tuple[str, ...]
    key_points: tuple[str, ...]
    impacts: tuple[str, ...]
    business_plan_link: str
    conflicts_of_interest: str
    previously_discussed: str
    sponsor: str
    presenter: str
    part2_reason: str = ""


@dataclass(frozen=True)
class ChecklistLine:
    label: str
    answer: str
    """"Y", "N", "n/a" or "To follow"."""


@dataclass(frozen=True)
class ComplianceChecklist:
    documentation: tuple[ChecklistLine, ...]
    statutory: tuple[ChecklistLine, ...]


@dataclass(frozen=True)
class DataTable:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None = None
    numeric_from: int = 1
    """Columns from this index on are right-aligned figures."""


@dataclass(frozen=True)
class Figure:
    """An image in a report. ``src`` is fetched only from templates/ (render.py refuses any
    other file or host); ``alt`` is its text alternative."""

    src: str
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[DataTable, ...] = ()
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class NumberedSection:
    heading: str
    paragraphs: tuple[tuple[str, str], ...]
    tables: tuple[DataTable, ...]
    figures: tuple[Figure, ...]


def numbered(report: ReportView) -> list[NumberedSection]:
    """Paragraph numbers "item.n", running through the report: a supplement's items take the
    next agenda numbers, so its paragraph numbers follow on from the main pack's."""
    out: list[NumberedSection] = []
    n = 0
    for s in report.sections:
        paras: list[tuple[str, str]] = []
        for text in s.paragraphs:
            if isinstance(text, Block):
                paras.append(("", text))
                continue
            n += 1
            paras.append((f"{report.number}.{n}", text))
        out.append(NumberedSection(s.heading, tuple(paras), s.tables, s.figures))
    return out


@dataclass(frozen=True)
class Appendix:
    letter: str
    title: str
    sections: tuple[Section, ...] = ()
    filename: str = ""
    """Set for a PDF appendix supplied by the author: bound in after the report."""
    pages: int = 0
    sha256: str = ""
    pdf: bytes = field(default=b"", repr=False, compare=False)
    """The PDF itself (left out of the view's repr: ``sha256`` stands for it)."""


@dataclass(frozen=True)
class ReportView:
    """One agenda item's paper: cover sheet, numbered paragraphs, appendices, checklist."""

    number: str
    title: str
    cover: CoverSheet
    sections: tuple[Section, ...]
    recommendations: tuple[str, ...] = ()
    appendices: tuple[Appendix, ...] = ()
    checklist: ComplianceChecklist | None = None
    part: int = 1
    exempt_paragraph: int | None = None
    exempt_reason: str = ""
    author: str = ""
    interest_note: str = ""
    """In a member's personal pack: the interest that member declared on this item."""
    supplement: int | None = None
    regime: str = "lga1972"


@dataclass(frozen=True)
class PackView:
    """A decision pack: the agenda, then each item's report, in agenda order."""

    agenda: AgendaView
    reports: tuple[ReportView, ...]
    public: bool = False
    member_name: str | None = None

    @property
    def title(self) -> str:
        who = "public pack" if self.public else (
            f"pack for {self.member_name}" if self.member_name else "members' pack")
        return f"{self.agenda.body_name}: {who}, {self.agenda.starts_at:%-d %B %Y}"


@dataclass(frozen=True)
class SupplementView:
    """Reports accepted after publication with the chair's urgency consent (LGA 1972
    s100B(4)), and reports listed "to follow" on the agenda and supplied since: a numbered
    supplement that follows on from the main pack."""

    number: int
    agenda: AgendaView
    reports: tuple[ReportView, ...]
    first_page: int
    """The page the supplement starts on: the main pack's last page + 1."""
    consent_by: str
    consent_reason: str
    public: bool = False
    member_name: str | None = None
    urgent: int = 1
    """How many of its reports are urgent late items (the chair's consent applies to them)."""
    followed: tuple[str, ...] = ()
    """The agenda numbers of the reports listed "to follow" on the published agenda."""

    @property
    def title(self) -> str:
        return (f"{self.agenda.body_name}: supplement {self.number}, "
                f"{self.agenda.starts_at:%-d %B %Y}")


# Minutes and actions ----------------------------------------------------------------------
@dataclass(frozen=True)
class Attendee:
    name: str
    role: str = ""
    note: str = ""


@dataclass(frozen=True)
class DeclarationView:
    member: str
    item_number: str
    item_title: str
    interest: str
    managed: str
    """How it was managed, in words: left the room, took no part in the vote, dispensation."""


def declared_sentences(decls: tuple[DeclarationView, ...]) -> tuple[str, ...]:
    """The declarations minute: one sentence per declaration, or that none was declared."""
    return tuple(
        f"{v.member} declared a {v.interest.split(':')[0].lower()} interest in minute "
        f"{v.item_number} ({v.item_title}): {v.interest.split(': ', 1)[-1]}. {v.managed}."
        if v.managed else f"{v.interest}: minute {v.item_number} ({v.item_title})."
        for v in decls) or ("No interests were declared.",)


@dataclass(frozen=True)
class MinuteItem:
    number: str
    title: str
    part: int = 1
    exempt_paragraph: int | None = None
    discussion: tuple[str, ...] = ()
    decision: str = ""
    rule_applied: str = ""
    """In words: "Agreed by consensus", "Referred to Council Cabinet: no consensus", ..."""
    urgent_reason: str = ""
    """Special circumstances for an item taken as urgent (LGA 1972 s100B(4)(b))."""
    interests: tuple[str, ...] = ()
    outcome: str = ""
    """approved | amended | not_approved | noted | referred | deferred | withdrawn | ""."""
    standing: str = ""
    """The standing business this minute records (apologies, declarations, minutes, ...)."""
    corrections: tuple[str, ...] = ()
    """The decision on the item corrected or rescinded after the meeting, with the reason and
    what was first recorded."""


@dataclass(frozen=True)
class MinutesView:
    body_name: str
    locality: str
    starts_at: datetime
    venue: str
    chair: str
    present: tuple[Attendee, ...]
    apologies: tuple[Attendee, ...]
    in_attendance: tuple[Attendee, ...]
    declarations: tuple[DeclarationView, ...]
    items: tuple[MinuteItem, ...]
    exclusion_resolution: str = ""
    """The resolution excluding the public before Part 2 business (LGA 1972 s100A(4))."""
    quorate: bool = True
    status: str = "draft"
    public: bool = False
    regime: str = "lga1972"
    approval: str = ""
    """Approved minutes: at which meeting, on which day, signed by which chair."""
    amendments: str = ""
    """The amendments made when the minutes were approved."""
    next_meeting: str = ""
    superseded: bool = False
    corrections: tuple[str, ...] = ()
    """Corrections made after approval, each dated with its reason."""

    @property
    def title(self) -> str:
        state = "draft minutes" if self.status == "draft" else "minutes"
        return f"{self.body_name}: {state}, {self.starts_at:%-d %B %Y}"


@dataclass(frozen=True)
class ActionView:
    ref: str
    item: str
    description: str
    owner: str
    due_on: date
    status: str
    note: str = ""
    part: int = 1
    """The part of the agenda item it arises from (2: exempt business)."""
    exempt_paragraph: int | None = None
    item_number: str = ""


@dataclass(frozen=True)
class ActionLogView:
    body_name: str
    locality: str
    as_of: date
    actions: tuple[ActionView, ...]
    public: bool = False
    regime: str = "lga1972"

    @property
    def title(self) -> str:
        return f"{self.body_name}: action log at {self.as_of:%-d %B %Y}"
