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
