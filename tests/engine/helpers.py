"""Small helpers for driving the engine in tests the way consoles do: with command dicts."""

from __future__ import annotations

import itertools
from typing import Any

from app.cluster.leases import Leases
from app.engine.commands import CommandBase, command_adapter
from app.engine.manager import ExerciseManager
from app.engine.principal import FACILITATOR_PRINCIPAL, Principal
from app.engine.runtime import CommandResult
from tests.conftest import Published

_ids = itertools.count(1)


def released(published: Published) -> list[str]:
    """The injects released so far, in order."""
    return [event.payload["inject_id"] for event in published.of_type("inject_released")]


def command(kind: str, **fields: Any) -> CommandBase:
    fields.setdefault("id", f"cmd-{next(_ids)}")
    return command_adapter.validate_python({"type": kind, **fields})


async def control(manager: ExerciseManager, exercise_id: str, kind: str, **fields: Any) -> CommandResult:
    return await (await manager.runtime(exercise_id)).execute(FACILITATOR_PRINCIPAL, command(kind, **fields))


async def play(manager: ExerciseManager, exercise_id: str, who: Principal, kind: str, **fields: Any) -> CommandResult:
    return await (await manager.runtime(exercise_id)).execute(who, command(kind, **fields))


def seat(team: str, *roles: str) -> Principal:
    return Principal(kind="player", seat_id=f"seat-{team}-{'-'.join(roles)}", team=team, roles=frozenset(roles))


BLUE_LEADER = seat("blue", "leader")
RED_LEADER = seat("red", "leader")
BLUE_DEFENSE = seat("blue", "defense")
RED_DEFENSE = seat("red", "defense")
BLUE_TEAM = seat("blue", "leader", "defense", "diplomacy", "press")


async def take_over(manager: ExerciseManager, exercise_id: str) -> None:
    """What a server does at start for an exercise whose owner is gone: take its lease and recover it."""
    fence = Leases(manager.engine, manager.process_id, "test", ttl=3.0).take(exercise_id)
    assert fence is not None, "the exercise is still owned by a live process"
    await manager.adopt(exercise_id, fence)
