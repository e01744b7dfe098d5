"""Database tables (SQLModel) and the public schemas the API returns for them.

Tables end in ``Row``; what the API shows is a separate model so a column added for the server's own
use (a token hash, say) never leaks into a response. The schema itself is created and changed only by
the Alembic migrations in ``app/migrations``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field as ColumnField
from sqlmodel import SQLModel

from app.limits import MAX_COMPRESSION, MIN_COMPRESSION

ExerciseStatus = Literal["draft", "lobby", "running", "paused", "ended"]


class ExerciseRow(SQLModel, table=True):
    __tablename__ = "exercises"

    id: str = ColumnField(primary_key=True, max_length=32)
    scenario_id: str = ColumnField(index=True, max_length=64)
    title: str = ColumnField(max_length=200)
    compression: float
    status: str = ColumnField(max_length=16, index=True)
    created_at: datetime
    updated_at: datetime
    imported: bool = False
    archived: bool = False
    scenario_json: str = ColumnField(sa_column=Column(Text, nullable=False))


class SeatRow(SQLModel, table=True):
    __tablename__ = "seats"

    id: str = ColumnField(primary_key=True, max_length=32)
    exercise_id: str = ColumnField(foreign_key="exercises.id", index=True, max_length=32)
    kind: str = ColumnField(max_length=16)
    team: str | None = ColumnField(default=None, max_length=64)
    role: str | None = ColumnField(default=None, max_length=64)
    label: str = ColumnField(max_length=200)
    token_hash: str = ColumnField(max_length=64, unique=True)
    created_at: datetime
    revoked_at: datetime | None = None


class EventRow(SQLModel, table=True):
    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("exercise_id", "seq", name="uq_events_exercise_seq"),
        Index("ix_events_exercise_type", "exercise_id", "type"),
    )

    id: int | None = ColumnField(default=None, primary_key=True)
    exercise_id: str = ColumnField(foreign_key="exercises.id", max_length=32)
    seq: int
    type: str = ColumnField(max_length=40)
    wall_time: datetime
    scenario_time: float
    actor: dict[str, Any] = ColumnField(sa_column=Column(JSON, nullable=False))
    audience: list[str] = ColumnField(sa_column=Column(JSON, nullable=False))
    payload: dict[str, Any] = ColumnField(sa_column=Column(JSON, nullable=False))
    internal: dict[str, Any] | None = ColumnField(default=None, sa_column=Column(JSON, nullable=True))
    command_id: str | None = ColumnField(default=None, max_length=80)


# --- Public schemas ---


class StrictInput(BaseModel):
    """A request body: unknown fields are refused and nothing is coerced ("yes" is not true, "12" not 12)."""

    model_config = ConfigDict(strict=True, extra="forbid")


class ExerciseCreate(StrictInput):
    scenario_id: str = Field(max_length=64, description="Id of a bundled or uploaded scenario.")
    compression: float | None = Field(
        default=None,
        ge=MIN_COMPRESSION,
        le=MAX_COMPRESSION,
        description="Scenario seconds per wall second; scenario default if omitted.",
    )
    title: str | None = Field(default=None, max_length=200)
    seats: bool = Field(
        default=True, description="Issue a seat for every role, a team seat per team and one observer seat."
    )


class ExerciseSummary(BaseModel):
    id: str
    scenario_id: str
    title: str
    compression: float
    status: ExerciseStatus
    created_at: datetime
    updated_at: datetime
    imported: bool
    archived: bool = False


class SeatCreate(StrictInput):
    kind: Literal["player", "observer"] = "player"
    team: str | None = Field(
        default=None, max_length=64, validate_default=True, description="Required for a player seat."
    )
    role: str | None = Field(default=None, max_length=64, description="Omit for a team seat that holds every role.")
    label: str | None = Field(default=None, min_length=1, max_length=200)

    @field_validator("team")
    @classmethod
    def _player_has_a_team(cls, team: str | None, info: ValidationInfo) -> str | None:
        if team is None and info.data.get("kind") == "player":
            raise PydanticCustomError("team_required", "is required for a player seat: the id of one of the two teams")
        return team


class SeatPublic(BaseModel):
    id: str
    exercise_id: str
    kind: Literal["player", "observer"]
    team: str | None
    role: str | None
    label: str
    created_at: datetime
    revoked_at: datetime | None
    online: bool = False
    devices: int = Field(default=0, description="Consoles open on this seat right now, over every server process.")


class SeatLink(SeatPublic):
    token: str = Field(description="Shown once: the server keeps only its hash.")
    url: str = Field(description="The join link to hand to the player.")
