"""File 000's compliance checklist, part of every report's cover sheet: the documentation
lines the engine itself guarantees (the cover sheet is checked at submission, packs carry page
and paragraph numbers, the documents are set in Arimo, metric-compatible with Arial), and the
statutory and local policy lines the report's author answers."""

from __future__ import annotations

from collections.abc import Mapping

from decisions.errors import InvalidInput

ANSWERS = ("Y", "N", "n/a", "To follow")
DOCUMENTATION: tuple[tuple[str, str], ...] = (
    ("Cover sheet completed", "Y"),
    ("Page numbers", "Y"),
    ("Paragraph numbers in place", "Y"),
    ("All text single space Arial 12. Headings Arial bold 12 or above, no underlining", "Y"),
)
STATUTORY: dict[str, str] = {
    "finance": "Change in financial spend: finance section completed",
    "consultation": "Service changes: public consultation completed and reported",
    "eia": "Service changes: approved equality impact assessment included as appendix",
    "privacy": "Patient level data impacted: privacy impact assessment included",
    "procurement": "Change in service supplier: procurement and tendering rationale approved "
                   "and included",
    "risk": "Any form of change: risk assessment completed and included",
    "staff": "Any impact on staff: consultation and EIA undertaken",
}


def check_answers(answers: Mapping[str, str]) -> dict[str, str]:
    """The author's answers, keyed by STATUTORY's keys, each one of ANSWERS."""
    out = {}
    for key, answer in answers.items():
        if key not in STATUTORY:
            raise InvalidInput(f"checklist: {key!r} is not a checklist line; expected one of "
                               f"{', '.join(STATUTORY)}")
        match = next((a for a in ANSWERS if a.casefold() == answer.strip().casefold()), None)
        if match is None:
            raise InvalidInput(f"checklist: {key}={answer!r} is not an answer; expected one "
                               f"of {', '.join(ANSWERS)}")
        out[key] = match
    return out
