"""``s75 serve``: the public web pages, with the notifications scheduler in the background."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        ctx: typer.Context,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
        no_scheduler: Annotated[bool, typer.Option(
            "--no-scheduler", help="Serve pages only; do not run the scheduler.")] = False,
    ) -> None:
        """Serve the public pages (meetings, decisions, proposals, deadlines) and run the
        scheduler in the background (one per database: another server waits its turn)."""
        import uvicorn

        from decisions.clock import SimulatedClock
        from decisions.errors import InvalidInput
        from s75.cli import get_app
        from s75.web.app import create_app

        a = get_app(ctx)
        a.config  # noqa: B018 - load and validate the config before binding the port
        a.engine  # noqa: B018 - and the database: initialised, at this version's schema
        if isinstance(a.clock, SimulatedClock) and not no_scheduler:
            raise InvalidInput("--now / S75_NOW: the scheduler wakes on the real clock and cannot "
                               "run at a fixed time; add --no-scheduler to serve the pages as at "
                               "that date")
        api = create_app(a, start_scheduler=not no_scheduler)
        uvicorn.run(api, host=host, port=port, log_level="info", ws="none")
