"""Scenario-time arithmetic on a clock anchor (docs/architecture.md, "Time").

The stored anchor says: at wall time ``wall`` the scenario time was ``scenario``, advancing at
``compression`` scenario seconds per wall second while ``running``. Everything else is derived, so a
restarted server recomputes the clock exactly.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.engine.events import ClockAnchor


def scenario_at(anchor: ClockAnchor | None, wall: datetime) -> float:
    """Scenario seconds at ``wall`` (0 before STARTEX)."""
    if anchor is None:
        return 0.0
    if not anchor.running:
        return anchor.scenario
    elapsed = (wall - anchor.wall).total_seconds()
    return anchor.scenario + max(0.0, elapsed) * anchor.compression


def reanchor(
    anchor: ClockAnchor,
    wall: datetime,
    *,
    running: bool | None = None,
    compression: float | None = None,
    scenario: float | None = None,
) -> ClockAnchor:
    """A new anchor at ``wall`` that continues ``anchor`` without a jump unless ``scenario`` is given."""
    return ClockAnchor(
        wall=wall,
        scenario=scenario_at(anchor, wall) if scenario is None else scenario,
        compression=anchor.compression if compression is None else compression,
        running=anchor.running if running is None else running,
    )


def wall_seconds_until(anchor: ClockAnchor, wall: datetime, scenario_time: float) -> float | None:
    """Wall seconds from ``wall`` until the scenario reaches ``scenario_time``; None while paused."""
    if not anchor.running:
        return None
    return max(0.0, (scenario_time - scenario_at(anchor, wall)) / anchor.compression)


def wall_at(anchor: ClockAnchor | None, scenario_time: float) -> datetime | None:
    """Wall time at which the running scenario reaches ``scenario_time``; None while paused, or when the
    anchor is already past it (it was reached before the clock last moved: a jump, a resume)."""
    if anchor is None or not anchor.running or scenario_time <= anchor.scenario:
        return None
    return anchor.wall + timedelta(seconds=(scenario_time - anchor.scenario) / anchor.compression)
