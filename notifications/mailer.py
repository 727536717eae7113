"""Sending email over SMTP (smtplib): host, port and TLS from config ``[smtp]``; credentials
from the environment (S75_SMTP_USER, S75_SMTP_PASSWORD), never from the config file."""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol

from decisions.terms import Smtp


class Mailer(Protocol):
    @property
    def sender(self) -> str: ...

    def send(self, message: EmailMessage) -> None:
        """Hand ``message`` to the mail server; raise on failure."""
        ...

    def close(self) -> None: ...


@dataclass
class SmtpMailer:
    """One connection, opened on first use and reused; reopened after an error."""

    settings: Smtp
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0
    _conn: smtplib.SMTP | None = field(default=None, init=False, repr=False)

    @property
    def sender(self) -> str:
        return self.settings.sender

    @classmethod
    def from_env(cls, settings: Smtp, timeout: float = 30.0) -> SmtpMailer:
        return cls(settings, os.environ.get("S75_SMTP_USER") or None,
                   os.environ.get("S75_SMTP_PASSWORD") or None, timeout)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        conn: smtplib.SMTP
        if s.tls == "ssl":
            conn = smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout,
                                    context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
            if s.tls == "starttls":
                conn.starttls(context=ssl.create_default_context())
        if self.user:
            conn.login(self.user, self.password or "")
        return conn

    def send(self, message: EmailMessage) -> None:
        if self._conn is None:
            self._conn = self._connect()
        try:
            self._conn.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError):
            raise  # the server refused this message; the connection is still good
        except Exception:  # anything else may leave the session mid-command: start afresh
            self.close()
            raise

    def __enter__(self) -> SmtpMailer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (smtplib.SMTPException, OSError):
                conn.close()
