"""Several real server processes on PostgreSQL and Redis, each test on its own database and channels."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from app.db import make_engine
from app.realtime.client import ConsoleClient
from tests.conftest import _drop_postgres, _fresh_postgres, _postgres_available, skip_or_fail
from tests.processes import SECRET, HotlineProcess

SHARED_REDIS = "redis://127.0.0.1:6379/0"


def redis_available(url: str = SHARED_REDIS) -> str | None:
    """None if Redis answers, else the reason it does not."""
    try:
        import redis
    except ImportError:
        return "the redis package is not installed"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.ping()
        client.close()
    except Exception as exc:
        return f"Redis at 127.0.0.1:6379 is not reachable ({type(exc).__name__})"
    return None


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    reason = _postgres_available()
    if reason:
        skip_or_fail(reason)
    url = _fresh_postgres(request.node.name[:20].lower())
    try:
        yield url
    finally:
        _drop_postgres(url)


@pytest.fixture
def redis_url() -> str:
    reason = redis_available()
    if reason:
        skip_or_fail(reason)
    return SHARED_REDIS


@dataclass
class Cluster:
    """Hotline processes sharing one PostgreSQL database and one broker (channels of their own)."""

    folder: Path
    database_url: str
    broker_url: str
    prefix: str = field(default_factory=lambda: f"hotline-test-{uuid.uuid4().hex[:12]}")
    servers: list[HotlineProcess] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    def add(self, count: int) -> list[HotlineProcess]:
        """Start ``count`` more processes (at once, as a deployment would)."""
        env = {"HOTLINE_BROKER_URL": self.broker_url, "HOTLINE_BROKER_PREFIX": self.prefix, **self.env}
        added = [
            HotlineProcess(self.folder / f"server-{len(self.servers) + number}", self.database_url, env=env)
            for number in range(count)
        ]
        for server in added:
            server.start(wait=False)
        for server in added:
            server.wait_healthy()
        self.servers.extend(added)
        return added

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    def engine(self) -> Engine:
        return make_engine(self.database_url)

    def owner(self, exercise_id: str) -> HotlineProcess | None:
        """The process that holds the exercise's lease now (None while nobody does)."""
        engine = self.engine()
        try:
            with engine.connect() as connection:
                name = connection.execute(
                    text(
                        "SELECT p.name FROM exercise_leases l JOIN server_processes p ON p.id = l.holder "
                        "WHERE l.exercise_id = :id AND p.expires_at > extract(epoch from clock_timestamp())"
                    ),
                    {"id": exercise_id},
                ).scalar()
        finally:
            engine.dispose()
        if name is None:
            return None
        pid = int(str(name).rsplit(":", 1)[1])
        return next((server for server in self.servers if server.pid == pid), None)

    def http(self, server: HotlineProcess | str) -> httpx.AsyncClient:
        base = server if isinstance(server, str) else server.url
        return httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {SECRET}"}, timeout=20)


@pytest.fixture
def cluster(tmp_path: Path, postgres_url: str, redis_url: str) -> Iterator[Cluster]:
    running = Cluster(tmp_path, postgres_url, redis_url)
    try:
        yield running
    finally:
        running.stop()


@dataclass
class Consoles:
    """Console clients of one exercise, on whichever processes the test chose."""

    exercise: dict[str, Any]
    clients: dict[str, ConsoleClient] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.exercise["id"])

    def token(self, team: str | None, role: str | None = None, kind: str = "player") -> str:
        for seat in self.exercise["seats"]:
            if seat["kind"] == kind and seat["team"] == team and seat["role"] == role:
                return str(seat["token"])
        raise KeyError((team, role, kind))

    async def join(self, name: str, base_url: str, *, token: str | None = None) -> ConsoleClient:
        client = ConsoleClient(base_url, self.exercise["id"], token=token, secret=None if token else SECRET)
        await client.connect()
        await asyncio.wait_for(client.live.wait(), 20)
        self.clients[name] = client
        return client

    async def close(self) -> None:
        for client in self.clients.values():
            await client.close()


@pytest.fixture
async def consoles() -> AsyncIterator[list[Consoles]]:
    made: list[Consoles] = []
    yield made
    for group in made:
        await group.close()


async def new_exercise(http: httpx.AsyncClient, made: list[Consoles], compression: float) -> Consoles:
    """An exercise of the mini scenario with every seat, and an (empty) group for its consoles."""
    response = await http.post("/api/exercises", json={"scenario_id": "mini", "compression": compression})
    assert response.status_code == 201, response.text
    group = Consoles(response.json())
    made.append(group)
    return group
