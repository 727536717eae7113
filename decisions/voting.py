"""Decision rules from the terms of reference:

- ``consensus``: every eligible member present agrees; any recorded objection means no consensus
  (file 003, para 4.4). On failure the body's ``on_no_consensus`` says whether the decision is
  referred (result ``no_consensus``; see :mod:`decisions.referral`) or simply falls
  (``not_agreed``).
- ``majority``: for, against and abstain are recorded; more for than against carries; on a tie
  the chair has a second, casting vote where the terms of reference give one.
- ``one_vote_per_partner``: one block vote per partner; no decision unless every partner agrees.

``eligible`` is the attendees who may take part in this item (already without those excluded
by an interest and without people merely in attendance). Members for a partner that only
attends (``pools = false``) vote, object or cast a block vote only where the body's terms say
so (``attending_vote``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from decisions.errors import InvalidInput, RuleRefused
from decisions.quorum import Attendee
from decisions.terms import Body, LocalityConfig

VotePosition = Literal["for", "against", "abstain"]
POSITIONS: tuple[str, ...] = ("for", "against", "abstain")
Result = Literal["agreed", "not_agreed", "no_consensus"]


@dataclass(frozen=True)
class Outcome:
    result: Result
    rule: str
    explanation: str
    tally: dict[str, Any]


def _person(cfg: LocalityConfig, member_id: str) -> str:
    return next((m.display for m in cfg.member if m.id == member_id), member_id)


def voting_partners(body: Body, cfg: LocalityConfig) -> list[str]:
    """The body's partners that vote: all of them, less those that only attend unless the terms
    give them a vote (``attending_vote``)."""
    return [p for p in body.partners if body.attending_vote or cfg.pools(p)]


def _no_vote(body: Body, cfg: LocalityConfig, field_name: str, who: Collection[str],
             voters: list[str]) -> None:
    """Refuse a vote or objection from members of a partner that only attends."""
    if not who:
        return
    partners = sorted({cfg.member_by_id(m).partner for m in who})
    names = ", ".join(cfg.partner_by_id(p).name for p in partners)
    raise RuleRefused(f"terms of reference of the {body.name} (attending partners)",
                      f"{field_name}: {_names(cfg, who)} attend for {names}, which does not pool; "
                      f"the terms of reference of {body.name} do not give attending partners a "
                      f"vote (body.attending_vote); those who may vote: {_names(cfg, voters)}")


def _names(cfg: LocalityConfig, ids: Collection[str]) -> str:
    """Members a user names by id, in words with the id to type: "Cllr Amir Hussain,
    Executive Member for Adults (exec_adults); ..." (for messages about input)."""
    return "; ".join(f"{_person(cfg, m)} ({m})" for m in sorted(ids)) or "none"


def _people(cfg: LocalityConfig, ids: Collection[str]) -> str:
    """Members in words only, for an account of the decision ("Cllr A, Leader, and Dr B")."""
    named = [_person(cfg, m) for m in sorted(ids)]
    if len(named) <= 1:
        return "".join(named) + ("," if named and "," in named[0] else "")
    sep = "; " if any("," in x for x in named) else ", "
    return f"{sep.join(named[:-1])} and {named[-1]}" + ("," if "," in named[-1] else "")


def _consensus(body: Body, cfg: LocalityConfig, voters: list[str],
               objections: Collection[str]) -> Outcome:
    unknown = [m for m in objections if m not in voters]
    if unknown:
        raise InvalidInput(
            f"objection: {_names(cfg, unknown)} may not take part in this item (not an "
            f"eligible member present); eligible members: {_names(cfg, voters)}"
        )
    tally: dict[str, Any] = {"eligible": sorted(voters), "objections": sorted(objections)}
    if not objections:
        return Outcome("agreed", "consensus",
                       f"Agreed by consensus of the {len(voters)} eligible members present.",
                       tally)
    if body.on_no_consensus == "refer":
        return Outcome(
            "no_consensus", "consensus",
            f"No consensus: {_people(cfg, objections)} objected. Under the terms of reference "
            f"of the {body.name} the decision is referred to the partner body previously "
            "responsible.", tally)
    return Outcome("not_agreed", "consensus",
                   f"Not agreed: {_people(cfg, objections)} objected and the terms of reference "
                   f"of the {body.name} require consensus.", tally)


def _majority(body: Body, cfg: LocalityConfig, voters: list[str], chair: str,
              votes: Mapping[str, VotePosition], casting: VotePosition | None) -> Outcome:
    unknown = [m for m in votes if m not in voters]
    if unknown:
        raise InvalidInput(f"votes: {_names(cfg, unknown)} may not vote on this item; "
                           f"eligible members: {_names(cfg, voters)}")
    for member, position in votes.items():
        if position not in POSITIONS:
            raise InvalidInput(f"votes.{member}: {position!r} is not valid; "
                               f"expected one of {', '.join(POSITIONS)}")
    counts = {p: sorted(m for m, v in votes.items() if v == p) for p in POSITIONS}
    silent = sorted(m for m in voters if m not in votes)
    n_for, n_against, n_abstain = (len(counts[p]) for p in POSITIONS)
    tally: dict[str, Any] = {"for": n_for, "against": n_against, "abstain": n_abstain,
                             "did_not_vote": silent, "votes": dict(sorted(votes.items()))}
    line = f"{n_for} for, {n_against} against, {n_abstain} abstentions"
    if n_for > n_against:
        return Outcome("agreed", "majority", f"Agreed by majority: {line}.", tally)
    if n_against > n_for:
        return Outcome("not_agreed", "majority", f"Not agreed: {line}.", tally)
    if n_for == 0:
        return Outcome("not_agreed", "majority", f"Not agreed: no votes for ({line}).", tally)
    if not body.casting_vote:
        return Outcome("not_agreed", "majority",
                       f"Not agreed: the vote was tied ({line}) and the terms of reference of "
                       f"the {body.name} give the chair no casting vote.", tally)
    if casting not in ("for", "against"):
        raise RuleRefused(
            f"terms of reference of the {body.name} (chair's casting vote)",
            f"the vote is tied ({line}); record the chair's ({_person(cfg, chair)}) casting "
            "vote, for or against (--casting)",
        )
    tally["casting_vote"] = {"chair": chair, "position": casting}
    result: Result = "agreed" if casting == "for" else "not_agreed"
    verb = "Agreed" if casting == "for" else "Not agreed"
    return Outcome(result, "majority",
                   f"{verb} on the chair's casting vote: the vote was tied ({line}) and the "
                   f"chair, {_person(cfg, chair)}, gave a casting vote {casting}.", tally)


def _block(body: Body, cfg: LocalityConfig, eligible: Sequence[Attendee],
           partner_votes: Mapping[str, VotePosition]) -> Outcome:
    represented = {a.partner for a in eligible if a.capacity != "in_attendance"}
    voting = voting_partners(body, cfg)
    problems = []
    def typed(pids: Collection[str]) -> str:
        return ", ".join(f"{cfg.partner_by_id(p).name} ({p})" for p in pids)

    for pid in partner_votes:
        if pid not in body.partners:
            problems.append(f"partner_votes.{pid}: not a partner of the {body.name} "
                            f"({typed(body.partners)})")
        elif pid not in voting:
            problems.append(f"partner_votes.{pid}: {cfg.partner_by_id(pid).name} attends "
                            f"{body.name} but does not pool, and the terms of reference do not "
                            f"give it a vote (body.attending_vote); partners who vote: "
                            f"{typed(voting)}")
        elif pid not in represented:
            problems.append(f"partner_votes.{pid}: no eligible member of "
                            f"{cfg.partner_by_id(pid).name} is present to cast its vote")
    for pid, position in partner_votes.items():
        if position not in POSITIONS:
            problems.append(f"partner_votes.{pid}: {position!r} is not valid; "
                            f"expected one of {', '.join(POSITIONS)}")
    missing = [p for p in voting if p in represented and p not in partner_votes]
    if missing:
        problems.append(f"partner_votes: no block vote recorded for {typed(missing)}; "
                        f"{body.name} decides one vote per partner, so record a vote for, "
                        "against or abstain for each partner present "
                        f"({typed([p for p in voting if p in represented])})")
    if problems:
        raise InvalidInput("; ".join(problems))
    votes = {p: partner_votes.get(p) for p in voting}
    tally: dict[str, Any] = {"partner_votes": votes}
    names = {p: cfg.partner_by_id(p).name for p in voting}
    if all(v == "for" for v in votes.values()):
        return Outcome("agreed", "one_vote_per_partner",
                       "Agreed: every partner voted for (" +
                       ", ".join(names[p] for p in voting) + ").", tally)
    dissent = [f"{names[p]} {'did not vote' if v is None else 'voted ' + v}"
               for p, v in votes.items() if v != "for"]
    result: Result = "no_consensus" if body.on_no_consensus == "refer" else "not_agreed"
    then = (" The decision is referred to the partner body previously responsible."
            if result == "no_consensus" else "")
    return Outcome(result, "one_vote_per_partner",
                   "Not agreed: a decision needs every partner's vote and " +
                   "; ".join(dissent) + "." + then, tally)


def decide(body: Body, cfg: LocalityConfig, eligible: Sequence[Attendee], chair: str, *,
           objections: Collection[str] = (),
           votes: Mapping[str, VotePosition] | None = None,
           partner_votes: Mapping[str, VotePosition] | None = None,
           casting: VotePosition | None = None) -> Outcome:
    """Apply the body's decision rule. ``objections`` for consensus; ``votes`` (member ->
    position) for majority, with ``casting`` the chair's casting vote on a tie; ``partner_votes``
    (partner -> position) for one vote per partner."""
    present = [a for a in eligible if a.capacity != "in_attendance"]
    voters = [a.member_id for a in present if body.attending_vote or cfg.pools(a.partner)]
    silent = [a.member_id for a in present if a.member_id not in voters]
    _no_vote(body, cfg, "objection", [m for m in objections if m in silent], voters)
    _no_vote(body, cfg, "votes", [m for m in (votes or {}) if m in silent], voters)
    if not voters:
        raise RuleRefused(f"terms of reference of the {body.name}",
                          "no eligible member is present to take this decision")
    if body.decision_rule == "consensus":
        if votes or partner_votes:
            raise InvalidInput(f"{body.name} decides by consensus: record objections, not votes")
        return _consensus(body, cfg, voters, objections)
    if body.decision_rule == "majority":
        if votes is None:
            raise InvalidInput(f"votes: missing; {body.name} decides by majority, so record each "
                               "eligible member's vote (for, against or abstain)")
        if objections:
            raise InvalidInput(f"{body.name} decides by majority: record votes, not objections")
        return _majority(body, cfg, voters, chair, votes, casting)
    if partner_votes is None:
        raise InvalidInput(f"partner_votes: missing; {body.name} takes one vote per partner, so "
                           "record each partner's vote (" + ", ".join(
                               f"{cfg.partner_by_id(p).name} ({p})"
                               for p in voting_partners(body, cfg)) + ")")
    return _block(body, cfg, eligible, partner_votes)
