"""How every change to an exercise's log is appended, whichever process makes it.

Events and nothing else (commands, and the owner's timed releases) go in one statement: an INSERT of the
events that selects them only while the log still ends where the writer's state does and, for an
owner's release, while the lease row still names the owner's token (on PostgreSQL that row is locked for
the statement, as the full transaction locks it). Everything else takes the full transaction: it locks
the exercise's lease row (``SELECT … FOR UPDATE``: on PostgreSQL the lock that serialises owners and
writers with a probe across processes; SQLite has one process and an in-process lock does that job),
checks the fencing token when the writer acts as the exercise's owner, and reads any events after the
seq the writer's state has. If there are none, and the probe (if any) still says what the writer
assumed, the events, the exercise's new status and any rows that go with them (a seat revoked, a
presence count) are written and committed together. Either way, when the log has moved on nothing is
written and the writer gets the newer events, folds them and decides again (docs/architecture.md, "The
path of a command"); when the one statement writes nothing, the full transaction says why. The unique
(exercise_id, seq) is what finally keeps two writers from the same seq: a command's statement takes no
lock, so the second of two writers of a seq, whichever way each went, is refused there and told of the
first one's events.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Integer, String, bindparam, exists, insert, select, union_all, update
from sqlalchemy.exc import IntegrityError

from app.cluster.tables import ExerciseLeaseRow
from app.engine.events import Event
from app.engine.store import EventStore, event_row, insert_events, read_events
from app.models import EventRow, ExerciseRow

_leases = ExerciseLeaseRow.__table__  # type: ignore[attr-defined]
_exercises = ExerciseRow.__table__  # type: ignore[attr-defined]
_events = EventRow.__table__  # type: ignore[attr-defined]

PLAIN_MAX_EVENTS = 64
"""The most events one statement appends (a command drafts a handful; SQLite caps a compound SELECT at 500)."""

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
    if _plain(request) and _append_plain(engine, request):
        return Committed(request.events)
    probed: Any = None
    try:
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
    except IntegrityError:
        # Another process's one-statement append (which takes no row lock) wrote the same seq first.
        newer = EventStore(engine).read(request.exercise_id, request.after)
        if not newer:
            raise
        return Behind(newer, probed)
    return Committed(request.events)


def _plain(request: AppendRequest) -> bool:
    """Events and nothing else: commands and the owner's timed releases, the bulk of what an exercise appends."""
    return (
        0 < len(request.events) <= PLAIN_MAX_EVENTS
        and request.probe is None
        and request.also is None
        and request.status is None
    )


def _append_plain(engine: Engine, request: AppendRequest) -> bool:
    """Append ``request.events`` in one statement, if the log still ends at ``request.after``; else nothing.

    Why one statement: the transaction runs on a database thread, and each call into the driver hands the
    interpreter's lock to the event loop. While the loop is busy fanning out, the thread waits for it
    again each time, so the number of calls, more than the database, sets how long a command waits
    (docs/performance.md, "Command load"); and on PostgreSQL each is a round trip. One autocommitted
    INSERT … SELECT … WHERE NOT EXISTS takes one round trip instead of five. Two writers that both see
    the log end at ``after`` (two processes, on PostgreSQL) both insert ``after + 1``: the unique
    (exercise_id, seq) refuses the second. When nothing was written, the caller takes the full
    transaction, which says why (newer events, a missing exercise, a lost lease).

    An owner's release is also fenced in that statement: its rows are selected only while the lease row
    names the owner's holder and token, and on PostgreSQL that row is locked as the full transaction
    locks it (``FOR UPDATE``), so a takeover that commits meanwhile is seen and nothing is written. The
    release is what a timer waits for, and the delivery of an inject is measured from the timer."""
    parameters: dict[str, Any] = {"exercise_id": request.exercise_id, "after": request.after}
    if request.fence is not None:
        parameters.update(holder=request.fence.holder, token=request.fence.token)
    for index, event in enumerate(request.events):
        parameters.update({f"{name}_{index}": value for name, value in event_row(event).items()})
    postgres = engine.dialect.name == "postgresql"
    statement = _insert_if_log_ends_at(len(request.events), fenced=request.fence is not None, locking=postgres)
    options: dict[str, Any] = {"preserve_rowcount": True}
    if postgres:  # SQLite's implicit BEGIN and COMMIT cost no round trip
        options["isolation_level"] = "AUTOCOMMIT"
    with engine.connect().execution_options(**options) as connection:
        try:
            written = connection.execute(statement, parameters).rowcount
            connection.commit()
        except IntegrityError:
            return False
    return bool(written == len(request.events))


@functools.cache
def _insert_if_log_ends_at(count: int, *, fenced: bool, locking: bool) -> Any:
    """INSERT of ``count`` events, selected only while the log ends at ``:after`` and, ``fenced``, while the
    lease is ``:holder``'s under ``:token``, its row locked with ``locking`` (built once per shape).
    SQLite writes one statement at a time, and its driver counts no rows for an INSERT that starts WITH."""
    exercise_id, after = bindparam("exercise_id", type_=String()), bindparam("after", type_=Integer())
    newer = exists().where(_events.c.exercise_id == exercise_id, _events.c.seq > after)
    of_exercise = _leases.c.exercise_id == exercise_id
    known = exists().where(of_exercise)
    if fenced:
        holder, token = bindparam("holder", type_=String()), bindparam("token", type_=Integer())
        owned = select(_leases.c.exercise_id).where(of_exercise, _leases.c.holder == holder, _leases.c.token == token)
        # In a CTE: PostgreSQL locks what a WITH query selects, and never folds a locking query into the INSERT.
        known = exists(select(owned.with_for_update().cte("lease").c.exercise_id)) if locking else exists(owned)
    columns = [column.name for column in _events.c if column.name != "id"]
    rows = union_all(
        *(
            select(*(bindparam(f"{name}_{index}", type_=_events.c[name].type) for name in columns))
            for index in range(count)
        )
    ).subquery()
    return insert(_events).from_select(columns, select(rows).where(~newer, known))
