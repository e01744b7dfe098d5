"""The one transaction every change to an exercise's log goes through, whichever process makes it.

It locks the exercise's lease row (``SELECT … FOR UPDATE``: on PostgreSQL the lock that serialises
appends from every process; SQLite has one process and an in-process lock does that job), checks the
fencing token when the writer acts as the exercise's owner, and reads any events after the seq the
writer's state has. If there are none, and the probe (if any) still says what the writer assumed,
the events, the exercise's new status and any rows that go with them (a seat revoked, a presence
count) are written and committed together. Otherwise nothing is written and the writer gets the
newer events, folds them and decides again (docs/architecture.md, "The path of a command").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from app.cluster.tables import ExerciseLeaseRow
from app.engine.events import Event
from app.engine.store import insert_events, read_events
from app.models import ExerciseRow

_leases = ExerciseLeaseRow.__table__  # type: ignore[attr-defined]
_exercises = ExerciseRow.__table__  # type: ignore[attr-defined]

UNPROBED: Any = object()
"""What a writer expects of a probe before it has ever run it: never equal to a result."""


@dataclass(frozen=True)
class Fence:
    """Ownership of one exercise: the process that holds the lease and the token it holds it under."""

    holder: str
    token: int


class LeaseLost(Exception):
    """An owner's append was refused: the lease has another holder or token. Nothing was written."""

    def __init__(self, exercise_id: str, fence: Fence, holder: str | None, token: int) -> None:
        now = f"held by {holder} under token {token}" if holder else f"free (token {token})"
        super().__init__(f"exercise {exercise_id}: lease token {fence.token} is stale; the lease is now {now}")
        self.fence = fence
        self.holder = holder
        self.token = token


class ExerciseMissing(LookupError):
    """The exercise has no lease row: it does not exist (or was created by a version without leases)."""


@dataclass
class AppendRequest:
    exercise_id: str
    after: int
    """The seq the writer's state has: the append goes ahead only if the log ends there."""
    events: list[Event] = field(default_factory=list)
    status: str | None = None
    """The exercise's status after these events, when they change it; written in the same transaction."""
    updated_at: datetime | None = None
    fence: Fence | None = None
    """Set when the writer appends as the exercise's owner (timed releases)."""
    probe: Callable[[Connection], Any] | None = None
    """Run under the lock; its result goes back to the writer, whose decision assumed ``expect``."""
    expect: Any = None
    also: Callable[[Connection], None] | None = None
    """Further writes that must commit with the events, or not at all."""


@dataclass(frozen=True)
class Committed:
    events: list[Event]


@dataclass(frozen=True)
class Behind:
    """The writer's state was behind the log (or its probe changed): nothing was written."""

    newer: list[Event]
    probed: Any = None


def append(engine: Engine, request: AppendRequest) -> Committed | Behind:
    with engine.connect() as connection, connection.begin() as transaction:
        lease = connection.execute(
            select(_leases.c.holder, _leases.c.token)
            .where(_leases.c.exercise_id == request.exercise_id)
            .with_for_update()
        ).first()
        if lease is None:
            raise ExerciseMissing(request.exercise_id)
        fence = request.fence
        if fence is not None and (lease.holder, lease.token) != (fence.holder, fence.token):
            raise LeaseLost(request.exercise_id, fence, lease.holder, lease.token)
        newer = read_events(connection, request.exercise_id, request.after)
        probed = request.probe(connection) if request.probe is not None else None
        if newer or (request.probe is not None and probed != request.expect):
            transaction.rollback()
            return Behind(newer, probed)
        if request.events:
            insert_events(connection, request.events)
        if request.status is not None:
            connection.execute(
                update(_exercises)
                .where(_exercises.c.id == request.exercise_id)
                .values(status=request.status, updated_at=request.updated_at or request.events[-1].wall_time)
            )
        if request.also is not None:
            request.also(connection)
    return Committed(request.events)
