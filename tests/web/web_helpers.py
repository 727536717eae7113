"""A locality's record built through the services and the real event bus (s75.wiring): a
meeting with a Part 1 and a Part 2 item, published (packs stored), held and decided, with an
action arising from the exempt item; and a proposal in shadow operation with gateways."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from decisions.clock import SimulatedClock
from decisions.terms import LocalityConfig
from s75.app import App, make_app
from s75.wiring import build_bus
from tests.documents.meeting_setup import publish_and_attend
from tests.principals import FULL_COVER, as_principal
from tests.workflows.wf_helpers import Driver
from workflows.committee import actions, decide, items, meetings
from workflows.events import UnitOfWork

CONFIG = Path(__file__).resolve().parents[2] / "config.toml"
NOW = datetime(2019, 4, 11, 9, tzinfo=UTC)
"""The day after the meeting: the second meeting (May) is still to come."""

SECRETS = (
    "The provider's sealed bid is 4.2 million pounds",  # Part 2 report text
    "Sealed bid letter",  # Part 2 appendix
    "Commercial negotiations are live",  # Part 2 public-interest reason
    "Agree the mandate",  # Part 2 cover sheet
    "mandate of 3.9 million",  # Part 2 resolution
    "Bidder B withdrew",  # Part 2 reasons
    "Press bidder A below 4 million",  # action arising from the Part 2 item
)
PART1_TITLE = "Intermediate care beds"
PART2_TITLE = "Care home fee negotiation"


def schedule_jcc(engine: Engine, config: LocalityConfig, start: date, end: date) -> None:
    """The joint committee's meetings from ``start`` to ``end``, scheduled by a secretary."""
    with Session(engine) as session:
        uow = UnitOfWork(session, config, datetime(2011, 1, 1, 9, tzinfo=UTC),
                         as_principal("secretary"), build_bus())
        meetings.schedule(uow, "jcc", start, end)
        session.commit()


@dataclass
class Record:
    meeting_id: int
    next_meeting_id: int
    proposal_id: int


def build_record(engine: Engine, config: LocalityConfig) -> Record:
    bus = build_bus()
    with Session(engine) as session:
        uow = UnitOfWork(session, config, datetime(2019, 3, 1, 9, tzinfo=UTC),
                         as_principal("secretary"), bus)
        [m1, m2] = meetings.schedule(uow, "jcc", date(2019, 4, 1), date(2019, 5, 31))
        assert m1.id is not None and m2.id is not None
        public = items.add(uow, m1.id, PART1_TITLE, lead="DASS", indicative_time="14:15",
                           cover={**FULL_COVER,
                                  "decisions_required": "Approve 20 intermediate care beds",
                                  "sponsor": "DASS", "presenter": "Head of Commissioning"},
                           body_text="# Background\n\nDemand rose by 12% over winter.",
                           pool_line_id="adult_community")
        exempt = items.add(uow, m1.id, PART2_TITLE, lead="Director of People", part=2,
                           exempt_paragraph=3,
                           public_interest_reason=f"{SECRETS[2]}.",
                           cover={**FULL_COVER, "decisions_required": SECRETS[3]},
                           body_text=f"# Negotiation\n\n{SECRETS[0]}.",
                           appendices=[{"title": "Bid letter", "text": f"{SECRETS[1]}."}])
        assert public.id is not None and exempt.id is not None
        publish_and_attend(uow, m1.id, public.id, exempt.id)
        meetings.hold(uow, m1.id)
        decide.decide_item(uow, public.id or 0, resolution="That 20 beds be commissioned.",
                           reasons="Winter demand.")
        decide.decide_item(uow, exempt.id or 0, resolution=f"Agree a {SECRETS[4]}.",
                           reasons=f"{SECRETS[5]}.")
        actions.add(uow, m1.id, SECRETS[6], owner="dass", due_on=date(2019, 5, 1),
                    item_id=exempt.id)
        session.commit()
        ids = (m1.id, m2.id)
    driver = Driver(engine, config)
    pid = driver.create("Add population health to the pool")
    driver.today = "2018-10-05"
    driver.to_shadow(pid)
    driver.gateway(pid, "2018-10-30", council="go", ccg="go")
    driver.gateway(pid, "2018-11-29", council="go", ccg="stop")
    return Record(ids[0], ids[1], pid)


def web_app(db_url: str) -> App:
    return make_app(CONFIG, db_url, SimulatedClock(NOW))


def visible(page: str) -> str:
    """A page's text as a reader gets it: styles and tags dropped, entities decoded,
    whitespace collapsed."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))
