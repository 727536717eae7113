"""Public access to meetings and papers: which business is exempt (Part 2), and the wording of
each access-to-information regime.

The one home of the rule "this item is exempt from the public"; every layer asks
:func:`is_exempt` (or, in a query, :func:`exempt_clause`) rather than comparing ``part``
itself. The one home, too, of what each regime says: the statute and sections behind the
notice and publication deadlines, the resolution excluding the public, the reference to the
exempt information and the note printed on agendas and web pages. Deadlines, documents and web
pages read :func:`regime_of` instead of spelling the Acts out themselves.

Sources: Local Government Act 1972 Part VA (s100A-s100B) and Schedule 12A (councils, their
committees and joint committees); the Local Authorities (Executive Arrangements) (Meetings and
Access to Information) (England) Regulations 2012, SI 2012/2089 (an executive: reg 4(2)
excluding the public, reg 6(1) notice and 6(2) with reg 7 the agenda open to inspection, 5
clear days each, regs 8-11 key decisions, reg 12 the decision record, reg 20 exempt reports,
exempt information as Schedule 12A defines it); Public Bodies (Admission to Meetings) Act 1960
s1 (NHS boards).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from decisions.agenda_rules import SCHEDULE_12A
from decisions.terms import Body, LocalityConfig

PUBLIC_PART = 1
EXEMPT_PART = 2
"""Part 2 of an agenda: business from which the public are excluded (LGA 1972 s100A(4),
Schedule 12A; for NHS boards the Public Bodies (Admission to Meetings) Act 1960 s1(2))."""

RegimeId = Literal["lga1972", "pbama1960"]
"""The config's ``[[body]] access_regime``; an executive under ``lga1972`` meets under SI
2012/2089 instead (:func:`regime_of`)."""


class HasPart(Protocol):
    @property
    def part(self) -> int: ...


class HasRegime(Protocol):
    @property
    def access_regime(self) -> RegimeId: ...

    @property
    def executive(self) -> bool: ...


def is_exempt(thing: HasPart | int) -> bool:
    """True for Part 2 (exempt) business: an item, a view of one, or a part number."""
    part = thing if isinstance(thing, int) else thing.part
    return part == EXEMPT_PART


def exempt_clause(column: Any) -> Any:
    """The same rule as an SQL condition on a ``part`` column, for queries:
    ``select(AgendaItemRow).where(exempt_clause(AgendaItemRow.part))``."""
    return column == EXEMPT_PART


@dataclass(frozen=True)
class Regime:
    """What one access-to-information regime says, in the words documents and pages use."""

    id: Literal["lga1972", "si2012_2089", "pbama1960"]
    act: str
    """The Act, in full."""
    notice_rule: str
    """The provision requiring public notice of a meeting."""
    publication_rule: str
    """The provision opening the agenda and reports to inspection before a meeting."""
    urgency_rule: str
    """The provision letting the chair admit a late item as a matter of urgency."""
    meets_under: str
    """One sentence for an agenda or a web page: under which Act the body meets."""
    exempt_reference: str
    """What makes Part 2 information exempt, to follow "exempt by virtue of ...\"."""
    exclusion_grounds: str
    """The grounds stated in the resolution excluding the public (``{paras}``: paragraphs)."""
    terms_text: str
    """The paragraph for the terms of reference (``{pub}``, ``{notice}``: clear days)."""

    def exclusion_resolution(self, paragraphs: list[int] | tuple[int, ...] = ()) -> str:
        """The resolution excluding the public before Part 2 business."""
        grounds = self.exclusion_grounds.format(
            paras=", ".join(str(p) for p in paragraphs) or "shown against each item")
        if not paragraphs:  # an agenda's recommendation: the paragraph stands by each item
            grounds = grounds.replace("paragraph(s) shown against each item of Part 1 of "
                                      "Schedule 12A to the Local Government Act 1972",
                                      "the paragraphs of Part 1 of Schedule 12A to the Local "
                                      "Government Act 1972 shown against each item")
        return ("That the public be excluded from the meeting for the following business on "
                "the grounds that " + grounds)

    def exempt_basis(self, paragraph: int | None) -> str:
        """Why an item is exempt, to follow "exempt by virtue of": the Schedule 12A paragraph
        and its words for a council body; for an NHS board the 1960 Act's ground, with the
        kind of information where a paragraph was given."""
        kind = SCHEDULE_12A.get(paragraph or 0, "").rstrip(".")
        if self.id != "pbama1960":  # an executive's exempt information is Schedule 12A's too
            return (f"paragraph {paragraph} of {self.exempt_reference}: {kind[:1].lower()}"
                    f"{kind[1:]}" if kind else self.exempt_reference)
        ground = (f"{self.exempt_reference}: publicity would be prejudicial to the public "
                  "interest by reason of the confidential nature of the business")
        return ground + (f": {kind[:1].lower()}{kind[1:]}" if kind else "")

    def terms(self, publication_days: int, notice_days: int) -> str:
        return self.terms_text.format(pub=publication_days, notice=notice_days)


LGA_1972 = Regime(
    id="lga1972",
    act="Local Government Act 1972",
    notice_rule="Local Government Act 1972 s100A(6)",
    publication_rule="Local Government Act 1972 s100B(3)",
    urgency_rule="Local Government Act 1972 s100B(4)",
    meets_under="The committee meets under Part VA of the Local Government Act 1972.",
    exempt_reference="Part 1 of Schedule 12A to the Local Government Act 1972",
    exclusion_grounds=("it involves the likely disclosure of exempt information as defined in "
                       "paragraph(s) {paras} of Part 1 of Schedule 12A to the Local Government "
                       "Act 1972, and that in all the circumstances the public interest in "
                       "maintaining the exemption outweighs the public interest in disclosing "
                       "the information."),
    terms_text=("Meetings are open to the public under Part VA of the Local Government Act "
                "1972. The agenda and reports are open to inspection {pub} clear days before "
                "a meeting (s100B(3)); public notice of a meeting is given {notice} clear days "
                "before (s100A(6)). The public may be excluded for an item only where exempt "
                "information under Schedule 12A would be disclosed, by a resolution that is "
                "minuted."),
)
PBAMA_1960 = Regime(
    id="pbama1960",
    act="Public Bodies (Admission to Meetings) Act 1960",
    notice_rule="Public Bodies (Admission to Meetings) Act 1960 s1(4)(a)",
    publication_rule="Public Bodies (Admission to Meetings) Act 1960 s1(4)",
    urgency_rule="Public Bodies (Admission to Meetings) Act 1960 s1(4)",
    meets_under="The board meets under the Public Bodies (Admission to Meetings) Act 1960.",
    exempt_reference="section 1(2) of the Public Bodies (Admission to Meetings) Act 1960",
    exclusion_grounds=("publicity would be prejudicial to the public interest by reason of the "
                       "confidential nature of the business to be transacted (Public Bodies "
                       "(Admission to Meetings) Act 1960 s1(2))."),
    terms_text=("Meetings are open to the public under the Public Bodies (Admission to "
                "Meetings) Act 1960. Public notice of a meeting is given {notice} clear days "
                "before. The public may be excluded where publicity would be prejudicial to "
                "the public interest, with the reason stated in the resolution."),
)
EXECUTIVE_REGULATIONS = (
    "the Local Authorities (Executive Arrangements) (Meetings and Access to Information) "
    "(England) Regulations 2012 (SI 2012/2089)")
EXECUTIVE_2012 = Regime(
    id="si2012_2089",
    act=EXECUTIVE_REGULATIONS[4:],
    notice_rule="SI 2012/2089 reg 6(1)",
    publication_rule="SI 2012/2089 regs 6(2) and 7",
    # The 2012 Regulations have no chair's-urgency provision of their own: an item not open to
    # inspection for 5 clear days (regs 6(2), 7) is taken late under the council's executive
    # procedure rules, which give the chair that consent.
    urgency_rule="the executive procedure rules (SI 2012/2089 regs 6(2) and 7)",
    meets_under="The executive meets under " + EXECUTIVE_REGULATIONS + ".",
    exempt_reference="Part 1 of Schedule 12A to the Local Government Act 1972",
    exclusion_grounds=("it involves the likely disclosure of exempt information as defined in "
                       "paragraph(s) {paras} of Part 1 of Schedule 12A to the Local Government "
                       "Act 1972, and that in all the circumstances the public interest in "
                       "maintaining the exemption outweighs the public interest in disclosing "
                       "the information (SI 2012/2089 reg 4(2)(b))."),
    terms_text=("Meetings are open to the public under " + EXECUTIVE_REGULATIONS + ". The "
                "agenda and reports are open to inspection {pub} clear days before a meeting "
                "(regs 6(2) and 7); public notice of a meeting is given {notice} clear days "
                "before (reg 6(1)). The public may be excluded for an item only where exempt "
                "information under Schedule 12A to the Local Government Act 1972 would be "
                "disclosed, by a resolution that is minuted (reg 4(2)(b)); a report or part of "
                "one that would disclose it is not published (reg 20)."),
)
REGIMES: dict[str, Regime] = {r.id: r for r in (LGA_1972, EXECUTIVE_2012, PBAMA_1960)}


def regime_of(body: HasRegime) -> Regime:
    """The access regime a body meets under: its ``[[body]] access_regime``, except that an
    executive (``executive = true``) of a council meets under SI 2012/2089, not LGA 1972 Part
    VA; so its notice, publication and urgency rules cite the 2012 Regulations."""
    if body.access_regime == "lga1972" and body.executive:
        return EXECUTIVE_2012
    return REGIMES[body.access_regime]


def meets_under(body: Body) -> str:
    """The sentence an agenda and a meeting page print: under which law this body meets. An
    executive meets under SI 2012/2089 (exempt information still as Schedule 12A defines it);
    a council committee, partnership board or joint committee under LGA 1972 Part VA; an NHS
    board under the 1960 Act."""
    if body.access_regime == "pbama1960":
        return f"The {body.name} meets under the {PBAMA_1960.act}."
    if body.executive:
        return (f"The {body.name} meets under {EXECUTIVE_REGULATIONS}; exempt information is as "
                "defined in Schedule 12A to the Local Government Act 1972.")
    what = {"joint": " (a joint committee, s100J)"}.get(body.kind, "")
    return f"The {body.name} meets under Part VA of the Local Government Act 1972{what}."


def access_terms(body: Body) -> str:
    """The access-to-information paragraph of the body's terms of reference."""
    d = body.deadlines
    return regime_of(body).terms(d.publication_clear_days, d.notice_clear_days)


def contact_line(secretary_name: str, email: str) -> str:
    """Who to ask about a meeting's papers, as agendas and pages print it."""
    return f"{secretary_name}, {email}"


def body_secretary(cfg: LocalityConfig, body: Body) -> tuple[str, str]:
    """(name, email) of the body's own secretary, as its documents name them: a member who is
    ``secretary_of`` the body and belongs to one of its partners (an NHS board's own
    secretary, not the council's Democratic Services), with the body's ``secretary_email``;
    else, for a council body, the locality's ``secretary_name``; for an NHS board, "Secretary
    to the <board>"."""
    email = body.secretary_email or cfg.locality.secretary_email
    names = {p.id: p.name for p in cfg.partner}
    own = [m for m in cfg.member if body.id in m.secretary_of and m.partner in body.partners]
    match = [m for m in own if m.email == email] or own
    if body.access_regime != "pbama1960":
        return cfg.locality.secretary_name, email
    if not match:
        return f"Secretary to the {body.name}", email
    m = match[0]
    return f"{m.name}, {names.get(m.partner, m.partner)}", body.secretary_email or m.email


def body_contact(cfg: LocalityConfig, body: Body) -> str:
    """The contact line of the body's agendas, notices and pages."""
    return contact_line(*body_secretary(cfg, body))


EXECUTIVE_RECORD_BASIS = (
    "Published under regulation 12 of the Local Authorities (Executive Arrangements) (Meetings "
    "and Access to Information) (England) Regulations 2012 (SI 2012/2089).")


def decision_record_basis(body: Body) -> str:
    """The sentence a decision notice opens with: under which law its body records decisions.
    Only an executive body publishes a record under SI 2012/2089 reg 12 and is subject to
    call-in; a council committee or joint committee decides under the Local Government Act 1972
    Part VA, and an NHS board under the Public Bodies (Admission to Meetings) Act 1960, each in
    its own decision record."""
    if body.executive:
        return EXECUTIVE_RECORD_BASIS
    what = {"joint": "a joint committee of the partners", "board": "a partnership board",
            "sovereign": "a committee"}[body.kind]
    law = "Part VA of the Local Government Act 1972"
    if body.access_regime == "pbama1960":
        what, law = "an NHS board", f"the {regime_of(body).act}"
    return (f"The decision record of {body.name}, {what} meeting under {law}. It is not an "
            "executive decision under SI 2012/2089 and is "
            "not subject to call-in.")


def possessive(name: str) -> str:
    """"Cabinet's", but "Trust Board of Directors'"."""
    return name + ("'" if name.endswith("s") else "'s")


def call_in_terms(body: Body) -> str:
    """What a body's terms of reference say about call-in, agreeing with its notices."""
    if body.executive:
        who = f" by the {body.scrutiny_committee}" if body.scrutiny_committee else ""
        return (f"The {possessive(body.name)} executive decisions may be called in{who} within "
                f"{body.deadlines.call_in_working_days} working days of the publication of the "
                "decision notice (Local Government Act 2000 s9F), and are not implemented "
                "until the call-in period has ended or a call-in is resolved, unless the chair "
                "of the overview and scrutiny committee agrees that a decision is urgent.")
    return (f"The {possessive(body.name)} decisions are not executive decisions and are not "
            "subject to call-in; they may be implemented once recorded.")
