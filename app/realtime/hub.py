"""Rooms of connected consoles, one bounded outgoing queue each, and catch-up from the log.

Publishing encodes each event once per *view group* (consoles that may see exactly the same thing)
and drops the text into each console's queue without waiting. A console whose queue is full is not
allowed to grow memory: its queue is emptied and it is marked to catch up, and its sender task then
reads what it missed from the event log and carries on live, with no gap and no duplicate (every
event is sent at most once per connection, in seq order). Joining with a last seq uses the same
catch-up path, so resume and resync are one mechanism.

The hub serves the consoles connected to this process; events committed by any process reach it
through the runtime (docs/architecture.md, "Fan-out"). It reads the log through ``read_log``, which
runs on a database thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.engine.clock import Clock, TimerHandle
from app.engine.events import Event
from app.engine.principal import Principal
from app.engine.visibility import Viewer, view_for
from app.realtime.protocol import EventMessage, Live

log = logging.getLogger(__name__)
# Jitter has its own generator: drawing from the global one would disturb anyone who seeds it
# (property tests, seeded bots) from a timer they cannot see.
_JITTER = random.Random()

SendText = Callable[[str], Awaitable[None]]
ReadLog = Callable[[str, int, int], Awaitable[list[Event]]]
"""Events of an exercise after a seq, at most a number of them, read off the event loop."""
CloseSocket = Callable[[int, str], Awaitable[None]]
HeartbeatText = Callable[[str], str | None]
"""The heartbeat message for an exercise (None when there is none to send)."""

_CATCH_UP = object()
_STOP = object()
CATCH_UP_BATCH = 500


def encode_event(event: Event) -> str:
    return EventMessage(event=event).model_dump_json()


@dataclass
class DeliveryStats:
    """Running totals of the hub's work, for metrics: plain integers, bumped per batch, never per console."""

    joins: int = 0
    fanouts: int = 0
    fanout_events: int = 0
    offers: int = 0
    """Events offered to consoles: room size times events, added once per batch."""
    overflows: int = 0
    resyncs: int = 0
    """Catch-ups from the log after an overflow (a join's first catch-up is not one)."""


@dataclass(eq=False)
class Connection:
    exercise_id: str
    principal: Principal
    send_text: SendText
    close_socket: CloseSocket
    queue_size: int
    last_sent: int = 0
    catching_up: bool = True
    announced_live: bool = False
    queue: asyncio.Queue[Any] = field(init=False)
    viewer: Viewer = field(init=False)
    group: str = field(init=False)
    overflows: int = 0
    sent: int = 0
    last_sent_at: float = 0.0
    heartbeat: TimerHandle | None = None
    stats: DeliveryStats = field(default_factory=DeliveryStats)
    id: int = field(default_factory=itertools.count(1).__next__)

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(maxsize=self.queue_size)
        # Computed once: publish asks for every connection on every event.
        self.viewer = self.principal.viewer
        self.group = self.viewer.group

    def offer(self, item: Any) -> None:
        """Queue without waiting; on overflow switch to catching up from the log."""
        if self.catching_up and isinstance(item, tuple):
            return  # the catch-up will read this event from the log
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self.overflows += 1
            self.stats.overflows += 1
            self._drain()
            self.catching_up = True
            self.queue.put_nowait(_CATCH_UP)

    def _drain(self) -> None:
        while not self.queue.empty():
            self.queue.get_nowait()


class Hub:
    def __init__(
        self,
        read_log: ReadLog,
        clock: Clock,
        *,
        queue_size: int = 512,
        heartbeat_seconds: float = 15.0,
        heartbeat_text: HeartbeatText | None = None,
    ) -> None:
        self.read_log = read_log
        self.clock = clock
        self.queue_size = queue_size
        self.heartbeat_seconds = heartbeat_seconds
        self.heartbeat_text = heartbeat_text
        self.rooms: dict[str, set[Connection]] = {}
        self.stats = DeliveryStats()
        self.heads: dict[str, int] = {}
        """The newest seq published to each room: a catch-up is complete only once it has reached it."""
        self._tasks: dict[Connection, asyncio.Task[None]] = {}
        self._closing: set[asyncio.Task[None]] = set()

    # --- membership ---

    def attach(
        self,
        exercise_id: str,
        principal: Principal,
        send_text: SendText,
        close_socket: CloseSocket,
        *,
        last_seq: int,
    ) -> Connection:
        """Add a console that has everything up to ``last_seq``; it catches up, then goes live."""
        connection = Connection(
            exercise_id, principal, send_text, close_socket, self.queue_size, last_sent=last_seq, stats=self.stats
        )
        self.stats.joins += 1
        self.rooms.setdefault(exercise_id, set()).add(connection)
        connection.queue.put_nowait(_CATCH_UP)
        self._tasks[connection] = asyncio.create_task(self._sender(connection), name=f"sender-{connection.id}")
        # Spread heartbeats over the interval so they never all leave at once and hold up a timer.
        self._arm_heartbeat(connection, self.heartbeat_seconds * _JITTER.uniform(0.5, 1.0))
        return connection

    def _arm_heartbeat(self, connection: Connection, delay: float) -> None:
        connection.heartbeat = self.clock.call_at(self.clock.monotonic() + delay, lambda: self._beat(connection))

    def _beat(self, connection: Connection) -> None:
        """Send a heartbeat only to a console that has heard nothing for a whole interval."""
        if connection not in self._tasks:
            return
        quiet_for = self.clock.monotonic() - connection.last_sent_at
        if quiet_for >= self.heartbeat_seconds and self.heartbeat_text is not None:
            text = self.heartbeat_text(connection.exercise_id)
            if text is not None:
                connection.offer(text)
            quiet_for = 0.0
        self._arm_heartbeat(connection, self.heartbeat_seconds - quiet_for)

    async def detach(self, connection: Connection) -> None:
        if connection.heartbeat is not None:
            connection.heartbeat.cancel()
        room = self.rooms.get(connection.exercise_id)
        if room is not None:
            room.discard(connection)
            if not room:
                self.rooms.pop(connection.exercise_id, None)
        task = self._tasks.pop(connection, None)
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def connections(self, exercise_id: str) -> list[Connection]:
        return list(self.rooms.get(exercise_id, ()))

    def seat_online(self, exercise_id: str, seat_id: str) -> bool:
        return any(c.principal.seat_id == seat_id for c in self.rooms.get(exercise_id, ()))

    # --- delivery ---

    def publish(self, exercise_id: str, events: Sequence[Event]) -> None:
        """Hand committed events to every console of the exercise that may see them."""
        room = self.rooms.get(exercise_id)
        if not room or not events:
            return
        self.heads[exercise_id] = max(self.heads.get(exercise_id, 0), events[-1].seq)
        stats = self.stats
        stats.fanouts += 1
        stats.fanout_events += len(events)
        stats.offers += len(room) * len(events)
        for event in events:
            encoded: dict[str, str | None] = {}
            for connection in room:
                group = connection.group
                if group not in encoded:
                    visible = view_for(connection.viewer, event)
                    encoded[group] = encode_event(visible) if visible is not None else None
                text = encoded[group]
                if text is not None:
                    connection.offer((event.seq, text))

    def send(self, connection: Connection, text: str) -> None:
        """Queue a message that is not an event (ack, error, heartbeat, scores)."""
        connection.offer(text)

    def broadcast(self, exercise_id: str, text_for: Callable[[Connection], str | None]) -> None:
        for connection in self.connections(exercise_id):
            text = text_for(connection)
            if text is not None:
                connection.offer(text)

    async def close_where(
        self, exercise_id: str, matches: Callable[[Connection], bool], code: int, reason: str
    ) -> None:
        """Stop sending to the matching consoles at once, then close their sockets."""
        await self._close_sockets(self.stop_where(exercise_id, matches), code, reason)

    def evict(self, exercise_id: str, matches: Callable[[Connection], bool], code: int, reason: str) -> None:
        """``close_where`` from code that cannot wait: nothing more is sent at once, the closes follow."""
        stopped = self.stop_where(exercise_id, matches)
        if stopped:
            task = asyncio.get_running_loop().create_task(self._close_sockets(stopped, code, reason))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def _close_sockets(self, connections: list[Connection], code: int, reason: str) -> None:
        for connection in connections:
            with contextlib.suppress(Exception):
                await connection.close_socket(code, reason)

    def stop_where(self, exercise_id: str, matches: Callable[[Connection], bool]) -> list[Connection]:
        """Take the matching consoles out of the room now (nothing more is queued for them)."""
        room = self.rooms.get(exercise_id, set())
        stopped = [connection for connection in room if matches(connection)]
        for connection in stopped:
            room.discard(connection)
            connection.offer(_STOP)
        if not room:
            self.rooms.pop(exercise_id, None)
        return stopped

    async def close_all(self, code: int, reason: str) -> None:
        for exercise_id in list(self.rooms):
            await self.close_where(exercise_id, lambda _: True, code, reason)

    async def _sender(self, connection: Connection) -> None:
        try:
            while True:
                item = await connection.queue.get()
                if item is _STOP:
                    return
                if item is _CATCH_UP:
                    if connection.announced_live:
                        self.stats.resyncs += 1
                    await self._catch_up(connection)
                elif isinstance(item, tuple):
                    seq, text = item
                    if seq > connection.last_sent:
                        await connection.send_text(text)
                        connection.last_sent = seq
                        connection.sent += 1
                else:
                    await connection.send_text(item)
                connection.last_sent_at = self.clock.monotonic()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the socket went away; the receive loop cleans up
            log.debug("sender for connection %s stopped: %s", connection.id, exc)

    async def _catch_up(self, connection: Connection) -> None:
        viewer = connection.viewer
        while True:
            batch = await self.read_log(connection.exercise_id, connection.last_sent, CATCH_UP_BATCH)
            # Events published while the read was on its way were not queued (catching up); they are
            # committed, so an empty read short of the room's head means: read again. No await
            # between this check and clearing the flag: anything published later is queued live.
            if not batch and connection.last_sent >= self.heads.get(connection.exercise_id, 0):
                connection.catching_up = False
                break
            for event in batch:
                visible = view_for(viewer, event)
                if visible is not None:
                    await connection.send_text(encode_event(visible))
                    connection.sent += 1
                connection.last_sent = event.seq
        if not connection.announced_live:
            connection.announced_live = True
            await connection.send_text(Live(last_seq=connection.last_sent).model_dump_json())
