"""Errors a secretary can act on. The CLI maps each to exit code 2 (s75/cli_errors.py) and the
web app to a message beside the field; nothing else catches them."""

from __future__ import annotations

from collections.abc import Sequence


class S75Error(Exception):
    """Base class: the message says which rule, which item, and what would make it valid."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(S75Error):
    """A configuration file is invalid; ``problems`` lists every problem found, in order."""

    def __init__(self, source: str, problems: Sequence[object]) -> None:
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s)\n{lines}")
        self.source = source
        self.problems = list(problems)


class NotFound(S75Error):
    """An id given by the user does not exist."""


class InvalidInput(S75Error):
    """A value given by the user is malformed; the message names the field and what is allowed."""


class RuleRefused(S75Error):
    """A rule of the terms of reference, statute or workflow refuses the step."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"Refused by {rule}: {message}")
        self.rule = rule
        self.reason = message


class ConflictError(S75Error):
    """Someone else changed the record first (optimistic version check)."""


class ConnectionLost(S75Error):
    """The connection to the database was lost (the server restarted, or closed it). Before the
    commit nothing was written (the server rolls the transaction back); ``at_commit``: it was
    lost while committing, so the change may or may not have been saved."""

    exit_code = 75  # EX_TEMPFAIL (sysexits.h): try again later

    def __init__(self, detail: str, *, at_commit: bool = False) -> None:
        what = ("while saving: the change may or may not have been saved; look (the web "
                "page, or 's75 audit list') before trying again" if at_commit else
                "before anything was saved: nothing was written; try again")
        super().__init__(f"the connection to the database was lost {what} ({detail})")
        self.at_commit = at_commit
