"""This process's part in a deployment of several: heartbeat, ownership, takeover, cleanup, log watch.

Two loops run on the real clock (leases are measured on the database's clock, whatever clock drives
scenario time):

- the heartbeat renews this process's row every ``ttl / 4`` seconds and checks that every exercise it
  owns is still its own; one it lost (it was taken for dead while frozen or cut off) is given up at
  once, and its timers stop;
- the watch, every ``ttl / 4`` seconds: takes the lease of every exercise no live process owns (at
  start: every exercise of a previous run, which is the recovery after a restart), cleans up after
  processes that died (their seats go offline), folds events that reached the log without reaching
  this process through the broker, and drops runtimes nobody here needs any more.

docs/architecture.md ("Ownership", "Failure cases") explains the choices.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from app.cluster.leases import Heartbeat, Leases
from app.cluster.presence import Presence
from app.db import Database
from app.engine.events import Event, EventType
from app.engine.manager import ExerciseManager

log = logging.getLogger(__name__)
# Jitter has its own generator: drawing from the global one would disturb anyone who seeds it
# (property tests, seeded bots) from a timer they cannot see.
_JITTER = random.Random()

IDLE_SECONDS = 120.0
"""A runtime this process neither owns nor shows to a console is dropped after this long unused."""


@dataclass
class Coordinator:
    db: Database
    leases: Leases
    manager: ExerciseManager
    presence: Presence
    has_consoles: Callable[[str], bool]
    sole: bool = False
    """SQLite: this is the only process, so every other process row is dead."""
    stats: Counter[str] = field(default_factory=Counter)
    """takeovers, lost, reaped, caught_up: for metrics."""
    others_alive: bool = False
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def interval(self) -> float:
        return self.leases.ttl / 4

    async def start(self) -> None:
        await self.db.run(self.leases.register, sole=self.sole)
        await self.db.run(self.leases.bury_local_dead)
        await self.watch()
        self._tasks = [
            asyncio.create_task(self._every(self.heartbeat, "heartbeat"), name="cluster-heartbeat"),
            asyncio.create_task(self._every(self.watch, "watch", jitter=True), name="cluster-watch"),
        ]

    async def stop(self) -> None:
        """Stop the loops and leave cleanly: the leases are free for another process at once."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for exercise_id in self.manager.owned():
            self.manager.disown(exercise_id, "this process is stopping")
        with contextlib.suppress(Exception):
            await self.db.run(self.leases.retire)

    async def _every(self, step: Callable[[], Awaitable[None]], name: str, *, jitter: bool = False) -> None:
        while True:
            started = time.monotonic()
            try:
                await step()
            except asyncio.CancelledError:
                raise
            except Exception:
                if self.db.closed:  # the application is shutting down under a loop not yet cancelled
                    return
                log.exception("cluster %s failed; trying again", name)
            pause = self.interval * (_JITTER.uniform(0.8, 1.2) if jitter else 1.0)
            await asyncio.sleep(max(0.0, pause - (time.monotonic() - started)))

    # --- heartbeat ---

    async def heartbeat(self) -> None:
        beat = await self.db.run(self.leases.heartbeat)
        self.check(beat)

    def check(self, beat: Heartbeat) -> None:
        if beat.was_dead:
            log.warning(
                "this process was taken for dead (frozen or cut off for over %.1f s); rejoining", self.leases.ttl
            )
            self.presence.resync()
        for exercise_id, fence in self.manager.owned().items():
            token = beat.leases.get(exercise_id)
            if token != fence.token:
                self.stats["lost"] += 1
                log.warning(
                    "exercise %s: lease token %d is stale: its lease was taken over while this process was "
                    "silent; it stops acting as the owner",
                    exercise_id,
                    fence.token,
                )
                self.manager.disown(exercise_id, "its lease was taken over")

    # --- watch ---

    async def watch(self) -> None:
        await self.take_free()
        await self.reap()
        await self.follow_log()
        self.drop_idle()

    async def take_free(self) -> None:
        """Own every exercise that no live process owns: release what fell due, arm the timers."""
        for exercise_id in await self.db.run(self.leases.claimable):
            fence = await self.db.run(self.leases.take, exercise_id)
            if fence is None:
                continue  # another process took it first
            self.stats["takeovers"] += 1
            log.info("exercise %s: now owned by this process (lease token %d)", exercise_id, fence.token)
            try:
                await self.manager.adopt(exercise_id, fence)
            except Exception:
                log.exception("could not take over exercise %s; it stays as it was", exercise_id)
                await self.db.run(self.leases.release, exercise_id, fence)

    async def reap(self) -> None:
        """Clean up after processes that died: their seats go offline unless held elsewhere."""
        await self.db.run(self.leases.bury_local_dead)  # a sibling on this machine that crashed: at once
        live = await self.db.run(self.leases.live_processes)
        self.others_alive = any(process_id != self.leases.process_id for process_id, _ in live)
        for dead in await self.db.run(self.leases.claim_dead):
            for exercise_id, seat_id in await self.db.run(self.leases.presence_of, dead):
                try:
                    await self.presence.settle(exercise_id, seat_id)
                except Exception:
                    log.exception(
                        "could not settle seat %s of exercise %s after process %s", seat_id, exercise_id, dead
                    )
            await self.db.run(self.leases.forget, dead)
            self.stats["reaped"] += 1

    async def follow_log(self) -> None:
        """Fold what reached the log but not this process (a broker message lost, the broker down)."""
        runtimes = {runtime.exercise_id: runtime for runtime in self.manager.runtimes() if not runtime.read_only}
        heads = await self.db.run(self.manager.store.heads, list(runtimes))
        for exercise_id, head in heads.items():
            runtime = runtimes[exercise_id]
            if head > runtime.state.last_seq:
                self.stats["caught_up"] += 1
                await runtime.catch_up()

    async def catch_up_all(self) -> None:
        """After a broker gap: every loaded exercise reads what it may have missed."""
        for runtime in self.manager.runtimes():
            if not runtime.read_only:
                await runtime.catch_up()

    def drop_idle(self) -> None:
        now = time.monotonic()
        for runtime in self.manager.runtimes():
            exercise_id = runtime.exercise_id
            if runtime.owned or self.has_consoles(exercise_id) or now - runtime.last_used < IDLE_SECONDS:
                continue
            self.manager.forget(exercise_id)

    # --- events ---

    def on_events(self, exercise_id: str, events: Sequence[Event]) -> None:
        """An ended exercise has no owner: its lease is given back at once."""
        if not any(event.type is EventType.exercise_ended for event in events):
            return
        fence = self.manager.owned().get(exercise_id)
        if fence is None:
            return
        self.manager.disown(exercise_id, "the exercise has ended")
        asyncio.get_running_loop().create_task(self.db.run(self.leases.release, exercise_id, fence))
