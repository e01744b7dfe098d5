"""Accounts and their sessions in the database: create, change, disable, sign in, identify. Blocking calls.

A password is checked once, at sign-in, and exchanged for a random session token; requests and
websockets then carry the token where a single-user setup carries the shared secret. The token is
looked up in the database at every use, so a disabled account or a signed-out session is refused by
every server process at once.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update

from app.accounts.tables import AccountRow, AccountSessionRow
from app.engine.seats import hash_token

Role = Literal["facilitator", "evaluator"]
ROLES: tuple[Role, ...] = ("facilitator", "evaluator")
SESSION_SECONDS = 12 * 3600.0
"""A sign-in lasts a long exercise day; signing in again is cheap."""
MIN_PASSWORD_CHARS = 12
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
NAME_RULE = "2–64 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"

_accounts = AccountRow.__table__  # type: ignore[attr-defined]
_sessions = AccountSessionRow.__table__  # type: ignore[attr-defined]
_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
_UNUSABLE = _hasher.hash(secrets.token_urlsafe(32))
"""Checked against when the name is unknown, so a wrong name costs as long as a wrong password."""


class AccountProblem(ValueError):
    """A request about accounts that cannot be done (the message says why, and what to do)."""


@dataclass(frozen=True)
class Identity:
    """Who is signed in. ``name`` is None for whoever holds the shared facilitator secret."""

    role: Role
    name: str | None = None

    @property
    def label(self) -> str:
        return self.name or "Facilitator"


SHARED_SECRET_HOLDER = Identity(role="facilitator")


@dataclass(frozen=True)
class AccountSummary:
    name: str
    role: Role
    created_at: float
    disabled: bool


@dataclass(frozen=True)
class SessionGranted:
    token: str
    identity: Identity
    expires_at: float


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name):
        raise AccountProblem(f"An account name is {NAME_RULE}; '{name[:64]}' is not.")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountProblem(f"A password needs at least {MIN_PASSWORD_CHARS} characters.")
    if len(password) > 1024:
        raise AccountProblem("A password may have at most 1,024 characters.")
    return password


def create_account(engine: Engine, name: str, role: Role, password: str, now: float) -> None:
    check_name(name)
    check_password(password)
    if role not in ROLES:
        raise AccountProblem(f"A role is one of {', '.join(ROLES)}.")
    with engine.begin() as connection:
        if connection.execute(select(_accounts.c.name).where(_accounts.c.name == name)).first() is not None:
            raise AccountProblem(f"There is already an account '{name}'.")
        connection.execute(
            insert(_accounts).values(name=name, role=role, password_hash=_hasher.hash(password), created_at=now)
        )


def set_password(engine: Engine, name: str, password: str) -> None:
    """A new password; every session of the account ends (whoever had the old one is signed out)."""
    check_password(password)
    with engine.begin() as connection:
        changed = connection.execute(
            update(_accounts).where(_accounts.c.name == name).values(password_hash=_hasher.hash(password))
        )
        if not changed.rowcount:
            raise AccountProblem(f"There is no account '{name}'.")
        connection.execute(delete(_sessions).where(_sessions.c.account == name))


def set_disabled(engine: Engine, name: str, disabled: bool, now: float) -> None:
    """Disable (its sessions end at once) or enable an account. Accounts are never deleted: the log names them."""
    with engine.begin() as connection:
        changed = connection.execute(
            update(_accounts).where(_accounts.c.name == name).values(disabled_at=now if disabled else None)
        )
        if not changed.rowcount:
            raise AccountProblem(f"There is no account '{name}'.")
        if disabled:
            connection.execute(delete(_sessions).where(_sessions.c.account == name))


def list_accounts(engine: Engine) -> Sequence[AccountSummary]:
    with engine.begin() as connection:
        rows = connection.execute(select(_accounts).order_by(_accounts.c.name)).all()
    return [AccountSummary(row.name, row.role, row.created_at, row.disabled_at is not None) for row in rows]


def sign_in(engine: Engine, name: str, password: str, now: float) -> SessionGranted | None:
    """A new session for the right name and password of an enabled account; None otherwise (say nothing more)."""
    with engine.begin() as connection:
        row = connection.execute(select(_accounts).where(_accounts.c.name == name)).first()
    try:
        _hasher.verify(row.password_hash if row is not None else _UNUSABLE, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row.disabled_at is not None:
        return None
    token = secrets.token_urlsafe(32)
    expires_at = now + SESSION_SECONDS
    with engine.begin() as connection:
        connection.execute(delete(_sessions).where(_sessions.c.expires_at <= now))  # tidy as we go
        connection.execute(
            insert(_sessions).values(token_hash=hash_token(token), account=name, created_at=now, expires_at=expires_at)
        )
    return SessionGranted(token=token, identity=Identity(role=row.role, name=name), expires_at=expires_at)


def identify(engine: Engine, token: str, now: float) -> Identity | None:
    """The account a live session token belongs to, or None (unknown, expired, signed out or disabled)."""
    if not token or len(token) > 128:
        return None
    query = (
        select(_accounts.c.name, _accounts.c.role)
        .join(_sessions, _sessions.c.account == _accounts.c.name)
        .where(_sessions.c.token_hash == hash_token(token))
        .where(_sessions.c.expires_at > now)
        .where(_accounts.c.disabled_at.is_(None))
    )
    with engine.begin() as connection:
        row = connection.execute(query).first()
    return None if row is None else Identity(role=row.role, name=row.name)


def sign_out(engine: Engine, token: str) -> None:
    with engine.begin() as connection:
        connection.execute(delete(_sessions).where(_sessions.c.token_hash == hash_token(token)))
