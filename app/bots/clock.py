"""The in-process demo server's clock: it moves only when the pacer says so, in whole microseconds.

Whole microseconds because that is the resolution of the wall times the log stores, so the times the
engine computes from this clock are the times it records. Timers fire in deadline order, each at its
own deadline, as the clock is moved past it. One guard matters: at some compressions float rounding
leaves scenario time a hair short of a due time, and the engine then re-arms its timer for "now"
(a delay below float resolution). Such a timer fires one microsecond later instead of at the same
instant, so time always moves on and the clock can never spin in place.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from datetime import datetime, timedelta

from app.engine.clock import Clock, TimerHandle

MICROSECONDS = 1_000_000


class _Timer(TimerHandle):
    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class PacedClock(Clock):
    def __init__(self, start: datetime) -> None:
        self._start = start
        self._now = 0  # microseconds since start
        self._timers: list[tuple[int, int, _Timer]] = []
        self._order = itertools.count()

    def wall(self) -> datetime:
        return self._start + timedelta(microseconds=self._now)

    def monotonic(self) -> float:
        return self._now / MICROSECONDS

    def call_at(self, deadline: float, callback: Callable[[], None]) -> TimerHandle:
        timer = _Timer(callback)
        at = max(round(deadline * MICROSECONDS), self._now + 1)
        heapq.heappush(self._timers, (at, next(self._order), timer))
        return timer

    def advance_to(self, monotonic: float) -> None:
        """Move to ``monotonic`` seconds, running every timer that falls due on the way at its deadline."""
        target = round(monotonic * MICROSECONDS)
        while self._timers and self._timers[0][0] <= target:
            at, _, timer = heapq.heappop(self._timers)
            if timer.cancelled:
                continue
            self._now = max(self._now, at)
            timer.callback()
        self._now = max(self._now, target)
