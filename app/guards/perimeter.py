"""The guards one server process keeps for all its exercises, built from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from app.config import Settings
from app.engine.clock import Clock
from app.guards.connections import ConnectionLimits
from app.guards.throttle import FailureThrottle

SIGN_IN_WINDOW_SECONDS = 60.0


@dataclass
class Perimeter:
    sign_ins: FailureThrottle
    connections: ConnectionLimits

    @classmethod
    def of(cls, settings: Settings, clock: Clock) -> Perimeter:
        return cls(
            sign_ins=FailureThrottle(settings.sign_in_failures, SIGN_IN_WINDOW_SECONDS, clock.monotonic),
            connections=ConnectionLimits(settings.max_consoles_per_seat, settings.max_consoles_per_address),
        )
