"""Console clients for the fan-out benchmark, run in worker processes so no one process holds every socket.

A worker opens its share of the consoles, joins each (Hotline's join message; the baseline answers it the
same way), waits until all are live, then records for every inject the time its bytes reached the process
minus the event's ``wall_time``. Both servers are measured by exactly this code.

The clients speak websocket through the sans-I/O ``websockets.client.ClientProtocol`` on a bare asyncio
``Protocol``: no task, future or queue per message. On a 2-core machine the clients share the CPU with
the server, and the high-level client spent about as much CPU per message as the server it measured;
this keeps the clients' share small and their timestamps close to the socket.

The worker reports to the bench over a pipe: consoles live, injects delivered to all of its consoles,
then its samples. It keeps its sockets open until the bench says every worker is done, so closing
handshakes never compete with the last injects still on their way to other workers' consoles.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any, cast

from process_setup import prepare_client
from websockets.client import ClientProtocol
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri

PROTOCOL_VERSION = 1
INJECT = "inject_released"
JOIN_TIMEOUT = 60.0
FIRST_INJECT_TIMEOUT = 120.0
STRAGGLER_MARGIN = 30.0
MAX_MESSAGE_BYTES = 1 << 22
MEASURED = (INJECT.encode(), b'"heartbeat"')
"""Once live, a message is parsed only if it may be one the bench looks at (most of the command load's
messages are chats, ten for every inject, and parsing them would take a share of the two cores)."""


@dataclass(frozen=True)
class WorkerPlan:
    worker: int
    url: str
    tokens: list[str] = field(repr=False)
    """One per console; consoles may share a seat token."""
    last_seq: int
    injects: int
    """Injects every console should receive, warm-up included."""
    interval: float
    deflate: bool
    niceness: int = 0
    connect_concurrency: int = 50


MessageHandler = Callable[[dict[str, Any], bytes, float], None]


class ConsoleProtocol(asyncio.Protocol):
    """One console's socket: handshake, join, then every text message to ``on_message`` with its arrival time
    (once live, given ``measured``, only the messages that contain one of its markers)."""

    def __init__(
        self,
        url: str,
        join: dict[str, Any],
        deflate: bool,
        on_message: MessageHandler,
        measured: tuple[bytes, ...] | None = None,
    ) -> None:
        self.measured = measured
        # The same deflate offer as the websockets client (and close to a browser's).
        extensions = [ClientPerMessageDeflateFactory(compress_settings={"memLevel": 5})] if deflate else None
        self.ws = ClientProtocol(parse_uri(url), extensions=extensions, max_size=MAX_MESSAGE_BYTES)
        self.join = join
        self.on_message = on_message
        loop = asyncio.get_running_loop()
        self.live: asyncio.Future[None] = loop.create_future()
        self.transport: asyncio.Transport | None = None
        self.fragments: list[bytes | bytearray | memoryview] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports do not subclass asyncio's
        self.ws.send_request(self.ws.connect())
        self.flush()

    def data_received(self, data: bytes) -> None:
        arrived = time.time()
        self.ws.receive_data(data)
        for event in self.ws.events_received():
            if isinstance(event, Response):
                self.on_handshake()
            elif isinstance(event, Frame):
                self.on_frame(event, arrived)
        self.flush()

    def on_handshake(self) -> None:
        if self.ws.handshake_exc is not None:
            self.fail(self.ws.handshake_exc)
            return
        self.ws.send_text(json.dumps(self.join).encode())

    def on_frame(self, frame: Frame, arrived: float) -> None:
        if frame.opcode is Opcode.TEXT or frame.opcode is Opcode.CONT:
            self.fragments.append(frame.data)
            if not frame.fin:
                return
            raw = b"".join(self.fragments)
            self.fragments.clear()
            measured = self.measured
            if measured is not None and self.live.done() and not any(marker in raw for marker in measured):
                return  # a player's chat under the command load: the worker's CPU is the server's too
            message = json.loads(raw)
            kind = message.get("type")
            if kind == "live" and not self.live.done():
                self.live.set_result(None)
            elif kind == "error" and not self.live.done():
                self.fail(ConnectionError(message.get("message")))
            else:
                self.on_message(message, raw, arrived)

    def flush(self) -> None:
        if self.transport is None:
            return
        for chunk in self.ws.data_to_send():
            if chunk:
                self.transport.write(chunk)
            elif self.transport.can_write_eof():  # the protocol asks for a half-close
                self.transport.write_eof()

    def fail(self, exc: BaseException) -> None:
        if not self.live.done():
            self.live.set_exception(exc)
        if self.transport is not None:
            self.transport.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.live.done():
            self.live.set_exception(exc or ConnectionError("closed before live"))

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()


@dataclass
class WorkerReport:
    latencies: dict[int, list[float]]
    message_bytes: dict[int, int]
    failed: int
    heartbeats: list[str]

    def as_message(self) -> dict[str, Any]:
        return {
            "latencies": self.latencies,
            "message_bytes": self.message_bytes,
            "failed": self.failed,
            "heartbeats": self.heartbeats,
        }


class ConsoleSwarm:
    def __init__(self, plan: WorkerPlan, pipe: Connection) -> None:
        self.plan = plan
        self.pipe = pipe
        self.consoles: list[ConsoleProtocol] = []
        self.latencies: dict[int, list[float]] = defaultdict(list)
        self.message_bytes: dict[int, int] = {}
        self.live = 0
        self.failed = 0
        self.finished = asyncio.Event()
        self.first_inject = asyncio.Event()
        self.heartbeats: set[str] = set()

    @property
    def size(self) -> int:
        return len(self.plan.tokens)

    async def run(self) -> WorkerReport:
        slots = asyncio.Semaphore(self.plan.connect_concurrency)
        await asyncio.gather(*(self.open_console(token, slots) for token in self.plan.tokens))
        await self.wait_for_injects()
        return WorkerReport(
            latencies=dict(self.latencies),
            message_bytes=self.message_bytes,
            failed=self.failed,
            heartbeats=sorted(self.heartbeats),
        )

    async def open_console(self, token: str, slots: asyncio.Semaphore) -> None:
        join = {"type": "join", "protocol": PROTOCOL_VERSION, "token": token, "last_seq": self.plan.last_seq}
        uri = parse_uri(self.plan.url)
        loop = asyncio.get_running_loop()
        try:
            async with slots, asyncio.timeout(JOIN_TIMEOUT):
                _, console = await loop.create_connection(
                    lambda: ConsoleProtocol(self.plan.url, join, self.plan.deflate, self.on_message, MEASURED),
                    uri.host,
                    uri.port,
                )
                self.consoles.append(console)
                await console.live
        except Exception as exc:
            self.failed += 1
            self.pipe.send(("failed", self.plan.worker, f"{type(exc).__name__}: {exc}"))
        self.count_live()

    async def wait_for_injects(self) -> None:
        """Until every console has every inject; give up on stragglers rather than hang the whole bench."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(FIRST_INJECT_TIMEOUT):
                await self.first_inject.wait()
            async with asyncio.timeout(self.plan.injects * self.plan.interval + STRAGGLER_MARGIN):
                await self.finished.wait()

    def count_live(self) -> None:
        self.live += 1
        if self.live % 50 == 0 or self.live == self.size:
            self.pipe.send(("live", self.plan.worker, self.live - self.failed))

    def on_message(self, message: dict[str, Any], raw: bytes, arrived: float) -> None:
        if message.get("type") == "heartbeat":
            self.heartbeats.add(message["wall_time"])
            return
        if message.get("type") != "event" or message["event"]["type"] != INJECT:
            return
        event = message["event"]
        seq = event["seq"]
        if seq not in self.latencies and len(self.latencies) >= self.plan.injects:
            return  # Hotline's schedule runs on; this run measures only the first injects
        self.first_inject.set()
        latencies = self.latencies[seq]
        latencies.append(arrived - datetime.fromisoformat(event["wall_time"]).timestamp())
        if len(latencies) == 1:
            self.message_bytes[seq] = len(raw)
            if self.plan.worker == 0:  # one copy of each inject message is enough for the baseline
                self.pipe.send(("sample", self.plan.worker, (seq, raw.decode())))
        if len(latencies) == self.size - self.failed:
            self.pipe.send(("delivered", self.plan.worker, seq))
            # Each socket delivers in seq order, so the last inject everywhere means every inject everywhere.
            if len(self.latencies) >= self.plan.injects:
                self.finished.set()

    def abort_all(self) -> None:
        for console in self.consoles:
            console.abort()


async def _work(plan: WorkerPlan, pipe: Connection) -> None:
    swarm = ConsoleSwarm(plan, pipe)
    report = await swarm.run()
    pipe.send(("done", plan.worker, report.as_message()))
    # Keep the sockets open until every worker is done (see the module docstring).
    await asyncio.to_thread(pipe.recv)
    swarm.abort_all()


def worker_main(plan: WorkerPlan, pipe: Connection) -> None:
    """Entry point of a worker process."""
    prepare_client(plan.niceness)
    try:
        import uvloop
    except ImportError:
        asyncio.run(_work(plan, pipe))
    else:
        uvloop.run(_work(plan, pipe))
