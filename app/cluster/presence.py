"""Who is online: consoles per seat on this process, counted over every process, settled into the log.

Each process keeps its own count of open consoles per seat. When a count changes, the process
writes it to ``seat_presence`` and, under the exercise's lock, adds up every live process's count:
if the seat's total differs from what the log says (online or not, and on how many consoles), it
appends ``presence_changed`` (docs/architecture.md, "Presence"). Changes are written by one task per
process, which coalesces a burst of joins into a few transactions. When a process dies, whoever reaps
it settles the seats it held.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, delete, func, or_, select

from app.cluster.leases import live_process_ids
from app.cluster.tables import SeatPresenceRow
from app.db import Database, upsert
from app.engine.manager import ExerciseManager
from app.engine.principal import Principal
from app.engine.seats import principal_for

log = logging.getLogger(__name__)

_presence = SeatPresenceRow.__table__  # type: ignore[attr-defined]
RETRY_SECONDS = 1.0
COALESCE_SECONDS = 0.25
"""At most one write per seat per this many seconds; a join waits for it (outside its turn, app/api/ws.py)."""
CONNECT_WAIT_SECONDS = 5.0

Key = tuple[str, str]


@dataclass
class _Seat:
    principal: Principal
    devices: int = 0
    asked: int = 0
    """Changes counted so far; ``written`` is how many of them the database has seen."""
    written: int = 0
    settled: asyncio.Event = field(default_factory=asyncio.Event)


class Presence:
    def __init__(self, db: Database, manager: ExerciseManager, process_id: str) -> None:
        self.db = db
        self.manager = manager
        self.process_id = process_id
        self._seats: dict[Key, _Seat] = {}
        self._dirty: dict[Key, None] = {}
        self._writer: asyncio.Task[None] | None = None
        self._written_at = 0.0

    # --- this process's consoles ---

    async def connected(self, exercise_id: str, principal: Principal) -> None:
        """Count a console in; returns once the log says its seat is online (so a console that goes live
        sees itself online)."""
        seat = self._count(exercise_id, principal, +1)
        if seat is None:
            return
        ticket = seat.asked
        with contextlib.suppress(TimeoutError):  # presence is worth waiting for, not worth failing a join over
            await asyncio.wait_for(self._written(seat, ticket), CONNECT_WAIT_SECONDS)

    async def _written(self, seat: _Seat, ticket: int) -> None:
        while seat.written < ticket:
            seat.settled.clear()
            await seat.settled.wait()

    def disconnected(self, exercise_id: str, principal: Principal) -> None:
        self._count(exercise_id, principal, -1)

    def _count(self, exercise_id: str, principal: Principal, change: int) -> _Seat | None:
        if principal.seat_id is None:
            return None
        key = (exercise_id, principal.seat_id)
        seat = self._seats.setdefault(key, _Seat(principal))
        seat.devices = max(0, seat.devices + change)
        seat.asked += 1
        self._mark(key)
        return seat

    def resync(self) -> None:
        """Write every count again (after this process was taken for dead and came back)."""
        for key in self._seats:
            self._mark(key)

    async def settle(self, exercise_id: str, seat_id: str) -> None:
        """Make the log agree with the devices counted now (after another process died holding the seat)."""
        seat = self._seats.get((exercise_id, seat_id))
        principal = seat.principal if seat is not None else await self._principal(exercise_id, seat_id)
        if principal is not None:
            await self.manager.sync_presence(exercise_id, principal, self._probe((exercise_id, seat_id)))

    async def _principal(self, exercise_id: str, seat_id: str) -> Principal | None:
        row = await self.db.run(self.manager.seats.get, seat_id)
        if row is None:
            return None
        return principal_for((await self.manager.runtime(exercise_id)).scenario, row)

    # --- writing ---

    def _mark(self, key: Key) -> None:
        self._dirty[key] = None
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="presence-writer")

    async def _write(self) -> None:
        while self._dirty:
            # A storm of joins changes a seat's count thousands of times; each write appends an event that
            # goes to every console. One write per seat per pause keeps that to a few events a second.
            pause = self._written_at + COALESCE_SECONDS - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
            batch = list(self._dirty)
            self._dirty.clear()
            for key in batch:
                await self._write_seat(key)
            self._written_at = time.monotonic()

    async def _write_seat(self, key: Key) -> None:
        seat = self._seats.get(key)
        if seat is None:
            return
        asked = seat.asked
        try:
            await self.manager.sync_presence(key[0], seat.principal, self._probe(key))
        except Exception:
            log.exception("presence of seat %s in exercise %s could not be written; retrying", key[1], key[0])
            self._dirty[key] = None
            await asyncio.sleep(RETRY_SECONDS)
            return
        seat.written = max(seat.written, asked)
        seat.settled.set()
        if seat.devices == 0 and key not in self._dirty:
            self._seats.pop(key, None)

    def _probe(self, key: Key) -> Callable[[Connection], int]:
        """Under the exercise's lock: write this process's count, return every live process's total."""
        exercise_id, seat_id = key

        def probe(connection: Connection) -> int:
            seat = self._seats.get(key)
            devices = seat.devices if seat is not None else 0
            where = (
                _presence.c.process_id == self.process_id,
                _presence.c.exercise_id == exercise_id,
                _presence.c.seat_id == seat_id,
            )
            if devices:
                values = {"process_id": self.process_id, "exercise_id": exercise_id, "seat_id": seat_id}
                upsert(connection, _presence, {**values, "devices": devices}, list(values))
            else:
                connection.execute(delete(_presence).where(*where))
            total = connection.execute(
                select(func.coalesce(func.sum(_presence.c.devices), 0)).where(
                    _presence.c.exercise_id == exercise_id,
                    _presence.c.seat_id == seat_id,
                    or_(_presence.c.process_id == self.process_id, _presence.c.process_id.in_(live_process_ids())),
                )
            ).scalar()
            return int(total or 0)

        return probe

    async def stop(self, timeout: float = 3.0) -> None:
        """Write what is still pending (the consoles just closed: their seats go offline), then stop."""
        writer = self._writer
        if writer is None or writer.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(writer), timeout)
        except TimeoutError:
            writer.cancel()  # whoever reaps this process settles the rest
