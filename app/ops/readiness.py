"""Whether this process should be sent traffic: ``/api/ready``, as a load balancer or orchestrator asks.

``/api/health`` says only that the process answers. Ready means more: the database answers, its schema
is the one this version of Hotline migrates to, the broker (when one is set) answers, and the process
is not shutting down. Each check has a time limit, so a hung database makes the answer "not ready"
rather than no answer. The reasons name what failed, never an address or a credential.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import Engine, text

from app.cluster.broker import Broker
from app.db import head_revision, schema_revision

CHECK_SECONDS = 2.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def database_check(engine: Engine) -> list[Check]:
    """Blocking: the database answers, and its schema revision is this server's newest."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            revision = schema_revision(connection)
    except Exception as exc:
        return [Check("database", False, f"unreachable ({type(exc).__name__})")]
    head = head_revision()
    schema = Check("migrations", True, f"at {head}")
    if revision != head:
        schema = Check("migrations", False, f"at {revision or 'none'}, this server needs {head}")
    return [Check("database", True, "answers"), schema]


def broker_check(broker: Broker) -> Check:
    """Connected to the broker; a process alone on ``memory://`` always is."""
    if broker.url.startswith("memory"):
        return Check("broker", True, "in this process")
    if broker.connected:
        return Check("broker", True, "connected")
    return Check("broker", False, "not connected (consoles are served from the log until it is back)")


class SingleFlight:
    """At most one check of a kind running at a time: while a hung database holds one database thread,
    checks asked for meanwhile wait for that one instead of taking every other thread too."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._running: asyncio.Future[list[Check]] | None = None

    async def check(self, start: Callable[[], Awaitable[list[Check]]]) -> list[Check]:
        if self._running is None or self._running.done():
            self._running = asyncio.ensure_future(start())
        try:
            return await asyncio.wait_for(asyncio.shield(self._running), timeout=CHECK_SECONDS)
        except TimeoutError:
            return [Check(self.name, False, f"no answer within {CHECK_SECONDS:.0f} s")]
        except Exception as exc:  # the database threads are shutting down, say
            return [Check(self.name, False, f"not checked ({type(exc).__name__})")]
