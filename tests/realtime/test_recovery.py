"""Kill the server with SIGKILL mid-exercise and start it again: nothing is lost, nothing repeats."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.realtime.client import ConsoleClient
from tests.processes import SECRET, HotlineProcess
from tests.realtime.conftest import seat_token

pytestmark = pytest.mark.slow

COMPRESSION = 1800  # one wall second is 30 scenario minutes: I2 at T+01:00 falls due 2 s after STARTEX


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[HotlineProcess]:
    process = HotlineProcess(tmp_path, database_url, env={"HOTLINE_LATE_AFTER_SECONDS": "1"})
    process.start()
    yield process
    process.stop()


async def test_sigkill_mid_exercise_loses_nothing_and_repeats_nothing(server: HotlineProcess) -> None:
    headers = {"Authorization": f"Bearer {SECRET}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers) as http:
        exercise = (await http.post("/api/exercises", json={"scenario_id": "mini", "compression": COMPRESSION})).json()
        red = ConsoleClient(server.url, exercise["id"], token=seat_token(exercise, "red", None))
        blue = ConsoleClient(server.url, exercise["id"], token=seat_token(exercise, "blue", None))
        for console in (red, blue):
            await console.connect()
        await red.command({"type": "send_chat", "text": "Before the crash"})
        started = (
            await http.post(f"/api/exercises/{exercise['id']}/commands", json={"type": "start", "id": "go"})
        ).json()
        await red.wait_type("inject_released", inject_id="I1")
        seen_before = red.last_seq

    server.kill()
    killed_at = time.monotonic()
    await asyncio.sleep(7.5)  # I2 (T+01:00), I3 (T+02:00) and C1 (T+03:00) fall due while it is down
    server.start()
    restarted_at = time.monotonic()

    for console in (red, blue):
        hello = await console.connect()  # resume from the last seq each one saw
        assert hello["replay_from"] >= seen_before or console is blue
        await console.live.wait()
    expected_time = (restarted_at - killed_at) * COMPRESSION
    assert hello["snapshot"]["status"] == "running"
    assert hello["snapshot"]["scenario_time"] >= expected_time  # the clock ran on while the server was down

    released = [e["payload"] for e in red.of_type("inject_released")]
    # red's injects in order of their times: those that fell due while the server was down come first, late.
    # (C3, one hour after I3, counts from I3's actual release; later ones may follow if this machine is slow.)
    assert [p["inject_id"] for p in released[:3]] == ["I1", "I3", "C1"]
    assert not released[0]["late"] and released[1]["late"] and released[2]["late"]
    assert [p["due_at"] for p in released] == sorted(p["due_at"] for p in released)
    assert [e["payload"]["inject_id"] for e in blue.of_type("inject_released")][:3] == ["I1", "I2", "C1"]
    for console in (red, blue):
        seqs = [e["seq"] for e in console.events]
        assert console.duplicates == 0 and seqs == sorted(set(seqs))
        fresh = ConsoleClient(server.url, exercise["id"], token=console.token)
        await fresh.connect(resume=False)
        await fresh.live.wait()
        assert [e["seq"] for e in fresh.events if e["seq"] <= seqs[-1]] == seqs  # no gaps
        await fresh.close()
        await console.close()
    assert started["seqs"]
    assert f"recovered 1 exercise(s): {exercise['id']}" in server.log.read_text()  # the server says so


async def test_a_server_that_stops_closes_consoles_with_1012_so_they_reconnect(server: HotlineProcess) -> None:
    headers = {"Authorization": f"Bearer {SECRET}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers) as http:
        exercise = (await http.post("/api/exercises", json={"scenario_id": "mini"})).json()
    console = ConsoleClient(server.url, exercise["id"], token=seat_token(exercise, "red", None))
    await console.connect()
    await asyncio.to_thread(server.stop)  # SIGTERM, as a service manager stops it
    assert console.closed is not None
    code, _ = await asyncio.wait_for(console.closed, 10)
    assert code == 1012  # "service restart": consoles reconnect with backoff (docs/protocol.md)
