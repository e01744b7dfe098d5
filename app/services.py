"""The running server's parts, built once at start and shared by the routers.

Kept apart from FastAPI so the CLI, the bots' in-process server and the tests can build the same set.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine

from app import __version__
from app.config import Settings
from app.db import make_engine, migrate
from app.engine.clock import Clock, SystemClock
from app.engine.events import Event
from app.engine.manager import ExerciseManager
from app.guards.perimeter import Perimeter
from app.realtime.hub import Hub
from app.realtime.protocol import CloseCode, Heartbeat
from app.scenario.library import ScenarioLibrary
from app.scenario.upload import library_dirs
from app.scoring.live import LiveScoreboard
from app.security import FacilitatorSecret, load_or_create_secret, private_folder

log = logging.getLogger(__name__)

EventListener = Callable[[str, Sequence[Event]], None]


@dataclass
class Services:
    settings: Settings
    engine: Engine
    clock: Clock
    secret: FacilitatorSecret
    library: ScenarioLibrary
    hub: Hub
    manager: ExerciseManager
    scoreboard: LiveScoreboard
    perimeter: Perimeter
    listeners: list[EventListener] = field(default_factory=list)

    @classmethod
    def build(cls, settings: Settings, clock: Clock | None = None) -> Services:
        private_folder(settings.data_dir)
        engine = make_engine(settings.resolved_database_url())
        migrate(engine)
        clock = clock or SystemClock()
        secret = load_or_create_secret(settings)
        library = ScenarioLibrary(library_dirs(settings))  # bundled folders, then <data_dir>/scenarios
        listeners: list[EventListener] = []

        def publish(exercise_id: str, events: Sequence[Event]) -> None:
            hub.publish(exercise_id, events)
            for listener in listeners:
                listener(exercise_id, events)

        manager = ExerciseManager(
            engine,
            clock,
            publish,
            late_after_seconds=settings.late_after_seconds,
            ring_min_wall_seconds=settings.ring_min_wall_seconds,
        )
        hub = Hub(
            manager.store,
            clock,
            queue_size=settings.queue_size,
            heartbeat_seconds=settings.heartbeat_seconds,
            heartbeat_text=lambda exercise_id: _heartbeat(manager, exercise_id),
        )
        scoreboard = LiveScoreboard(manager, hub, clock)
        listeners.append(scoreboard.on_events)
        perimeter = Perimeter.of(settings, clock)
        return cls(settings, engine, clock, secret, library, hub, manager, scoreboard, perimeter, listeners)

    async def start(self) -> None:
        recovered = self.manager.recover()
        if recovered:
            log.info("recovered %d exercise(s): %s", len(recovered), ", ".join(recovered))

    async def stop(self) -> None:
        await self.hub.close_all(CloseCode.SERVER_RESTART, "Server restarting; reconnect shortly.")
        self.manager.close()
        self.engine.dispose()

    @property
    def version(self) -> str:
        return __version__


def _heartbeat(manager: ExerciseManager, exercise_id: str) -> str | None:
    try:
        runtime = manager.runtime(exercise_id)
    except LookupError:
        return None
    beat = Heartbeat(wall_time=manager.clock.wall(), scenario_time=runtime.now(), status=runtime.state.status)
    return beat.model_dump_json()
