"""The one place where errors become exit codes and messages for the command line.

Exit codes: 0 done; 1 only for a check that found a problem (``s75 audit verify``); 2 for bad
input, a refused step or an unusable database/file (a message saying what would be valid);
70 for a bug (an exception nobody expected: a one-line report, the traceback only with
``S75_DEBUG=1``); 130 when the user aborted. A user never sees a raw traceback.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import typer
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from decisions.errors import S75Error
from s75.cli.output import err_console

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE (sysexits.h)

# Database messages that mean "the --db is wrong", with what would make it right.
_DB_HINTS = (
    (("connection refused", "connection failed", "could not translate host name",
      "password authentication failed", "timeout expired"),
     "check --db / S75_DATABASE_URL (e.g. postgresql+psycopg://user@host:5432/name) and that "
     "the server is running"),
    (("no such table", "does not exist", "undefinedtable"),
     "the database has no schema yet; run 's75 init' (with the same --db) to create it"),
    (("unable to open database file",),
     "check that the folder of the --db file exists and is writable, e.g. "
     "--db ./s75.db or --db sqlite:///path/to/s75.db"),
    (("file is not a database", "database disk image is malformed"),
     "the --db file is not an s75 SQLite database; give a new file name (then 's75 init') "
     "or the right file"),
    (("readonly database", "read-only"),
     "the --db file is read-only; give a writable file"),
    (("database is locked",),
     "another s75 process is writing; try again in a moment"),
)


def _db_message(exc: DBAPIError) -> str:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    low = detail.lower()
    for needles, hint in _DB_HINTS:
        if any(n in low for n in needles):
            return f"error: database: {detail}; {hint}"
    return f"error: database: {detail}"


def _debug() -> bool:
    return os.environ.get("S75_DEBUG", "").strip().lower() not in ("", "0", "false", "no")


def run_command(command: Any, argv: Sequence[str] | None) -> int:
    """Run the click command; a user sees a message and an exit code, never a traceback."""
    err = err_console()
    try:
        result = command.main(args=list(argv) if argv is not None else None, prog_name="s75",
                              standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted")
        return 130
    except typer.TyperException as exc:  # usage errors: Typer's (vendored) ClickException
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err.print(f"error: {exc}", markup=False)
        return int(getattr(exc, "exit_code", EXIT_BAD_INPUT))
    except S75Error as exc:
        err.print(f"error: {exc.message}", markup=False)
        return exc.exit_code
    except (OperationalError, ProgrammingError, DBAPIError) as exc:
        err.print(_db_message(exc), markup=False)
        return EXIT_BAD_INPUT
    except OverflowError as exc:  # the net under bound_integers / parse_date
        err.print(f"error: a number or date given is out of range ({exc}); give a smaller "
                  "one", markup=False)
        return EXIT_BAD_INPUT
    except OSError as exc:
        # A file the user named (to read or to write) that the system refused; the command
        # modules name the option where they can, this is the net under them.
        if exc.filename is None or _debug():
            return _internal(exc, err)
        err.print(f"error: {exc.filename}: {exc.strerror or exc}; give a path that exists "
                  "and that you may read (or, for output, write)", markup=False)
        return EXIT_BAD_INPUT
    except Exception as exc:  # the last resort: never a raw traceback
        return _internal(exc, err)
    return result if isinstance(result, int) else 0


def _internal(exc: BaseException, err: Any) -> int:
    if _debug():
        raise exc
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else "(no message)"
    err.print(f"internal error: {type(exc).__name__}: {message}", markup=False)
    err.print("This is a bug in s75, not something you did wrong: please report it with the "
              "command you ran. Set S75_DEBUG=1 and run it again to see the traceback.",
              markup=False)
    return EXIT_INTERNAL
