"""The accounts tables (created by migration ``0005_accounts``, never by ``create_all``).

Passwords are kept as argon2id hashes and session tokens as SHA-256 digests: a copy of the database
lets nobody sign in. Times are seconds since the epoch.
"""

from __future__ import annotations

from sqlmodel import Field as ColumnField
from sqlmodel import SQLModel


class AccountRow(SQLModel, table=True):
    __tablename__ = "accounts"

    name: str = ColumnField(primary_key=True, max_length=64)
    role: str = ColumnField(max_length=16, description="facilitator or evaluator")
    password_hash: str = ColumnField(max_length=200)
    created_at: float
    disabled_at: float | None = None


class AccountSessionRow(SQLModel, table=True):
    __tablename__ = "account_sessions"

    token_hash: str = ColumnField(primary_key=True, max_length=64)
    account: str = ColumnField(foreign_key="accounts.name", index=True, max_length=64)
    created_at: float
    expires_at: float = ColumnField(index=True)
