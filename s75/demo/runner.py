"""Running the demo year: a fresh SQLite database, a local SMTP server, a simulated clock moved
from due time to due time through ``process_due`` between the scripted steps, then every
document written under the output folder with an index page."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from decisions.calendar import calendar_for
from decisions.clock import SimulatedClock
from decisions.errors import S75Error
from decisions.principals import operator
from notifications.documents import jobs as render_jobs
from notifications.mailer import SmtpMailer
from notifications.simulate import simulate
from notifications.tables import DeadlineRow
from s75.config import load_config
from s75.db import make_engine, session_scope, upgrade
from s75.demo.cast import cast_for, stage
from s75.demo.export import export_documents
from s75.demo.script import build_year
from s75.demo.smtp import LocalSmtp
from s75.demo.story import Tally
from s75.standing import sync_standing
from s75.wiring import build_bus
from workflows.events import UnitOfWork

Say = Callable[[str], None]


@dataclass
class DemoSummary:
    tally: Tally
    scheduler: Counter[str] = field(default_factory=Counter)
    messages: int = 0
    recipients: int = 0
    deadlines: Counter[str] = field(default_factory=Counter)
    documents: list[Path] = field(default_factory=list)
    out: Path = Path("out")
    proposal_state: str = ""
    programme: str = ""
    """The other proposals' stages (s75/demo/programme.py), e.g. "1 stopped, 2 shadow ..."."""
    referrals: list[str] = field(default_factory=list)
    """Each referral's journey, in names (workflows/committee/referrals.py ``describe``)."""
    ended_at: datetime | None = None

    @property
    def database_url(self) -> str:
        """The demo's SQLite database, kept for ``s75 serve`` and the other commands."""
        return f"sqlite:///{(self.out / 'demo.db').resolve()}"

    def lines(self) -> list[str]:
        t, s = self.tally, self.scheduler
        return [
            f"meetings held        {t.meetings_held}",
            f"decisions            {t.decisions} ({t.referrals} referred, {t.deferred} deferred "
            "for want of quorum)",
            f"referrals            {len(self.referrals)}"
            + (": " + "; ".join(self.referrals) if self.referrals else ""),
            f"gateways             {t.gateways}; proposal now {self.proposal_state}",
            f"programme            {self.programme}",
            f"deadlines            {sum(self.deadlines.values())} issued: "
            f"{self.deadlines['met']} met, {self.deadlines['missed']} missed (escalated), "
            f"{self.deadlines['waived']} waived, {self.deadlines['pending']} still open; "
            f"{s['reminded']} reminders sent",
            f"agenda packs         {s['published']} published by the scheduler at the "
            "publication deadline",
            f"messages sent        {self.messages} to {self.recipients} recipients "
            "(local SMTP server)",
            f"documents            {len(self.documents)} PDFs in {self.out}/ "
            f"(index: {self.out}/index.html)",
        ]


class DemoFailed(S75Error):
    pass


def run_demo(config_path: Path, out: Path, start: date, say: Say) -> DemoSummary:
    cfg = load_config(config_path)
    cal = calendar_for(cfg.locality.extra_closure_days)
    cast = cast_for(cfg)
    year = build_year(cast, start, cal)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    db = out / "demo.db"
    zone = cfg.zone
    summary = DemoSummary(year.tally, out=out)
    with (out / "scheduler-log.txt").open("w", encoding="utf-8") as log, LocalSmtp() as smtp:
        cfg = cfg.model_copy(update={"smtp": cfg.smtp.model_copy(
            update={"host": "127.0.0.1", "port": smtp.port, "tls": "none"})})
        engine = make_engine(f"sqlite:///{db}")
        upgrade(engine)
        first = year.steps[0].when
        with session_scope(engine) as session:
            sync_standing(session, cfg, first)
        bus = build_bus()
        mailer = SmtpMailer(cfg.smtp)
        clock = SimulatedClock(first)
        say(f"{cfg.locality.name}: {len(year.steps)} scripted steps, "
            f"{start:%B %Y} to {(start + timedelta(days=364)):%B %Y}; "
            f"SMTP on 127.0.0.1:{smtp.port}")
        now = first
        for step in [*year.steps, None]:
            until = step.when if step else datetime.combine(
                start.replace(year=start.year + 1), datetime.min.time(), zone)
            result = simulate(engine, cfg, bus, now, until, mailer=mailer, clock=clock,
                              say=lambda line: print(line, file=log))
            summary.scheduler.update(result.counts)
            if step is None:
                break
            try:
                with Session(engine, expire_on_commit=False) as session:
                    note = step.run(UnitOfWork(session, cfg, step.when, operator(cfg), bus))
                    session.commit()  # its packs render right after (documents/jobs.py)
                # and any job left (a render that failed, to retry) before the mail goes
                render_jobs.run_pending(engine, cfg)
            except S75Error as exc:
                when = f"{step.when.astimezone(zone):%d %B %Y}"
                raise DemoFailed(f"demo step '{step.label}' on {when} was refused: "
                                 f"{exc.message}") from exc
            print(f"{step.when.astimezone(zone):%Y-%m-%d %H:%M}  STEP      {note}", file=log)
            say(f"{step.when.astimezone(zone):%Y-%m-%d}  {note}")
            now = step.when
        mailer.close()
        summary.messages = len(smtp.inbox.messages)
        summary.recipients = len(set(smtp.inbox.recipients))

    with session_scope(engine) as session:
        from workflows.proposal.lifecycle import get_proposal

        summary.proposal_state = stage(get_proposal(session, year.proposal_id).state)
        states = Counter(get_proposal(session, pid).state.replace("_", " ")
                         for pid in year.programme.values())
        summary.programme = (f"{sum(states.values())} more proposals: "
                             + ", ".join(f"{n} {st}" for st, n in sorted(states.items()))
                             + " (the gateway board: /proposals)")
        summary.deadlines.update(row.state for row in session.exec(select(DeadlineRow)).all())
        summary.referrals = _referrals(UnitOfWork(session, cfg, now, operator(cfg), bus))
        summary.documents = export_documents(session, cfg, out, now)
    summary.ended_at = now
    engine.dispose()
    return summary


def _referrals(uow: UnitOfWork) -> list[str]:
    """"Joint Commissioning Committee to CCG Board, decided there and reported back (CCG
    Board, 27 Sep 2019: approved; reported back at Joint Commissioning Committee, 13 Nov
    2019)"."""
    from workflows.committee.referrals import listing

    out = []
    for r in listing(uow):
        back = str(r["reported_back"])
        how = {"open": "not yet placed", "placed": f"placed at {r['placed_at']}"}.get(
            r["state"], f"decided there ({r['placed_at']}: {r['outcome']}); the report back "
                        + back if back.startswith("awaits") else
                        f"decided there and reported back ({r['placed_at']}: {r['outcome']}; "
                        f"reported back at {back})")
        out.append(f"{r['from_body']} to {r['to_body']}, {how}")
    return out
