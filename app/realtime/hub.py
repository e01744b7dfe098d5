"""Rooms of connected consoles: fan-out in slices, direct writes, one bounded queue each, catch-up.

Publishing hands a batch of committed events to the hub's journal. The journal is worked through in
slices of about a millisecond that yield to the event loop between them, so a timer or a command never
waits for a whole fan-out to thousands of consoles. Each event is encoded once per *view group*
(consoles that may see exactly the same thing) and, where the console's socket allows it
(``app.realtime.wire``), framed once per group and written straight to the socket of every console
whose queue is empty. A console that is behind (its queue holds something, its sender is busy, its
socket's buffer is full) gets the text in its bounded queue instead; when that queue is full it is
emptied and the console is marked to catch up, and its sender task reads what it missed and carries
on live, with no gap and no duplicate (every event goes out at most once per connection, in seq
order). Joining with a last seq uses the same catch-up path, so resume and resync are one mechanism.

Catch-ups read the exercise's ``History`` (events published here, encoded once per group) and the log
only for what it does not hold, through ``read_log``, on a database thread, never on the event loop.
The hub serves the consoles connected to this process; events committed by any process reach it
through the runtime (docs/architecture.md, "Fan-out" and "Delivery").
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.engine.clock import Clock, TimerHandle
from app.engine.events import Event
from app.engine.principal import Principal
from app.engine.visibility import Viewer
from app.realtime.history import History
from app.realtime.protocol import Live
from app.realtime.wire import Wire

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
CATCH_UP_SLICE = 100
"""Events a catch-up writes before it lets the loop run other work."""
SLICE_SECONDS = 0.001
"""How long a fan-out works before it yields to the loop (timers, commands, other consoles' reads)."""
CHECK_EVERY = 16
"""Consoles served between two looks at the slice's clock."""


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
    slices: int = 0
    """Times a fan-out yielded to the loop before it was done."""
    coalesced: int = 0
    """Batches that rode with one still waiting for its turn (one write per console for both)."""


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
    wire: Wire | None = None
    """The socket itself, when the server lets the hub write to it directly (``app.realtime.wire``)."""
    queue: asyncio.Queue[Any] = field(init=False)
    viewer: Viewer = field(init=False)
    group: str = field(init=False)
    frame_key: Hashable | None = field(init=False)
    went_live: asyncio.Event = field(init=False)
    """Set once the first catch-up is over and ``live`` was sent."""
    busy: bool = False
    """The sender task holds an item it has not finished sending."""
    stopped: bool = False
    overflows: int = 0
    sent: int = 0
    last_sent_at: float = 0.0
    heartbeat: TimerHandle | None = None
    stats: DeliveryStats = field(default_factory=DeliveryStats)
    id: int = field(default_factory=itertools.count(1).__next__)

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(maxsize=self.queue_size)
        self.went_live = asyncio.Event()
        # Computed once: publish asks for every connection on every event.
        self.viewer = self.principal.viewer
        self.group = self.viewer.group
        self.frame_key = self.wire.frame_key if self.wire is not None else None

    def writable_now(self) -> bool:
        """Live, nothing queued or on its way, and the socket takes a write at once: write it directly."""
        return (
            self.wire is not None
            and not self.catching_up
            and not self.busy
            and not self.stopped
            and self.queue.empty()
            and self.wire.ready
        )

    def offer(self, item: Any) -> None:
        """Queue without waiting; on overflow switch to catching up from the log."""
        if self.catching_up and isinstance(item, tuple):
            return  # the catch-up will read this event from the log
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self._overflow(item)

    def _overflow(self, item: Any) -> None:
        """The queue is full: its events go, to be read again by a catch-up; the replies in it (acks, errors,
        cards) and a stop stay, after the catch-up, so that a player's ack is neither lost nor sent before
        the events of its command. Should replies alone fill the queue, the newest are kept."""
        self.overflows += 1
        self.stats.overflows += 1
        kept = [queued for queued in (*self._drain(), item) if isinstance(queued, str) or queued is _STOP]
        self.catching_up = True
        self.queue.put_nowait(_CATCH_UP)
        for queued in kept[max(0, len(kept) - (self.queue.maxsize - 1)) :]:
            self.queue.put_nowait(queued)

    def _drain(self) -> list[Any]:
        drained = []
        while not self.queue.empty():
            drained.append(self.queue.get_nowait())
        return drained


@dataclass
class _Fanout:
    """One published batch on its way to a room, resumable where a slice ended."""

    exercise_id: str
    events: Sequence[Event]
    connections: list[Connection]
    history: History
    arrivals: int
    """The room's count of arrivals when the batch was published: a later batch may ride along only if
    nobody arrived in between (a console that did must get it)."""
    position: int = 0
    texts: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    frames: dict[tuple[str, Hashable], bytes] = field(default_factory=dict)

    def joins(self, exercise_id: str, arrivals: int) -> bool:
        """Whether a batch published now may ride with this one: same room, nobody new, not begun."""
        return self.exercise_id == exercise_id and self.arrivals == arrivals and self.position == 0

    def extend(self, events: Sequence[Event]) -> None:
        self.events = [*self.events, *events]
        self.texts.clear()  # an ack may have sent the first batch to a few consoles already; they
        self.frames.clear()  # take the rest through their queue, which drops the seqs they have

    def texts_for(self, connection: Connection) -> list[tuple[int, str]]:
        group = connection.group
        texts = self.texts.get(group)
        if texts is None:
            viewer, history = connection.viewer, self.history
            texts = self.texts[group] = [
                (event.seq, text) for event in self.events if (text := history.text(viewer, event)) is not None
            ]
        return texts

    def frames_for(self, connection: Connection, texts: list[tuple[int, str]]) -> bytes:
        """Every message of the batch this console may see, as frames, encoded once per group and frame key."""
        key = (connection.group, connection.frame_key)
        frames = self.frames.get(key)
        if frames is None:
            wire, group, history = connection.wire, connection.group, self.history
            assert wire is not None and connection.frame_key is not None
            frames = self.frames[key] = b"".join(
                history.frame(connection.frame_key, group, seq, text, wire.frame) for seq, text in texts
            )
        return frames


class Hub:
    def __init__(
        self,
        read_log: ReadLog,
        clock: Clock,
        *,
        queue_size: int = 512,
        heartbeat_seconds: float = 15.0,
        heartbeat_text: HeartbeatText | None = None,
        slice_seconds: float = SLICE_SECONDS,
    ) -> None:
        self.read_log = read_log
        self.clock = clock
        self.queue_size = queue_size
        self.heartbeat_seconds = heartbeat_seconds
        self.heartbeat_text = heartbeat_text
        self.slice_seconds = slice_seconds
        self.rooms: dict[str, set[Connection]] = {}
        self._arrivals: dict[str, int] = {}
        self.stats = DeliveryStats()
        self.heads: dict[str, int] = {}
        """The newest seq published to each room: a catch-up is complete only once it has reached it."""
        self.histories: dict[str, History] = {}
        self._journal: deque[_Fanout] = deque()
        self._pump: asyncio.Task[None] | None = None
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
        wire: Wire | None = None,
    ) -> Connection:
        """Add a console that has everything up to ``last_seq``; it catches up, then goes live."""
        connection = Connection(
            exercise_id,
            principal,
            send_text,
            close_socket,
            self.queue_size,
            last_sent=last_seq,
            wire=wire,
            stats=self.stats,
        )
        self.stats.joins += 1
        self.rooms.setdefault(exercise_id, set()).add(connection)
        self._arrivals[exercise_id] = self._arrivals.get(exercise_id, 0) + 1
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
        if quiet_for >= self.heartbeat_seconds:
            text = self.heartbeat_text(connection.exercise_id) if self.heartbeat_text is not None else None
            if text is not None:
                self.send(connection, text)
            quiet_for = 0.0  # with nothing to send too: the next look is a whole interval away, not at once
        self._arm_heartbeat(connection, self.heartbeat_seconds - quiet_for)

    async def detach(self, connection: Connection) -> None:
        if connection.heartbeat is not None:
            connection.heartbeat.cancel()
        connection.stopped = True
        self._leave(connection)
        task = self._tasks.pop(connection, None)
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _leave(self, connection: Connection) -> None:
        room = self.rooms.get(connection.exercise_id)
        if room is not None:
            room.discard(connection)
            if not room:
                # Nobody here watches it: its history would go stale, so it goes (rebuilt from the log).
                self.rooms.pop(connection.exercise_id, None)
                self.histories.pop(connection.exercise_id, None)

    def connections(self, exercise_id: str) -> list[Connection]:
        return list(self.rooms.get(exercise_id, ()))

    def seat_online(self, exercise_id: str, seat_id: str) -> bool:
        return any(c.principal.seat_id == seat_id for c in self.rooms.get(exercise_id, ()))

    def history(self, exercise_id: str) -> History:
        history = self.histories.get(exercise_id)
        if history is None:
            history = self.histories[exercise_id] = History()
        return history

    # --- delivery ---

    def publish(self, exercise_id: str, events: Sequence[Event]) -> None:
        """Hand committed events to every console of the exercise that may see them.

        The first slice goes out now; the rest of a large room follows in slices between other work."""
        room = self.rooms.get(exercise_id)
        if not room or not events:
            return
        self.heads[exercise_id] = max(self.heads.get(exercise_id, 0), events[-1].seq)
        stats = self.stats
        stats.fanouts += 1
        stats.fanout_events += len(events)
        stats.offers += len(room) * len(events)
        history = self.history(exercise_id)
        history.remember(events, published=True)
        arrivals = self._arrivals.get(exercise_id, 0)
        waiting = self._journal[-1] if self._journal else None
        if waiting is not None and waiting.joins(exercise_id, arrivals):
            # The loop is behind: this batch rides with the one still waiting, one write per console for both.
            waiting.extend(events)
            stats.coalesced += 1
            return
        self._journal.append(_Fanout(exercise_id, events, list(room), history, arrivals))
        if self._pump is None and len(self._journal) == 1 and self._work(time.perf_counter() + self.slice_seconds):
            return
        if self._pump is None:
            self._pump = asyncio.get_running_loop().create_task(self._run_pump(), name="hub-fanout")

    async def _run_pump(self) -> None:
        try:
            while True:
                self.stats.slices += 1
                await asyncio.sleep(0)  # timers, commands and reads that fell due run here
                if self._work(time.perf_counter() + self.slice_seconds):
                    return
        finally:
            self._pump = None

    def _work(self, deadline: float) -> bool:
        """Deliver from the journal until it is empty (True) or the slice is over (False)."""
        journal = self._journal
        now = self.clock.monotonic()
        while journal:
            fanout = journal[0]
            connections = fanout.connections
            while fanout.position < len(connections):
                end = min(fanout.position + CHECK_EVERY, len(connections))
                for connection in connections[fanout.position : end]:
                    self._deliver(connection, fanout, now)
                fanout.position = end
                if time.perf_counter() >= deadline:
                    break
            if fanout.position >= len(connections):
                journal.popleft()
            if journal and time.perf_counter() >= deadline:
                return False
        return True

    def _deliver(self, connection: Connection, fanout: _Fanout, now: float) -> None:
        if connection.stopped or connection.catching_up:
            return  # a catching-up console reads these events from the history or the log
        texts = fanout.texts_for(connection)
        if not texts:
            return
        if connection.writable_now() and texts[0][0] > connection.last_sent:
            wire = connection.wire
            assert wire is not None
            if connection.frame_key is not None:
                wire.write(fanout.frames_for(connection, texts))
            else:
                for _seq, text in texts:
                    wire.send_text(text.encode())
            connection.last_sent = texts[-1][0]
            connection.sent += len(texts)
            connection.last_sent_at = now
            return
        for item in texts:
            connection.offer(item)

    def send(self, connection: Connection, text: str) -> None:
        """Send a message that is not an event (ack, error, heartbeat, scores): at once if the socket is free.

        Events published before it go first, even those a fan-out in slices has not reached yet: a
        command's ack never overtakes the command's events."""
        self._send(connection, text, None)

    def broadcast(self, exercise_id: str, text_for: Callable[[Connection], str | None]) -> None:
        """Send each console its text, as ``send`` does; a text many consoles get (a live score card: tens of
        kilobytes at 10,000 events) is framed and compressed once per kind of socket, not once per console."""
        frames: dict[tuple[str, Hashable], bytes] = {}
        for connection in self.connections(exercise_id):
            text = text_for(connection)
            if text is not None:
                self._send(connection, text, frames)

    def _send(self, connection: Connection, text: str, frames: dict[tuple[str, Hashable], bytes] | None) -> None:
        """``send``, with ``frames`` (when given) keeping each text's frame per kind of socket for the next console."""
        self._deliver_pending(connection)
        if not connection.writable_now():
            connection.offer(text)
            return
        wire, key = connection.wire, connection.frame_key
        assert wire is not None
        if frames is None or key is None:
            wire.send_text(text.encode())
        else:
            frame = frames.get((text, key))
            if frame is None:
                frame = frames[(text, key)] = wire.frame(text.encode())
            wire.write(frame)
        connection.last_sent_at = self.clock.monotonic()

    def _deliver_pending(self, connection: Connection) -> None:
        """Events a fan-out in slices has not brought to this console yet: they go before a message sent now."""
        if self._journal:
            now = self.clock.monotonic()
            for fanout in self._journal:
                if fanout.exercise_id == connection.exercise_id:
                    self._deliver(connection, fanout, now)  # seqs it already has are dropped by its sender

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
        """Take the matching consoles out of the room now (nothing more is sent to them)."""
        room = self.rooms.get(exercise_id, set())
        stopped = [connection for connection in room if matches(connection)]
        for connection in stopped:
            connection.offer(_STOP)
            connection.stopped = True
            self._leave(connection)
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
                connection.busy = True
                if item is _CATCH_UP:
                    if connection.announced_live:
                        self.stats.resyncs += 1
                    await self._catch_up(connection)
                elif isinstance(item, tuple):
                    seq, text = item
                    if seq > connection.last_sent:
                        await self._send_event(connection, seq, text)
                        connection.last_sent = seq
                        connection.sent += 1
                else:
                    await connection.send_text(item)
                connection.last_sent_at = self.clock.monotonic()
                connection.busy = False
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the socket went away; the receive loop cleans up
            log.debug("sender for connection %s stopped: %s", connection.id, exc)

    async def _send_event(self, connection: Connection, seq: int, text: str) -> None:
        """One queued event: its group's frame written directly once the socket takes it, else through ASGI."""
        wire, key = connection.wire, connection.frame_key
        if wire is not None and key is not None and wire.ready:
            wire.write(self.history(connection.exercise_id).frame(key, connection.group, seq, text, wire.frame))
        else:
            await connection.send_text(text)

    async def _catch_up(self, connection: Connection) -> None:
        exercise_id = connection.exercise_id
        while True:
            history = self.history(exercise_id)
            batch = history.after(connection.last_sent, CATCH_UP_BATCH)
            if not batch:
                verified = history.verified_to
                head = self.heads.get(exercise_id, 0)
                if verified is not None and connection.last_sent >= max(verified, head):
                    connection.catching_up = False  # everything published here was sent; the rest comes live
                    break
                batch = await self.read_log(exercise_id, connection.last_sent, CATCH_UP_BATCH)
                history = self.history(exercise_id)
                # Events published while the read was on its way were not queued (catching up); they are
                # committed, so an empty read short of the room's head means: read again. No await
                # between this check and clearing the flag: anything published later is queued live.
                if not batch:
                    history.log_ends_at(connection.last_sent)
                    if connection.last_sent >= self.heads.get(exercise_id, 0):
                        connection.catching_up = False
                        break
                    continue
                history.remember(batch, published=False)
            for start in range(0, len(batch), CATCH_UP_SLICE):
                await self._send_history(connection, history, batch[start : start + CATCH_UP_SLICE])
                await asyncio.sleep(0)  # a join storm must not starve timers and commands
        if not connection.announced_live:
            connection.announced_live = True
            await connection.send_text(Live(last_seq=connection.last_sent).model_dump_json())
            connection.went_live.set()

    async def _send_history(self, connection: Connection, history: History, events: Sequence[Event]) -> None:
        """Send what the console may see of ``events`` (past ones): framed once per group where it can be."""
        events = [event for event in events if event.seq > connection.last_sent]
        if not events:
            return
        viewer = connection.viewer
        texts = [(event.seq, text) for event in events if (text := history.text(viewer, event)) is not None]
        wire, key = connection.wire, connection.frame_key
        if wire is not None and key is not None and wire.ready:
            group = connection.group
            wire.write(b"".join(history.frame(key, group, seq, text, wire.frame) for seq, text in texts))
            connection.sent += len(texts)
        else:
            for seq, text in texts:
                await connection.send_text(text)
                connection.sent += 1
                connection.last_sent = seq
        connection.last_sent = events[-1].seq
