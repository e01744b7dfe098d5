"""Consoles for the join and reconnect storms, in worker processes: they join all at once and stay connected.

Each console joins (from seq 0 for a cold join), and whenever its socket is lost it comes back with
exponential backoff and full jitter, resuming from the last seq it holds, as the browser console does. It
counts every event, every duplicate (a seq it already had) and every event out of order, so the bench can
check "no gap, no duplicate" against the log. The worker tells the bench how many of its consoles are live,
about every 50 ms, and sends each console's tally when asked.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from fanout_clients import PROTOCOL_VERSION, ConsoleProtocol
from process_setup import prepare_client
from websockets.uri import parse_uri

FIRST_RETRY_SECONDS = 0.25
LONGEST_RETRY_SECONDS = 2.0
REPORT_EVERY_SECONDS = 0.05


@dataclass(frozen=True)
class StormPlan:
    worker: int
    url: str
    tokens: list[str] = field(repr=False)
    last_seq: int
    deflate: bool
    niceness: int = 0
    connect_concurrency: int = 250


@dataclass
class Tally:
    """What one console received over the whole run, across reconnects."""

    token: str
    first_seq: int
    last_seq: int
    events: int = 0
    duplicates: int = 0
    joins: int = 0
    live: bool = False

    def take(self, message: dict[str, Any]) -> None:
        if message.get("type") != "event":
            return
        seq = int(message["event"]["seq"])
        if seq <= self.last_seq:
            self.duplicates += 1
            return
        self.last_seq = seq
        self.events += 1


class ResumingProtocol(ConsoleProtocol):
    """A console socket that also says when it closes."""

    def __init__(self, url: str, join: dict[str, Any], deflate: bool, tally: Tally) -> None:
        super().__init__(url, join, deflate, lambda message, _raw, _arrived: tally.take(message))
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if not self.closed.done():
            self.closed.set_result(None)


class StormSwarm:
    def __init__(self, plan: StormPlan, pipe: Connection) -> None:
        self.plan = plan
        self.pipe = pipe
        self.tallies = [Tally(token, plan.last_seq, plan.last_seq) for token in plan.tokens]
        self.sockets: list[ResumingProtocol] = []
        self.stopping = False

    async def keep_connected(self, tally: Tally, slots: asyncio.Semaphore) -> None:
        uri = parse_uri(self.plan.url)
        loop = asyncio.get_running_loop()
        retry = FIRST_RETRY_SECONDS
        while not self.stopping:
            join = {"type": "join", "protocol": PROTOCOL_VERSION, "token": tally.token, "last_seq": tally.last_seq}
            try:
                async with slots:
                    console = ResumingProtocol(self.plan.url, join, self.plan.deflate, tally)
                    await loop.create_connection(lambda: console, uri.host, uri.port)  # noqa: B023 (awaited here)
                    self.sockets.append(console)
                    await console.live
                tally.live, tally.joins = True, tally.joins + 1
                retry = FIRST_RETRY_SECONDS
                await console.closed
                self.sockets.remove(console)
            except Exception:
                pass
            tally.live = False
            if not self.stopping:
                await asyncio.sleep(random.uniform(0, retry))  # full jitter: a restart is not met by a wall
                retry = min(retry * 2, LONGEST_RETRY_SECONDS)

    async def report_live(self) -> None:
        while not self.stopping:
            live = sum(1 for tally in self.tallies if tally.live)
            self.pipe.send(("live", self.plan.worker, (time.time(), live)))
            await asyncio.sleep(REPORT_EVERY_SECONDS)

    async def run(self) -> None:
        slots = asyncio.Semaphore(self.plan.connect_concurrency)
        self.pipe.send(("started", self.plan.worker, time.time()))
        consoles = [asyncio.create_task(self.keep_connected(tally, slots)) for tally in self.tallies]
        reporter = asyncio.create_task(self.report_live())
        while True:
            command = await asyncio.to_thread(self.pipe.recv)
            if command == "report":
                self.pipe.send(("report", self.plan.worker, [tally.__dict__ for tally in self.tallies]))
            elif command == "close":
                break
        self.stopping = True
        for socket in self.sockets:
            socket.abort()
        for task in (*consoles, reporter):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*consoles, reporter, return_exceptions=True)


def storm_worker(plan: StormPlan, pipe: Connection) -> None:
    """Entry point of a worker process."""
    prepare_client(plan.niceness)
    try:
        import uvloop
    except ImportError:
        asyncio.run(StormSwarm(plan, pipe).run())
    else:
        uvloop.run(StormSwarm(plan, pipe).run())
