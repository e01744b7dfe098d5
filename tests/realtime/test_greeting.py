"""Hellos are encoded once per seat and log position, yet each console's says the scenario time of its own
join and what the log holds when it joins."""

from __future__ import annotations

import json

from app.engine.clock import ManualClock
from app.engine.manager import ExerciseManager
from app.realtime.greeting import Greetings
from app.scenario.schema import Scenario
from tests.engine.helpers import BLUE_LEADER, RED_LEADER, control
from tests.engine.test_lifecycle_and_clock import started
from tests.realtime.conftest import LiveServer, seat_token


async def test_a_hello_says_the_scenario_time_of_its_own_join(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    runtime = await manager.runtime(exercise_id)
    greetings = Greetings("test")
    first = json.loads(greetings.hello(runtime, BLUE_LEADER, 0))
    await clock.advance(7.5)  # nothing falls due: the log stands still, the scenario clock moves
    second = json.loads(greetings.hello(runtime, BLUE_LEADER, 0))
    assert second["snapshot"]["scenario_time"] - first["snapshot"]["scenario_time"] == 7.5 * 60
    assert second["snapshot"]["scenario_time"] == runtime.now()
    second["snapshot"]["scenario_time"] = first["snapshot"]["scenario_time"]
    assert second == first

    red = json.loads(greetings.hello(runtime, RED_LEADER, 0))
    assert red["you"]["team"] == "red" and red["snapshot"] != first["snapshot"]

    await control(manager, exercise_id, "pause", reason="Coffee")
    paused = json.loads(greetings.hello(runtime, BLUE_LEADER, 0))
    assert paused["snapshot"]["status"] == "paused" and paused["snapshot"]["pause_reason"] == "Coffee"
    assert paused["last_seq"] == first["last_seq"] + 1


async def test_a_console_resuming_is_told_where_its_replay_starts(live: LiveServer) -> None:
    exercise = await live.create_exercise()
    await live.control(exercise["id"], "start")
    token = seat_token(exercise, "red", "leader")
    fresh = live.console(exercise["id"], token)
    resuming = live.console(exercise["id"], token)
    resuming.last_seq = 2
    await fresh.connect()
    await resuming.connect()
    assert fresh.hello is not None and resuming.hello is not None
    assert (fresh.hello["replay_from"], resuming.hello["replay_from"]) == (0, 2)
    for console in (fresh, resuming):
        await console.close()
