"""Join storms never hold up the schedule: arriving sockets take turns, and an exercise's commits have
database threads of their own."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import websockets

from app.engine.clock import ManualClock
from tests.realtime.conftest import LiveServer, live_settings, seat_token, serve

TURNS = 2


@pytest.fixture
async def narrow(database_url: str, tmp_path: Path) -> AsyncIterator[LiveServer]:
    """A server that accepts and checks only two arriving sockets at a time."""
    settings = live_settings(database_url, tmp_path, join_concurrency=TURNS, join_timeout_seconds=120)
    async with serve(settings, ManualClock()) as server:
        yield server


def released(live: LiveServer, exercise_id: str) -> list[str]:
    runtime = live.services.manager.loaded(exercise_id)
    assert runtime is not None
    return [inject for inject, state in runtime.state.injects.items() if state.released_seq is not None]


async def test_an_inject_due_while_joins_wait_their_turn_is_released_first(narrow: LiveServer) -> None:
    exercise = await narrow.create_exercise()
    await narrow.control(exercise["id"], "start")
    gate = narrow.services.arrival_gate
    for _ in range(TURNS):  # every turn taken, as in a storm of arrivals
        await gate.acquire()
    consoles = [narrow.console(exercise["id"], seat_token(exercise, "blue", "leader")) for _ in range(5)]
    joining = [asyncio.create_task(console.connect(timeout=30)) for console in consoles]
    await narrow.advance(60)  # I2 falls due while the five wait to be accepted
    assert "I2" in released(narrow, exercise["id"])
    assert not any(task.done() for task in joining)
    for _ in range(TURNS):
        gate.release()
    hellos = await asyncio.gather(*joining)
    assert all(hello["snapshot"]["status"] == "running" for hello in hellos)
    for console in consoles:
        await console.live.wait()
        await console.close()


async def test_sockets_that_never_send_a_join_take_no_turn(narrow: LiveServer) -> None:
    exercise = await narrow.create_exercise()
    url = narrow.base_url.replace("http", "ws") + f"/ws/exercises/{exercise['id']}"
    silent = [await websockets.connect(url) for _ in range(TURNS * 2)]  # accepted, then quiet
    console = narrow.console(exercise["id"], seat_token(exercise, "red", None))
    hello = await asyncio.wait_for(console.connect(), 30)  # long before the silent ones' join timeout
    assert hello["you"]["team"] == "red"
    await console.close()
    for socket in silent:
        await socket.close()


async def test_an_exercise_commits_while_the_database_threads_are_all_busy(live: LiveServer) -> None:
    """A storm's seat checks fill the ordinary database threads; the schedule's commits do not queue behind them."""
    exercise = await live.create_exercise()
    await live.control(exercise["id"], "start")
    database = live.services.db
    unblock = threading.Event()
    backlog = [
        asyncio.ensure_future(database.run(unblock.wait)) for _ in range(live.services.settings.database_pool_size + 50)
    ]
    try:
        # The timer's work (the commit) is awaited by the manual clock: queued behind the backlog, it would
        # never end, and the bound below turns that into a failure.
        await asyncio.wait_for(live.advance(60), 20)
        assert "I2" in released(live, exercise["id"])
        assert not any(task.done() for task in backlog)
    finally:
        unblock.set()
        await asyncio.gather(*backlog)
