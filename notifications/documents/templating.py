"""The documents' HTML: Jinja2 templates of templates/pdf (autoescaped), their filters and
globals, and the result type of a render. No WeasyPrint here: a transaction fixes a document's
HTML with these and a render job turns it into a PDF after the commit
(:mod:`notifications.documents.render`), so a command that never renders never imports the
renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from decisions.access import REGIMES
from notifications.documents.meeting_views import Block

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
PDF_TEMPLATES = TEMPLATES / "pdf"
LANG = "en-GB"

EXEMPT_PARAGRAPHS: dict[int, str] = {
    1: "Information relating to any individual",
    2: "Information which is likely to reveal the identity of an individual",
    3: "Information relating to the financial or business affairs of any particular person "
       "(including the authority holding that information)",
    4: "Information relating to any consultations or negotiations, or contemplated "
       "consultations or negotiations, in connection with any labour relations matter",
    5: "Information in respect of which a claim to legal professional privilege could be "
       "maintained in legal proceedings",
    6: "Information which reveals that the authority proposes to give a notice or to make an "
       "order or direction under any enactment",
    7: "Information relating to any action taken or to be taken in connection with the "
       "prevention, investigation or prosecution of crime",
}



def _money(value: Decimal | int | None, unit: str = "") -> str:
    if value is None:
        return "tbc"
    v = Decimal(value)
    if unit == "m":
        text = f"{abs(v) / 1_000_000:,.2f}m"
    elif unit == "k":
        text = f"{abs(v) / 1000:,.0f}"
    else:
        text = f"{abs(v):,.0f}"
    return f"(£{text})" if v < 0 else f"£{text}"


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "n/a"
    return f"({abs(value):,}%)" if value < 0 else f"{value:,}%"


def _day(value: date | datetime | None) -> str:
    return "" if value is None else f"{value:%A %-d %B %Y}"


def _short(value: date | datetime | None) -> str:
    return "" if value is None else f"{value:%-d %b %Y}"


def _clock(value: datetime) -> str:
    return f"{value:%-I.%M%p}".lower()


def make_env() -> Environment:
    env = Environment(loader=FileSystemLoader(PDF_TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(money=_money, signed=_signed, day=_day, short=_short, clock=_clock)
    env.tests["block"] = lambda value: isinstance(value, Block)
    env.globals.update(exempt_paragraphs=EXEMPT_PARAGRAPHS, lang=LANG,
                       exempt_basis=exempt_basis, exclusion_of=exclusion_of,
                       urgency_of=urgency_of)
    return env


def exempt_basis(regime: str, paragraph: int | None) -> str:
    """Templates: why a Part 2 item is exempt under the body's regime (decisions/access.py)."""
    return REGIMES[regime].exempt_basis(paragraph)


def exclusion_of(regime: str) -> str:
    """Templates: the resolution excluding the public, the paragraphs stood by each item."""
    return REGIMES[regime].exclusion_resolution(())


def urgency_of(regime: str) -> str:
    """Templates: the rule under which the chair admits a late item as urgent."""
    rule = REGIMES[regime].urgency_rule
    return rule + "(b)" if rule.endswith("s100B(4)") else rule


_ENV: Environment | None = None


def env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = make_env()
    return _ENV


def render_html(template: str, **context: Any) -> str:
    """Render one template of templates/pdf (autoescaped) to an HTML string.

    ``folio`` (default True) adds the "Page x of y" footer stylesheet; a pack's parts are
    rendered without it and numbered when assembled.
    """
    context.setdefault("folio", True)
    return env().get_template(template).render(**context)


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    refused: list[str] = field(default_factory=list)
