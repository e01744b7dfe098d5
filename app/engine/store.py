"""The append-only event log on the database: numbering, readers for replay and export, and bulk writes.

Appends made while an exercise runs go through ``app.engine.append``, which checks in one
transaction that the log has not moved on and that the writer still holds the exercise's lease.
Everything here is blocking: async code calls it through ``Database.run``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from app.engine.events import Actor, Event, EventDraft
from app.models import EventRow

_events = EventRow.__table__  # type: ignore[attr-defined]
EXPORT_PAGE = 1000


def number(
    exercise_id: str,
    first_seq: int,
    drafts: Sequence[EventDraft],
    *,
    wall_time: datetime,
    scenario_time: float,
    command_id: str | None = None,
) -> list[Event]:
    """Events from drafts: consecutive seqs from ``first_seq``, both clocks, the command's id."""
    return [
        Event(
            seq=first_seq + offset,
            exercise_id=exercise_id,
            type=item.type,
            wall_time=wall_time,
            scenario_time=round(scenario_time, 3),
            actor=item.actor,
            audience=item.audience,
            payload=item.payload,
            internal=item.internal,
            command_id=command_id,
        )
        for offset, item in enumerate(drafts)
    ]


class EventStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def write(self, events: Sequence[Event]) -> None:
        """Insert already-numbered events (import) in one transaction."""
        if not events:
            return
        with self.engine.begin() as connection:
            insert_events(connection, events)

    def read(self, exercise_id: str, after: int = 0, limit: int | None = None) -> list[Event]:
        with self.engine.connect() as connection:
            return read_events(connection, exercise_id, after, limit)

    def iter(self, exercise_id: str, after: int = 0) -> Iterator[Event]:
        """Every event after ``after``, a page at a time, so no transaction stays open while a slow
        reader (an export download) takes its time."""
        while True:
            page = self.read(exercise_id, after=after, limit=EXPORT_PAGE)
            yield from page
            if len(page) < EXPORT_PAGE:
                return
            after = page[-1].seq

    def last_seq(self, exercise_id: str) -> int:
        return self.heads([exercise_id]).get(exercise_id, 0)

    def heads(self, exercise_ids: Iterable[str]) -> dict[str, int]:
        """The newest seq of each exercise's log (exercises without events are left out)."""
        ids = list(exercise_ids)
        if not ids:
            return {}
        query = (
            select(_events.c.exercise_id, func.max(_events.c.seq))
            .where(_events.c.exercise_id.in_(ids))
            .group_by(_events.c.exercise_id)
        )
        with self.engine.connect() as connection:
            return {exercise_id: int(seq) for exercise_id, seq in connection.execute(query)}


def insert_events(connection: Connection, events: Sequence[Event]) -> None:
    connection.execute(insert(_events), [event_row(event) for event in events])


def read_events(connection: Connection, exercise_id: str, after: int = 0, limit: int | None = None) -> list[Event]:
    query = select(_events).where(_events.c.exercise_id == exercise_id, _events.c.seq > after).order_by(_events.c.seq)
    if limit is not None:
        query = query.limit(limit)
    return [_event(row) for row in connection.execute(query).mappings()]


def event_row(event: Event) -> dict[str, Any]:
    return {
        "exercise_id": event.exercise_id,
        "seq": event.seq,
        "type": event.type.value,
        "wall_time": event.wall_time,
        "scenario_time": event.scenario_time,
        "actor": event.actor.model_dump(mode="json", exclude_none=True),
        "audience": event.audience,
        "payload": event.payload,
        "internal": event.internal,
        "command_id": event.command_id,
    }


def _event(row: Any) -> Event:
    return Event(
        seq=row["seq"],
        exercise_id=row["exercise_id"],
        type=row["type"],
        wall_time=row["wall_time"],
        scenario_time=row["scenario_time"],
        actor=Actor.model_validate(row["actor"]),
        audience=row["audience"],
        payload=row["payload"],
        internal=row["internal"],
        command_id=row["command_id"],
    )
