"""The exercises this process works with: creation, seats, and the runtimes it has loaded.

A runtime is loaded from the log the first time a console, a command or the process's ownership
needs it, and kept current from then on (docs/architecture.md). Which exercises this process owns is
decided by ``app.cluster.coordinator``, which calls ``adopt`` and ``disown``; at start it takes every
exercise that no live process owns, which is today's recovery after a restart: the clock continues at
the right scenario time and whatever fell due meanwhile is released at once, in order, marked late.

Everything here that touches the database runs on the database's threads (``Database.run``).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import insert
from sqlmodel import Session, select

from app.cluster.tables import ExerciseLeaseRow
from app.db import Database
from app.engine.append import Fence
from app.engine.archive import Archive, ExerciseInfo, export_lines
from app.engine.clock import Clock
from app.engine.commands import CommandError
from app.engine.events import (
    CONTROL,
    FACILITATOR,
    SYSTEM,
    Actor,
    Event,
    EventDraft,
    EventType,
    ExerciseCreated,
    PresenceChanged,
    SeatIssued,
    SeatRevoked,
    draft,
    team_audience,
)
from app.engine.instruments import NO_INSTRUMENTS, Instruments
from app.engine.principal import Principal
from app.engine.runtime import ExerciseRuntime, Probe
from app.engine.seat_links import SeatLinks
from app.engine.seats import (
    MAX_TOKEN_CHARS,
    SeatStore,
    hash_token,
    insert_in,
    new_seat,
    principal_for,
    revoke_in,
    rotate_in,
    seat_label,
)
from app.engine.state import ExerciseState, fold
from app.engine.store import EventStore, insert_events
from app.models import ExerciseRow, SeatRow
from app.reports.plan import ImprovementPlan, restored_rows
from app.reports.tables import ImprovementItemRow
from app.scenario.schema import Scenario

log = logging.getLogger(__name__)

Publisher = Callable[[str, Sequence[Event]], None]
_leases = ExerciseLeaseRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class IssuedSeat:
    seat: SeatRow
    token: str


@dataclass(frozen=True)
class SeatSpec:
    kind: str
    team: str | None = None
    role: str | None = None
    label: str | None = None


class ExerciseNotFound(LookupError):
    pass


class ExerciseManager:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        publish: Publisher,
        *,
        announce: Publisher | None = None,
        process_id: str = "local",
        late_after_seconds: float = 5.0,
        ring_min_wall_seconds: float = 0.0,
        instruments: Instruments = NO_INSTRUMENTS,
    ) -> None:
        self.instruments = instruments
        self.db = db
        self.engine = db.engine
        self.clock = clock
        self.store = EventStore(db.engine)
        self.seats = SeatStore(db.engine)
        self.links = SeatLinks()
        self.process_id = process_id
        self.late_after_seconds = late_after_seconds
        self.ring_min_wall_seconds = ring_min_wall_seconds
        self._publish = publish
        self._announce = announce
        self._runtimes: dict[str, ExerciseRuntime] = {}
        self._loading: dict[str, asyncio.Future[ExerciseRuntime]] = {}
        self.loaded_listeners: list[Callable[[str, bool], None]] = []
        """Told ``(exercise_id, True)`` when a runtime is loaded and ``(exercise_id, False)`` when dropped."""

    # --- exercises ---

    async def create(
        self,
        scenario: Scenario,
        *,
        compression: float | None = None,
        title: str | None = None,
        by: Actor = FACILITATOR,
    ) -> ExerciseRow:
        """A new exercise, owned by this process from the start. ``by``: who created it (an account, say)."""
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
        fence = Fence(self.process_id, 1)
        await self.db.run(self._insert_exercise, row, fence)
        runtime = self._install(row, [])
        runtime.lease = fence
        created = ExerciseCreated(
            scenario_id=scenario.id, scenario_title=scenario.title, title=row.title, compression=row.compression
        )
        await runtime.change(lambda _state: [draft(EventType.exercise_created, by, ["all"], created)])
        return row

    def _insert_exercise(
        self,
        row: ExerciseRow,
        fence: Fence | None,
        events: Sequence[Event] = (),
        plan: Sequence[ImprovementItemRow] = (),
    ) -> None:
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(row)
            session.flush()
            holder, token = (fence.holder, fence.token) if fence is not None else (None, 0)
            session.connection().execute(insert(_leases).values(exercise_id=row.id, holder=holder, token=token))
            if events:
                insert_events(session.connection(), events)
            session.add_all(plan)
            session.commit()

    async def read_log(self, exercise_id: str, after: int = 0, limit: int | None = None) -> list[Event]:
        """Events of an exercise after a seq, read on a database thread."""
        return await self.db.run(self.store.read, exercise_id, after, limit)

    async def row(self, exercise_id: str) -> ExerciseRow:
        return await self.db.run(self.row_now, exercise_id)

    async def exists(self, exercise_id: str) -> bool:
        """Whether there is such an exercise; no database read for one this process holds that has not ended
        (only an ended exercise can be deleted)."""
        loaded = self.loaded(exercise_id)
        if loaded is not None and loaded.state.status != "ended":
            return True
        try:
            await self.row(exercise_id)
        except ExerciseNotFound:
            return False
        return True

    def row_now(self, exercise_id: str) -> ExerciseRow:
        """The exercise's row (blocking: for code already on a database thread)."""
        with Session(self.engine, expire_on_commit=False) as session:
            row = session.get(ExerciseRow, exercise_id)
        if row is None:
            raise ExerciseNotFound(exercise_id)
        return row

    async def rows(self) -> list[ExerciseRow]:
        return await self.db.run(self.rows_now)

    def rows_now(self) -> list[ExerciseRow]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(ExerciseRow).order_by(ExerciseRow.created_at.desc())))  # type: ignore[attr-defined]

    def scenario_of(self, row: ExerciseRow) -> Scenario:
        return Scenario.model_validate_json(row.scenario_json)

    def loaded(self, exercise_id: str) -> ExerciseRuntime | None:
        """The runtime if this process has it loaded (no database access)."""
        return self._runtimes.get(exercise_id)

    def runtimes(self) -> list[ExerciseRuntime]:
        return list(self._runtimes.values())

    async def runtime(self, exercise_id: str) -> ExerciseRuntime:
        """The exercise's runtime, loaded from its log on first use. Raises ``ExerciseNotFound``."""
        runtime = self._runtimes.get(exercise_id)
        if runtime is not None:
            runtime.last_used = time.monotonic()
            return runtime
        loading = self._loading.get(exercise_id)
        if loading is None:
            loading = asyncio.ensure_future(self._load(exercise_id))
            self._loading[exercise_id] = loading
            loading.add_done_callback(lambda _: self._loading.pop(exercise_id, None))
        return await asyncio.shield(loading)

    async def _load(self, exercise_id: str) -> ExerciseRuntime:
        row, events = await self.db.run(self._read_exercise, exercise_id)
        runtime = self._install(row, events)
        await runtime.catch_up()  # events appended while it was being folded
        return runtime

    def _read_exercise(self, exercise_id: str) -> tuple[ExerciseRow, list[Event]]:
        return self.row_now(exercise_id), self.store.read(exercise_id)

    def _install(self, row: ExerciseRow, events: Sequence[Event]) -> ExerciseRuntime:
        announce = self._announce
        runtime = ExerciseRuntime(
            row.id,
            self.scenario_of(row),
            self.db,
            self.clock,
            lambda published: self._publish(row.id, published),
            announce=(lambda published: announce(row.id, published)) if announce is not None else None,
            late_after_seconds=self.late_after_seconds,
            ring_min_wall_seconds=self.ring_min_wall_seconds,
            events=events,
            read_only=row.imported,
            instruments=self.instruments,
        )
        self._runtimes[row.id] = runtime
        for listener in self.loaded_listeners:
            listener(row.id, True)
        return runtime

    def forget(self, exercise_id: str) -> None:
        """Drop a runtime this process neither owns nor needs (loaded again when needed), or a deleted one's."""
        self.links.forget_exercise(exercise_id)
        runtime = self._runtimes.pop(exercise_id, None)
        if runtime is None:
            return
        runtime.close()
        for listener in self.loaded_listeners:
            listener(exercise_id, False)

    # --- ownership (decided by the coordinator) ---

    async def adopt(self, exercise_id: str, fence: Fence) -> None:
        """This process now owns the exercise: catch up, release what fell due, arm the timer."""
        runtime = await self.runtime(exercise_id)
        await runtime.own(fence)

    def disown(self, exercise_id: str, reason: str) -> None:
        runtime = self._runtimes.get(exercise_id)
        if runtime is not None:
            runtime.disown(reason)

    def owned(self) -> dict[str, Fence]:
        return {exercise_id: r.lease for exercise_id, r in self._runtimes.items() if r.lease is not None}

    # --- logs ---

    def export(self, exercise_id: str) -> Iterator[str]:
        """The exercise as JSONL lines (blocking: iterate it on a thread)."""
        row = self.row_now(exercise_id)
        plan = ImprovementPlan(self.engine).archived(exercise_id)
        return export_lines(ExerciseInfo.of(row), self.scenario_of(row), self.store.iter(exercise_id), plan)

    def import_archive(self, archive: Archive) -> ExerciseRow:
        """Store an archived log, with its improvement plan, as a new, ended, read-only exercise (blocking)."""
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
        events = [event.model_copy(update={"exercise_id": row.id}) for event in archive.events]
        self._insert_exercise(row, None, events, restored_rows(row.id, archive.plan))
        return row

    def close(self) -> None:
        for runtime in self._runtimes.values():
            runtime.close()

    # --- seats ---

    async def issue_seats(
        self, exercise_id: str, specs: Sequence[SeatSpec], *, by: Actor = FACILITATOR
    ) -> list[IssuedSeat]:
        """Issue seats in one transaction with their ``seat_issued`` events."""
        runtime = await self.runtime(exercise_id)
        scenario = runtime.scenario
        now = self.clock.wall()
        issued: list[IssuedSeat] = []
        for spec in specs:
            team, role = (None, None) if spec.kind == "observer" else (spec.team, spec.role)
            if spec.kind != "observer":
                if team is None or team not in {t.id for t in scenario.teams}:
                    raise CommandError("not_found", f"There is no team '{team}' in this scenario.")
                if role is not None and scenario.role(team, role) is None:
                    raise CommandError("not_found", f"Team '{team}' has no role '{role}'.")
            label = spec.label or seat_label(scenario, spec.kind, team, role)
            seat, token = new_seat(exercise_id, spec.kind, team, role, label, now)
            issued.append(IssuedSeat(seat, token))

        def make(state: ExerciseState) -> list[EventDraft]:
            if state.status == "ended":
                raise CommandError("invalid_state", "The exercise has ended; no new seats can be issued.")
            return [_issued_draft(item.seat, by) for item in issued]

        rows = [item.seat for item in issued]
        await runtime.change(make, also=lambda connection: insert_in(connection, rows))
        return issued

    async def issue_seat(
        self,
        exercise_id: str,
        kind: str,
        team: str | None = None,
        role: str | None = None,
        label: str | None = None,
        *,
        by: Actor = FACILITATOR,
    ) -> IssuedSeat:
        return (await self.issue_seats(exercise_id, [SeatSpec(kind, team, role, label)], by=by))[0]

    async def issue_default_seats(self, exercise_id: str, *, by: Actor = FACILITATOR) -> list[IssuedSeat]:
        scenario = (await self.runtime(exercise_id)).scenario
        specs: list[SeatSpec] = []
        for team in scenario.teams:
            specs.append(SeatSpec("player", team.id))
            specs.extend(SeatSpec("player", team.id, role.id) for role in team.roles)
        specs.append(SeatSpec("observer"))
        return await self.issue_seats(exercise_id, specs, by=by)

    async def reissue_seat(self, exercise_id: str, seat_id: str, *, by: Actor = FACILITATOR) -> IssuedSeat:
        """A new link for the same seat; the old one stops working, and its consoles are closed on every
        process when the ``seat_issued`` event reaches it."""
        seat = await self._seat(exercise_id, seat_id)
        runtime = await self.runtime(exercise_id)
        token = secrets.token_urlsafe(32)

        def make(state: ExerciseState) -> list[EventDraft]:
            if state.status == "ended":
                raise CommandError("invalid_state", "The exercise has ended; seat links can no longer be issued.")
            return [_issued_draft(seat, by)]

        await runtime.change(make, also=lambda connection: rotate_in(connection, seat_id, token))
        rotated = await self.db.run(self.seats.get, seat_id)
        assert rotated is not None
        return IssuedSeat(seat=rotated, token=token)

    async def revoke_seat(self, exercise_id: str, seat_id: str, *, by: Actor = FACILITATOR) -> SeatRow:
        """Revoke a seat: its link stops working, the engine refuses its commands, and its consoles are
        closed on every process when the ``seat_revoked`` event reaches it."""
        seat = await self._seat(exercise_id, seat_id)
        if seat.revoked_at is not None:
            return seat
        runtime = await self.runtime(exercise_id)
        principal = principal_for(runtime.scenario, seat)
        now = self.clock.wall()

        def make(state: ExerciseState) -> list[EventDraft]:
            drafts = []
            if state.online.get(seat_id, False):
                drafts.append(_presence_draft(principal, online=False))
            return [*drafts, draft(EventType.seat_revoked, by, [CONTROL], SeatRevoked(seat_id=seat_id))]

        await runtime.change(make, also=lambda connection: revoke_in(connection, seat_id, now))
        revoked = await self.db.run(self.seats.get, seat_id)
        assert revoked is not None
        return revoked

    async def _seat(self, exercise_id: str, seat_id: str) -> SeatRow:
        seat = await self.db.run(self.seats.get, seat_id)
        if seat is None or seat.exercise_id != exercise_id:
            raise CommandError("not_found", f"There is no seat '{seat_id}' in this exercise.")
        return seat

    async def authenticate(self, exercise_id: str, token: str) -> Principal | None:
        """The seat a link opens, or None. A link this process checked before is not looked up again while
        the exercise's state says nothing has changed for its seat (``app.engine.seat_links``)."""
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        token_hash = hash_token(token)
        loaded = self.loaded(exercise_id)
        if loaded is not None:
            known = self.links.principal(token_hash, exercise_id, loaded.state)
            if known is not None:
                return known
        issued_before = dict(loaded.state.links_issued) if loaded is not None else None
        seat = await self.db.run(self.seats.by_token, token)
        if seat is None or seat.exercise_id != exercise_id:
            return None
        runtime = await self.runtime(exercise_id)
        principal = principal_for(runtime.scenario, seat)
        if issued_before is not None and runtime is loaded:
            self.links.remember(token_hash, seat, principal, issued_before, runtime.state)
        return principal

    async def seat_rows(self, exercise_id: str) -> list[SeatRow]:
        return await self.db.run(self.seats.for_exercise, exercise_id)

    async def sync_presence(self, exercise_id: str, principal: Principal, devices: Probe) -> None:
        """Make the log's presence of a seat (online, and on how many consoles) agree with the consoles every
        process holds: ``devices`` writes this process's count and returns the total, under the exercise's lock."""
        runtime = await self.runtime(exercise_id)
        seat_id = principal.seat_id
        if runtime.read_only or seat_id is None:
            return

        def make(state: ExerciseState, total: int) -> list[EventDraft]:
            online = total > 0 and seat_id not in state.revoked
            devices = total if online else 0
            was_online = state.online.get(seat_id, False)
            if was_online == online and state.devices.get(seat_id, 0) == devices:
                return []
            # Only the control cell shows how many devices hold a seat: a change of that number alone is not
            # the team's news (in a storm of joins it came to thousands of deliveries a second).
            return [_presence_draft(principal, online=online, devices=devices, team_too=was_online != online)]

        await runtime.settle(make, devices)


def _issued_draft(seat: SeatRow, by: Actor) -> EventDraft:
    kind = "observer" if seat.kind == "observer" else "player"
    issued = SeatIssued(seat_id=seat.id, kind=kind, team=seat.team, role=seat.role, label=seat.label)
    return draft(EventType.seat_issued, by, [CONTROL], issued)


def _presence_draft(principal: Principal, *, online: bool, devices: int = 0, team_too: bool = True) -> EventDraft:
    assert principal.seat_id is not None
    audience = [CONTROL] + ([team_audience(principal.team)] if principal.team and team_too else [])
    change = PresenceChanged(seat_id=principal.seat_id, online=online, team=principal.team, role=None, devices=devices)
    return draft(EventType.presence_changed, SYSTEM, audience, change)


def seat_ids_closed_by(events: Sequence[Event]) -> list[tuple[str, str]]:
    """Seats whose open consoles must close after these events, with the reason to tell them."""
    closing: list[tuple[str, str]] = []
    for event in events:
        if event.type is EventType.seat_revoked:
            closing.append((event.payload["seat_id"], "This seat was revoked."))
        elif event.type is EventType.seat_issued:
            closing.append((event.payload["seat_id"], "This seat's link was replaced."))
    return closing
