"""The one place where errors become exit codes and messages for the command line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import typer
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from decisions.errors import S75Error
from s75.output import err_console


def run_command(command: Any, argv: Sequence[str] | None) -> int:
    """Run the click command; a user sees a message and an exit code, never a traceback."""
    err = err_console()
    try:
        result = command.main(args=list(argv) if argv is not None else None, prog_name="s75",
                              standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        return 130
    except typer.TyperException as exc:  # usage errors: Typer's (vendored) ClickException
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err.print(f"error: {exc}", markup=False)
        return int(getattr(exc, "exit_code", 2))
    except S75Error as exc:
        err.print(f"error: {exc.message}", markup=False)
        return exc.exit_code
    except (OperationalError, ProgrammingError) as exc:
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        hint = ""
        if "no such table" in detail or "does not exist" in detail:
            hint = "; run 's75 init' to create the schema"
        err.print(f"error: database: {detail}{hint}", markup=False)
        return 2
    except DBAPIError as exc:
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        err.print(f"error: database: {detail}", markup=False)
        return 2
    return result if isinstance(result, int) else 0
