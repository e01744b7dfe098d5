"""Fan-out in slices with direct writes: every console gets every event once, in order, and other work
(a timer that fell due, a command) runs between the slices of a large fan-out instead of after it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from app.db import Database
from app.engine.clock import ManualClock
from app.engine.events import Event
from app.engine.manager import ExerciseManager
from app.engine.principal import Principal
from app.realtime.hub import Connection, Hub
from app.realtime.wire import Wire
from app.scenario.schema import Scenario
from tests.engine.helpers import BLUE_LEADER, control, play
from tests.engine.test_lifecycle_and_clock import started
from tests.realtime.conftest import LiveServer, seat_token

BLUE = Principal(kind="player", seat_id="s1", team="blue", roles=frozenset({"leader"}))
RED = Principal(kind="player", seat_id="s2", team="red", roles=frozenset({"leader"}))


class FakeWire(Wire):
    """A socket that takes every write at once (unless ``ready`` is switched off); frames are JSON lines."""

    frames_made = 0

    def __init__(self) -> None:
        self.is_ready = True
        self.written: list[bytes] = []
        self.lines_per_write: list[int] = []

    @property
    def ready(self) -> bool:
        return self.is_ready

    @property
    def frame_key(self) -> str:
        return "lines"

    def frame(self, data: bytes) -> bytes:
        FakeWire.frames_made += 1
        return data + b"\n"

    def write(self, frames: bytes) -> None:
        self.written.append(frames)
        self.lines_per_write.append(len(frames.splitlines()))

    def send_text(self, data: bytes) -> None:
        self.written.append(data + b"\n")


class Console:
    """A console on a fake socket: what arrived through the wire and through the hub's sender, in order."""

    def __init__(self) -> None:
        self.wire = FakeWire()
        self.messages: list[dict[str, Any]] = []

    async def send_text(self, text: str) -> None:  # the hub's sender (queue) path
        self._take()
        self.messages.append(json.loads(text))

    async def close(self, code: int, reason: str) -> None:
        return None

    def _take(self) -> None:
        for chunk in self.wire.written:
            self.messages.extend(json.loads(line) for line in chunk.decode().splitlines())
        self.wire.written.clear()

    def seqs(self) -> list[int]:
        self._take()
        return [message["event"]["seq"] for message in self.messages if message["type"] == "event"]

    def kinds(self) -> list[str]:
        self._take()
        return [message["type"] for message in self.messages]

    def live(self) -> bool:
        self._take()
        return any(message["type"] == "live" for message in self.messages)


async def until(done: Callable[[], bool]) -> None:
    for _ in range(2000):
        if done():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("timed out")


async def setup(
    database: Database, clock: ManualClock, mini: Scenario, **options: Any
) -> tuple[Hub, ExerciseManager, str, list[int]]:
    hub = Hub.__new__(Hub)
    manager = ExerciseManager(database, clock, lambda exercise_id, events: hub.publish(exercise_id, events))
    reads: list[int] = []

    async def read_log(exercise_id: str, after: int, limit: int) -> list[Event]:
        reads.append(after)
        return await manager.read_log(exercise_id, after, limit)

    Hub.__init__(hub, read_log, clock, **options)
    return hub, manager, await started(manager, mini), reads


def attach(hub: Hub, exercise_id: str, principal: Principal, last_seq: int = 0) -> tuple[Connection, Console]:
    console = Console()
    connection = hub.attach(
        exercise_id, principal, console.send_text, console.close, last_seq=last_seq, wire=console.wire
    )
    return connection, console


async def finish(hub: Hub, manager: ExerciseManager, connections: list[Connection]) -> None:
    for connection in connections:
        await hub.detach(connection)
    manager.close()


def visible_to_blue(manager: ExerciseManager, exercise_id: str, after: int = 0) -> list[int]:
    return [
        e.seq
        for e in manager.store.read(exercise_id)
        if e.seq > after and ("all" in e.audience or "team:blue" in e.audience)
    ]


async def sliced_room(
    database: Database, clock: ManualClock, mini: Scenario, size: int
) -> tuple[Hub, ExerciseManager, str, list[tuple[Connection, Console]]]:
    """A room of live blue consoles whose fan-outs yield after every few consoles."""
    hub, manager, exercise_id, _ = await setup(database, clock, mini, slice_seconds=0.0)
    consoles = [attach(hub, exercise_id, BLUE) for _ in range(size)]
    await until(lambda: all(console.live() for _, console in consoles))
    return hub, manager, exercise_id, consoles


async def mixed_room(
    database: Database, clock: ManualClock, mini: Scenario, size: int
) -> tuple[Hub, ExerciseManager, str, list[tuple[Connection, Console]]]:
    """A room of live consoles, half blue and half red (two view groups), written to directly."""
    hub, manager, exercise_id, _ = await setup(database, clock, mini)
    consoles = [attach(hub, exercise_id, BLUE if n % 2 else RED) for n in range(size)]
    await until(lambda: all(console.live() for _, console in consoles))
    return hub, manager, exercise_id, consoles


def after_publish(hub: Hub, then: Callable[[Sequence[Event]], None]) -> None:
    """Run ``then`` right after each publish, before the loop's next turn."""
    original = hub.publish

    def publish(exercise: str, events: Sequence[Event]) -> None:
        original(exercise, events)
        then(events)

    hub.publish = publish  # type: ignore[method-assign]


async def test_a_timer_due_during_a_large_fanout_runs_before_the_fanout_ends(
    database: Database, clock: ManualClock, mini: Scenario
) -> None:
    hub, manager, exercise_id, consoles = await sliced_room(database, clock, mini, 200)
    head = manager.store.last_seq(exercise_id)

    def delivered() -> int:
        return sum(1 for _, console in consoles if console.seqs() and console.seqs()[-1] > head)

    seen_by_timer: list[int] = []
    loop = asyncio.get_running_loop()
    # A timer falling due just as the fan-out starts: ready on the loop's next turn.
    after_publish(hub, lambda _events: loop.call_at(loop.time(), lambda: seen_by_timer.append(delivered())))
    await play(manager, exercise_id, BLUE_LEADER, "send_chat", text="to everyone at once")
    await until(lambda: delivered() == len(consoles))

    assert len(seen_by_timer) == 1
    assert 0 < seen_by_timer[0] < len(consoles)  # the timer ran after the first slice, not after the last
    assert hub.stats.slices > 1
    expected = visible_to_blue(manager, exercise_id)
    for _, console in consoles:
        assert console.seqs() == expected  # each event once, in order
    await finish(hub, manager, [connection for connection, _ in consoles])


async def test_an_ack_never_overtakes_events_a_sliced_fanout_has_not_reached_yet(
    database: Database, clock: ManualClock, mini: Scenario
) -> None:
    hub, manager, exercise_id, consoles = await sliced_room(database, clock, mini, 100)

    def acknowledge(events: Sequence[Event]) -> None:
        for connection, _ in consoles:  # as the console that sent the command would get its ack
            hub.send(connection, json.dumps({"type": "ack", "id": "c-1", "seqs": [event.seq for event in events]}))

    after_publish(hub, acknowledge)
    await play(manager, exercise_id, BLUE_LEADER, "send_chat", text="mine")
    await until(lambda: all("ack" in console.kinds() for _, console in consoles))
    for _, console in consoles:
        kinds = [kind for kind in console.kinds() if kind in ("event", "ack")]
        assert kinds[-2:] == ["event", "ack"]  # the chat, then its ack
        assert console.seqs() == visible_to_blue(manager, exercise_id)  # once each, in order
    await finish(hub, manager, [connection for connection, _ in consoles])


async def test_each_event_is_framed_once_per_view_group_and_written_directly(
    database: Database, clock: ManualClock, mini: Scenario
) -> None:
    hub, manager, exercise_id, consoles = await mixed_room(database, clock, mini, 100)
    head = manager.store.last_seq(exercise_id)
    FakeWire.frames_made = 0
    await control(manager, exercise_id, "pause", reason="Coffee")  # seen by both teams
    await until(lambda: all(console.seqs()[-1] > head for _, console in consoles))
    published = manager.store.last_seq(exercise_id) - head
    assert FakeWire.frames_made == 2 * published  # two view groups, however many consoles
    assert all(connection.queue.empty() and connection.sent > 0 for connection, _ in consoles)
    await finish(hub, manager, [connection for connection, _ in consoles])


async def test_a_broadcast_text_is_framed_once_for_every_console_that_gets_it(
    database: Database, clock: ManualClock, mini: Scenario
) -> None:
    hub, manager, exercise_id, consoles = await mixed_room(database, clock, mini, 10)
    consoles[0][1].wire.is_ready = False  # a console whose socket is full gets it through its queue
    FakeWire.frames_made = 0
    texts = {team: json.dumps({"type": "scores", "scores": {"team": team}}) for team in ("blue", "red")}
    hub.broadcast(exercise_id, lambda connection: texts[connection.principal.team or ""])
    consoles[0][1].wire.is_ready = True
    await until(lambda: all(console.kinds()[-1] == "scores" for _, console in consoles))
    assert FakeWire.frames_made == 2  # one per distinct text, however many consoles
    for connection, console in consoles:
        assert console.messages[-1]["scores"]["team"] == connection.principal.team
        assert console.kinds().count("scores") == 1
    await finish(hub, manager, [connection for connection, _ in consoles])


async def test_a_console_whose_socket_is_full_gets_events_through_its_queue_in_order(
    database: Database, clock: ManualClock, mini: Scenario
) -> None:
    hub, manager, exercise_id, _ = await setup(database, clock, mini)
    connection, console = attach(hub, exercise_id, BLUE)
    await until(console.live)
    for number in range(20):
        console.wire.is_ready = number % 3 != 0  # the socket's buffer fills and drains
        await play(manager, exercise_id, BLUE_LEADER, "send_chat", text=f"message {number}")
        hub.send(connection, json.dumps({"type": "pong", "id": str(number)}))
    console.wire.is_ready = True
    expected = visible_to_blue(manager, exercise_id)
    await until(lambda: console.seqs() == expected)
    pongs = [message["id"] for message in console.messages if message["type"] == "pong"]
    assert pongs == [str(number) for number in range(20)]
    await finish(hub, manager, [connection])


async def test_a_reconnect_storm_is_served_from_the_history_with_no_gap_and_no_duplicate(
    database: Database, clock: ManualClock, mini: Scenario
) -> None:
    hub, manager, exercise_id, reads = await setup(database, clock, mini)
    first, watcher = attach(hub, exercise_id, BLUE)
    await until(watcher.live)
    resume_from = manager.store.last_seq(exercise_id)
    for number in range(30):
        await play(manager, exercise_id, BLUE_LEADER, "send_chat", text=f"before {number}")
    reads.clear()

    storm = [attach(hub, exercise_id, BLUE, last_seq=resume_from) for _ in range(100)]
    for number in range(10):  # events keep coming while the consoles catch up
        await play(manager, exercise_id, BLUE_LEADER, "send_chat", text=f"during {number}")
    await until(lambda: all(console.live() for _, console in storm))
    await play(manager, exercise_id, BLUE_LEADER, "send_chat", text="after")

    expected = visible_to_blue(manager, exercise_id, after=resume_from)
    await until(lambda: all(console.seqs() == expected for _, console in storm))
    assert reads == []  # all of it came from the history: no console read the log
    for connection, _ in [(first, watcher), *storm]:
        await finish(hub, manager, [connection])


async def test_consoles_on_a_real_server_share_one_compressed_frame_per_view_group(
    live: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    frames: list[bytes] = []
    real_frame = Wire.frame

    def counting(wire: Wire, data: bytes) -> bytes:
        frame = real_frame(wire, data)
        frames.append(frame)
        return frame

    monkeypatch.setattr(Wire, "frame", counting)
    exercise = await live.create_exercise()
    token = seat_token(exercise, "blue", None)
    consoles = [live.console(exercise["id"], token) for _ in range(5)]  # permessage-deflate offered, as browsers do
    for console in consoles:
        await console.connect()
        await asyncio.wait_for(console.live.wait(), 10)
    assert all(connection.frame_key is not None for connection in live.services.hub.connections(exercise["id"]))
    frames.clear()
    seen = len(consoles[0].events)
    await live.control(exercise["id"], "start")
    for console in consoles:
        await console.wait_type("exercise_started")
    assert len(frames) == len(consoles[0].events) - seen  # each event compressed once, written to all five sockets
    assert frames[0][0] & 0x40  # RSV1: the frame is compressed
    for console in consoles:
        await console.close()


async def three_chats_held_back(hub: Hub, manager: ExerciseManager, exercise_id: str) -> list[Sequence[Event]]:
    """Three chats committed, their batches kept from the hub: the test publishes them when it wants."""
    held: list[Sequence[Event]] = []
    publish = hub.publish
    hub.publish = lambda exercise, events: held.append(events)  # type: ignore[method-assign]
    for number in range(3):
        await play(manager, exercise_id, BLUE_LEADER, "send_chat", text=f"report {number}")
    hub.publish = publish  # type: ignore[method-assign]
    return held


async def test_batches_published_while_a_fanout_waits_reach_each_console_in_one_write(
    database: Database, clock: ManualClock, mini: Scenario
) -> None:
    """When the loop falls behind (commands faster than a fan-out to the whole room), the batches waiting
    for their turn ride together: one write per console for all of them, every event once and in order."""
    hub, manager, exercise_id, consoles = await sliced_room(database, clock, mini, 100)
    held = await three_chats_held_back(hub, manager, exercise_id)
    for _, console in consoles:
        console.wire.lines_per_write.clear()
    for events in held:  # three batches in one turn of the loop: the first begins, the others wait
        hub.publish(exercise_id, events)
    chats = [events[0].seq for events in held]
    await until(lambda: all(console.seqs()[-1] == chats[-1] for _, console in consoles))

    assert hub.stats.coalesced == 1  # the third rode with the second
    for _, console in consoles:
        assert console.seqs() == visible_to_blue(manager, exercise_id)  # once each, in order
    first_slice, late = consoles[0][1], consoles[-1][1]
    assert first_slice.wire.lines_per_write == [1, 2]  # the first chat at once, then the two that waited
    assert late.wire.lines_per_write == [1, 2]
    await finish(hub, manager, [connection for connection, _ in consoles])


async def test_a_console_that_arrived_between_two_batches_gets_the_second(
    database: Database, clock: ManualClock, mini: Scenario
) -> None:
    hub, manager, exercise_id, consoles = await sliced_room(database, clock, mini, 100)
    held = await three_chats_held_back(hub, manager, exercise_id)
    hub.publish(exercise_id, held[0])
    hub.publish(exercise_id, held[1])
    newcomer = attach(hub, exercise_id, BLUE, last_seq=held[2][0].seq - 1)  # holds all but the third chat
    hub.publish(exercise_id, held[2])
    everyone = [*consoles, newcomer]
    await until(lambda: all(console.seqs() and console.seqs()[-1] == held[2][0].seq for _, console in everyone))
    assert hub.stats.coalesced == 0
    assert newcomer[1].seqs() == [held[2][0].seq]
    await finish(hub, manager, [connection for connection, _ in everyone])
