"""What a body resolved, in words: the resolution and one account of how it was taken, for
the minutes and the decision notice. Plain functions over names (never ids) and dates; the
caller resolves members, partners, bodies and terms-of-reference paragraphs.

Every outcome has its own wording: approved, approved as amended, not approved, noted,
referred (to which body or bodies, under which paragraph of the terms of reference, at which
meeting or "to be placed"), deferred (for want of quorum or by resolution, with the reason and
the meeting it goes to) and withdrawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

OUTCOME_LABELS = {
    "approved": "Approved",
    "amended": "Approved as amended",
    "not_approved": "Not approved",
    "noted": "Noted",
    "referred": "Referred",
    "deferred": "Deferred",
    "withdrawn": "Withdrawn",
}


def day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def names(items: Sequence[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    items = [x for x in items if x]
    if len(items) <= 1:
        return "".join(items)
    sep = "; " if any("," in x for x in items) else ", "  # "Cllr A, Leader; Dr B, Chair"
    return f"{sep.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True)
class Destination:
    """A body a decision is referred to, and the meeting it is placed at (None: to be placed)."""

    body: str
    meeting: date | None = None

    def words(self) -> str:
        when = f"at its meeting on {day(self.meeting)}" if self.meeting else \
            "at a meeting to be placed"
        return f"{self.body}, {when}"


@dataclass(frozen=True)
class DecisionFacts:
    """A recorded decision, in names. ``rule`` is the rule applied (consensus, majority,
    one_vote_per_partner, noted, delegated_limit)."""

    outcome: str
    rule: str
    text: str = ""
    eligible: int = 0
    objectors: tuple[str, ...] = ()
    counts: tuple[int, int, int] | None = None
    """For, against, abstentions (majority)."""
    casting: tuple[str, str] | None = None
    """(chair's name, "for" | "against") on a tied vote."""
    partner_votes: tuple[tuple[str, str | None], ...] = ()
    referrals: tuple[Destination, ...] = ()
    paragraph: str = ""
    """The paragraph of the terms of reference under which the decision is referred."""
    limit: str = ""
    """The delegated limit in words, for a referral above it."""


def _under(paragraph: str) -> str:
    return f"Under paragraph {paragraph} of the terms of reference" if paragraph else \
        "Under the terms of reference"


def _referred(f: DecisionFacts) -> str:
    where = names([d.words() for d in f.referrals]) or "the partner body previously responsible"
    return f"{_under(f.paragraph)} the decision is referred to {where}."


def _tally(counts: tuple[int, int, int]) -> str:
    n_for, n_against, n_abstain = counts
    return (f"{n_for} for, {n_against} against, {n_abstain} "
            f"{'abstention' if n_abstain == 1 else 'abstentions'}")


def _taken(f: DecisionFacts) -> str:
    """How the meeting reached its view, before any referral."""
    if f.rule in ("consensus", "delegated_limit") and f.counts is None and not f.partner_votes:
        if f.objectors:
            who = names(list(f.objectors))
            comma = "," if "," in f.objectors[-1] else ""  # "Cllr A, Leader of the Council,"
            return f"Consensus was not reached: {who}{comma} objected."
        return (f"Agreed by consensus: none of the {f.eligible} members entitled to take part "
                "objected.")
    if f.counts is not None:
        n_for, n_against, _ = f.counts
        if f.casting is not None:
            chair, position = f.casting
            return (f"The vote was tied ({_tally(f.counts)}) and the chair, {chair}, gave a "
                    f"casting vote {position}.")
        verb = "Agreed by majority" if n_for > n_against else "Not agreed"
        return f"{verb}: {_tally(f.counts)}."
    if f.partner_votes:
        against = [f"{p} {'did not vote' if v is None else 'voted ' + v}"
                   for p, v in f.partner_votes if v != "for"]
        if not against:
            return f"Agreed: every partner voted for ({names([p for p, _ in f.partner_votes])})."
        return f"Not agreed: a decision needs every partner's vote, and {names(against)}."
    return ""


def account(f: DecisionFacts) -> str:
    """One account of how the decision was taken ("Consensus was not reached: the Executive
    Member for Adults objected. Under paragraph 5.2 of the terms of reference the decision
    is referred to Council Cabinet, at its meeting on ...")."""
    if f.outcome == "noted":
        return ""
    taken = _taken(f)
    if f.outcome == "referred" and f.rule == "delegated_limit":
        return (f"{taken} The sum is above the delegated limit of {f.limit}. "
                f"{_referred(f)}").strip()
    if f.outcome == "referred":
        return f"{taken} {_referred(f)}".strip()
    if f.outcome == "not_approved" and f.objectors:
        return (f"{taken} {_under(f.paragraph)} a decision needs consensus, so the "
                "recommendations fall.")
    return taken


def resolution(f: DecisionFacts) -> str:
    """The resolution as minuted, in the words of the outcome."""
    text = f.text.strip().rstrip(".")
    if f.outcome == "approved":
        return f"{text}." if text else "That the recommendations in the report be approved."
    if f.outcome == "amended":
        return f"That the recommendations be approved as amended: {text}."
    if f.outcome == "not_approved":
        return f"{text}." if text else "That the recommendations in the report be not approved."
    if f.outcome == "noted":
        return f"{text}." if text else "That the report be noted."
    if f.outcome == "referred":
        bodies = names([d.body for d in f.referrals]) or "the partner body previously responsible"
        return f"That the decision be referred to {bodies}."
    return f"{text}." if text else f"{OUTCOME_LABELS.get(f.outcome, f.outcome)}."


def deferred(reason: str, *, for_quorum: bool, to: str | None) -> str:
    """An item deferred for want of quorum (not resolved: the meeting could not decide) or
    by resolution, with the reason and the meeting it goes to (``to`` in words)."""
    goes = f"to the meeting on {to}" if to else "to a meeting to be arranged"
    why = reason.strip().rstrip(".")
    if for_quorum:
        return (f"The item could not be decided for want of a quorum ({why}) and is deferred "
                f"{goes}.")
    return f"That the item be deferred {goes}{': ' + why if why else ''}."


def withdrawn(reason: str) -> str:
    why = reason.strip().rstrip(".")
    return f"The item was withdrawn from the agenda{': ' + why if why else ''}."


def minute_number(fmt: str, *, code: str, year: int, n: int) -> str:
    """A minute number or reference from a per-body pattern (``{code}/{yy}/{n}``)."""
    return fmt.format(code=code, yyyy=f"{year:04d}", yy=f"{year % 100:02d}", n=n)
