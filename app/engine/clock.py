"""The one source of time. Code that needs the time asks a ``Clock``; tests drive a ``ManualClock``.

Timers are absolute deadlines on the monotonic clock. ``SystemClock`` re-arms a timer that the event
loop wakes a little early (asyncio may run a handle up to its clock resolution before its time), so a
callback never runs before its deadline. A callback may return an awaitable (the work it started):
``ManualClock`` waits for it before time moves on, so a test sees each timer's work done at its deadline.
"""

from __future__ import annotations

import asyncio
import heapq
import inspect
import itertools
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class TimerHandle(ABC):
    @abstractmethod
    def cancel(self) -> None: ...


class Clock(ABC):
    moves_by_itself = True
    """Whether time passes while the engine works (a commit takes time on it). A clock that moves only
    when told to does not: work done between two moves takes none of its time."""

    @abstractmethod
    def wall(self) -> datetime:
        """The current UTC wall time."""

    @abstractmethod
    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards."""

    @abstractmethod
    def call_at(self, deadline: float, callback: Callable[[], object]) -> TimerHandle:
        """Run ``callback`` once, no earlier than monotonic time ``deadline``."""


class _LoopTimer(TimerHandle):
    def __init__(self) -> None:
        self.handle: asyncio.TimerHandle | None = None
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True
        if self.handle is not None:
            self.handle.cancel()


class SystemClock(Clock):
    def wall(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def call_at(self, deadline: float, callback: Callable[[], object]) -> TimerHandle:
        loop = asyncio.get_running_loop()
        timer = _LoopTimer()

        def fire() -> None:
            if timer.cancelled:
                return
            if time.monotonic() < deadline:  # woke early: re-arm rather than run early
                timer.handle = loop.call_at(_loop_time(loop, deadline), fire)
                return
            callback()

        timer.handle = loop.call_at(_loop_time(loop, deadline), fire)
        return timer


def _loop_time(loop: asyncio.AbstractEventLoop, deadline: float) -> float:
    """Translate a ``time.monotonic`` deadline onto the loop's own clock (the same clock on CPython)."""
    return loop.time() + (deadline - time.monotonic())


class _ManualTimer(TimerHandle):
    def __init__(self, callback: Callable[[], object]) -> None:
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


MICROSECONDS = 1_000_000


class ManualClock(Clock):
    """A clock that moves only when told to (tests, and the demo's paced server).

    It counts whole microseconds, the resolution of the wall times the log stores, so the times the
    engine computes from it are exactly the times it records and a run is reproducible. Timers fire
    in deadline order, each at its own deadline, as the clock moves past it; a timer is never run at
    the very instant it was armed (at the earliest one microsecond later), so time always moves on.
    """

    moves_by_itself = False

    def __init__(self, wall: datetime | None = None, monotonic: float = 1000.0) -> None:
        self._wall0 = wall or datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
        self._start = round(monotonic * MICROSECONDS)
        self._now = self._start
        self._timers: list[tuple[int, int, _ManualTimer]] = []
        self._order = itertools.count()

    def wall(self) -> datetime:
        return self._wall0 + timedelta(microseconds=self._now - self._start)

    def monotonic(self) -> float:
        return self._now / MICROSECONDS

    def call_at(self, deadline: float, callback: Callable[[], object]) -> TimerHandle:
        timer = _ManualTimer(callback)
        at = max(round(deadline * MICROSECONDS), self._now + 1)
        heapq.heappush(self._timers, (at, next(self._order), timer))
        return timer

    async def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``, running every timer that falls due on the way."""
        await self.advance_to(self.monotonic() + seconds)

    async def advance_to(self, monotonic: float) -> None:
        """Move to ``monotonic`` seconds, running every timer that falls due on the way at its deadline
        and waiting for the work each one starts before moving on."""
        target = round(monotonic * MICROSECONDS)
        while self._timers and self._timers[0][0] <= target:
            at, _, timer = heapq.heappop(self._timers)
            if timer.cancelled:
                continue
            self._now = max(self._now, at)
            started = timer.callback()
            if inspect.isawaitable(started):
                await started
        self._now = max(self._now, target)

    @property
    def pending_timers(self) -> int:
        return sum(1 for _, _, timer in self._timers if not timer.cancelled)
