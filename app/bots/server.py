"""Where a demo plays: a real Hotline server started in this process, or one already running at a URL.

The in-process server is the ordinary application under uvicorn on a free local port, with its own
SQLite database in a scratch folder and a clock that moves only when the pacer says so: the log's wall
times are those of a live run at the exercise's compression, and every move lands at a scenario time
fixed by the script, however fast or slow the machine is.
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.engine.clock import ManualClock
from app.engine.events import Event

STARTUP_TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class ServerHandle:
    base_url: str
    secret: str
    clock: ManualClock | None
    """The in-process server's clock; None for a remote server, whose clock runs on its own."""
    published: PublishedCounter | None = None
    """Counts the events the in-process server has published, so the pacer can tell a quiet step."""


class PublishedCounter:
    """An event listener of the in-process server: how many events it has published so far."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, exercise_id: str, events: Sequence[Event]) -> None:
        self.count += len(events)


class ServerUnavailable(RuntimeError):
    pass


@asynccontextmanager
async def in_process_server(
    work_dir: Path, scenario_file: Path | None = None, *, bundled: bool = True, scenario_dir: Path | None = None
) -> AsyncIterator[ServerHandle]:
    """Serve the bundled scenarios (unless ``bundled`` is False), every scenario in ``scenario_dir``, and
    ``scenario_file``, which wins over a scenario of the same id."""
    import uvicorn

    from app.config import Settings
    from app.main import create_app

    scenario_dirs = list(Settings().scenario_dirs) if bundled else []
    if scenario_dir is not None:
        scenario_dirs.insert(0, scenario_dir)
    if scenario_file is not None:
        own = work_dir / "scenarios"
        own.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(scenario_file, own / scenario_file.name)
        scenario_dirs.insert(0, own)
    secret = secrets.token_urlsafe(24)
    settings = Settings(
        data_dir=work_dir,
        database_url=f"sqlite:///{work_dir / 'demo.db'}",
        secret=secret,
        host="127.0.0.1",
        port=0,
        scenario_dirs=scenario_dirs,
        rate_limit_burst=1_000_000,  # the bots are ours, and the frozen clock never refills a bucket
        queue_size=100_000,
        log_level="warning",
    )
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0), monotonic=0.0)
    app = create_app(settings, clock=clock)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", ws_max_size=1 << 22)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(), name="hotline-demo-server")
    try:
        await _started(server, task)
        port = server.servers[0].sockets[0].getsockname()[1]
        settings.port = port
        published = PublishedCounter()
        app.state.services.listeners.append(published)
        yield ServerHandle(base_url=f"http://127.0.0.1:{port}", secret=secret, clock=clock, published=published)
    finally:
        server.should_exit = True
        if not task.done():
            await task


async def _started(server: object, task: asyncio.Task[None]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_TIMEOUT_SECONDS
    while not getattr(server, "started", False):
        if task.done():
            task.result()
            raise ServerUnavailable("The in-process server stopped while starting.")
        if loop.time() > deadline:
            raise ServerUnavailable("The in-process server did not start within 20 seconds.")
        await asyncio.sleep(0.01)
