"""One exercise as this process sees it: its state folded from the log, and the way changes reach the log.

Any process may hold a runtime for an exercise: to greet consoles, to take their commands, to deliver
events. One of them, the owner (``lease`` is set), also arms the timer for what falls due next and
appends the timed releases, fenced by its lease token (docs/architecture.md, "Ownership").

State changes happen on the event loop, one at a time per exercise (``_lock``). Every change goes the
same way: decide from the state, then append in one transaction that refuses if the log has moved on
(``app.engine.append``); if it has, fold the newer events and decide again. The transaction runs on a
database thread; only after it has committed are the events folded into the state and handed to
``publish`` (persist before publish). A runtime whose fold fails reloads itself from the log.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection

from app import logcontext
from app.db import Database
from app.engine import commands as c
from app.engine.append import UNPROBED, AppendRequest, Behind, Fence, LeaseLost, append
from app.engine.channels import channel_audience
from app.engine.clock import Clock, TimerHandle
from app.engine.commands import CommandError
from app.engine.control_commands import endex_reached, release_draft
from app.engine.decide import Decision, decide
from app.engine.events import SYSTEM, CallRef, ClockAnchor, Event, EventDraft, EventType, ReleaseCause, draft
from app.engine.instruments import NO_INSTRUMENTS, Instruments
from app.engine.letters import delivery_draft
from app.engine.principal import Principal
from app.engine.scheduler import ROUNDING, Due, first_due_by, media_draft, next_due
from app.engine.state import ExerciseState, apply, fold
from app.engine.store import EventStore, number, read_events
from app.engine.timeline import scenario_at, wall_at
from app.engine.timer_guard import TimerGuard
from app.scenario.schema import Scenario

log = logging.getLogger(__name__)

Publisher = Callable[[Sequence[Event]], None]
Probe = Callable[[Connection], Any]
T = TypeVar("T")

RETRY_SECONDS = 1.0
MAX_ATTEMPTS = 50
"""Appends retried because other processes appended first; each retry means another change went in."""

STATUS_AFTER: dict[EventType, str] = {
    EventType.lobby_opened: "lobby",
    EventType.exercise_started: "running",
    EventType.exercise_paused: "paused",
    EventType.exercise_resumed: "running",
    EventType.exercise_ended: "ended",
}


@dataclass(frozen=True)
class CommandResult:
    seqs: list[int]
    duplicate: bool = False


@dataclass(frozen=True)
class Change:
    """What one decision records: drafts stamped at ``wall``, and writes that commit with them."""

    drafts: Sequence[EventDraft]
    wall: datetime
    command_id: str | None = None
    also: Callable[[Connection], None] | None = None


def status_after(events: Sequence[Event]) -> str | None:
    """The exercise status the last status-changing event of a batch sets, if any."""
    return next((STATUS_AFTER[e.type] for e in reversed(events) if e.type in STATUS_AFTER), None)


class ExerciseRuntime:
    def __init__(
        self,
        exercise_id: str,
        scenario: Scenario,
        db: Database,
        clock: Clock,
        publish: Publisher,
        *,
        announce: Publisher | None = None,
        late_after_seconds: float = 5.0,
        ring_min_wall_seconds: float = 0.0,
        events: Sequence[Event] = (),
        read_only: bool = False,
        instruments: Instruments = NO_INSTRUMENTS,
    ) -> None:
        self.exercise_id = exercise_id
        self.instruments = instruments
        self.scenario = scenario
        self.db = db
        self.store = EventStore(db.engine)
        self.clock = clock
        self.publish = publish
        self.announce = announce
        self.late_after_seconds = late_after_seconds
        self.ring_min_wall_seconds = ring_min_wall_seconds
        self.read_only = read_only
        self.state: ExerciseState = fold(exercise_id, scenario, events)
        self.lease: Fence | None = None
        """Set while this process owns the exercise: only then does it arm timers."""
        self.failed: str | None = None
        """Why the log could not be folded, when it could not: the runtime then refuses every change."""
        self.lateness: deque[float] = deque(maxlen=10_000)
        self.last_used = time.monotonic()
        """When a console, a command or a change last needed this runtime (real time, for eviction)."""
        self._lock = asyncio.Lock()
        self._published = self.state.last_seq
        self._last_wall: datetime | None = events[-1].wall_time if events else None
        self._fired_at: datetime | None = None
        """The wall time at which the owner's timer fired, until a release takes it (``_release_stamp``)."""
        self._timer: TimerHandle | None = None
        self._guard = TimerGuard(clock)
        self._anchor_seen: ClockAnchor | None = None
        self._anchor_mono = 0.0
        self._closed = read_only
        self._tasks: set[asyncio.Future[Any]] = set()
        self._catch_up_asked = 0
        self._catch_up_done = 0
        self._catch_up_reading: asyncio.Future[None] | None = None
        self._jump: tuple[float, float] | None = None
        self._in_jump_burst = False
        for event in events:
            self._note_jump(event)

    @property
    def owned(self) -> bool:
        return self.lease is not None

    # --- time ---

    def now(self, wall: datetime | None = None) -> float:
        """Current scenario time in seconds (from the wall clock: what events are stamped with)."""
        return scenario_at(self.state.anchor, wall or self.clock.wall())

    def _stamp(self) -> datetime:
        """The wall time for new events: now, but never before the newest event in the log (another
        process, or another machine with a clock a little behind, may have written it)."""
        wall = self.clock.wall()
        return max(wall, self._last_wall) if self._last_wall is not None else wall

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

    # --- commands and other changes ---

    async def execute(self, principal: Principal, command: c.CommandBase) -> CommandResult:
        """Apply a command once; a resent id returns the first result. Raises ``CommandError``."""
        kind = getattr(command, "type", "")
        started = time.perf_counter()
        outcome = "internal"
        with logcontext.about(exercise_id=self.exercise_id, command_id=command.id):
            try:
                if self.read_only:
                    raise CommandError(
                        "read_only", "This exercise was imported from a log: it is an archive and cannot change."
                    )
                await self._guard.before_command()
                answer: asyncio.Future[CommandResult] = asyncio.get_running_loop().create_future()
                result = await self._serialized(lambda: self._execute(principal, command, answer), answer=answer)
                outcome = "duplicate" if result.duplicate else "applied"
                log.debug("command %s %s: seqs %s", kind, outcome, result.seqs)
                return result
            except CommandError as error:
                outcome = error.code
                log.info("command %s refused: %s", kind, error.code)
                raise
            finally:
                self.instruments.command_done(kind, outcome, time.perf_counter() - started)

    async def _execute(
        self, principal: Principal, command: c.CommandBase, answer: asyncio.Future[CommandResult]
    ) -> CommandResult:
        decided: list[Decision] = []
        decided_at = 0.0

        def decider(_: Any) -> Change | None:
            nonlocal decided_at
            wall = self._stamp()
            now = self.now(wall)
            decided_at = max(self._schedule_now(), now)
            decision = decide(self.scenario, self.state, principal, command, wall, now, self.ring_min_wall_seconds)
            decided.append(decision)
            if decision.earlier is not None:
                return None  # in the log already: the state never forgets a command
            if decision.refused is not None:
                return Change(decision.refused.drafts, wall)
            return Change(decision.drafts, wall, command_id=decision.command_id)

        events = await self._commit(decider)
        decision = decided[-1]
        if decision.earlier is not None:
            return CommandResult(seqs=decision.earlier, duplicate=True)
        if decision.refused is not None:
            raise decision.refused
        result = CommandResult(seqs=[event.seq for event in events])
        if principal.kind != "player":
            await self._after()  # the facilitator's commands move the clock (a jump, a resume): all goes first
            return result
        # A player's command is answered once what it made due at once (a contingency, a media reaction) is
        # out, and before what fell due while it committed, which is released right after the answer, still
        # under the lock and stamped when its timer fired (docs/architecture.md, "The path of a command").
        more_due = await self._after(until=decided_at)
        if not answer.done():  # else the caller stopped waiting
            answer.set_result(result)
        if more_due:
            try:
                await self._after()
            except Exception:  # the command is answered: the timer retries what could not be released
                log.exception("exercise %s: releasing what fell due after a command failed", self.exercise_id)
                self._arm()
        return result

    async def change(
        self,
        make: Callable[[ExerciseState], Sequence[EventDraft]],
        *,
        also: Callable[[Connection], None] | None = None,
    ) -> list[Event]:
        """Record what ``make`` drafts from the current state (it may raise ``CommandError``), with ``also``
        written in the same transaction: for the facilitator's changes that are not commands (seats)."""

        def decider(_: Any) -> Change:
            wall = self._stamp()
            return Change(make(self.state), wall, also=also)

        async def work() -> list[Event]:
            events = await self._commit(decider)
            await self._after()
            return events

        return await self._serialized(work)

    async def settle(self, make: Callable[[ExerciseState, Any], Sequence[EventDraft]], probe: Probe) -> list[Event]:
        """Record what ``make`` drafts from the state and what ``probe`` reads under the exercise's lock
        (presence: this process's devices written, every process's counted)."""

        def decider(probed: Any) -> Change | None:
            return None if probed is UNPROBED else Change(make(self.state, probed), self._stamp())

        return await self._serialized(
            lambda: self._commit(decider, probe=probe), clearance=self._guard.presence_clearance
        )

    async def _commit(
        self, decider: Callable[[Any], Change | None], *, probe: Probe | None = None, fenced: bool = False
    ) -> list[Event]:
        """Decide, then append unless the log moved on meanwhile; if it did, fold and decide again."""
        probed: Any = UNPROBED if probe is not None else None
        for _ in range(MAX_ATTEMPTS):
            if self.failed is not None:
                raise CommandError("internal", f"This exercise cannot change: {self.failed}")
            if fenced and self.lease is None:
                return []  # ownership was given up while this waited: the new owner releases it
            try:
                change = decider(probed)
            except CommandError:
                if await self._fold_newer():
                    continue  # refused on a state that was behind: decide again on the current one
                raise
            if change is None and probe is None:
                return []
            events = self._number(change) if change is not None else []
            request = AppendRequest(
                self.exercise_id,
                after=self.state.last_seq,
                events=events,
                status=status_after(events),
                fence=self.lease if fenced else None,
                probe=probe,
                expect=probed,
                also=change.also if change is not None else None,
            )
            started = time.perf_counter()
            outcome = await self.db.run_urgent(append, self.db.engine, request)
            self._guard.committed(time.perf_counter() - started)
            if isinstance(outcome, Behind):
                self._take(outcome.newer)
                probed = outcome.probed
                continue
            self.instruments.appended(outcome.events)
            self._take(outcome.events, announce=True)
            return outcome.events
        raise CommandError("busy", "The exercise is changing too fast to apply this now; send it again.")

    def _number(self, change: Change) -> list[Event]:
        return number(
            self.exercise_id,
            self.state.last_seq + 1,
            change.drafts,
            wall_time=change.wall,
            scenario_time=self.now(change.wall),
            command_id=change.command_id,
        )

    async def _fold_newer(self) -> list[Event]:
        """Fold in the events the log has beyond this state; returns them."""
        newer = await self.db.run_urgent(self._read_newer)  # under the lock: never behind the join backlog
        self._take(newer)
        return newer

    def _read_newer(self) -> list[Event]:
        with self.db.engine.connect() as connection:
            return read_events(connection, self.exercise_id, self.state.last_seq)

    # --- folding what is in the log ---

    def _take(self, events: Sequence[Event], *, announce: bool = False) -> None:
        """Fold committed events into the state and publish them. Once events are committed, nothing
        here may fail in a way that loses them: a fold that fails marks the runtime for a reload."""
        fresh = [event for event in events if event.seq > self.state.last_seq]
        if not fresh:
            return
        try:
            for event in fresh:
                apply(self.state, self.scenario, event)
                self._last_wall = event.wall_time
                self._note_jump(event)
        except Exception:
            log.exception("exercise %s: folding event %s failed; reloading from the log", self.exercise_id, event.seq)
            self._spawn(self._serialized(self._reload))
        self._deliver(fresh, announce=announce)

    def _deliver(self, events: Sequence[Event], *, announce: bool = False) -> None:
        fresh = [event for event in events if event.seq > self._published]
        if not fresh:
            return
        self._published = fresh[-1].seq
        try:
            self.publish(fresh)
        except Exception:  # a listener's bug must not stop the exercise; consoles catch up from the log
            log.exception("exercise %s: publishing seqs %s-%s failed", self.exercise_id, fresh[0].seq, fresh[-1].seq)
        if announce and self.announce is not None:
            try:
                self.announce(fresh)
            except Exception:
                log.exception("exercise %s: announcing seqs to other processes failed", self.exercise_id)

    async def _reload(self) -> None:
        events = await self.db.run(self.store.read, self.exercise_id)
        try:
            self.state = fold(self.exercise_id, self.scenario, events)
        except Exception as exc:
            self.failed = f"its log does not replay ({exc}); see the server log"
            log.exception("exercise %s: the log does not replay; the exercise is stopped", self.exercise_id)
            self.close()
            return
        self.failed = None
        self._last_wall = events[-1].wall_time if events else None
        self._deliver(events)
        self._arm()

    async def catch_up(self) -> None:
        """Fold whatever the log has beyond this state. Calls that overlap share one read, but never a
        read that started before the call (a caller may need an event committed just before it asked).
        The read runs outside the exercise's lock and only the fold takes it: a storm of joins, each
        catching up, must not queue the schedule's timers behind thousands of reads."""
        self._catch_up_asked += 1
        ticket = self._catch_up_asked
        while self._catch_up_done < ticket:
            reading = self._catch_up_reading
            if reading is None:
                reading = self._catch_up_reading = self._spawn(self._read_and_fold())
            await asyncio.shield(reading)

    async def _read_and_fold(self) -> None:
        try:
            started = self._catch_up_asked
            newer = await self.db.run(self._read_newer)

            async def fold() -> None:
                self._take(newer)  # what was folded meanwhile is left out
                if newer:
                    await self._after()

            await self._serialized(fold)
            self._catch_up_done = max(self._catch_up_done, started)
        finally:
            self._catch_up_reading = None

    async def receive(self, events: Sequence[Event]) -> None:
        """Events another process committed, from the broker: folded if they follow on, else the gap is
        read from the log."""

        async def work() -> None:
            if not events or events[-1].seq <= self.state.last_seq:
                return
            if events[0].seq <= self.state.last_seq + 1:
                self._take(events)
            else:
                await self._fold_newer()
            await self._after()

        await self._serialized(work)

    async def _after(self, *, until: float | None = None) -> bool:
        """After the state moved: the owner releases what fell due (by ``until``: see ``_tick``) and re-arms
        its timer. True when ``until`` left something due."""
        self.last_used = time.monotonic()
        return await self._tick(until=until) if self.owned else False

    # --- ownership and the schedule ---

    async def own(self, fence: Fence) -> None:
        """Become the owner: catch up, then release everything that fell due (late if it is), arm the timer."""

        async def work() -> None:
            self.lease = fence
            await self._fold_newer()
            if not self._in_jump_burst:
                self._jump = None  # whatever is overdue now was not passed over by a jump just made
            await self._tick()

        await self._serialized(work)

    def disown(self, reason: str) -> None:
        if self.lease is not None:
            log.info("exercise %s: no longer owned by this process: %s", self.exercise_id, reason)
        self.lease = None
        self._cancel_timer()

    async def tick(self) -> None:
        """Release everything due by now, in order, then arm the timer (owner only)."""
        await self._serialized(self._tick)

    async def _tick(self, *, until: float | None = None) -> bool:
        """Release what is due, in order, then arm the timer; with ``until`` (scenario time), only what fell
        due by then. True when more is due: the caller must then tick again (``_execute``), and that tick
        arms the timer."""
        if self._closed or not self.owned:
            return False
        deferred = False
        for _ in range(10_000):
            if not self.state.running:
                break

            def decider(_: Any) -> Change | None:
                nonlocal deferred
                due = first_due_by(self.scenario, self.state, self._schedule_now())
                if due is None:
                    return None  # a fired timer's stamp, if any, goes when the tick re-arms the timer
                if until is not None and due.at > until + ROUNDING:
                    deferred = True
                    return None
                wall = self._not_before_due(self._release_stamp(), due.at)
                return Change([self._due_draft(due, wall)], wall)

            try:
                if not await self._commit(decider, fenced=True):
                    break
            except LeaseLost as lost:
                log.warning("refused to append as owner: %s", lost)
                self.disown(str(lost))
                return False
        if deferred:
            return True
        self._jump = None  # what a jump passed over has been released
        self._arm()
        return False

    def _note_jump(self, event: Event) -> None:
        """Remember the latest jump: what it passed over is released as caused by it, not as late."""
        if event.type is EventType.clock_jumped:
            self._jump = (float(event.payload["from_time"]), float(event.payload["to_time"]))
            self._in_jump_burst = True
        else:
            self._in_jump_burst = event.type is EventType.inject_released and event.payload.get("cause") == "jump"

    def _due_draft(self, due: Due, wall: datetime) -> EventDraft:
        if due.kind == "endex":
            return endex_reached(self.state, wall)
        if due.kind in ("media", "silence", "pressure"):
            # Seeded by the scenario, not the exercise: the same log gives the same numbers in any run of it.
            return media_draft(self.scenario, self.state, due, seed=self.scenario.id)
        if due.kind == "ring_timeout":
            call = self.state.calls[due.ref]
            return draft(
                EventType.call_missed,
                SYSTEM,
                channel_audience(self.scenario, call.channel),
                CallRef(call_id=call.call_id, channel=call.channel),
            )
        lag_wall = (self.now(wall) - due.at) / max(self.state.compression, 1e-9)
        # Passed over by the latest jump: released because of it, not late (whoever owns the exercise).
        jumped = self._jump is not None and self._jump[0] < due.at <= self._jump[1]
        late = not jumped and lag_wall > self.late_after_seconds
        if due.kind == "letter_delivery":
            return delivery_draft(self.scenario, self.state, due.ref, late=late)
        inject = self.scenario.inject(due.ref)
        assert inject is not None
        cause: ReleaseCause = "jump" if jumped else ("contingency" if due.contingency else "schedule")
        return release_draft(self.scenario, inject, due_at=due.at, late=late, cause=cause)

    def _arm(self) -> None:
        self._cancel_timer()
        if self._closed or not self.owned or not self.state.running or self.state.anchor is None:
            return
        due = next_due(self.scenario, self.state)
        if due is None:
            return
        wall_seconds = max(0.0, (due.at - self._schedule_now()) / self.state.anchor.compression)
        deadline = self.clock.monotonic() + wall_seconds
        self._guard.deadline = deadline
        self._timer = self.clock.call_at(deadline, lambda: self._on_timer(deadline))

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._fired_at = None  # a fired timer's stamp serves only the release it fired for
        self._guard.passed()

    def _on_timer(self, deadline: float) -> asyncio.Future[Any]:
        self._timer = None
        lateness = self.clock.monotonic() - deadline
        self.lateness.append(lateness)
        self.instruments.timer_fired(lateness)
        if self._fired_at is None:
            self._fired_at = self._stamp()
        return self._spawn(self._timer_fired(deadline))

    def _release_stamp(self) -> datetime:
        """The wall time of a release: when its timer fired, not when the release is decided a turn of the
        loop later (under a storm of joins that turn takes milliseconds, and a change holding the lock
        takes its commit). Like the commit that follows, the wait is part of its delivery, which is
        measured from this stamp. Unless an event stamped later reached the log meanwhile: the log's wall
        times keep the order of its seqs."""
        fired, self._fired_at = self._fired_at, None
        if fired is not None and (self._last_wall is None or fired >= self._last_wall):
            return fired
        return self._stamp()

    def _not_before_due(self, wall: datetime, due_at: float) -> datetime:
        """Never before the wall time at which ``due_at`` falls due: the timers run on the monotonic clock,
        and the wall clock may drift from it by microseconds (a slewed clock) while an exercise runs."""
        due_wall = wall_at(self.state.anchor, due_at)
        return wall if due_wall is None else max(wall, due_wall)

    async def _timer_fired(self, deadline: float) -> None:
        try:
            with logcontext.about(exercise_id=self.exercise_id):
                # The lock is taken here rather than through ``_serialized``: this task is the timer's own and
                # nobody cancels it, and a task less is a turn of the loop less before the release is stamped.
                async with self._lock:
                    await self._tick()
        except Exception:  # the database may be briefly unavailable; never lose the schedule
            log.exception("exercise %s: releasing due items failed; retrying", self.exercise_id)
            self._fired_at = None  # the retry is stamped when it fires: the outage made it late
            if not self._closed and self.owned and self._timer is None:
                retry_at = self.clock.monotonic() + RETRY_SECONDS
                self._guard.deadline = retry_at
                self._timer = self.clock.call_at(retry_at, lambda: self._on_timer(deadline))
        finally:
            if self._timer is None:
                self._guard.passed()  # what waited for this release may go now
            else:
                self._guard.wake()  # a retry is armed: what waited looks at its deadline again

    # --- plumbing ---

    async def _serialized(
        self,
        work: Callable[[], Awaitable[T]],
        clearance: Callable[[], float] | None = None,
        answer: asyncio.Future[T] | None = None,
    ) -> T:
        """Run ``work`` alone among this exercise's changes, to the end even if the caller is cancelled:
        a change whose transaction committed is always folded and published. With ``clearance`` (how long
        the change may take) it keeps clear of the owner's next release, before it queues for the lock and
        again once the lock is its (``app/engine/timer_guard.py``).

        The work runs in a task of its own, which hands its outcome straight to the caller's future rather
        than through the task's end (``asyncio.shield``): one turn of the loop less for every change, and a
        turn of a loop that is fanning out is a millisecond. Work given ``answer`` may set it before it is
        done, and its caller goes on while the work finishes under the lock."""
        outcome: asyncio.Future[T] = answer if answer is not None else asyncio.get_running_loop().create_future()

        async def locked() -> None:
            try:
                if clearance is not None:
                    await self._guard.clear(clearance())
                await self._lock.acquire()
                if clearance is not None and self._guard.too_close(clearance()):
                    self._lock.release()  # the queue brought the release near: it goes first
                    await self._guard.clear(clearance())
                    await self._lock.acquire()
                try:
                    value = await work()
                finally:
                    self._lock.release()
            except Exception as error:
                if not outcome.done():  # else the caller stopped waiting: it has nobody to tell
                    outcome.set_exception(error)
            except BaseException:
                outcome.cancel()
                raise
            else:
                if not outcome.done():
                    outcome.set_result(value)

        self._spawn(locked())
        return await outcome

    def _spawn(self, work: Awaitable[T]) -> asyncio.Future[T]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._forget)
        return task

    def _forget(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: a caller that stopped waiting must not leave it "never retrieved"

    def close(self) -> None:
        self._closed = True
        self._cancel_timer()
