"""The consoles of a chaos run: a control console that sees every event, and two team consoles that keep
sending commands the way the browser does: each with its own id, resent with the same id after a dropped
connection until the server answers it."""

from __future__ import annotations

import asyncio
import contextlib
import random
from dataclasses import dataclass, field
from typing import Any

import websockets

from app.realtime.client import ConsoleClient, JoinRefused

RECONNECT_PAUSE = 0.2
IN_FLIGHT = 3


@dataclass
class Sent:
    command: dict[str, Any]
    seqs: list[int] | None = None  # the seqs of its ack; None until one arrives
    refused: str | None = None  # the error code, when the server refused it
    resent: int = 0


@dataclass
class Player:
    """One team console, playing at random until stopped; ``sent`` keeps every command and its answer."""

    console: ConsoleClient
    rng: random.Random
    sent: dict[str, Sent] = field(default_factory=dict)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    """Set while the console is joined (cleared from a drop until it is back and has resent)."""
    stopping: bool = False

    def unanswered(self) -> list[Sent]:
        return [item for item in self.sent.values() if item.seqs is None and item.refused is None]

    def next_command(self) -> dict[str, Any]:
        team = self.console.you["team"]
        other = "red" if team == "blue" else "blue"
        kind = self.rng.choice(["chat", "chat", "action", "statement", "cable"])
        if kind == "chat":
            return {"type": "send_chat", "text": f"{team} thinks aloud #{len(self.sent)}"}
        if kind == "action":
            return {"type": "take_action", "action_id": self.rng.choice(["consult", "verify", "show-of-force"])}
        if kind == "statement":
            return {"type": "publish_statement", "text": f"{team} says something #{len(self.sent)}"}
        return {"type": "send_cable", "subject": f"To {other}", "text": f"A cable from {team}"}

    async def send(self, item: Sent) -> None:
        try:
            reply = await self.console.request(item.command, timeout=5)
        except (ConnectionError, TimeoutError, OSError, websockets.ConnectionClosed):
            return  # answered after the reconnect, when it is resent
        if reply["type"] == "ack":
            item.seqs = list(reply["seqs"])
        else:
            item.refused = str(reply["code"])

    async def play(self) -> None:
        """About eight commands a second, up to ``IN_FLIGHT`` of them unanswered at once, as a busy team sends."""
        flying: set[asyncio.Task[None]] = set()
        while not self.stopping:
            if self.console.closed is not None and self.console.closed.done():
                await asyncio.gather(*flying, return_exceptions=True)
                await self.reconnect()
                continue
            if len(flying) < IN_FLIGHT:
                command = {**self.next_command(), "id": self.console.new_id()}
                item = Sent(command)
                self.sent[command["id"]] = item
                task = asyncio.create_task(self.send(item))
                flying.add(task)
                task.add_done_callback(flying.discard)
            await asyncio.sleep(self.rng.uniform(0.05, 0.2))
        await asyncio.gather(*flying, return_exceptions=True)

    async def reconnect(self) -> None:
        self.connected.clear()
        while not self.stopping:
            try:
                await self.console.connect()  # resumes from the last seq it saw
                break
            except (ConnectionError, OSError, TimeoutError, JoinRefused):
                await asyncio.sleep(RECONNECT_PAUSE)
        for item in self.unanswered():  # as the browser does: the same id again
            item.resent += 1
            await self.send(item)
        self.connected.set()


async def keep_connected(console: ConsoleClient, stopping: asyncio.Event) -> None:
    """The control console: reconnect after every drop, resuming from the last seq it saw."""
    while not stopping.is_set():
        if console.closed is not None and not console.closed.done():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(console.closed), 0.5)
            continue
        try:
            await console.connect()
        except (ConnectionError, OSError, TimeoutError, JoinRefused):
            await asyncio.sleep(RECONNECT_PAUSE)
