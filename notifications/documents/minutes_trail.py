"""The trail of a decision corrected or rescinded after the meeting, in words, for the minutes
and the decision notice: when, by whom, why, and what the record first said."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from decisions.outcomes import OUTCOME_LABELS, day
from decisions.terms import LocalityConfig
from workflows.committee.corrections import corrected_from, correction_of
from workflows.committee.records import DecisionCorrectionRow
from workflows.committee.tables import DecisionRow


def _who(cfg: LocalityConfig, member_id: str) -> str:
    for m in cfg.member:
        if m.id == member_id:
            return m.display
    return "the system" if member_id == "scheduler" else member_id


def _when(cfg: LocalityConfig, at: datetime) -> str:
    return day(at.astimezone(cfg.zone).date())


def _quoted(text: str) -> str:
    return f"“{text.strip().rstrip('.')}.”" if text.strip() else "(blank)."


def _change(c: DecisionCorrectionRow, cfg: LocalityConfig) -> str:
    firsts = []
    for ch in c.changed or []:
        before = str(ch.get("before", ""))
        if ch.get("field") == "outcome":
            before = OUTCOME_LABELS.get(before, before)
        firsts.append(f"the {ch.get('field')} first recorded read {_quoted(before)}")
    said = "; ".join(firsts)
    said = f" Before the correction {said}" if said else ""
    if said and not said.endswith((".", ".”")):
        said += "."
    return (f"Corrected on {_when(cfg, c.corrected_at)} by {_who(cfg, c.corrected_by)}: "
            f"{c.reason.rstrip('.')}.{said}")


def history(session: Session, cfg: LocalityConfig, d: DecisionRow) -> list[str]:
    """Each correction that led to ``d``, oldest first."""
    out: list[str] = []
    seen = d.id or 0
    while (c := corrected_from(session, seen)) is not None:
        out.insert(0, _change(c, cfg))
        seen = c.decision_id
    return out


def trail(session: Session, cfg: LocalityConfig, d: DecisionRow) -> tuple[str, tuple[str, ...]]:
    """(status, lines): status "" (as recorded), "corrected", "superseded" (by a
    correction) or "rescinded"."""
    lines = history(session, cfg, d)
    done = correction_of(session, d.id or 0)
    if done is not None and done.kind == "rescission":
        lines.append(f"The decision recorded on this item was rescinded on "
                     f"{_when(cfg, done.corrected_at)} by {_who(cfg, done.corrected_by)}: "
                     f"{done.reason.rstrip('.')}. It does not stand and may not be "
                     "implemented.")
        return "rescinded", tuple(lines)
    if done is not None:
        lines.append(f"This record was superseded on {_when(cfg, done.corrected_at)} by a "
                     f"corrected record ({done.reason.rstrip('.')}); it is kept as first "
                     "issued.")
        return "superseded", tuple(lines)
    return ("corrected" if lines else ""), tuple(lines)
