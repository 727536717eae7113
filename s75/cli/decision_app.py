"""The ``s75 decision`` group: commands on a recorded decision (call-in, corrections).

The group is defined here so that each module adding a command to it imports the same
``decision_app``; it is registered once, by ``register``.
"""

from __future__ import annotations

import typer

decision_app = typer.Typer(no_args_is_help=True, help=(
    "Recorded decisions: call-in, correction and rescission."))


def register(app: typer.Typer) -> None:
    app.add_typer(decision_app, name="decision")
