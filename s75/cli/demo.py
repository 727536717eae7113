"""``s75 demo``: a year of the locality's pooled-budget governance in simulated time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from s75.cli.options import get_app, parse_date
from s75.cli.output import console


def _staff_login(cfg_path: Path, db_url: str, at: datetime) -> tuple[str, str]:
    """A secretary's web account on the demo database (s75/accounts.py), printed once."""
    from s75 import accounts
    from s75.app import make_app

    a = make_app(cfg_path, db_url)
    try:
        with a.session() as s:
            username, password, bodies = accounts.demo_login(s, a.config, at)
            s.commit()
    finally:
        a.close()
    return username, f"{password} (secretary of {bodies})"


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        ctx: typer.Context,
        out: Annotated[Path, typer.Option(help="Folder for the PDFs, index and log.")] = Path(
            "out"),
        start: Annotated[str, typer.Option(help="First day of the year (YYYY-MM-DD).")] = (
            "2019-04-01"),
        config: Annotated[Path | None, typer.Option(
            "--config", help="A different locality config [default: the global --config].")
        ] = None,
        serve: Annotated[bool, typer.Option(
            "--serve", help="Afterwards, serve the year's public web pages until Ctrl-C.")
        ] = False,
        port: Annotated[int, typer.Option(help="Port for --serve.", min=1, max=65535)] = 8000,
    ) -> None:
        """Run a scripted year (committee meetings, a proposal through every gateway, the
        scheduler in simulated time, email to a local SMTP server, every document) on a fresh
        SQLite database in the output folder, then print a summary."""
        from s75.demo.runner import run_demo

        first = parse_date(start, "--start")
        cfg_path = config or get_app(ctx).config_file
        out_console = console()
        summary = run_demo(cfg_path, out, first, lambda line: out_console.print(line,
                                                                                markup=False))
        out_console.print("")
        out_console.print("Summary", style="bold", markup=False)
        for line in summary.lines():
            out_console.print(f"  {line}", markup=False)
        end = summary.ended_at
        if end is None:
            return
        browse = (f"s75 --config {cfg_path} --db {summary.database_url} "
                  f"--now {end:%Y-%m-%d} serve --no-scheduler")
        out_console.print("")
        username, password = _staff_login(cfg_path, summary.database_url, end)
        out_console.print(f"Staff sign-in: http://127.0.0.1:{port}/login as {username} with "
                          f"password {password}", markup=False, soft_wrap=True)
        if not serve:
            out_console.print(f"Browse the year on the web: {browse}", markup=False, soft_wrap=True)
            return
        from decisions.clock import SimulatedClock
        from s75.app import make_app
        from s75.cli.serve import run_server

        web = make_app(cfg_path, summary.database_url, SimulatedClock(end))
        out_console.print(f"Serving the year at http://127.0.0.1:{port}/ (Ctrl-C to stop)",
                          markup=False)
        run_server(web, "127.0.0.1", port, scheduler=False, log_level="warning")
