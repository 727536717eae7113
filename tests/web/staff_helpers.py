"""Accounts for the staff web tests: one per role, each tied to a member of config.toml, and a
client that signs in through the login form (the real session cookie and CSRF token)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from decisions.terms import LocalityConfig
from s75 import accounts
from tests.web.client import TestClient

PASSWORD = "correct horse battery"
SECRET = "test-secret-key-for-signing-sessions"
BASE = "https://testserver"  # the session cookie is Secure: it is only sent over https
ROLES = {
    "secretary": "democratic_services",  # secretary of cabinet, sbpb and jcc (and admin)
    "other_secretary": "board_secretary",  # secretary of the CCG board only
    "programme_director": "programme_director",
    "member": "leader",  # a member of cabinet and jcc
}


def add_accounts(engine: Engine, config: LocalityConfig) -> None:
    with Session(engine) as s:
        for username, member in ROLES.items():
            accounts.add(s, config, username.replace("_", "."), member, PASSWORD,
                         datetime(2019, 1, 1, tzinfo=UTC))
        s.commit()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, role: str, password: str = PASSWORD) -> int:
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"csrf": token, "username": role.replace("_", "."),
                                    "password": password, "next": "/staff"},
                    follow_redirects=False)
    return r.status_code
