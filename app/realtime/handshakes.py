"""Opening handshakes in slices of the loop, so a burst of arriving sockets cannot hold up a timer.

When hundreds of consoles connect at once (a restart, a room opening its laptops), the event loop reads
all their upgrade requests in one pass over its sockets, and checking each request (its headers, the
compression it offers) and answering it costs a fraction of a millisecond. Done where the bytes arrive,
hundreds of them made one pass of the loop last a hundred milliseconds or more, and a timer that fell due
meanwhile released its inject that late (docs/performance.md, "Join and reconnect storms").

So the protocol hands each request to a queue, and the queue is worked in slices of about a millisecond
that give the loop back in between: timers and commands run between two slices, never after the whole
burst. Only the opening handshake waits here; frames on an open socket are read at once.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

SLICE_SECONDS = 0.001


class HandshakeTurns:
    """A queue of handshakes for one event loop, worked a slice at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop, slice_seconds: float = SLICE_SECONDS) -> None:
        self._loop = loop
        self._slice_seconds = slice_seconds
        self._waiting: deque[Callable[[], None]] = deque()
        self._scheduled = False
        self.slices = 0
        self.working = False
        """True while a slice runs: a handshake that is already in its turn need not queue for another."""

    def __len__(self) -> int:
        return len(self._waiting)

    def add(self, handshake: Callable[[], None]) -> None:
        self._waiting.append(handshake)
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._work)

    def _work(self) -> None:
        self.slices += 1
        deadline = time.perf_counter() + self._slice_seconds
        waiting = self._waiting
        self.working = True
        try:
            while waiting:
                waiting.popleft()()
                if time.perf_counter() >= deadline:
                    break
        finally:
            self.working = False
        if waiting:
            self._loop.call_soon(self._work)  # the next pass of the loop: what fell due meanwhile runs first
        else:
            self._scheduled = False


_turns: dict[asyncio.AbstractEventLoop, HandshakeTurns] = {}


def turns_for(loop: asyncio.AbstractEventLoop) -> HandshakeTurns:
    """The queue of this loop (a test may run several loops, one after another, in one process)."""
    turns = _turns.get(loop)
    if turns is None:
        for stale in [other for other in _turns if other.is_closed()]:
            del _turns[stale]
        turns = _turns[loop] = HandshakeTurns(loop)
    return turns
