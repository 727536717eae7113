"""``s75 user add|list|disable|reset-password``: the staff web's local accounts (s75/accounts.py).

An account signs in as a member of the configuration (``--member``), whose roles and bodies
decide what it may do. A password is read from ``--password-file`` or generated and printed
once; it is never taken on the command line (shell history)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import col, select

from decisions.errors import InvalidInput
from s75 import accounts
from s75.cli.options import JsonOpt, get_app
from s75.cli.output import console, emit_rows

user_app = typer.Typer(no_args_is_help=True, help="Staff web accounts.")

PasswordFile = Annotated[Path | None, typer.Option(
    "--password-file", help="Read the password from this file (first line); default: a "
    "random password, printed once.")]


def _password(path: Path | None) -> tuple[str, bool]:
    if path is None:
        return accounts.new_password(), True
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"--password-file: cannot read {path}: {exc}") from exc
    if not lines:
        raise InvalidInput(f"--password-file: {path} is empty; put the password on line 1")
    return lines[0], False


def _hand_over(username: str, password: str, generated: bool) -> None:
    if generated:
        console().print(f"password for {username}: {password}", highlight=False)


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Sign-in name, e.g. s.jones")],
    member: Annotated[str, typer.Option("--member", help="The member of the config this "
                                        "account signs in as (their roles apply)")],
    password_file: PasswordFile = None,
) -> None:
    """Add a local account for a member."""
    a = get_app(ctx)
    password, generated = _password(password_file)
    with a.session() as s:
        row = accounts.add(s, a.config, username, member, password, a.clock.now())
        s.commit()
        console().print(f"account {row.username} added for {row.principal_id}", highlight=False)
    _hand_over(username, password, generated)


@user_app.command("list")
def user_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every account: member, method, disabled, last sign-in."""
    a = get_app(ctx)
    names = {m.id: m.name for m in a.config.member}
    with a.session() as s:
        rows = s.exec(select(accounts.AccountRow).order_by(col(accounts.AccountRow.username)))
        out = [{"username": r.username, "member": r.principal_id,
                "name": names.get(r.principal_id, "(not in config)"), "method": r.method,
                "disabled": r.disabled, "last_login": r.last_login_at} for r in rows]
    emit_rows(out, as_json, title="Accounts")


@user_app.command("disable")
def user_disable(ctx: typer.Context,
                 username: Annotated[str, typer.Argument(help="Sign-in name")]) -> None:
    """Disable an account: it can no longer sign in and its sessions end at once."""
    a = get_app(ctx)
    with a.session() as s:
        accounts.disable(s, username)
        s.commit()
    console().print(f"account {username} disabled; its sessions have ended", highlight=False)


@user_app.command("reset-password")
def user_reset(ctx: typer.Context,
               username: Annotated[str, typer.Argument(help="Sign-in name")],
               password_file: PasswordFile = None) -> None:
    """Set a new password (and enable the account); its sessions end at once."""
    a = get_app(ctx)
    password, generated = _password(password_file)
    with a.session() as s:
        accounts.reset_password(s, username, password)
        s.commit()
    console().print(f"password of {username} reset; its sessions have ended", highlight=False)
    _hand_over(username, password, generated)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
