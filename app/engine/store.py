"""The append-only event log on the database: the one writer, and readers for replay and export.

``append`` writes a batch of events in one transaction and returns them only once committed, so the
caller can publish what it got back knowing that nothing a console sees can be lost.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select

from app.engine.events import Actor, Event, EventDraft
from app.models import EventRow

_events = EventRow.__table__  # type: ignore[attr-defined]


class EventStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def append(
        self,
        exercise_id: str,
        first_seq: int,
        drafts: Sequence[EventDraft],
        *,
        wall_time: datetime,
        scenario_time: float,
        command_id: str | None = None,
    ) -> list[Event]:
        events = [
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
        self.write(events)
        return events

    def write(self, events: Sequence[Event]) -> None:
        """Insert already-numbered events (append, import) in one transaction."""
        if not events:
            return
        with self.engine.begin() as connection:
            connection.execute(insert(_events), [_row(event) for event in events])

    def read(self, exercise_id: str, after: int = 0, limit: int | None = None) -> list[Event]:
        return list(self.iter(exercise_id, after=after, limit=limit))

    def iter(self, exercise_id: str, after: int = 0, limit: int | None = None) -> Iterator[Event]:
        query = (
            select(_events).where(_events.c.exercise_id == exercise_id, _events.c.seq > after).order_by(_events.c.seq)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            for row in connection.execute(query).mappings():
                yield _event(row)

    def last_seq(self, exercise_id: str) -> int:
        query = (
            select(_events.c.seq).where(_events.c.exercise_id == exercise_id).order_by(_events.c.seq.desc()).limit(1)
        )
        with self.engine.connect() as connection:
            return connection.execute(query).scalar() or 0


def _row(event: Event) -> dict[str, Any]:
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
