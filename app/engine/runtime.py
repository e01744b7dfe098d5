"""One running exercise: takes commands and timer ticks, records events, then publishes them.

The runtime is the single writer of its exercise's log. It is synchronous on purpose: a command is
checked, its events are committed, folded into the state and only then handed to ``publish``, all
without yielding to the event loop, so no two changes can interleave. Time comes from the one
``Clock``; the next thing due arms one timer on an absolute deadline.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from app import logcontext
from app.engine import commands as c
from app.engine.channels import channel_audience
from app.engine.clock import Clock, TimerHandle
from app.engine.commands import CONTROL_TYPES, CommandError
from app.engine.control_commands import CONTROL_HANDLERS, ControlContext, endex_reached, release_draft
from app.engine.events import (
    SYSTEM,
    CallRef,
    ClockAnchor,
    Event,
    EventDraft,
    EventType,
    PresenceChanged,
    ReleaseCause,
    draft,
)
from app.engine.instruments import NO_INSTRUMENTS, Instruments
from app.engine.letters import delivery_draft
from app.engine.player_commands import HANDLERS, PlayContext, Refused, command_key
from app.engine.principal import Principal
from app.engine.scheduler import Due, first_due_by, next_due
from app.engine.state import ExerciseState, apply, fold
from app.engine.store import EventStore
from app.engine.timeline import scenario_at
from app.scenario.schema import Scenario

log = logging.getLogger(__name__)

Publisher = Callable[[Sequence[Event]], None]
RETRY_SECONDS = 1.0


@dataclass(frozen=True)
class CommandResult:
    seqs: list[int]
    duplicate: bool = False


class ExerciseRuntime:
    def __init__(
        self,
        exercise_id: str,
        scenario: Scenario,
        store: EventStore,
        clock: Clock,
        publish: Publisher,
        *,
        late_after_seconds: float = 5.0,
        ring_min_wall_seconds: float = 0.0,
        events: Sequence[Event] = (),
        read_only: bool = False,
        instruments: Instruments = NO_INSTRUMENTS,
    ) -> None:
        self.exercise_id = exercise_id
        self.instruments = instruments
        self.scenario = scenario
        self.store = store
        self.clock = clock
        self.publish = publish
        self.late_after_seconds = late_after_seconds
        self.ring_min_wall_seconds = ring_min_wall_seconds
        self.state: ExerciseState = fold(exercise_id, scenario, events)
        self.lateness: deque[float] = deque(maxlen=10_000)
        self._timer: TimerHandle | None = None
        self._anchor_seen: ClockAnchor | None = None
        self._anchor_mono = 0.0
        self._closed = read_only
        self.read_only = read_only

    # --- time ---

    def now(self, wall: datetime | None = None) -> float:
        """Current scenario time in seconds (from the wall clock: what events are stamped with)."""
        return scenario_at(self.state.anchor, wall or self.clock.wall())

    def _schedule_now(self) -> float:
        """Scenario time on the monotonic clock the timers run on, so a timer that fires at its
        deadline finds its item due (the wall clock has only microsecond resolution and may slew)."""
        anchor = self.state.anchor
        if anchor is None:
            return 0.0
        if anchor is not self._anchor_seen:
            self._anchor_seen = anchor
            self._anchor_mono = self.clock.monotonic() - (self.clock.wall() - anchor.wall).total_seconds()
        if not anchor.running:
            return anchor.scenario
        return anchor.scenario + max(0.0, self.clock.monotonic() - self._anchor_mono) * anchor.compression

    # --- writing ---

    def record(
        self, drafts: Sequence[EventDraft], *, command_id: str | None = None, wall: datetime | None = None
    ) -> list[Event]:
        """Commit drafts, fold them into the state, then publish them. Persist before publish."""
        if not drafts:
            return []
        wall = wall or self.clock.wall()
        started = time.perf_counter()
        events = self.store.append(
            self.exercise_id,
            self.state.last_seq + 1,
            drafts,
            wall_time=wall,
            scenario_time=self.now(wall),
            command_id=command_id,
        )
        self.instruments.appended(events, time.perf_counter() - started)
        for event in events:
            apply(self.state, self.scenario, event)
        self.publish(events)
        return events

    def execute(self, principal: Principal, command: c.CommandBase) -> CommandResult:
        """Apply a command once; a resent id returns the first result. Raises ``CommandError``."""
        kind = getattr(command, "type", "")
        started = time.perf_counter()
        outcome = "internal"
        with logcontext.about(exercise_id=self.exercise_id, command_id=command.id):
            try:
                result = self._execute(principal, command)
                outcome = "duplicate" if result.duplicate else "applied"
                log.debug("command %s %s: seqs %s", kind, outcome, result.seqs)
                return result
            except CommandError as error:
                outcome = error.code
                log.info("command %s refused: %s", kind, error.code)
                raise
            finally:
                self.instruments.command_done(kind, outcome, time.perf_counter() - started)

    def _execute(self, principal: Principal, command: c.CommandBase) -> CommandResult:
        if self.read_only:
            raise CommandError(
                "read_only", "This exercise was imported from a log: it is an archive and cannot change."
            )
        key = command_key(principal, command)
        earlier = self.state.commands.get(key)
        if earlier is not None:
            return CommandResult(seqs=list(earlier), duplicate=True)
        kind = getattr(command, "type", "")
        wall = self.clock.wall()
        if kind in CONTROL_TYPES:
            if principal.kind != "control":
                raise CommandError("forbidden", "Only the control cell can do that.")
            drafts = CONTROL_HANDLERS[kind](ControlContext(self.scenario, self.state, wall, self.now(wall)), command)
        elif kind in HANDLERS:
            try:
                context = PlayContext(self.scenario, self.state, principal, self.ring_min_wall_seconds)
                drafts = HANDLERS[kind](context, command)
            except Refused as refused:
                self.record(refused.drafts, wall=wall)
                raise
        else:
            raise CommandError("unknown_command", f"Unknown command type '{kind}'.")
        events = self.record(drafts, command_id=key[1], wall=wall)
        self.tick(jumped=kind == "jump")
        return CommandResult(seqs=[event.seq for event in events])

    def set_presence(self, principal: Principal, online: bool, devices: int | None = None) -> None:
        """Record a seat coming online or going offline, or the number of consoles open on it changing."""
        seat = principal.seat_id
        if self.read_only or seat is None or seat in self.state.revoked:
            return
        devices = (devices if devices is not None else 1) if online else 0
        if self.state.online.get(seat, False) == online and self.state.devices.get(seat, 0) == devices:
            return
        audience = ["control"] + ([f"team:{principal.team}"] if principal.team else [])
        change = PresenceChanged(seat_id=seat, online=online, team=principal.team, role=None, devices=devices)
        self.record([draft(EventType.presence_changed, SYSTEM, audience, change)])

    # --- the schedule ---

    def tick(self, *, jumped: bool = False) -> None:
        """Release everything due by now, in order, then arm the timer for what comes next."""
        if self._closed:
            return
        if self.state.running:
            for _ in range(10_000):
                wall = self.clock.wall()
                due = first_due_by(self.scenario, self.state, self._schedule_now())
                if due is None:
                    break
                self.record([self._due_draft(due, wall, jumped)], wall=wall)
        self._arm()

    def _due_draft(self, due: Due, wall: datetime, jumped: bool) -> EventDraft:
        if due.kind == "endex":
            return endex_reached(self.state, wall)
        if due.kind == "ring_timeout":
            call = self.state.calls[due.ref]
            return draft(
                EventType.call_missed,
                SYSTEM,
                channel_audience(self.scenario, call.channel),
                CallRef(call_id=call.call_id, channel=call.channel),
            )
        lag_wall = (self.now(wall) - due.at) / max(self.state.compression, 1e-9)
        late = not jumped and lag_wall > self.late_after_seconds
        if due.kind == "letter_delivery":
            return delivery_draft(self.scenario, self.state, due.ref, late=late)
        inject = self.scenario.inject(due.ref)
        assert inject is not None
        cause: ReleaseCause = "jump" if jumped else ("contingency" if due.contingency else "schedule")
        return release_draft(self.scenario, inject, due_at=due.at, late=late, cause=cause)

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._closed or not self.state.running or self.state.anchor is None:
            return
        due = next_due(self.scenario, self.state)
        if due is None:
            return
        wall_seconds = max(0.0, (due.at - self._schedule_now()) / self.state.anchor.compression)
        deadline = self.clock.monotonic() + wall_seconds
        self._timer = self.clock.call_at(deadline, lambda: self._on_timer(deadline))

    def _on_timer(self, deadline: float) -> None:
        self._timer = None
        lateness = self.clock.monotonic() - deadline
        self.lateness.append(lateness)
        self.instruments.timer_fired(lateness)
        try:
            with logcontext.about(exercise_id=self.exercise_id):
                self.tick()
        except Exception:  # the database may be briefly unavailable; never lose the schedule
            log.exception("exercise %s: releasing due items failed; retrying", self.exercise_id)
            self._timer = self.clock.call_at(self.clock.monotonic() + RETRY_SECONDS, lambda: self._on_timer(deadline))

    def close(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
