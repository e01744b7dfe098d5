"""A timer about to fall due goes first: a change that can wait (a console's presence) does not take the
exercise's lock in the moments before a scheduled release, and lets the release through first."""

from __future__ import annotations

import asyncio

from app.engine.clock import ManualClock
from app.engine.manager import ExerciseManager
from app.engine.runtime import TIMER_GUARD_SECONDS
from app.scenario.schema import Scenario
from tests.conftest import Published
from tests.engine.helpers import BLUE_LEADER
from tests.engine.test_lifecycle_and_clock import started


def _order(published: Published) -> list[str]:
    return [
        e.payload.get("inject_id", e.type.value)
        for e in published.events
        if e.type.value in ("inject_released", "presence_changed")
    ]


async def test_presence_written_just_before_a_release_waits_for_it(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)  # I2 falls due a minute from now
    await clock.advance(60 - TIMER_GUARD_SECONDS / 2)
    online = asyncio.ensure_future(manager.sync_presence(exercise_id, BLUE_LEADER, lambda connection: 1))
    await asyncio.sleep(0.2)  # time enough for its transaction, had it gone ahead
    assert _order(published) == ["I1"]
    await clock.advance(TIMER_GUARD_SECONDS)
    await online
    assert _order(published) == ["I1", "I2", "presence_changed"]


async def test_presence_with_no_release_near_goes_at_once(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await clock.advance(30)
    await asyncio.wait_for(manager.sync_presence(exercise_id, BLUE_LEADER, lambda connection: 1), 5)
    assert _order(published) == ["I1", "presence_changed"]
