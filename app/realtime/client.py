"""A Python console client for the public websocket protocol (used by bots, the benchmark and tests).

It joins, keeps every event it receives in seq order, refuses to count an event twice, resumes from
its last seq after a reconnect, and matches each command's ``ack`` or ``error`` by the command id.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import uuid
from collections.abc import Callable
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

from app.realtime.protocol import PROTOCOL_VERSION

EventPredicate = Callable[[dict[str, Any]], bool]


class CommandRefused(Exception):
    def __init__(self, reply: dict[str, Any]) -> None:
        super().__init__(f"{reply.get('code')}: {reply.get('message')}")
        self.code = str(reply.get("code"))
        self.reply = reply


class JoinRefused(ConnectionError):
    """The server closed the socket instead of answering the join."""

    def __init__(self, code: int | None, reason: str) -> None:
        super().__init__(f"join refused ({code}): {reason}")
        self.code = code
        self.reason = reason


class ConsoleClient:
    def __init__(
        self,
        base_url: str,
        exercise_id: str,
        *,
        token: str | None = None,
        secret: str | None = None,
        origin: str | None = None,
        keep_all: bool = False,
    ) -> None:
        ws_base = base_url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/")
        path = "control" if secret is not None else "exercises"
        self.url = f"{ws_base}/ws/{path}/{exercise_id}"
        self.token = token
        self.secret = secret
        self.origin = origin
        self.hello: dict[str, Any] | None = None
        self.events: list[dict[str, Any]] = []
        self.other: list[dict[str, Any]] = []
        self.duplicates = 0
        self.gaps = 0
        self.last_seq = 0
        self.live = asyncio.Event()
        self.closed: asyncio.Future[tuple[int | None, str]] | None = None
        self._socket: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._replies: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._changed = asyncio.Condition()
        self._ids = itertools.count(1)
        self._prefix = uuid.uuid4().hex[:8]
        self.listeners: list[Callable[[dict[str, Any]], None]] = []
        self.keep_all = keep_all
        self.received: list[dict[str, Any]] = []
        """With ``keep_all``: every message the server sent, as it came (hello included)."""

    @property
    def you(self) -> dict[str, Any]:
        assert self.hello is not None, "not joined"
        return dict(self.hello["you"])

    @property
    def snapshot(self) -> dict[str, Any]:
        assert self.hello is not None, "not joined"
        return dict(self.hello["snapshot"])

    async def connect(self, *, resume: bool = True, timeout: float = 10.0) -> dict[str, Any]:
        """Join (or rejoin from the last seq seen); returns ``hello``."""
        headers = {"Origin": self.origin} if self.origin else None
        await self._forget_socket()
        self._socket = await websockets.connect(self.url, additional_headers=headers, max_size=2**22)
        self.live = asyncio.Event()
        self.closed = asyncio.get_running_loop().create_future()
        join: dict[str, Any] = {
            "type": "join",
            "protocol": PROTOCOL_VERSION,
            "last_seq": self.last_seq if resume else 0,
        }
        if self.secret is not None:
            join["secret"] = self.secret
        else:
            join["token"] = self.token
        try:
            await self._socket.send(json.dumps(join))
            first = json.loads(await asyncio.wait_for(self._socket.recv(), timeout))
        except websockets.ConnectionClosed as closed:
            received = closed.rcvd
            raise JoinRefused(received.code if received else None, received.reason if received else "") from None
        if first.get("type") != "hello":
            raise ConnectionError(f"expected hello, got {first}")
        self.hello = first
        if self.keep_all:
            self.received.append(first)
        if not resume:
            self.events.clear()
            self.last_seq = 0
        self._reader = asyncio.create_task(self._read(self._socket))
        return first

    async def _read(self, socket: ClientConnection) -> None:
        try:
            async for raw in socket:
                self._dispatch(json.loads(raw))
        except websockets.ConnectionClosed:
            pass
        finally:
            close = socket.close_code, socket.close_reason or ""
            if self.closed is not None and not self.closed.done():
                self.closed.set_result(close)
            for future in self._replies.values():
                if not future.done():
                    future.set_exception(ConnectionError(f"connection closed {close}"))
            self._replies.clear()
            async with self._changed:
                self._changed.notify_all()

    def _dispatch(self, message: dict[str, Any]) -> None:
        if self.keep_all:
            self.received.append(message)
        kind = message.get("type")
        if kind == "event":
            event = message["event"]
            seq = int(event["seq"])
            if seq <= self.last_seq:
                self.duplicates += 1
                return
            self.last_seq = seq
            self.events.append(event)
            for listener in self.listeners:
                listener(event)
        elif kind == "live":
            self.live.set()
        elif kind in ("ack", "error", "pong") and message.get("id") in self._replies:
            future = self._replies.pop(message["id"])
            if not future.done():
                future.set_result(message)
            if kind == "error":
                self.other.append(message)
        else:
            self.other.append(message)
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def new_id(self) -> str:
        return f"{self._prefix}-{next(self._ids)}"

    async def send_raw(self, text: str | bytes) -> None:
        assert self._socket is not None
        await self._socket.send(text)

    async def request(self, command: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
        """Send a command and wait for its ack or error (returned, not raised)."""
        command = {**command}
        command.setdefault("id", self.new_id())
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._replies[command["id"]] = future
        try:
            await self.send_raw(json.dumps(command))
        except BaseException:
            # Nobody will await this reply: drop it, and mark a failure the reader may already have set as seen.
            self._replies.pop(command["id"], None)
            if future.done() and not future.cancelled():
                future.exception()
            future.cancel()
            raise
        return await asyncio.wait_for(future, timeout)

    async def command(self, command: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
        """Send a command; raise ``CommandRefused`` if the server refuses it."""
        reply = await self.request(command, timeout)
        if reply["type"] == "error":
            raise CommandRefused(reply)
        return reply

    async def wait_for(self, predicate: EventPredicate, timeout: float = 10.0, since: int = 0) -> dict[str, Any]:
        """The first event after index ``since`` matching ``predicate``, waiting for it if need be."""

        async def find() -> dict[str, Any]:
            async with self._changed:
                while True:
                    for event in self.events[since:]:
                        if predicate(event):
                            return event
                    if self.closed is not None and self.closed.done():
                        raise ConnectionError(f"connection closed {self.closed.result()}")
                    await self._changed.wait()

        return await asyncio.wait_for(find(), timeout)

    async def wait_type(self, kind: str, timeout: float = 10.0, **payload: Any) -> dict[str, Any]:
        return await self.wait_for(
            lambda e: e["type"] == kind and all(e["payload"].get(k) == v for k, v in payload.items()), timeout
        )

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event["type"] == kind]

    async def drop(self) -> None:
        """Cut the connection abruptly, as a network failure would."""
        if self._socket is not None:
            self._socket.transport.abort()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    async def close(self) -> None:
        await self._forget_socket()

    async def _forget_socket(self) -> None:
        if self._socket is not None:
            with contextlib.suppress(Exception):
                await self._socket.close()
            self._socket = None
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
            self._reader = None
