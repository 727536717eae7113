"""Requests straight into an ASGI app, for the benchmarks: the HTTP scope, ``receive`` and
``send`` built here and ``await app(scope, receive, send)`` run in one event loop of the
calling thread, the app's lifespan entered once. No HTTP client is in the measured path (no
httpx request and response objects, no hop to a portal thread and back per request, as
Starlette's TestClient makes): what is timed is the app (routing, middleware, session, the
route and its template), as a server such as uvicorn calls it once it has parsed the request
(which is the server's work, not the app's).

Cookies behave as the TestClient's do on its ``http://testserver`` address: those the answers
set are sent back, except ``Secure`` ones (a browser, and httpx's jar, send those over HTTPS
only; the session cookie is ``Secure``, so a page's request is anonymous, as it was)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from http.cookies import SimpleCookie
from types import TracebackType
from typing import Any

HEADERS = [(b"host", b"testserver"), (b"accept", b"*/*"),
           (b"accept-encoding", b"gzip, deflate"), (b"connection", b"keep-alive"),
           (b"user-agent", b"s75-bench")]
"""What the TestClient sent with every request."""


@dataclass(frozen=True)
class Answer:
    status_code: int
    headers: list[tuple[bytes, bytes]]
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode()


class AsgiClient:
    """``with AsgiClient(app) as client: client.get("/path?query")``: one request at a time,
    each awaited to its end in the client's event loop.

    The requests run in one long-lived task of the loop (the "server" task, which also holds
    the app's lifespan), as a server's main task lives as long as the server: AnyIO ties its
    worker threads (which run the app's plain ``def`` routes) to that root task, so they are
    started once and reused, as under uvicorn. (Running each request as a task of its own
    ``run_until_complete`` would make each request the root task and start a new thread per
    request.)"""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.cookies: dict[str, str] = {}
        self._queue: asyncio.Queue[tuple[str, str, asyncio.Future[Answer]] | None] | None = None
        self._server: asyncio.Task[None] | None = None

    def __enter__(self) -> AsgiClient:
        ready: asyncio.Future[None] = self.loop.create_future()
        self._server = self.loop.create_task(self._serve(ready))
        self.loop.run_until_complete(ready)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if self._queue is not None and self._server is not None:
                self._queue.put_nowait(None)
                self.loop.run_until_complete(self._server)
        finally:
            self.loop.close()

    async def _serve(self, ready: asyncio.Future[None]) -> None:
        """The lifespan entered once, then each request awaited in turn in this task."""
        self._queue = asyncio.Queue()
        async with self.app.router.lifespan_context(self.app):
            ready.set_result(None)
            while (item := await self._queue.get()) is not None:
                method, target, answer = item
                try:
                    answer.set_result(await self.request(method, target))
                except Exception as e:  # the caller's run_until_complete raises it
                    answer.set_exception(e)

    def get(self, target: str) -> Answer:
        assert self._queue is not None, "use the client in a with block"
        answer: asyncio.Future[Answer] = self.loop.create_future()
        self._queue.put_nowait(("GET", target, answer))
        return self.loop.run_until_complete(answer)

    async def request(self, method: str, target: str) -> Answer:
        path, _, query = target.partition("?")
        headers = list(HEADERS)
        if self.cookies:
            headers.append((b"cookie", "; ".join(
                f"{k}={v}" for k, v in self.cookies.items()).encode("latin-1")))
        scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"},
                 "http_version": "1.1", "method": method, "scheme": "http", "path": path,
                 "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
                 "headers": headers, "client": ("127.0.0.1", 50000),
                 "server": ("testserver", 80), "extensions": {}}
        status = 0
        answer_headers: list[tuple[bytes, bytes]] = []
        body: list[bytes] = []
        sent = asyncio.Event()

        async def receive() -> dict[str, Any]:
            if not sent.is_set():
                sent.set()
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # a client that stays: never disconnects
            raise AssertionError("unreachable")

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                answer_headers.extend((bytes(k), bytes(v)) for k, v in message["headers"])
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))

        await self.app(scope, receive, send)
        self._keep_cookies(answer_headers)
        return Answer(status, answer_headers, b"".join(body))

    def _keep_cookies(self, headers: list[tuple[bytes, bytes]]) -> None:
        for name, value in headers:
            if name.lower() != b"set-cookie":
                continue
            jar: SimpleCookie = SimpleCookie()
            jar.load(value.decode("latin-1"))
            for key, morsel in jar.items():
                if not morsel["secure"]:  # sent over HTTPS only, as the TestClient did
                    self.cookies[key] = morsel.value

