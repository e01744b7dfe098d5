"""The command load of the fan-out benchmark: players' commands arriving while the injects fan out.

With ``--commands RATE`` a process of its own opens ``COMMAND_CONSOLES`` consoles on the exercise's player
seats (the role seats of both teams) and sends team chat at RATE messages a second in all, on absolute
deadlines, round robin over the consoles, without waiting for one answer before the next send. Each
command's acknowledgement time (ack received − command sent) is recorded. Every chat is an event fanned
out to its team's consoles, so the load is the commands and their delivery both.

The process runs in the console workers' session but at the server's niceness within it, as the bench's
facilitator pings do: each player's browser has a machine of its own, so a player's acknowledgement must
not wait behind the thousand simulated consoles' reading, only behind the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import multiprocessing
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from fanout_stats import percentile
from process_setup import prepare_client

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
    niceness: int = 0
    acks: list[float] = field(default_factory=list)
    refused: int = 0

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=_commander_main, args=(self, theirs), name="commander")
        process.start()
        theirs.close()
        try:
            if not ours.poll(60) or ours.recv() != "ready":
                raise RuntimeError("the command consoles could not join")
            yield
            ours.send("stop")
            if not ours.poll(60):
                raise RuntimeError("the command consoles did not report")
            self.acks, self.refused = ours.recv()
        finally:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()

    async def _run(self, pipe: Connection) -> None:
        consoles = [
            ConsoleClient(self.base_url, self.exercise_id, token=self.tokens[index % len(self.tokens)])
            for index in range(COMMAND_CONSOLES)
        ]
        for console in consoles:
            await console.connect(resume=False, timeout=30)
        for console in consoles:  # a console takes commands once live, as a player's screen sends them then
            await asyncio.wait_for(console.live.wait(), 30)
        pipe.send("ready")
        stop = asyncio.ensure_future(asyncio.to_thread(pipe.recv))
        pending: set[asyncio.Task[None]] = set()
        interval = 1 / self.rate
        deadline = time.monotonic()
        number = 0
        while not stop.done():
            deadline += interval
            await asyncio.sleep(max(0.0, deadline - time.monotonic()))
            task = asyncio.create_task(self._send(consoles[number % len(consoles)], number))
            pending.add(task)
            task.add_done_callback(pending.discard)
            number += 1
        await asyncio.gather(*pending, return_exceptions=True)
        for console in consoles:
            await console.close()
        pipe.send((self.acks, self.refused))

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


def _commander_main(commander: Commander, pipe: Connection) -> None:
    """Entry point of the commander's process."""
    prepare_client(commander.niceness)
    asyncio.run(commander._run(pipe))
