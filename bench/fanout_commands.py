"""The command load of the fan-out benchmark: players' commands arriving while the injects fan out.

With ``--commands RATE`` a thread of the bench opens ``COMMAND_CONSOLES`` consoles on the exercise's player
seats (the role seats of both teams) and sends team chat at RATE messages a second in all, on absolute
deadlines, round robin over the consoles, without waiting for one answer before the next send. Each
command's acknowledgement time (ack received − command sent) is recorded. Every chat is an event fanned
out to its team's consoles, so the load is the commands and their delivery both.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fanout_stats import percentile

from app.realtime.client import ConsoleClient

COMMAND_CONSOLES = 20


@dataclass
class AckSummary:
    commands: int
    refused: int
    p50_ms: float
    p99_ms: float
    max_ms: float


@dataclass
class Commander:
    base_url: str
    exercise_id: str
    tokens: list[str]
    rate: float
    acks: list[float] = field(default_factory=list)
    refused: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _ready: threading.Event = field(default_factory=threading.Event)

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        thread = threading.Thread(target=lambda: asyncio.run(self._run()), name="commander", daemon=True)
        thread.start()
        if not self._ready.wait(timeout=60):
            raise RuntimeError("the command consoles could not join")
        try:
            yield
        finally:
            self._stop.set()
            thread.join(timeout=30)

    async def _run(self) -> None:
        consoles = [
            ConsoleClient(self.base_url, self.exercise_id, token=self.tokens[index % len(self.tokens)])
            for index in range(COMMAND_CONSOLES)
        ]
        for console in consoles:
            await console.connect(resume=False, timeout=30)
        self._ready.set()
        pending: set[asyncio.Task[None]] = set()
        interval = 1 / self.rate
        deadline = time.monotonic()
        number = 0
        while not self._stop.is_set():
            deadline += interval
            await asyncio.sleep(max(0.0, deadline - time.monotonic()))
            task = asyncio.create_task(self._send(consoles[number % len(consoles)], number))
            pending.add(task)
            task.add_done_callback(pending.discard)
            number += 1
        await asyncio.gather(*pending, return_exceptions=True)
        for console in consoles:
            await console.close()

    async def _send(self, console: ConsoleClient, number: int) -> None:
        sent = time.perf_counter()
        reply: dict[str, Any] = await console.request({"type": "send_chat", "text": f"situation report {number}"})
        if reply.get("type") == "ack":
            self.acks.append(time.perf_counter() - sent)
        else:
            self.refused += 1

    def summary(self) -> AckSummary:
        millis = [value * 1000 for value in self.acks]
        return AckSummary(
            commands=len(millis),
            refused=self.refused,
            p50_ms=percentile(millis, 0.50),
            p99_ms=percentile(millis, 0.99),
            max_ms=max(millis, default=math.nan),
        )
