"""A bot at a team console: a real websocket client that feeds its policy and sends what it plans.

``settle(now)`` is the whole loop, driven by the pacer at fixed scenario times: a ping first (the
server answers in order on the same connection, so the pong proves that every event published before
it has arrived), then every new event goes to the policy in seq order, then each plan due by ``now``
runs and its commands are sent one by one, each acknowledged before the next. Nothing depends on how
fast the machine is, only on the events and the scenario times the pacer sets. On the in-process
server the pacer can also say how long the log is, and a bot skips the ping when nothing has been
published since its last one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import websockets

from app.bots.catalog import TeamCatalog
from app.bots.policies import make_policy
from app.bots.policy import Command, Policy
from app.realtime.client import ConsoleClient


@dataclass(frozen=True)
class JournalEntry:
    """One command a bot sent and what became of it."""

    at: float
    plan: str
    command: str
    refused: str | None = None


class BotError(RuntimeError):
    """The bot could not go on (the connection dropped, or the server stopped answering)."""


class _Throttle:
    """Keeps a bot under a remote server's per-connection rate limit (messages per wall second)."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.updated = time.monotonic()

    async def wait(self) -> None:
        now = time.monotonic()
        self.tokens = min(float(self.burst), self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1.0:
            await asyncio.sleep((1.0 - self.tokens) / self.rate)
            self.tokens = 1.0
            self.updated = time.monotonic()
        self.tokens -= 1.0


class BotPlayer:
    def __init__(
        self,
        base_url: str,
        exercise_id: str,
        token: str,
        policy: str,
        seed: int,
        *,
        rate_limit: float | None = None,
        log_position: Callable[[], int] | None = None,
        tempo: float = 1.0,
    ) -> None:
        self.client = ConsoleClient(base_url, exercise_id, token=token)
        self.policy_name = policy
        self.seed = seed
        self.tempo = tempo
        self.journal: list[JournalEntry] = []
        self._policy: Policy | None = None
        self._fed = 0
        self._sent = 0
        self._throttle = _Throttle(rate_limit, max(1, int(rate_limit))) if rate_limit else None
        self._log_position = log_position
        self._synced_at: int | None = None

    @property
    def policy(self) -> Policy:
        if self._policy is None:
            raise BotError("The bot has not joined yet.")
        return self._policy

    @property
    def team(self) -> str:
        return self.policy.catalog.team

    @property
    def refusals(self) -> list[JournalEntry]:
        return [entry for entry in self.journal if entry.refused is not None]

    async def join(self) -> None:
        hello = await self.client.connect(resume=False)
        if hello["you"].get("kind") != "player" or not hello["you"].get("team"):
            raise BotError("A bot needs a player seat of one team.")
        self._policy = make_policy(self.policy_name, TeamCatalog.from_hello(hello), self.seed, self.tempo)
        # The server marks the seat online after hello; the pong proves it has, so the next bot's
        # arrival is logged after this one's and the log is the same on every run.
        await self._exchange({"type": "ping"})

    async def leave(self) -> None:
        await self.client.close()

    def next_due(self) -> float | None:
        return self.policy.next_due()

    async def settle(self, now: float) -> int:
        """Catch up with everything published so far and do what is due by ``now``; returns commands sent."""
        policy = self.policy
        if self._log_position is None or self._log_position() != self._synced_at:
            await self._exchange({"type": "ping"})
        policy.situation.now = max(policy.situation.now, now)
        self._feed()
        sent = 0
        while (plan := policy.pop_due(now)) is not None:
            for command in plan.run():
                await self._send(plan.label, command)
                sent += 1
                self._feed()  # our own events arrive before the ack, so the next command knows them
        if self._log_position is not None:
            # Nothing but this bot acted since the ping, and its own events came before their acks:
            # until the log grows again there is nothing more to wait for.
            self._synced_at = self._log_position()
        return sent

    def _feed(self) -> None:
        events = self.client.events
        while self._fed < len(events):
            self.policy.observe(events[self._fed])
            self._fed += 1

    async def _send(self, label: str, command: Command) -> None:
        self._sent += 1
        reply = await self._exchange({**command, "id": f"bot-{self.team}-{self._sent}"})
        refused = f"{reply.get('code')}: {reply.get('message')}" if reply.get("type") == "error" else None
        self.journal.append(JournalEntry(self.policy.situation.now, label, str(command["type"]), refused))

    async def _exchange(self, message: dict[str, Any]) -> dict[str, Any]:
        if self._throttle is not None:
            await self._throttle.wait()
        try:
            return await self.client.request(message)
        except (TimeoutError, ConnectionError, websockets.ConnectionClosed) as exc:
            raise BotError(f"The {self.policy.catalog.team} bot lost its connection to the server ({exc}).") from exc
