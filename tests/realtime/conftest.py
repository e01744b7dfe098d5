"""A real uvicorn server in the test's event loop, driven by a manual clock, and console clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from app.cli import SHARED_DEFLATE_PROTOCOL, TURN_TAKING_HTTP_PROTOCOL
from app.config import Settings
from app.engine.clock import ManualClock
from app.main import create_app
from app.realtime.client import ConsoleClient
from app.services import Services
from tests.conftest import FIXTURES

SECRET = "test-facilitator-secret-0123456789"


@dataclass
class LiveServer:
    base_url: str
    services: Services
    clock: ManualClock
    http: httpx.AsyncClient

    async def create_exercise(self, scenario_id: str = "mini", **body: Any) -> dict[str, Any]:
        response = await self.http.post("/api/exercises", json={"scenario_id": scenario_id, **body})
        response.raise_for_status()
        return dict(response.json())

    async def control(self, exercise_id: str, kind: str, **fields: Any) -> dict[str, Any]:
        response = await self.http.post(
            f"/api/exercises/{exercise_id}/commands", json={"type": kind, "id": kind + str(fields), **fields}
        )
        response.raise_for_status()
        return dict(response.json())

    def console(self, exercise_id: str, token: str, **options: Any) -> ConsoleClient:
        return ConsoleClient(self.base_url, exercise_id, token=token, **options)

    def control_console(self, exercise_id: str) -> ConsoleClient:
        return ConsoleClient(self.base_url, exercise_id, secret=SECRET)

    async def advance(self, seconds: float) -> None:
        """Move the manual clock and let the server deliver what fell due."""
        await self.clock.advance(seconds)
        await asyncio.sleep(0.05)


def seat_token(exercise: dict[str, Any], team: str | None, role: str | None, kind: str = "player") -> str:
    for seat in exercise["seats"]:
        if seat["kind"] == kind and seat["team"] == team and seat["role"] == role:
            return str(seat["token"])
    raise KeyError((team, role, kind))


@asynccontextmanager
async def serve(settings: Settings, clock: ManualClock) -> AsyncIterator[LiveServer]:
    """The app under a real uvicorn on a free port, in this event loop, with a facilitator's HTTP client."""
    app = create_app(settings, clock=clock)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        ws=SHARED_DEFLATE_PROTOCOL,  # as `hotline serve` runs it: the hub writes frames to the sockets directly
        http=TURN_TAKING_HTTP_PROTOCOL,
        ws_max_size=1 << 20,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
        if task.done():
            task.result()
    port = server.servers[0].sockets[0].getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    settings.port = port
    headers = {"Authorization": f"Bearer {SECRET}"}
    try:
        async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=10) as http:
            yield LiveServer(base_url, app.state.services, clock, http)
    finally:
        server.should_exit = True
        await task


def live_settings(database_url: str, data_dir: Path, **overrides: Any) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret=SECRET,
        scenario_dirs=[FIXTURES],
        port=0,
        heartbeat_seconds=30,
        queue_size=64,
        **overrides,
    )


@pytest.fixture
async def live(database_url: str, tmp_path: Path) -> AsyncIterator[LiveServer]:
    async with serve(live_settings(database_url, tmp_path), ManualClock()) as server:
        yield server
