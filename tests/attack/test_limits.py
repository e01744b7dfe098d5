"""Bounds on what one seat or one client address may do: consoles held open, and failed sign-ins."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import websockets

from app.engine.clock import ManualClock
from app.realtime.client import ConsoleClient, JoinRefused
from tests.realtime.conftest import SECRET, LiveServer, live_settings, seat_token, serve


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[LiveServer]:
    settings = live_settings(
        f"sqlite:///{tmp_path / 'hotline.db'}",
        tmp_path,
        max_consoles_per_seat=2,
        max_consoles_per_address=6,
        sign_in_failures=5,
    )
    async with serve(settings, ManualClock()) as server:
        yield server


async def refused(console: ConsoleClient) -> JoinRefused:
    with pytest.raises(JoinRefused) as refusal:
        await console.connect()
    return refusal.value


async def test_a_seat_holds_at_most_its_cap_of_consoles(live: LiveServer) -> None:
    exercise = await live.create_exercise()
    token = seat_token(exercise, "blue", "leader")
    first, second = live.console(exercise["id"], token), live.console(exercise["id"], token)
    await first.connect()
    await second.connect()
    refusal = await refused(live.console(exercise["id"], token))
    assert refusal.code == 4409 and "already open in 2 consoles" in refusal.reason
    other_seat = live.console(exercise["id"], seat_token(exercise, "red", "leader"))
    await other_seat.connect()  # other seats are not affected
    await first.close()
    await asyncio.sleep(0.05)
    again = live.console(exercise["id"], token)
    await again.connect()  # a slot given back is free again
    for console in (second, other_seat, again):
        await console.close()


async def test_an_address_holds_at_most_its_cap_of_sockets_joined_or_not(live: LiveServer) -> None:
    exercise = await live.create_exercise()
    url = live.base_url.replace("http", "ws") + f"/ws/exercises/{exercise['id']}"
    idle = [await websockets.connect(url) for _ in range(6)]  # never join: they count all the same
    async with websockets.connect(url) as extra:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await extra.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4409
    assert "network address" in closed.value.rcvd.reason
    for socket in idle:
        await socket.close()
    await asyncio.sleep(0.05)
    console = live.console(exercise["id"], seat_token(exercise, "blue", None))
    await console.connect()
    await console.close()


async def test_failed_sign_ins_on_the_websocket_are_throttled_and_logged(
    live: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    exercise = await live.create_exercise()
    token = seat_token(exercise, "blue", "leader")
    with caplog.at_level(logging.WARNING, logger="app.guards.throttle"):
        for attempt in range(5):
            assert (await refused(live.console(exercise["id"], f"guess-{attempt}"))).code == 4401
        blocked = await refused(live.console(exercise["id"], token))  # even the right token, for now
    assert blocked.code == 4429 and "try again in" in blocked.reason
    assert [r.getMessage() for r in caplog.records if "refusing sign-ins from 127.0.0.1" in r.getMessage()]
    await live.clock.advance(60)
    console = live.console(exercise["id"], token)
    await console.connect()
    await console.close()


async def test_wrong_facilitator_secrets_and_reviewer_keys_get_429_after_a_while(
    live: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    exercise = await live.create_exercise()
    async with httpx.AsyncClient(base_url=live.base_url) as guesser:
        with caplog.at_level(logging.WARNING, logger="app.guards.throttle"):
            for attempt in range(3):
                wrong = await guesser.get("/api/exercises", headers={"Authorization": f"Bearer guess-{attempt}"})
                assert wrong.status_code == 401
            for attempt in range(2):
                key = {"X-Report-Key": f"{attempt:040d}"}
                assert (
                    await guesser.get(f"/api/exercises/{exercise['id']}/report/status", headers=key)
                ).status_code == 401
            blocked = await guesser.get("/api/exercises", headers={"Authorization": f"Bearer {SECRET}"})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1
    assert blocked.json()["code"] == "too_many_attempts" and "try again in" in blocked.json()["detail"]
    assert any("refusing sign-ins" in record.getMessage() for record in caplog.records)
    control = ConsoleClient(live.base_url, exercise["id"], secret="wrong-but-blocked-anyway-000")
    assert (await refused(control)).code == 4429  # one budget per address, REST and websocket alike
    await live.clock.advance(int(blocked.headers["Retry-After"]))
    assert (await live.http.get("/api/exercises")).status_code == 200


async def test_missing_credentials_are_not_counted_as_guesses(live: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live.base_url) as visitor:
        for _ in range(10):
            assert (await visitor.get("/api/exercises")).status_code == 401
    assert (await live.http.get("/api/exercises")).status_code == 200


async def test_a_control_console_beyond_the_cap_is_refused_too(live: LiveServer) -> None:
    exercise = await live.create_exercise()
    consoles = [live.control_console(exercise["id"]) for _ in range(2)]
    for console in consoles:
        await console.connect()
    refusal = await refused(live.control_console(exercise["id"]))
    assert refusal.code == 4409 and "already open in 2 consoles" in refusal.reason
    for console in consoles:
        await console.close()
