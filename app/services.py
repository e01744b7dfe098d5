"""The running server's parts, built once at start and shared by the routers.

Kept apart from FastAPI so the CLI, the bots' in-process server and the tests can build the same set.
How the parts fit together across several processes is in docs/architecture.md.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

from sqlalchemy import Engine

from app import __version__
from app.cluster import sqlite_guard
from app.cluster.broker import Broker, backend_for
from app.cluster.coordinator import Coordinator
from app.cluster.leases import Leases, new_process_id, process_name
from app.cluster.messages import BrokerMessage, Relay
from app.cluster.presence import Presence
from app.config import Settings
from app.db import Database, make_engine, migrate, sqlite_path
from app.engine.clock import Clock, SystemClock
from app.engine.events import Event
from app.engine.manager import ExerciseManager, seat_ids_closed_by
from app.guards.perimeter import Perimeter
from app.logsetup import register_secret
from app.ops.eventlog import log_notable_events
from app.ops.metrics import Metrics, ProcessState
from app.ops.readiness import SingleFlight
from app.realtime.greeting import Greetings
from app.realtime.hub import Connection, Hub
from app.realtime.protocol import CloseCode, Heartbeat
from app.scenario.library import ScenarioLibrary
from app.scenario.stored import UploadStore
from app.scenario.upload import legacy_uploads_dir
from app.scoring.live import LiveScoreboard, ScoreTexts
from app.security import FacilitatorSecret, load_or_create_secret, private_folder

log = logging.getLogger(__name__)

EventListener = Callable[[str, Sequence[Event]], None]


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    library: ScenarioLibrary
    hub: Hub
    manager: ExerciseManager
    scoreboard: LiveScoreboard
    presence: Presence
    broker: Broker
    coordinator: Coordinator
    perimeter: Perimeter
    process_id: str
    process_name: str
    metrics: Metrics
    listeners: list[EventListener] = field(default_factory=list)
    secret: FacilitatorSecret = field(init=False)
    stopping: bool = False
    """Set when shutdown begins: /api/ready answers 503 from then on."""
    database_probe: SingleFlight = field(default_factory=lambda: SingleFlight("database"))
    join_gate: asyncio.Semaphore = field(init=False)
    """Joins served at once (``HOTLINE_JOIN_CONCURRENCY``): see ``app.api.ws``."""
    arrival_gate: asyncio.Semaphore = field(init=False)
    """Arriving sockets accepted and checked at once (as many): see ``app.api.ws``."""
    greetings: Greetings = field(default_factory=lambda: Greetings(__version__))
    """The hello each joining console gets, encoded once per seat and log position."""
    _catching_up: asyncio.Task[None] | None = None
    _gap_again: bool = False
    _holds_sqlite: bool = False

    def __post_init__(self) -> None:
        self.join_gate = asyncio.Semaphore(self.settings.join_concurrency)
        self.arrival_gate = asyncio.Semaphore(self.settings.join_concurrency)
        self.manager.loaded_listeners.append(self._unloaded)

    def _unloaded(self, exercise_id: str, loaded: bool) -> None:
        if not loaded:
            self.greetings.forget(exercise_id)

    @classmethod
    def build(cls, settings: Settings, clock: Clock | None = None) -> Services:
        """Wire the parts together (``start`` connects, migrates and recovers)."""
        private_folder(settings.data_dir)
        url = settings.resolved_database_url()
        engine = make_engine(url, pool_size=settings.database_pool_size)
        db = Database(engine, threads=settings.database_pool_size)
        clock = clock or SystemClock()
        process_id, name = new_process_id(), process_name()
        library = ScenarioLibrary(list(settings.scenario_dirs), UploadStore(engine), load=False)
        parts: dict[str, object] = {}
        metrics = Metrics(lambda: _process_state(manager, hub, broker, coordinator))
        db.timings = metrics.database_call

        def publish(exercise_id: str, events: Sequence[Event]) -> None:
            services: Services = parts["services"]  # type: ignore[assignment]
            services._deliver(exercise_id, events)

        manager = ExerciseManager(
            db,
            clock,
            publish,
            announce=lambda exercise_id, events: committed(relay, exercise_id, events),
            process_id=process_id,
            late_after_seconds=settings.late_after_seconds,
            ring_min_wall_seconds=settings.ring_min_wall_seconds,
            instruments=metrics,
        )
        hub = Hub(
            manager.read_log,
            clock,
            queue_size=settings.queue_size,
            heartbeat_seconds=settings.heartbeat_seconds,
            heartbeat_text=lambda exercise_id: _heartbeat(manager, exercise_id),
        )
        presence = Presence(db, manager, process_id)
        leases = Leases(engine, process_id, name, settings.lease_seconds)
        coordinator = Coordinator(
            db,
            leases,
            manager,
            presence,
            lambda exercise_id: bool(hub.rooms.get(exercise_id)),
            sole=sqlite_path(url) is not None,
        )

        async def on_message(channel: str, text: str) -> None:
            services: Services = parts["services"]  # type: ignore[assignment]
            data = json.loads(text)
            if data.get("sender") != process_id:  # Redis hands a process its own messages too
                await services._on_message(BrokerMessage.model_validate(data))

        broker = Broker(
            backend_for(settings.broker_url, capacity=10_000),
            on_message,
            lambda: parts["services"]._on_gap(),  # type: ignore[attr-defined]
            url=settings.broker_url,
            home=f"{settings.broker_prefix}:processes",
        )
        relay = Relay(broker, settings.broker_prefix, process_id)
        scoreboard = LiveScoreboard(
            manager,
            hub,
            clock,
            relay=relay.scores,
            ask=relay.want_scores,
            others_watch=lambda: coordinator.others_alive,
        )
        manager.loaded_listeners.append(relay.follow)
        perimeter = Perimeter.of(settings, clock)
        services = cls(
            settings,
            db,
            clock,
            library,
            hub,
            manager,
            scoreboard,
            presence,
            broker,
            coordinator,
            perimeter,
            process_id,
            name,
            metrics,
        )
        services.listeners.extend([scoreboard.on_events, coordinator.on_events])
        parts["services"] = services
        return services

    async def start(self) -> None:
        """Take the SQLite file (refused if another process serves it), migrate, load, join the others,
        and take over every exercise no live process owns (the recovery after a restart)."""
        database = sqlite_path(self.settings.resolved_database_url())
        if database is not None:
            sqlite_guard.claim(database)
            self._holds_sqlite = True
        await self.db.run(migrate, self.db.engine)
        self.secret = await self.db.run(load_or_create_secret, self.settings, self.db.engine)
        register_secret(self.secret.value)  # never in a log line
        uploads = self.library.uploads
        if uploads is not None:
            await self.db.run(uploads.import_folder, legacy_uploads_dir(self.settings))
        await self.db.run(self.library.reload)
        await self.broker.start()
        await self.coordinator.start()
        owned = sorted(self.manager.owned())
        if owned:  # taken over at start: every exercise no live process owned (after a restart, all of them)
            log.info("recovered %d exercise(s): %s", len(owned), ", ".join(owned))

    async def stop(self) -> None:
        self.stopping = True
        await self.hub.close_all(CloseCode.SERVER_RESTART, "Server restarting; reconnect shortly.")
        await self.presence.stop()  # the closed consoles' seats go offline in the log
        await self.coordinator.stop()
        await self.broker.stop()
        self.manager.close()
        self.db.close()
        database = sqlite_path(self.settings.resolved_database_url())
        if database is not None and self._holds_sqlite:
            sqlite_guard.release(database)
            self._holds_sqlite = False

    async def scenarios(self) -> ScenarioLibrary:
        """The library with every upload stored so far, by any process."""
        self.library.apply(await self.db.run(self.library.changed_uploads))
        return self.library

    @property
    def version(self) -> str:
        return __version__

    @property
    def engine(self) -> Engine:
        """For blocking code already off the event loop (the report endpoints run on threads)."""
        return self.db.engine

    # --- events in, events out ---

    def _deliver(self, exercise_id: str, events: Sequence[Event]) -> None:
        """Events this process folded (its own or another's): to its consoles and listeners."""
        self.hub.publish(exercise_id, events)
        for seat_id, reason in seat_ids_closed_by(events):
            self.hub.evict(exercise_id, _holds(seat_id), CloseCode.UNAUTHORIZED, reason)
        for listener in self.listeners:
            try:
                listener(exercise_id, events)
            except Exception:
                log.exception("an event listener failed on exercise %s", exercise_id)

    async def _on_message(self, message: BrokerMessage) -> None:
        runtime = self.manager.loaded(message.exercise_id)
        if runtime is None:
            return
        if message.kind == "events":
            await runtime.receive(message.events)
        elif message.kind == "head":
            if message.seq > runtime.state.last_seq:
                await runtime.catch_up()
        elif message.kind == "scores" and message.text is not None:
            self.scoreboard.show(message.exercise_id, ScoreTexts(message.seq, message.text, message.team_texts))
        elif message.kind == "scores_wanted":
            self.scoreboard.wanted(message.exercise_id)

    def _on_gap(self) -> None:
        """Broker messages may have been missed: every loaded exercise catches up from the log."""
        if self._catching_up is not None and not self._catching_up.done():
            self._gap_again = True
            return

        async def catch_up() -> None:
            while True:
                self._gap_again = False
                try:
                    await self.coordinator.catch_up_all()
                except Exception:
                    log.exception("catching up from the log after a broker gap failed")
                if not self._gap_again:
                    return

        self._catching_up = asyncio.get_running_loop().create_task(catch_up())


def committed(relay: Relay, exercise_id: str, events: Sequence[Event]) -> None:
    """Events this process committed: logged here only (every process with the exercise loaded folds them,
    and an operator reading all the processes' logs must see each once), then announced to the others."""
    log_notable_events(exercise_id, events)
    relay.events(exercise_id, events)


def _holds(seat_id: str) -> Callable[[Connection], bool]:
    return lambda connection: connection.principal.seat_id == seat_id


def _process_state(manager: ExerciseManager, hub: Hub, broker: Broker, coordinator: Coordinator) -> ProcessState:
    runtimes = manager.runtimes()
    return ProcessState(
        consoles=sum(len(room) for room in hub.rooms.values()),
        exercises_loaded=len(runtimes),
        exercises_running=sum(1 for runtime in runtimes if runtime.state.running),
        exercises_owned=sum(1 for runtime in runtimes if runtime.owned),
        queue_depths=[connection.queue.qsize() for room in hub.rooms.values() for connection in room],
        delivery=asdict(hub.stats),
        broker_connected=broker.connected,
        broker=broker.stats,
        ownership=coordinator.stats,
    )


def _heartbeat(manager: ExerciseManager, exercise_id: str) -> str | None:
    runtime = manager.loaded(exercise_id)
    if runtime is None:
        return None
    beat = Heartbeat(wall_time=manager.clock.wall(), scenario_time=runtime.now(), status=runtime.state.status)
    return beat.model_dump_json()
