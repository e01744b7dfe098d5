"""The demo's facilitator: starts the exercise, moves scenario time in steps, and ends it at ENDEX.

Between steps the bots settle (see ``player``), so every move lands at a scenario time the script
chose. On the in-process server the pacer moves the server's own clock: nothing happens between
steps, injects fall due at their exact times and runs are identical for a seed. A remote server's
clock runs by itself, so there the pacer jumps to each step with the ordinary ``jump`` command; the
few scenario seconds that pass while the bots answer can shift a score by a hair.
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Protocol

import httpx

from app.bots.server import PublishedCounter
from app.engine.clock import ManualClock
from app.scenario.timefmt import format_scenario_time

EVENTS_PAGE = 5000


class ControlRefused(RuntimeError):
    """The server refused a facilitator command."""


class Pacer(Protocol):
    async def start(self) -> None: ...

    async def advance_to(self, scenario_time: float) -> bool:
        """Move scenario time to ``scenario_time``; False when certainly nothing happened on the way."""
        ...

    async def end(self) -> None: ...


class _Control:
    """Facilitator commands over REST (the same commands as the control console)."""

    def __init__(self, http: httpx.AsyncClient, exercise_id: str) -> None:
        self.http = http
        self.exercise_id = exercise_id
        self._ids = itertools.count(1)

    async def command(self, kind: str, **fields: Any) -> httpx.Response:
        body = {"type": kind, "id": f"demo-{kind}-{next(self._ids)}", **fields}
        return await self.http.post(f"/api/exercises/{self.exercise_id}/commands", json=body)

    async def must(self, kind: str, **fields: Any) -> None:
        response = await self.command(kind, **fields)
        if response.status_code >= 400:
            raise ControlRefused(f"The server refused '{kind}': {_reason(response)}")

    async def start(self) -> None:
        await self.must("start")

    async def end(self) -> None:
        await self.must("end", reason="ENDEX: the bot demo is over")


class ClockPacer(_Control):
    """Moves the in-process server's clock: scenario time = elapsed wall time × compression."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        exercise_id: str,
        clock: ManualClock,
        compression: float,
        published: PublishedCounter | None = None,
    ) -> None:
        super().__init__(http, exercise_id)
        self.clock = clock
        self.compression = compression
        self.published = published
        self._started_at = clock.monotonic()

    async def start(self) -> None:
        self._started_at = self.clock.monotonic()
        await super().start()

    async def advance_to(self, scenario_time: float) -> bool:
        before = self.published.count if self.published is not None else None
        # Measured from STARTEX each time, so rounding never accumulates over hundreds of steps.
        await self.clock.advance_to(self._started_at + scenario_time / self.compression)
        return before is None or self.published is None or self.published.count != before


class JumpPacer(_Control):
    """Jumps a remote server's clock forward to each step."""

    def __init__(self, http: httpx.AsyncClient, exercise_id: str) -> None:
        super().__init__(http, exercise_id)
        self._seen = 0

    async def advance_to(self, scenario_time: float) -> bool:
        response = await self.command("jump", to=format_scenario_time(math.ceil(scenario_time), with_seconds=True))
        if response.status_code >= 400 and not _already_past(response):
            raise ControlRefused(
                f"The server refused to jump to {format_scenario_time(scenario_time)}: {_reason(response)}"
            )
        return await self._news()

    async def _news(self) -> bool:
        """Whether anything but clock jumps was logged since the last look (the server's timers run too)."""
        news = False
        while True:
            response = await self.http.get(
                f"/api/exercises/{self.exercise_id}/events", params={"after": self._seen, "limit": EVENTS_PAGE}
            )
            response.raise_for_status()
            events = response.json()
            if not events:
                return news
            self._seen = int(events[-1]["seq"])
            news = news or any(event["type"] != "clock_jumped" for event in events)


def _reason(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except ValueError:
        return f"HTTP {response.status_code}"
    if isinstance(detail, dict):
        return str(detail.get("message", detail))
    return str(detail or f"HTTP {response.status_code}")


def _already_past(response: httpx.Response) -> bool:
    """The server's own clock got there first, which is fine: time only had to move forward."""
    return response.status_code == 422 and "moves forward" in _reason(response)
