"""The hub's bounded queues: a slow console never grows memory and still gets every event once, in order."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest

from app.db import Database
from app.engine.clock import ManualClock
from app.engine.manager import ExerciseManager
from app.engine.principal import Principal
from app.realtime.hub import Connection, Hub
from app.scenario.schema import Scenario
from tests.engine.helpers import BLUE_LEADER, play
from tests.engine.test_lifecycle_and_clock import started


class SlowConsole:
    """Receives nothing until ``release`` is set, like a console on a congested link."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.received: list[dict] = []  # type: ignore[type-arg]
        self._arrived = asyncio.Condition()

    async def send_text(self, text: str) -> None:
        await self.release.wait()
        self.received.append(json.loads(text))
        async with self._arrived:
            self._arrived.notify_all()

    async def until(self, done: Callable[[], bool]) -> None:
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(done), timeout=10)

    async def close(self, code: int, reason: str) -> None:
        return None

    def seqs(self) -> list[int]:
        return [message["event"]["seq"] for message in self.received if message["type"] == "event"]


async def _congested_blue_console(
    database: Database, clock: ManualClock, mini: Scenario
) -> tuple[Hub, ExerciseManager, str, SlowConsole, Connection]:
    """A started exercise and a blue console with a queue of 8, live, whose link is congested from now on."""
    hub = Hub.__new__(Hub)
    manager = ExerciseManager(database, clock, lambda exercise_id, events: hub.publish(exercise_id, events))
    Hub.__init__(hub, manager.read_log, clock, queue_size=8)
    exercise_id = await started(manager, mini)
    slow = SlowConsole()
    team = Principal(kind="player", seat_id="s1", team="blue", roles=frozenset({"leader"}))
    slow.release.set()
    connection = hub.attach(exercise_id, team, slow.send_text, slow.close, last_seq=0)
    await slow.until(lambda: any(message["type"] == "live" for message in slow.received))
    slow.release.clear()
    return hub, manager, exercise_id, slow, connection


async def test_slow_console_is_resynced_from_the_log(database: Database, clock: ManualClock, mini: Scenario) -> None:
    hub, manager, exercise_id, slow, connection = await _congested_blue_console(database, clock, mini)

    peak = 0
    for number in range(100):
        await play(manager, exercise_id, BLUE_LEADER, "send_chat", text=f"message {number}")
        peak = max(peak, connection.queue.qsize())
    assert peak <= 8  # bounded, however far behind the console is
    assert connection.overflows > 0

    slow.release.set()
    last = manager.store.last_seq(exercise_id)
    await slow.until(lambda: bool(slow.seqs()) and slow.seqs()[-1] >= last)
    seqs = slow.seqs()
    assert seqs == sorted(set(seqs))  # no duplicates, in order
    visible = [e.seq for e in manager.store.read(exercise_id) if "all" in e.audience or "team:blue" in e.audience]
    assert seqs == visible  # no gaps
    chats = [
        m["event"]["payload"]["text"]
        for m in slow.received
        if m["type"] == "event" and m["event"]["type"] == "chat_message"
    ]
    assert chats == [f"message {number}" for number in range(100)]
    await hub.detach(connection)
    manager.close()


async def test_a_congested_console_still_gets_its_acks_after_the_events_of_their_commands(
    database: Database, clock: ManualClock, mini: Scenario
) -> None:
    hub, manager, exercise_id, slow, connection = await _congested_blue_console(database, clock, mini)

    acked: dict[str, int] = {}
    for number in range(60):
        result = await play(manager, exercise_id, BLUE_LEADER, "send_chat", text=f"message {number}")
        if number % 20 == 5:  # the player's own ack, queued behind its chat on the congested link
            acked[f"c-{number}"] = result.seqs[-1]
            hub.send(connection, json.dumps({"type": "ack", "id": f"c-{number}", "seqs": result.seqs}))
    assert connection.overflows > 0

    slow.release.set()
    await slow.until(lambda: {m.get("id") for m in slow.received if m["type"] == "ack"} == set(acked))
    position = {m["event"]["seq"]: i for i, m in enumerate(slow.received) if m["type"] == "event"}
    for i, message in enumerate(slow.received):
        if message["type"] == "ack":
            assert position[acked[message["id"]]] < i, message  # never before its command's event
    seqs = slow.seqs()
    assert seqs == sorted(set(seqs))
    await hub.detach(connection)
    manager.close()


async def test_heartbeats_go_only_to_quiet_consoles(database: Database, clock: ManualClock, mini: Scenario) -> None:
    hub = Hub.__new__(Hub)
    manager = ExerciseManager(database, clock, lambda exercise_id, events: hub.publish(exercise_id, events))
    Hub.__init__(
        hub, manager.read_log, clock, heartbeat_seconds=10, heartbeat_text=lambda _exercise: '{"type": "heartbeat"}'
    )
    exercise_id = await started(manager, mini)
    quiet, busy = SlowConsole(), SlowConsole()
    quiet.release.set()
    busy.release.set()
    blue = Principal(kind="player", seat_id="s1", team="blue", roles=frozenset({"leader"}))
    connections = [
        hub.attach(exercise_id, blue, console.send_text, console.close, last_seq=0) for console in (quiet, busy)
    ]
    await busy.until(lambda: any(message["type"] == "live" for message in busy.received))

    def beats(console: SlowConsole) -> int:
        return sum(1 for message in console.received if message["type"] == "heartbeat")

    for _ in range(6):  # 30 s in steps of 5 s; the busy console hears a chat each step
        await clock.advance(5)
        hub.send(connections[1], '{"type": "pong"}')
        await asyncio.sleep(0.01)
    assert 2 <= beats(quiet) <= 3
    assert beats(busy) == 0
    for connection in connections:
        await hub.detach(connection)
    manager.close()


async def test_a_hub_with_no_heartbeat_text_looks_again_an_interval_later_not_at_once(
    database: Database, clock: ManualClock, mini: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = Hub.__new__(Hub)
    manager = ExerciseManager(database, clock, lambda exercise_id, events: hub.publish(exercise_id, events))
    Hub.__init__(hub, manager.read_log, clock, heartbeat_seconds=10)
    exercise_id = await started(manager, mini)
    console = SlowConsole()
    console.release.set()
    blue = Principal(kind="player", seat_id="s1", team="blue", roles=frozenset({"leader"}))
    connection = hub.attach(exercise_id, blue, console.send_text, console.close, last_seq=0)
    looks: list[float] = []
    beat = hub._beat

    def counted(connection: Connection) -> None:
        looks.append(clock.monotonic())
        if len(looks) > 100:
            raise AssertionError("the hub looks at a quiet console again and again without waiting")
        beat(connection)

    monkeypatch.setattr(hub, "_beat", counted)
    for _ in range(6):
        await clock.advance(5)
    assert 2 <= len(looks) <= 4  # about one look per interval over 30 s
    await hub.detach(connection)
    manager.close()
