"""The exercise lifecycle and the scenario clock: compression, pause, resume, jump, never early."""

from __future__ import annotations

import pytest

from app.engine.clock import ManualClock
from app.engine.commands import CommandError
from app.engine.manager import ExerciseManager
from app.engine.scheduler import first_due_by
from app.engine.state import initial_state
from app.engine.visibility import Viewer, view_for
from app.scenario.schema import Scenario
from app.scoring import score
from app.scoring.live import team_card
from tests.conftest import Published
from tests.engine.helpers import BLUE_LEADER, control, play


async def started(manager: ExerciseManager, mini: Scenario, compression: float = 60) -> str:
    exercise = await manager.create(mini, compression=compression)
    await control(manager, exercise.id, "open_lobby")
    await control(manager, exercise.id, "start")
    return exercise.id


async def test_lifecycle_moves_draft_lobby_running_paused_ended(manager: ExerciseManager, mini: Scenario) -> None:
    exercise = await manager.create(mini)
    assert (await manager.row(exercise.id)).status == "draft"
    with pytest.raises(CommandError, match="Open the lobby first"):
        await control(manager, exercise.id, "start")
    await control(manager, exercise.id, "open_lobby")
    await control(manager, exercise.id, "start")
    assert (await manager.row(exercise.id)).status == "running"
    await control(manager, exercise.id, "pause", reason="Coffee")
    assert (await manager.row(exercise.id)).status == "paused"
    assert (await manager.runtime(exercise.id)).state.pause_reason == "Coffee"
    await control(manager, exercise.id, "resume")
    await control(manager, exercise.id, "end")
    assert (await manager.row(exercise.id)).status == "ended"
    with pytest.raises(CommandError, match="while the exercise is ended"):
        await control(manager, exercise.id, "resume")


async def test_refused_command_changes_nothing(manager: ExerciseManager, mini: Scenario) -> None:
    exercise_id = await started(manager, mini)
    before = (await manager.runtime(exercise_id)).state.last_seq
    with pytest.raises(CommandError):
        await control(manager, exercise_id, "resume")
    assert (await manager.runtime(exercise_id)).state.last_seq == before
    assert manager.store.last_seq(exercise_id) == before


async def test_scenario_time_follows_compression(manager: ExerciseManager, clock: ManualClock, mini: Scenario) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await clock.advance(30)  # 30 wall seconds at 60x is 30 scenario minutes
    assert (await manager.runtime(exercise_id)).now() == pytest.approx(1800)
    await control(manager, exercise_id, "set_compression", compression=120)
    await clock.advance(30)
    assert (await manager.runtime(exercise_id)).now() == pytest.approx(1800 + 3600)


async def test_pause_freezes_time_and_resume_continues_without_drift(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    runtime = await manager.runtime(exercise_id)
    await clock.advance(10)
    await control(manager, exercise_id, "pause", reason="Lunch")
    await clock.advance(3600)
    assert runtime.now() == pytest.approx(600)
    await control(manager, exercise_id, "resume")
    await clock.advance(10)
    assert runtime.now() == pytest.approx(1200)


async def test_inject_is_released_on_time_and_never_early(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    await started(manager, mini, compression=60)
    assert [e.payload["inject_id"] for e in published.of_type("inject_released")] == ["I1"]
    await clock.advance(59.999)  # I2 is due at T+01:00, 60 wall seconds in
    assert [e.payload["inject_id"] for e in published.of_type("inject_released")] == ["I1"]
    await clock.advance(0.001)
    released = published.of_type("inject_released")
    assert [e.payload["inject_id"] for e in released] == ["I1", "I2"]
    assert released[1].scenario_time == pytest.approx(3600)
    assert released[1].payload["late"] is False


async def test_paused_exercise_releases_nothing(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await control(manager, exercise_id, "pause", reason="Discussion")
    await clock.advance(10_000)
    assert [e.payload["inject_id"] for e in published.of_type("inject_released")] == ["I1"]


async def test_jump_releases_passed_injects_in_order_marked_as_jump(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await control(manager, exercise_id, "skip_inject", inject_id="I3")
    await control(manager, exercise_id, "jump", to="T+07:00")
    released = [(e.payload["inject_id"], e.payload["cause"]) for e in published.of_type("inject_released")]
    assert released == [("I1", "schedule"), ("I2", "jump"), ("C1", "jump"), ("I4", "jump")]
    assert (await manager.runtime(exercise_id)).now() == pytest.approx(7 * 3600)
    with pytest.raises(CommandError, match="A jump moves forward"):
        await control(manager, exercise_id, "jump", to="T+01:00")


async def test_fire_hold_skip_and_unhold(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await control(manager, exercise_id, "hold_inject", inject_id="I2")
    await clock.advance(61)
    assert (await manager.runtime(exercise_id)).state.injects["I2"].status == "held"
    await control(manager, exercise_id, "fire_inject", inject_id="I3")
    assert published.of_type("inject_released")[-1].payload == published.of_type("inject_released")[-1].payload | {
        "inject_id": "I3",
        "cause": "fire",
    }
    with pytest.raises(CommandError, match="already been released"):
        await control(manager, exercise_id, "fire_inject", inject_id="I3")
    await control(manager, exercise_id, "unhold_inject", inject_id="I2")  # overdue: goes out at once
    assert (await manager.runtime(exercise_id)).state.injects["I2"].status == "released"
    await control(manager, exercise_id, "skip_inject", inject_id="I4")
    await clock.advance(10 * 3600 / 60)
    assert (await manager.runtime(exercise_id)).state.injects["I4"].status == "skipped"


async def test_adhoc_inject_reaches_its_audience(
    manager: ExerciseManager, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini)
    await control(
        manager, exercise_id, "adhoc_inject", audience={"team": "red"}, channel="news", title="Flash", text="Breaking"
    )
    event = published.events[-1]
    assert event.payload["inject_id"] == "adhoc-1"
    assert event.audience == ["team:red"]
    with pytest.raises(CommandError, match="no team 'green'"):
        await control(manager, exercise_id, "adhoc_inject", audience="green", channel="news", title="x", text="y")


async def test_an_adhoc_inject_attributed_to_a_side_is_scored_as_its_move_and_seen_only_by_control(
    manager: ExerciseManager, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini)
    rammed = {"side": "red", "band": 3, "weight": -7, "lifted_by": ["apologise"]}
    await control(
        manager,
        exercise_id,
        "adhoc_inject",
        channel="news",
        title="They rammed us",
        text="A cutter hit our trawler.",
        attribution=rammed,
    )
    event = published.events[-1]
    assert event.internal == {"attribution": {**rammed, "weight": -7.0, "duration": None}}
    for team in ("blue", "red"):
        seen = view_for(Viewer(kind="player", team=team, roles=frozenset({"leader"})), event)
        assert seen is not None and seen.internal is None, "players never see whose act control said it was"
    observer = view_for(Viewer(kind="observer"), event)
    assert observer is not None and observer.internal == event.internal

    await play(manager, exercise_id, BLUE_LEADER, "take_action", action_id="show-of-force")
    events = published.events
    card = team_card(mini, events, "blue")
    assert card.teams["blue"].metrics["OV"].value == score(mini, events).teams["blue"].metrics["OV"].value == 100.0, (
        "Washington's card, like control's, measures its show of force against the act Beijing is said to have done"
    )

    for attribution, refusal in (
        ({"side": "green", "band": 2, "weight": -5}, "no team 'green'"),
        ({"side": "red", "band": 2, "weight": -5, "duration": "00:00"}, "duration above zero"),
        ({"side": "red", "band": 2, "weight": -5, "lifted_by": ["nope"]}, "no action 'nope'"),
    ):
        with pytest.raises(CommandError, match=refusal):
            await control(
                manager, exercise_id, "adhoc_inject", channel="news", title="x", text="y", attribution=attribution
            )
    assert (await manager.runtime(exercise_id)).state.adhoc_count == 1, "a refused inject changes nothing"


async def test_events_are_committed_before_they_are_published(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    seen_in_db: list[bool] = []
    original = manager._publish

    def checking(exercise_id: str, events: list) -> None:  # type: ignore[type-arg]
        stored = {e.seq for e in manager.store.read(exercise_id)}
        seen_in_db.extend(event.seq in stored for event in events)
        original(exercise_id, events)

    manager._publish = checking
    exercise_id = await started(manager, mini)
    await clock.advance(3600)
    assert seen_in_db
    assert all(seen_in_db)
    assert [e.seq for e in manager.store.read(exercise_id)] == list(range(1, len(seen_in_db) + 1))


def test_an_item_due_a_rounding_error_ahead_of_now_counts_as_due(mini: Scenario) -> None:
    # 9.2 s at 750x is 6899.999… in floating point, not 6900: a timer armed for 6900 must find it due,
    # or it would re-arm at the same instant for ever.
    late_inject = mini.injects[1].model_copy(update={"at": 6900})
    scenario = mini.model_copy(update={"injects": [late_inject]})
    state = initial_state("ex", scenario)
    assert first_due_by(scenario, state, 9.2 * 750) is not None
    assert first_due_by(scenario, state, 6899.99) is None


async def test_timers_fire_their_inject_at_high_compression_without_spinning(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    late_inject = mini.injects[1].model_copy(update={"at": 6900})
    scenario = mini.model_copy(update={"injects": [mini.injects[0], late_inject]})
    await started(manager, scenario, compression=750)
    await clock.advance(9.2)
    released = published.of_type("inject_released")
    assert [e.payload["inject_id"] for e in released] == ["I1", "I2"]
    assert released[1].scenario_time == pytest.approx(6900, abs=0.01)
    assert clock.pending_timers == 1  # only the planned ENDEX is still ahead: no timer spins
