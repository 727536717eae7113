"""The notifications scheduler run in the background of ``s75 serve``.

Only one scheduler may run against a database (notifications/scheduler.py elects a leader
with a lock). The web server must come up whether or not it is the leader, so the election
runs in a daemon thread: a second ``s75 serve`` serves pages and tries again every
``poll_seconds`` to take over. Stopping the server ends the wait at once."""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any

from decisions.errors import ConflictError
from s75.app import App

log = logging.getLogger("s75.web")


class BackgroundScheduler:
    def __init__(self, app: App, *, poll_seconds: float = 5.0) -> None:
        from notifications import scheduler

        self._scheduler = scheduler
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
        self.waiting = True
        self._thread = threading.Thread(target=self._run, name="s75-scheduler", daemon=True)
        self._thread.start()

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
        if lock is not None:
            self._scheduler.stop(self.runtime, lock)
