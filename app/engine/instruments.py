"""What the engine tells the outside about its work, for metrics: commands, appends, commits, timers.

The engine calls these hooks and knows nothing of Prometheus: ``app.ops.metrics`` implements them for a
server, and the default here does nothing (the CLI, tests, the demo's scratch server). None is called
per delivered message, only per command, per committed batch and per timer.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.engine.events import Event


class Instruments:
    def command_done(self, kind: str, outcome: str, seconds: float) -> None:
        """A command was handled: ``outcome`` is applied, duplicate, or the refusal's error code."""

    def appended(self, events: Sequence[Event]) -> None:
        """Events were committed to the log by this process (the transaction's time comes from
        ``Database.timings``, which sees it on its database thread)."""

    def timer_fired(self, lateness: float) -> None:
        """The schedule's timer ran ``lateness`` seconds after its deadline."""


NO_INSTRUMENTS = Instruments()
