"""The one source of time. Code that needs the time asks a ``Clock``; tests drive a ``ManualClock``.

Timers are absolute deadlines on the monotonic clock. ``SystemClock`` re-arms a timer that the event
loop wakes a little early (asyncio may run a handle up to its clock resolution before its time), so a
callback never runs before its deadline.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class TimerHandle(ABC):
    @abstractmethod
    def cancel(self) -> None: ...


class Clock(ABC):
    @abstractmethod
    def wall(self) -> datetime:
        """The current UTC wall time."""

    @abstractmethod
    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards."""

    @abstractmethod
    def call_at(self, deadline: float, callback: Callable[[], None]) -> TimerHandle:
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

    def call_at(self, deadline: float, callback: Callable[[], None]) -> TimerHandle:
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
    def __init__(self, deadline: float, callback: Callable[[], None]) -> None:
        self.deadline = deadline
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class ManualClock(Clock):
    """A clock that moves only when a test says so; timers fire in deadline order as it advances."""

    def __init__(self, wall: datetime | None = None, monotonic: float = 1000.0) -> None:
        self._wall0 = wall or datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
        self._mono0 = monotonic
        self._mono = monotonic
        self._timers: list[tuple[float, int, _ManualTimer]] = []
        self._order = itertools.count()

    def wall(self) -> datetime:
        return self._wall0 + timedelta(seconds=self._mono - self._mono0)

    def monotonic(self) -> float:
        return self._mono

    def call_at(self, deadline: float, callback: Callable[[], None]) -> TimerHandle:
        timer = _ManualTimer(deadline, callback)
        heapq.heappush(self._timers, (deadline, next(self._order), timer))
        return timer

    def advance(self, seconds: float) -> None:
        """Move time forward, running every timer that falls due on the way, at its own deadline."""
        target = self._mono + seconds
        while self._timers and self._timers[0][0] <= target:
            deadline, _, timer = heapq.heappop(self._timers)
            if timer.cancelled:
                continue
            self._mono = max(self._mono, deadline)
            timer.callback()
        self._mono = target

    @property
    def pending_timers(self) -> int:
        return sum(1 for _, _, timer in self._timers if not timer.cancelled)
