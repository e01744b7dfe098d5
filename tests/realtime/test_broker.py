"""The broker: messages reach the other processes, and a process that may have missed any is told so."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import pytest

from app.cluster.broker import Broker, backend_for
from tests.cluster.conftest import redis_available
from tests.conftest import skip_or_fail


class Inbox:
    def __init__(self, blocked: bool = False) -> None:
        self.messages: list[tuple[str, str]] = []
        self.gaps = 0
        self.release = asyncio.Event()
        if not blocked:
            self.release.set()

    async def handle(self, channel: str, message: str) -> None:
        await self.release.wait()
        self.messages.append((channel, message))

    def gap(self) -> None:
        self.gaps += 1


async def wait_for(condition: Callable[[], object], timeout: float = 5.0) -> None:
    for _ in range(int(timeout * 100)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


def broker(url: str, inbox: Inbox, **options: int) -> Broker:
    return Broker(backend_for(url, capacity=10_000), inbox.handle, inbox.gap, url=url, **options)


@pytest.mark.parametrize("kind", ["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def test_what_one_process_publishes_reaches_the_others_that_listen(kind: str) -> None:
    if kind == "redis":
        reason = redis_available()
        if reason:
            skip_or_fail(reason)
        url = "redis://127.0.0.1:6379/0"
    else:
        url = f"memory://{uuid.uuid4().hex}"
    channel = f"hotline-test-{uuid.uuid4().hex[:12]}:exercise:ex_1"
    listening, deaf = Inbox(), Inbox()
    first, second, third = broker(url, Inbox()), broker(url, listening), broker(url, deaf)
    for each in (first, second, third):
        await each.start()
    second.subscribe(channel)
    await asyncio.sleep(0.2)  # the subscription reaches the broker
    first.publish(channel, "seq 7")
    await wait_for(lambda: listening.messages)
    assert listening.messages == [(channel, "seq 7")] and deaf.messages == []
    for each in (first, second, third):
        await each.stop()


async def test_a_process_that_falls_behind_drops_messages_and_is_told_to_catch_up() -> None:
    url = f"memory://{uuid.uuid4().hex}"
    slow = Inbox(blocked=True)
    sender, receiver = broker(url, Inbox()), broker(url, slow, inbox_size=4)
    await sender.start()
    await receiver.start()
    receiver.subscribe("ch")
    await asyncio.sleep(0.05)
    gaps_at_start = slow.gaps  # connecting counts as one: whatever was published before is in the log
    for number in range(20):
        sender.publish("ch", str(number))
    await wait_for(lambda: receiver.stats["dropped_in"] > 0)
    assert slow.gaps > gaps_at_start  # told: the log has what was dropped
    slow.release.set()
    await wait_for(lambda: len(slow.messages) >= 4)
    await asyncio.sleep(0.05)
    assert len(slow.messages) < 20  # bounded: what did not fit was dropped, not queued without end
    await sender.stop()
    await receiver.stop()
