"""``s75 serve``: the public web pages, with the notifications scheduler in the background."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from s75.cli.options import get_app

if TYPE_CHECKING:
    from s75.app import App


def run_server(app: App, host: str, port: int, *, scheduler: bool,
               log_level: str = "info") -> None:
    """The web app over ``app`` in uvicorn, until interrupted."""
    import uvicorn

    from s75.web.app import create_app

    uvicorn.run(create_app(app, start_scheduler=scheduler), host=host, port=port,
                log_level=log_level, ws="none")


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
        from decisions.clock import SimulatedClock
        from decisions.errors import InvalidInput

        a = get_app(ctx)
        a.config  # noqa: B018 - load and validate the config before binding the port
        a.engine  # noqa: B018 - and the database: initialised, at this version's schema
        if isinstance(a.clock, SimulatedClock) and not no_scheduler:
            raise InvalidInput("--now / S75_NOW: the scheduler wakes on the real clock and cannot "
                               "run at a fixed time; add --no-scheduler to serve the pages as at "
                               "that date")
        run_server(a, host, port, scheduler=not no_scheduler)
