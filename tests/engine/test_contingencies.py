"""Contingency injects fire on conditions, in scenario time."""

from __future__ import annotations

from app.engine.clock import ManualClock
from app.engine.manager import ExerciseManager
from app.scenario.schema import Scenario
from tests.conftest import Published
from tests.engine.helpers import BLUE_LEADER, RED_LEADER, control, play, released
from tests.engine.test_lifecycle_and_clock import started


async def test_no_contact_fires_when_leaders_stay_silent(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    await started(manager, mini, compression=60)
    await clock.advance(3 * 60 - 0.01)
    assert "C1" not in released(published)
    await clock.advance(0.01)
    assert "C1" in released(published)
    assert published.of_type("inject_released")[-1].payload["cause"] == "contingency"


async def test_no_contact_does_not_fire_after_a_substantive_call(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await play(manager, exercise_id, RED_LEADER, "call_request")
    await play(manager, exercise_id, BLUE_LEADER, "call_accept", call_id="call-1")
    await play(manager, exercise_id, BLUE_LEADER, "call_message", call_id="call-1", facts="Our aircraft landed safely")
    await clock.advance(5 * 60)
    assert "C1" not in released(published)


async def test_action_taken_fires_after_its_delay(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await play(manager, exercise_id, BLUE_LEADER, "take_action", action_id="show-of-force")  # blue does not count
    await clock.advance(60)
    assert "C2" not in released(published)
    await play(manager, exercise_id, RED_LEADER, "take_action", action_id="show-of-force")
    await clock.advance(29.9)
    assert "C2" not in released(published)
    await clock.advance(0.1)
    assert "C2" in released(published)


async def test_inject_released_chain_and_band_reached(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await clock.advance(2 * 60)  # I3 at T+02:00
    assert "I3" in released(published)
    assert "C3" not in released(published)
    await clock.advance(60)  # C3 one hour after I3
    assert "C3" in released(published)
    await play(manager, exercise_id, RED_LEADER, "take_action", action_id="blockade")
    assert released(published)[-1] == "C4"  # band 4 reached, no delay: at once


async def test_held_contingency_waits_for_the_facilitator(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await control(manager, exercise_id, "hold_inject", inject_id="C1")
    await clock.advance(4 * 60)
    assert "C1" not in released(published)
    await control(manager, exercise_id, "fire_inject", inject_id="C1")
    assert released(published)[-1] == "C1"
