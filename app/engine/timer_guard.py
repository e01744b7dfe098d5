"""Timers first: changes that would still hold an exercise's lock when its next timer falls due wait for it.

A change of an exercise (a command, a presence write, a release) holds the exercise's lock while its
transaction commits, which takes a millisecond on an idle machine and tens of them under a storm of
joins. A release that falls due meanwhile waits for it, and is stamped that much late. So a change that
would start too close to the owner's next timer waits until the release it fires is done:

- a presence write (it can wait) keeps ``PRESENCE_GUARD_SECONDS`` clear, or as long as commits take now
  if that is longer, and looks again once the lock is its: while it queued behind other changes the
  deadline may have come near, and then it lets the release go first;
- a command keeps clear only as long as commits take now (the 90th percentile of the last 32), and never
  more than ``COMMAND_GUARD_MAX_SECONDS``: it waits for a timer at most as long as the timer would have
  waited for it, and a player's acknowledgement is not traded for a few milliseconds of punctuality.

Timers back to back never hold a change off for more than ``MAX_GUARD_WAITS`` releases, and no wait lasts
longer than twice the guard and ``WAIT_SLACK_SECONDS`` of real time (the event loop's, not the exercise's
``Clock``). On a clock that moves only when told to (the bots' pacer, the demo) nothing is held back at
all: no time passes on it while a change commits, so no release can fall due meanwhile, and a change
waiting for a timer only the clock's next move fires would wait for whoever moves it, who may be
waiting for that change.
"""

from __future__ import annotations

import asyncio
from collections import deque

from app.engine.clock import Clock

PRESENCE_GUARD_SECONDS = 0.05
COMMAND_GUARD_MAX_SECONDS = 0.01
MAX_GUARD_WAITS = 3
WAIT_SLACK_SECONDS = 0.05
RECENT_COMMITS = 32


class TimerGuard:
    """The owner's next deadline as its timer knows it, and the changes waiting for that release."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.deadline: float | None = None
        """When the armed timer falls due, until the release it fires has finished."""
        self._waiting: list[asyncio.Future[None]] = []
        self._commits: deque[float] = deque(maxlen=RECENT_COMMITS)

    def committed(self, seconds: float) -> None:
        """How long a commit held the exercise's lock (the database's round trip)."""
        self._commits.append(seconds)

    def usual_commit(self) -> float:
        if not self._commits:
            return 0.0
        recent = sorted(self._commits)
        return recent[int(len(recent) * 0.9)]

    async def before_command(self) -> None:
        await self.clear(min(self.usual_commit(), COMMAND_GUARD_MAX_SECONDS))

    def presence_clearance(self) -> float:
        return max(PRESENCE_GUARD_SECONDS, self.usual_commit())

    def too_close(self, guard: float) -> bool:
        """Whether a change starting now would still hold the lock when the armed timer falls due."""
        if not self.clock.moves_by_itself or self.deadline is None:
            return False
        return self.deadline - self.clock.monotonic() <= guard

    async def clear(self, guard: float) -> None:
        """Wait until a change starting now, taking ``guard`` seconds, is clear of the next release."""
        for _ in range(MAX_GUARD_WAITS):
            if not self.too_close(guard):
                return
            waiter = asyncio.get_running_loop().create_future()
            self._waiting.append(waiter)
            try:
                await asyncio.wait_for(waiter, 2 * guard + WAIT_SLACK_SECONDS)
            except TimeoutError:
                return  # the release is slow, or the clock stands still: go, and queue for the lock

    def passed(self) -> None:
        """No timer is armed any more (it fired and its release is done, or it was cancelled)."""
        self.deadline = None
        self.wake()

    def wake(self) -> None:
        """Let the waiting changes look again (the deadline moved)."""
        waiting, self._waiting = self._waiting, []
        for waiter in waiting:
            if not waiter.done():
                waiter.set_result(None)
