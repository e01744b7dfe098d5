"""All exercises of one server: creation, seats, the runtimes, and recovery after a restart.

At start ``recover`` folds the log of every exercise that had not ended, so its clock continues at
the right scenario time and whatever fell due while the server was down is released at once, in
order; each release more than ``late_after_seconds`` of wall time after its time is marked late.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, select

from app.engine.archive import Archive, ExerciseInfo, export_lines
from app.engine.clock import Clock
from app.engine.commands import CommandError
from app.engine.events import (
    CONTROL,
    FACILITATOR,
    Event,
    EventType,
    ExerciseCreated,
    SeatIssued,
    SeatRevoked,
    draft,
)
from app.engine.principal import Principal
from app.engine.runtime import ExerciseRuntime
from app.engine.seats import SeatStore, principal_for, seat_label
from app.engine.state import fold
from app.engine.store import EventStore
from app.models import ExerciseRow, SeatRow
from app.scenario.schema import Scenario

log = logging.getLogger(__name__)

Publisher = Callable[[str, Sequence[Event]], None]

_STATUS_EVENTS = {
    EventType.lobby_opened: "lobby",
    EventType.exercise_started: "running",
    EventType.exercise_paused: "paused",
    EventType.exercise_resumed: "running",
    EventType.exercise_ended: "ended",
}


@dataclass(frozen=True)
class IssuedSeat:
    seat: SeatRow
    token: str


class ExerciseNotFound(LookupError):
    pass


class ExerciseManager:
    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        publish: Publisher,
        *,
        late_after_seconds: float = 5.0,
        ring_min_wall_seconds: float = 0.0,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.store = EventStore(engine)
        self.seats = SeatStore(engine)
        self._publish = publish
        self.late_after_seconds = late_after_seconds
        self.ring_min_wall_seconds = ring_min_wall_seconds
        self._runtimes: dict[str, ExerciseRuntime] = {}

    # --- exercises ---

    def create(self, scenario: Scenario, *, compression: float | None = None, title: str | None = None) -> ExerciseRow:
        now = self.clock.wall()
        row = ExerciseRow(
            id="ex_" + secrets.token_hex(5),
            scenario_id=scenario.id,
            title=title or scenario.title,
            compression=compression or scenario.default_compression,
            status="draft",
            created_at=now,
            updated_at=now,
            scenario_json=scenario.model_dump_json(),
        )
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(row)
            session.commit()
        runtime = self._runtime_for(row, [])
        created = ExerciseCreated(
            scenario_id=scenario.id, scenario_title=scenario.title, title=row.title, compression=row.compression
        )
        runtime.record([draft(EventType.exercise_created, FACILITATOR, ["all"], created)])
        return row

    def row(self, exercise_id: str) -> ExerciseRow:
        with Session(self.engine, expire_on_commit=False) as session:
            row = session.get(ExerciseRow, exercise_id)
        if row is None:
            raise ExerciseNotFound(exercise_id)
        return row

    def rows(self) -> list[ExerciseRow]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(ExerciseRow).order_by(ExerciseRow.created_at.desc())))  # type: ignore[attr-defined]

    def scenario_of(self, row: ExerciseRow) -> Scenario:
        return Scenario.model_validate_json(row.scenario_json)

    def runtime(self, exercise_id: str) -> ExerciseRuntime:
        """The live runtime of an exercise, loaded from its log on first use."""
        runtime = self._runtimes.get(exercise_id)
        if runtime is None:
            row = self.row(exercise_id)
            runtime = self._runtime_for(row, self.store.read(exercise_id))
            runtime.tick()
        return runtime

    def export(self, exercise_id: str) -> Iterator[str]:
        row = self.row(exercise_id)
        return export_lines(ExerciseInfo.of(row), self.scenario_of(row), self.store.iter(exercise_id))

    def import_archive(self, archive: Archive) -> ExerciseRow:
        """Store an archived log as a new, ended, read-only exercise."""
        now = self.clock.wall()
        row = ExerciseRow(
            id="ex_" + secrets.token_hex(5),
            scenario_id=archive.scenario.id,
            title=archive.header.exercise.title,
            compression=archive.header.exercise.compression,
            status="ended",
            created_at=archive.header.exercise.created_at,
            updated_at=now,
            imported=True,
            scenario_json=archive.scenario.model_dump_json(),
        )
        fold(row.id, archive.scenario, archive.events)  # refuses a log that does not replay
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(row)
            session.commit()
        self.store.write([event.model_copy(update={"exercise_id": row.id}) for event in archive.events])
        return row

    def _runtime_for(self, row: ExerciseRow, events: Sequence[Event]) -> ExerciseRuntime:
        runtime = ExerciseRuntime(
            row.id,
            self.scenario_of(row),
            self.store,
            self.clock,
            lambda published: self._on_published(row.id, published),
            late_after_seconds=self.late_after_seconds,
            ring_min_wall_seconds=self.ring_min_wall_seconds,
            events=events,
            read_only=row.imported,
        )
        self._runtimes[row.id] = runtime
        return runtime

    def _on_published(self, exercise_id: str, events: Sequence[Event]) -> None:
        status = next((_STATUS_EVENTS[e.type] for e in reversed(events) if e.type in _STATUS_EVENTS), None)
        if status is not None:
            self._set_status(exercise_id, status)
        self._publish(exercise_id, events)

    def _set_status(self, exercise_id: str, status: str) -> None:
        with Session(self.engine) as session:
            row = session.get(ExerciseRow, exercise_id)
            if row is not None and row.status != status:
                row.status = status
                row.updated_at = self.clock.wall()
                session.add(row)
                session.commit()

    def recover(self) -> list[str]:
        """Reload every exercise that had not ended; release what fell due while the server was down."""
        with Session(self.engine, expire_on_commit=False) as session:
            rows = list(session.exec(select(ExerciseRow).where(ExerciseRow.status != "ended")))
        recovered = []
        for row in rows:
            try:
                runtime = self._runtime_for(row, self.store.read(row.id))
                self._set_status(row.id, runtime.state.status)
                runtime.tick()
                recovered.append(row.id)
            except Exception:
                log.exception("could not recover exercise %s; it stays as it was", row.id)
        return recovered

    def forget(self, exercise_id: str) -> None:
        """Drop a deleted exercise's runtime from memory."""
        runtime = self._runtimes.pop(exercise_id, None)
        if runtime is not None:
            runtime.close()

    def close(self) -> None:
        for runtime in self._runtimes.values():
            runtime.close()

    # --- seats ---

    def issue_seat(
        self, exercise_id: str, kind: str, team: str | None = None, role: str | None = None, label: str | None = None
    ) -> IssuedSeat:
        runtime = self.runtime(exercise_id)
        scenario = runtime.scenario
        if kind == "observer":
            team, role = None, None
        else:
            if team is None or team not in {t.id for t in scenario.teams}:
                raise CommandError("not_found", f"There is no team '{team}' in this scenario.")
            if role is not None and scenario.role(team, role) is None:
                raise CommandError("not_found", f"Team '{team}' has no role '{role}'.")
        if runtime.state.status == "ended":
            raise CommandError("invalid_state", "The exercise has ended; no new seats can be issued.")
        seat, token = self.seats.create(
            exercise_id, kind, team, role, label or seat_label(scenario, kind, team, role), self.clock.wall()
        )
        issued = SeatIssued(
            seat_id=seat.id, kind="observer" if kind == "observer" else "player", team=team, role=role, label=seat.label
        )
        runtime.record([draft(EventType.seat_issued, FACILITATOR, [CONTROL], issued)])
        return IssuedSeat(seat=seat, token=token)

    def issue_default_seats(self, exercise_id: str) -> list[IssuedSeat]:
        scenario = self.runtime(exercise_id).scenario
        issued = []
        for team in scenario.teams:
            issued.append(self.issue_seat(exercise_id, "player", team.id, None))
            issued.extend(self.issue_seat(exercise_id, "player", team.id, role.id) for role in team.roles)
        issued.append(self.issue_seat(exercise_id, "observer"))
        return issued

    def reissue_seat(self, exercise_id: str, seat_id: str) -> IssuedSeat:
        seat = self.seats.get(seat_id)
        if seat is None or seat.exercise_id != exercise_id:
            raise CommandError("not_found", f"There is no seat '{seat_id}' in this exercise.")
        runtime = self.runtime(exercise_id)
        if runtime.state.status == "ended":
            raise CommandError("invalid_state", "The exercise has ended; seat links can no longer be issued.")
        rotated = self.seats.rotate(seat_id)
        assert rotated is not None
        seat, token = rotated
        kind = "observer" if seat.kind == "observer" else "player"
        issued = SeatIssued(seat_id=seat.id, kind=kind, team=seat.team, role=seat.role, label=seat.label)
        runtime.record([draft(EventType.seat_issued, FACILITATOR, [CONTROL], issued)])
        return IssuedSeat(seat=seat, token=token)

    def revoke_seat(self, exercise_id: str, seat_id: str) -> SeatRow:
        seat = self.seats.get(seat_id)
        if seat is None or seat.exercise_id != exercise_id:
            raise CommandError("not_found", f"There is no seat '{seat_id}' in this exercise.")
        if seat.revoked_at is not None:
            return seat
        revoked = self.seats.revoke(seat_id, self.clock.wall())
        assert revoked is not None
        runtime = self.runtime(exercise_id)
        runtime.set_presence(principal_for(runtime.scenario, revoked), False)
        runtime.record([draft(EventType.seat_revoked, FACILITATOR, [CONTROL], SeatRevoked(seat_id=seat_id))])
        return revoked

    def authenticate(self, exercise_id: str, token: str) -> Principal | None:
        seat = self.seats.by_token(token)
        if seat is None or seat.exercise_id != exercise_id:
            return None
        return principal_for(self.runtime(exercise_id).scenario, seat)

    def seat_rows(self, exercise_id: str) -> list[SeatRow]:
        return self.seats.for_exercise(exercise_id)
