"""Which processes are alive and which one owns each exercise, on the database's clock.

A process is alive while its row in ``server_processes`` has not expired; it renews the row every
``ttl / 4`` seconds. An exercise's lease (``exercise_leases``) names its holder and a fencing token.
A lease whose holder is not alive is free: any process may take it, and taking it adds one to the
token, so appends made under the old token are refused (``app.engine.append``). A renewal is one
small update per process, however many exercises it owns. All of this is blocking SQL for
``Database.run`` (docs/architecture.md, "Ownership").
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from app.cluster.tables import ExerciseLeaseRow, SeatPresenceRow, ServerProcessRow
from app.db import db_epoch
from app.engine.append import Fence
from app.models import ExerciseRow

_processes = ServerProcessRow.__table__  # type: ignore[attr-defined]
_leases = ExerciseLeaseRow.__table__  # type: ignore[attr-defined]
_presence = SeatPresenceRow.__table__  # type: ignore[attr-defined]
_exercises = ExerciseRow.__table__  # type: ignore[attr-defined]


def new_process_id() -> str:
    return secrets.token_hex(8)


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive() -> ColumnElement[bool]:
    return _processes.c.expires_at > db_epoch()


def live_process_ids() -> ColumnElement[bool]:
    """``… IN (ids of live processes)``, for a column holding a process id."""
    return select(_processes.c.id).where(_alive()).scalar_subquery()


@dataclass(frozen=True)
class Heartbeat:
    was_dead: bool
    """The process's row had expired or been reaped: others may have taken its leases meanwhile."""
    leases: dict[str, int]
    """The exercises whose lease this process holds now, with their tokens."""


class Leases:
    def __init__(self, engine: Engine, process_id: str, name: str, ttl: float) -> None:
        self.engine = engine
        self.process_id = process_id
        self.name = name
        self.ttl = ttl

    # --- this process ---

    def register(self, *, sole: bool = False) -> None:
        """Announce this process. ``sole``: no other can be running (SQLite), so every other row is dead."""
        with self.engine.begin() as connection:
            if sole:
                connection.execute(update(_processes).where(_processes.c.id != self.process_id).values(expires_at=0.0))
            connection.execute(
                insert(_processes).values(
                    id=self.process_id, name=self.name, started_at=db_epoch(), expires_at=db_epoch() + self.ttl
                )
            )

    def bury_local_dead(self) -> list[str]:
        """Mark dead at once the processes of this machine that no longer run (a restart after a crash need
        not wait out its predecessor's lease). A pid reused since only makes this wait for the lease."""
        host = self.name.rsplit(":", 1)[0]
        with self.engine.begin() as connection:
            rows = connection.execute(
                select(_processes.c.id, _processes.c.name).where(_alive(), _processes.c.id != self.process_id)
            ).all()
            gone = [row.id for row in rows if _on_host(row.name, host) and not _running(row.name)]
            if gone:
                connection.execute(update(_processes).where(_processes.c.id.in_(gone)).values(expires_at=0.0))
        return gone

    def heartbeat(self) -> Heartbeat:
        """Renew this process's row (re-creating it if another process reaped it meanwhile)."""
        with self.engine.begin() as connection:
            alive = connection.execute(
                update(_processes)
                .where(_processes.c.id == self.process_id, _alive())
                .values(expires_at=db_epoch() + self.ttl)
            ).rowcount
            if not alive:
                connection.execute(delete(_processes).where(_processes.c.id == self.process_id))
                connection.execute(
                    insert(_processes).values(
                        id=self.process_id, name=self.name, started_at=db_epoch(), expires_at=db_epoch() + self.ttl
                    )
                )
            held = connection.execute(
                select(_leases.c.exercise_id, _leases.c.token).where(_leases.c.holder == self.process_id)
            )
            return Heartbeat(was_dead=not alive, leases={row.exercise_id: int(row.token) for row in held})

    def retire(self) -> None:
        """A clean stop: leases freed at once for another process to take; the row marked dead, so that
        whoever reaps it settles any seat this process still counted."""
        with self.engine.begin() as connection:
            connection.execute(update(_leases).where(_leases.c.holder == self.process_id).values(holder=None))
            connection.execute(update(_processes).where(_processes.c.id == self.process_id).values(expires_at=0.0))

    # --- exercise leases ---

    def claimable(self) -> list[str]:
        """Exercises that are not over and whose lease no live process holds."""
        query = (
            select(_exercises.c.id)
            .join(_leases, _leases.c.exercise_id == _exercises.c.id)
            .where(
                _exercises.c.status != "ended",
                _exercises.c.imported.is_(False),
                or_(_leases.c.holder.is_(None), _leases.c.holder.not_in(live_process_ids())),
            )
            .order_by(_exercises.c.updated_at)
        )
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def take(self, exercise_id: str) -> Fence | None:
        """Take a free lease; the new token fences off whoever held it before."""
        with self.engine.begin() as connection:
            token = connection.execute(
                update(_leases)
                .where(
                    _leases.c.exercise_id == exercise_id,
                    or_(_leases.c.holder.is_(None), _leases.c.holder.not_in(live_process_ids())),
                )
                .values(holder=self.process_id, token=_leases.c.token + 1)
                .returning(_leases.c.token)
            ).scalar()
        return None if token is None else Fence(self.process_id, int(token))

    def release(self, exercise_id: str, fence: Fence) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(_leases)
                .where(
                    _leases.c.exercise_id == exercise_id,
                    _leases.c.holder == fence.holder,
                    _leases.c.token == fence.token,
                )
                .values(holder=None)
            )

    def holder_of(self, exercise_id: str) -> tuple[str | None, int]:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(_leases.c.holder, _leases.c.token).where(_leases.c.exercise_id == exercise_id)
            ).first()
        return (None, 0) if row is None else (row.holder, int(row.token))

    # --- processes that died ---

    def claim_dead(self) -> list[str]:
        """Dead processes this process will clean up after (one reaper each, replaced if it dies too)."""
        with self.engine.begin() as connection:
            dead = list(
                connection.execute(
                    select(_processes.c.id).where(
                        _processes.c.expires_at < db_epoch(),
                        or_(_processes.c.reaper.is_(None), _processes.c.reaper.not_in(live_process_ids())),
                    )
                ).scalars()
            )
            claimed = []
            for process_id in dead:
                won = connection.execute(
                    update(_processes)
                    .where(
                        _processes.c.id == process_id,
                        _processes.c.expires_at < db_epoch(),
                        or_(_processes.c.reaper.is_(None), _processes.c.reaper.not_in(live_process_ids())),
                    )
                    .values(reaper=self.process_id)
                ).rowcount
                if won:
                    claimed.append(process_id)
        return claimed

    def presence_of(self, process_id: str) -> list[tuple[str, str]]:
        """The (exercise, seat) pairs a process had devices on."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(_presence.c.exercise_id, _presence.c.seat_id).where(
                    _presence.c.process_id == process_id, _presence.c.devices > 0
                )
            )
            return [(row.exercise_id, row.seat_id) for row in rows]

    def forget(self, process_id: str) -> None:
        """Remove a dead process once its seats have been settled (unless it came back meanwhile)."""
        with self.engine.begin() as connection:
            gone = connection.execute(
                delete(_processes).where(
                    _processes.c.id == process_id,
                    _processes.c.expires_at < db_epoch(),
                    _processes.c.reaper == self.process_id,
                )
            ).rowcount
            if gone:
                connection.execute(delete(_presence).where(_presence.c.process_id == process_id))

    def live_processes(self) -> list[tuple[str, str]]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(_processes.c.id, _processes.c.name).where(_alive()))
            return [(row.id, row.name) for row in rows]


def _on_host(name: str, host: str) -> bool:
    return name.rsplit(":", 1)[0] == host


def _running(name: str) -> bool:
    """Whether the process ``host:pid`` (of this machine) still runs."""
    try:
        os.kill(int(name.rsplit(":", 1)[1]), 0)
    except (ValueError, IndexError):
        return True  # not a name this version writes: leave it to its lease
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, as another user
    return True
