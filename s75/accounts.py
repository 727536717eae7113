"""Staff accounts: who may sign in to the web, tied to a member principal of the configuration.

An account is a *login* for a principal (``decisions/principals.py``): the roles and bodies stay
in the configuration, so the web asks the same permission rule as the CLI. ``method`` says how
the account proves who it is: ``password`` (an argon2id hash, ``argon2-cffi``) today; a second
method (``oidc``: OpenID Connect, e.g. Microsoft Entra ID) fills ``issuer`` and ``subject`` and
leaves the hash empty (docs/web.md, "Single sign-on").

``session_epoch`` is written into every session cookie: disabling an account or resetting its
password bumps it, so every cookie issued before stops working at once (no server-side store).

Failed logins are kept (``login_failure``) to throttle by account and by address."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Column, delete, func
from sqlmodel import Field, Session, SQLModel, col, select

from decisions.errors import ConflictError, InvalidInput, NotFound
from decisions.principals import Principal, find_principal
from decisions.terms import LocalityConfig
from workflows.sqltypes import UTCDateTime

METHODS = ("password", "oidc")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
MIN_PASSWORD = 12
WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT = 5
"""Failed logins for one account within :data:`WINDOW` before it is refused for a while."""
MAX_PER_ADDRESS = 20
"""Failed logins from one address (any account) within :data:`WINDOW`."""

_hasher = PasswordHasher()  # argon2id, the library's current recommended parameters


class AccountRow(SQLModel, table=True):
    __tablename__ = "account"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True)
    principal_id: str
    """The member of the configuration this account signs in as."""
    method: str = "password"
    password_hash: str = ""
    issuer: str = ""
    """OpenID Connect: the issuer URL; with ``subject`` the identity (unique together)."""
    subject: str = ""
    disabled: bool = False
    session_epoch: int = 1
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    last_login_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class LoginFailureRow(SQLModel, table=True):
    __tablename__ = "login_failure"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True)
    address: str = Field(index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


@dataclass(frozen=True)
class SignedIn:
    account: AccountRow
    principal: Principal


class LoginRefused(Exception):
    """Wrong name or password, a disabled account, or too many attempts (one message each)."""


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password: {len(password)} characters is too short; give at least "
                           f"{MIN_PASSWORD}")
    if len(password) > 1024:
        raise InvalidInput("password: longer than 1024 characters")


def new_password() -> str:
    """A random password to hand over once (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


def by_username(session: Session, username: str) -> AccountRow:
    row = session.exec(select(AccountRow).where(AccountRow.username == username)).first()
    if row is None:
        names = session.exec(select(AccountRow.username).order_by(col(AccountRow.username))).all()
        raise NotFound(f"account {username!r} does not exist; expected one of: "
                       f"{', '.join(names) or '(no accounts yet: s75 user add)'}")
    return row


def add(session: Session, cfg: LocalityConfig, username: str, principal_id: str,
        password: str, now: datetime) -> AccountRow:
    if not USERNAME.match(username):
        raise InvalidInput(f"username: {username!r} is not valid; use 2-64 lower-case letters, "
                           "digits, '.', '_', '@' or '-', starting with a letter or digit")
    find_principal(cfg, principal_id, "member")
    check_password(password)
    if session.exec(select(AccountRow).where(AccountRow.username == username)).first():
        raise ConflictError(f"username: account {username!r} already exists")
    row = AccountRow(username=username, principal_id=principal_id,
                     password_hash=_hasher.hash(password), created_at=now)
    session.add(row)
    session.flush()
    return row


def disable(session: Session, username: str) -> AccountRow:
    row = by_username(session, username)
    row.disabled = True
    row.session_epoch += 1
    session.add(row)
    return row


def reset_password(session: Session, username: str, password: str) -> AccountRow:
    row = by_username(session, username)
    check_password(password)
    row.password_hash = _hasher.hash(password)
    row.session_epoch += 1
    row.disabled = False
    session.add(row)
    return row


def throttled(session: Session, username: str, address: str, now: datetime) -> bool:
    since = now - WINDOW
    by_account = session.exec(select(func.count()).select_from(LoginFailureRow).where(
        LoginFailureRow.username == username, col(LoginFailureRow.at) >= since)).one()
    by_address = session.exec(select(func.count()).select_from(LoginFailureRow).where(
        LoginFailureRow.address == address, col(LoginFailureRow.at) >= since)).one()
    return by_account >= MAX_PER_ACCOUNT or by_address >= MAX_PER_ADDRESS


def login(session: Session, cfg: LocalityConfig, username: str, password: str, address: str,
          now: datetime) -> SignedIn:
    """The account and its principal, or LoginRefused (recorded as a failure). The caller
    commits either way, so failures count even when refused."""
    username = username.strip().lower()
    if throttled(session, username, address, now):
        raise LoginRefused("Too many failed sign-in attempts. Wait 15 minutes and try again, "
                           "or ask an admin to reset your password.")
    row = session.exec(select(AccountRow).where(AccountRow.username == username)).first()
    ok = False
    if row is not None and row.method == "password" and row.password_hash:
        try:
            ok = _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password)  # the same work whether or not the account exists
    if not ok or row is None or row.disabled:
        session.add(LoginFailureRow(username=username, address=address, at=now))
        raise LoginRefused("The username or password is not right, or the account is "
                           "disabled.")
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    row.last_login_at = now
    session.add(row)
    session.exec(delete(LoginFailureRow).where(
        col(LoginFailureRow.username) == username))
    return SignedIn(row, find_principal(cfg, row.principal_id, "account"))


def resume(session: Session, cfg: LocalityConfig, account_id: int, epoch: int
           ) -> SignedIn | None:
    """The signed-in account of a session cookie, if it is still valid."""
    row = session.get(AccountRow, account_id)
    if row is None or row.disabled or row.session_epoch != epoch:
        return None
    try:
        return SignedIn(row, find_principal(cfg, row.principal_id, "account"))
    except NotFound:  # the member was removed from the configuration
        return None


def demo_login(session: Session, cfg: LocalityConfig, now: datetime) -> tuple[str, str, str]:
    """A secretary's account for the demo year (username, password, what they clerk): the
    member who clerks the most bodies (on a tie, one who is not also an admin)."""
    secretaries = [m for m in cfg.member if m.secretary_of]
    if not secretaries:
        raise NotFound("the configuration names no body's secretary (member.secretary_of)")
    member = min(secretaries, key=lambda m: (-len(m.secretary_of), "admin" in m.roles))
    username = re.sub(r"[^a-z0-9._@-]", ".", member.id.lower())
    if len(username) < 2:
        username = f"{username}.sec"
    password = new_password()
    existing = session.exec(select(AccountRow).where(AccountRow.username == username)).first()
    if existing is None:
        add(session, cfg, username, member.id, password, now)
    else:
        reset_password(session, username, password)
    names = {b.id: b.name for b in cfg.body}
    return username, password, ", ".join(names.get(b, b) for b in member.secretary_of)
