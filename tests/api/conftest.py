"""The application in-process (lifespan and all) with an httpx client, for REST tests that need no socket."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from app.engine.clock import ManualClock
from app.main import create_app
from app.services import Services
from tests.conftest import FIXTURES

SECRET = "test-facilitator-secret-0123456789"


@dataclass
class Api:
    http: httpx.AsyncClient
    services: Services
    settings: Settings


def api_settings(tmp_path: Path) -> Settings:
    """A server whose library holds the mini fixture as its one bundled scenario."""
    bundled = tmp_path / "bundled"
    bundled.mkdir(exist_ok=True)
    (bundled / "mini.yaml").write_text((FIXTURES / "mini.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return Settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{tmp_path / 'hotline.db'}",
        secret=SECRET,
        scenario_dirs=[bundled],
        heartbeat_seconds=30,
    )


async def running_api(settings: Settings) -> AsyncIterator[Api]:
    app = create_app(settings, clock=ManualClock())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {SECRET}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://hotline.test", headers=headers) as http:
            yield Api(http, app.state.services, settings)


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async for running in running_api(api_settings(tmp_path)):
        yield running
