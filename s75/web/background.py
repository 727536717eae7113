"""The notifications scheduler run in the background of ``s75 serve``.

Only one scheduler may run against a database (notifications/scheduler.py elects a leader
with a lock). The web server must come up whether or not it is the leader, so the election
runs in a daemon thread: a second ``s75 serve`` serves pages and tries again every
``poll_seconds`` to take over. Stopping the server ends the wait at once.

Every server, leader or not, also runs a worker thread that every ``work_seconds`` renders
the due render jobs and delivers the due outbox messages: several servers on one PostgreSQL
database share that work (each job and message claimed by one of them, ``FOR UPDATE SKIP
LOCKED``), and a job left by a server that died is taken over when its lease runs out. Web
requests do not render: their render jobs go to these workers (``S75_RENDER_JOBS`` is set to
``background`` while the worker runs), so a publication answers at once."""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any

from decisions.errors import ConflictError
from s75.app import App

log = logging.getLogger("s75.web")


class BackgroundScheduler:
    def __init__(self, app: App, *, poll_seconds: float = 5.0,
                 work_seconds: float = 2.0) -> None:
        from notifications import scheduler

        self._app = app
        self._scheduler = scheduler
        self.work_seconds = work_seconds
        self._worker: threading.Thread | None = None
        self.worked = 0
        self.runtime = scheduler.Runtime(app.engine, app.config, app.bus, app.clock,
                                         out=sys.stdout)
        self.poll_seconds = poll_seconds
        self._lock: Any = None
        self._guard = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.waiting = False
        self.error: str | None = None

    @property
    def running(self) -> bool:
        sched = self.runtime.scheduler
        return bool(sched is not None and sched.running)

    @property
    def state(self) -> str:
        if self.error:
            return "failed"
        if self.running:
            return "running"
        return "waiting for leadership" if self.waiting else "stopped"

    def start(self) -> None:
        from notifications.documents import jobs

        self.waiting = True
        jobs.set_mode("background")
        self._thread = threading.Thread(target=self._run, name="s75-scheduler", daemon=True)
        self._thread.start()
        self._worker = threading.Thread(target=self._work, name="s75-worker", daemon=True)
        self._worker.start()

    def _work(self) -> None:
        """Render due jobs, then deliver due messages, until stopped."""
        from sqlmodel import Session

        from notifications import outbox
        from notifications.documents import jobs

        rt = self.runtime
        while not self._stop.wait(self.work_seconds):
            try:
                jobs.run_pending(rt.engine, rt.config)
                mailer = rt.make_mailer()
                try:
                    with Session(rt.engine, expire_on_commit=False) as s:
                        outbox.deliver_due(s, rt.clock.now(), mailer,
                                           max_attempts=rt.config.smtp.max_attempts)
                finally:
                    mailer.close()
                self.worked += 1
            except Exception as exc:  # the next round tries again; the log says why
                log.error("background worker: %s: %s", type(exc).__name__, exc)

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._guard:
                if self._stop.is_set():
                    break
                try:
                    self._lock = self._scheduler.start(self.runtime, blocking=False,
                                                       wait_for_leader=False)
                except ConflictError as exc:  # another process leads: wait and try again
                    log.info("%s", exc)
                except Exception as exc:  # pages keep being served; /health says why
                    self.error = f"{type(exc).__name__}: {exc}"
                    log.error("scheduler did not start: %s", self.error)
                    break
                else:
                    break
            self._stop.wait(self.poll_seconds)
        self.waiting = False

    def stop(self) -> None:
        self._stop.set()
        with self._guard:  # not while the thread is starting the scheduler
            lock, self._lock = self._lock, None
        if self._thread is not None:
            self._thread.join()
        if self._worker is not None:
            self._worker.join()
        if lock is not None:
            self._scheduler.stop(self.runtime, lock)
        from notifications.documents import jobs

        jobs.set_mode(None)
