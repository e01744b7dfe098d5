"""The broker: how a process tells the others what it committed (docs/architecture.md, "Fan-out").

Shaped like the ``broadcaster`` package: a backend chosen by URL (``memory://`` for one process,
``redis://host:port/db`` for several) that connects, subscribes, unsubscribes, publishes and hands
over what was published. Unlike ``broadcaster``, every queue is bounded: a process that publishes
faster than the broker takes drops messages rather than grow, and so does one that receives faster
than it can handle them. That is safe because the broker is only a fast path: the event log is the
record, and a process that may have missed a message (a dropped message, a broker restart) is told
through ``on_gap`` and catches up from the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

Handler = Callable[[str, str], Awaitable[None]]
GAP = ("", "")
"""What a backend hands over in place of messages it had to drop."""


class BrokerUnavailable(ConnectionError):
    """The broker cannot be reached (or the connection to it was lost)."""


class BrokerBackend(ABC):
    @abstractmethod
    async def connect(self) -> None: ...

    @abstractmethod
    async def disconnect(self) -> None: ...

    @abstractmethod
    async def subscribe(self, channel: str) -> None: ...

    @abstractmethod
    async def unsubscribe(self, channel: str) -> None: ...

    @abstractmethod
    async def publish(self, channel: str, message: str) -> None: ...

    @abstractmethod
    async def next_published(self) -> tuple[str, str]:
        """The next ``(channel, message)``; ``GAP`` if messages were dropped; raises ``BrokerUnavailable``."""

    def may_have_listeners(self, channel: str) -> bool:
        """False only when certainly no other process listens on ``channel`` (so nothing need be sent)."""
        return True


class _MemoryBus:
    """The channels of one ``memory://`` URL, shared by every broker of this Python process."""

    def __init__(self) -> None:
        self.subscribers: dict[str, set[MemoryBackend]] = {}


_BUSES: dict[str, _MemoryBus] = {}


class MemoryBackend(BrokerBackend):
    """In-process channels: one server process (the default), or several ``Services`` in one test."""

    def __init__(self, name: str, capacity: int) -> None:
        self.bus = _BUSES.setdefault(name, _MemoryBus())
        self.capacity = capacity
        self._queue: deque[tuple[str, str]] = deque()
        self._ready = asyncio.Event()
        self._lost = False
        self._channels: set[str] = set()

    async def connect(self) -> None:
        return None

    async def disconnect(self) -> None:
        for channel in list(self._channels):
            await self.unsubscribe(channel)

    async def subscribe(self, channel: str) -> None:
        self._channels.add(channel)
        self.bus.subscribers.setdefault(channel, set()).add(self)

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)
        subscribers = self.bus.subscribers.get(channel)
        if subscribers is not None:
            subscribers.discard(self)
            if not subscribers:
                del self.bus.subscribers[channel]

    async def publish(self, channel: str, message: str) -> None:
        for subscriber in list(self.bus.subscribers.get(channel, ())):
            if subscriber is not self:  # a process does not tell itself what it just did
                subscriber._offer(channel, message)

    def may_have_listeners(self, channel: str) -> bool:
        return any(subscriber is not self for subscriber in self.bus.subscribers.get(channel, ()))

    def _offer(self, channel: str, message: str) -> None:
        if len(self._queue) >= self.capacity:
            self._lost = True
            return
        self._queue.append((channel, message))
        self._ready.set()

    async def next_published(self) -> tuple[str, str]:
        while True:
            if self._lost:
                self._lost = False
                return GAP
            if self._queue:
                return self._queue.popleft()
            self._ready.clear()
            await self._ready.wait()


class RedisBackend(BrokerBackend):
    """Redis pub/sub. redis-py's own reconnection is turned off: a lost connection must be seen, since
    messages published meanwhile are gone and the process has to catch up from the log."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._client: object | None = None
        self._pubsub: object | None = None

    async def connect(self) -> None:
        try:
            from redis.asyncio import Redis
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff
        except ImportError as missing:  # pragma: no cover - the install hint is the point
            raise BrokerUnavailable(
                "HOTLINE_BROKER_URL names Redis, but the redis package is not installed: pip install 'hotline[redis]'"
            ) from missing
        client = Redis.from_url(
            self.url,
            retry=Retry(NoBackoff(), 0),
            socket_connect_timeout=2,
            socket_keepalive=True,
            health_check_interval=5,
        )
        try:
            await client.ping()
        except Exception as exc:
            await client.aclose()
            raise BrokerUnavailable(f"Redis at {_safe(self.url)} does not answer ({exc})") from exc
        self._client = client
        self._pubsub = client.pubsub(ignore_subscribe_messages=True)

    async def disconnect(self) -> None:
        pubsub, client = self._pubsub, self._client
        self._pubsub = self._client = None
        with contextlib.suppress(Exception):
            if pubsub is not None:
                await pubsub.aclose()  # type: ignore[attr-defined]
        with contextlib.suppress(Exception):
            if client is not None:
                await client.aclose()  # type: ignore[attr-defined]

    async def subscribe(self, channel: str) -> None:
        await self._call(lambda: self._pubsub.subscribe(channel))  # type: ignore[union-attr]

    async def unsubscribe(self, channel: str) -> None:
        await self._call(lambda: self._pubsub.unsubscribe(channel))  # type: ignore[union-attr]

    async def publish(self, channel: str, message: str) -> None:
        await self._call(lambda: self._client.publish(channel, message))  # type: ignore[union-attr]

    async def next_published(self) -> tuple[str, str]:
        while True:
            message: Any = await self._call(lambda: self._pubsub.get_message(timeout=1.0))  # type: ignore[union-attr]
            if message is not None and message.get("type") == "message":
                channel, data = message["channel"], message["data"]
                return _text(channel), _text(data)

    async def _call(self, action: Callable[[], Awaitable[object]]) -> object:
        if self._client is None or self._pubsub is None:
            raise BrokerUnavailable("not connected to Redis")
        try:
            return await action()
        except (OSError, ConnectionError) as exc:
            raise BrokerUnavailable(str(exc)) from exc
        except Exception as exc:
            if type(exc).__module__.startswith("redis"):
                raise BrokerUnavailable(f"{type(exc).__name__}: {exc}") from exc
            raise


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _safe(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}{parts.path}"


def backend_for(url: str, *, capacity: int) -> BrokerBackend:
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        return MemoryBackend(url, capacity)
    if scheme in ("redis", "rediss"):
        return RedisBackend(url)
    raise ValueError(f"HOTLINE_BROKER_URL must start with memory:// or redis://, not {url!r}")


@dataclass
class Broker:
    """The broker as the server uses it: fire-and-forget publishing through a bounded outbox, a bounded
    inbox handed to ``handler`` one message at a time, reconnection with backoff, and ``on_gap`` whenever
    messages may have been missed (dropped, or published while the connection was down)."""

    backend: BrokerBackend
    handler: Handler
    on_gap: Callable[[], None]
    outbox_size: int = 10_000
    inbox_size: int = 10_000
    url: str = ""
    home: str = "hotline:processes"
    """A channel every process listens on (a subscriber with no channel at all cannot wait for messages)."""
    stats: Counter[str] = field(default_factory=Counter)
    """published, dropped_out, received, dropped_in, gaps, connects, failures: for metrics."""
    connected: bool = False
    _channels: set[str] = field(default_factory=set)
    _outbox: asyncio.Queue[tuple[str, str]] = field(init=False)
    _inbox: asyncio.Queue[tuple[str, str]] = field(init=False)
    _subscriptions: asyncio.Queue[tuple[bool, str]] = field(init=False)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _stopping: bool = False

    def __post_init__(self) -> None:
        self._up = asyncio.Event()
        self._outbox = asyncio.Queue(self.outbox_size)
        self._inbox = asyncio.Queue(self.inbox_size)
        self._subscriptions = asyncio.Queue()

    async def start(self, wait_seconds: float = 5.0) -> None:
        """Connect (waiting up to ``wait_seconds`` for the broker; the server starts without it, and
        keeps trying in the background) and start delivering."""
        self._tasks = [
            asyncio.create_task(self._connection(), name="broker-connection"),
            asyncio.create_task(self._dispatch(), name="broker-dispatch"),
        ]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._up.wait(), wait_seconds)
        if not self.connected:
            log.warning("broker %s not reachable yet; going on without it and retrying", _safe(self.url))

    async def stop(self) -> None:
        self._stopping = True
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.backend.disconnect()

    def wanted(self, channel: str) -> bool:
        """Whether a message on ``channel`` may reach another process (one process alone need not encode any)."""
        return self.backend.may_have_listeners(channel)

    def publish(self, channel: str, message: str) -> None:
        """Queue a message for the broker without waiting; dropped (and counted) when the outbox is full."""
        try:
            self._outbox.put_nowait((channel, message))
        except asyncio.QueueFull:
            self.stats["dropped_out"] += 1

    def subscribe(self, channel: str) -> None:
        if channel not in self._channels:
            self._channels.add(channel)
            self._subscriptions.put_nowait((True, channel))

    def unsubscribe(self, channel: str) -> None:
        if channel in self._channels:
            self._channels.discard(channel)
            self._subscriptions.put_nowait((False, channel))

    async def _connection(self) -> None:
        backoff = 0.1
        while not self._stopping:
            try:
                await self.backend.connect()
                for channel in [self.home, *self._channels]:
                    await self.backend.subscribe(channel)
                self._drain_subscriptions()  # all applied just now
                if self.stats["connects"]:
                    log.warning("broker %s reachable again; catching up from the log", _safe(self.url))
                self.stats["connects"] += 1
                self.connected = True
                self._up.set()
                self.on_gap()  # whatever was published while we were away is in the log
                backoff = 0.1
                await self._connected()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self.connected or self.stats["failures"] == 0:
                    log.warning(
                        "broker %s unavailable (%s); delivering from the log until it is back", _safe(self.url), exc
                    )
                self.stats["failures"] += 1
            finally:
                self.connected = False
                self._up.clear()
                await self.backend.disconnect()
            await asyncio.sleep(backoff)
            backoff = min(2.0, backoff * 2)

    async def _connected(self) -> None:
        tasks = [
            asyncio.create_task(self._receive()),
            asyncio.create_task(self._send()),
            asyncio.create_task(self._apply_subscriptions()),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, BrokerUnavailable):
                    await task

    async def _receive(self) -> None:
        while True:
            item = await self.backend.next_published()
            if item == GAP:
                self.stats["gaps"] += 1
                self.on_gap()
                continue
            try:
                self._inbox.put_nowait(item)
                self.stats["received"] += 1
            except asyncio.QueueFull:  # handling is behind: drop, and catch up from the log instead
                self.stats["dropped_in"] += 1
                self.on_gap()

    async def _send(self) -> None:
        while True:
            channel, message = await self._outbox.get()
            await self.backend.publish(channel, message)
            self.stats["published"] += 1

    async def _apply_subscriptions(self) -> None:
        while True:
            wanted, channel = await self._subscriptions.get()
            if wanted and channel in self._channels:
                await self.backend.subscribe(channel)
            elif not wanted and channel not in self._channels:
                await self.backend.unsubscribe(channel)

    def _drain_subscriptions(self) -> None:
        while not self._subscriptions.empty():
            self._subscriptions.get_nowait()

    async def _dispatch(self) -> None:
        while True:
            channel, message = await self._inbox.get()
            try:
                await self.handler(channel, message)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("handling a broker message on %s failed", channel)
