"""The tables that let several server processes share exercises: who is alive, who owns what, who is online.

Created by migration ``0003_processes``; like every table, never by ``create_all``. Times in these
tables are seconds since the epoch on the database server's clock (``app.db.db_epoch``), never a
process's own clock.
"""

from __future__ import annotations

from sqlmodel import Field as ColumnField
from sqlmodel import SQLModel

import app.models  # noqa: F401  (the exercises table these refer to must be known first)


class ServerProcessRow(SQLModel, table=True):
    """One running ``hotline serve`` process; alive while ``expires_at`` is in the future."""

    __tablename__ = "server_processes"

    id: str = ColumnField(primary_key=True, max_length=32)
    name: str = ColumnField(max_length=200, description="host:pid, for people reading logs")
    started_at: float
    expires_at: float = ColumnField(index=True)
    reaper: str | None = ColumnField(default=None, max_length=32)


class ExerciseLeaseRow(SQLModel, table=True):
    """Which process owns an exercise, and the fencing token of that ownership.

    The token grows by one at every change of owner; an append made as owner carries the token it
    was made under and is refused if the row holds another.
    """

    __tablename__ = "exercise_leases"

    exercise_id: str = ColumnField(primary_key=True, foreign_key="exercises.id", max_length=32)
    holder: str | None = ColumnField(default=None, max_length=32, index=True)
    token: int = 0


class SeatPresenceRow(SQLModel, table=True):
    """How many devices hold a seat on one process."""

    __tablename__ = "seat_presence"

    process_id: str = ColumnField(primary_key=True, max_length=32)
    exercise_id: str = ColumnField(primary_key=True, max_length=32)
    seat_id: str = ColumnField(primary_key=True, max_length=32)
    devices: int = 0


class ServerSecretRow(SQLModel, table=True):
    """A secret every process must share, such as a generated facilitator secret."""

    __tablename__ = "server_secrets"

    name: str = ColumnField(primary_key=True, max_length=64)
    value: str = ColumnField(max_length=200)
    created_at: float
