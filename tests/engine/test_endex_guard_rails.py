"""Clock guard rails: the planned ENDEX stops the clock, a jump cannot pass it unless ENDEX is extended,
and the engine previews what a jump would release before the facilitator confirms it."""

from __future__ import annotations

import pytest

from app.db import Database
from app.engine.clock import ManualClock
from app.engine.commands import CommandError
from app.engine.manager import ExerciseManager
from app.engine.preview import jump_preview
from app.engine.state import fold
from app.scenario.schema import Scenario
from tests.conftest import Published
from tests.engine.helpers import BLUE_LEADER, RED_LEADER, control, play


async def started(manager: ExerciseManager, mini: Scenario, compression: float = 3600) -> str:
    exercise = await manager.create(mini, compression=compression)
    await control(manager, exercise.id, "open_lobby")
    await control(manager, exercise.id, "start")
    return exercise.id


async def test_the_clock_pauses_at_the_planned_endex_and_asks_to_end_or_extend(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini)  # mini ends at T+24:00: 24 wall seconds at 3600x
    await clock.advance(30)
    runtime = await manager.runtime(exercise_id)
    assert runtime.state.status == "paused"
    assert runtime.now() == pytest.approx(24 * 3600, abs=1)  # it did not run on past ENDEX
    paused = published.of_type("exercise_paused")[-1]
    assert paused.payload["at_endex"] is True
    assert "Planned ENDEX (T+24:00) reached" in paused.payload["reason"]
    with pytest.raises(CommandError, match="extend ENDEX to play on, or end") as refused:
        await control(manager, exercise_id, "resume")
    assert refused.value.code == "at_endex"

    await control(manager, exercise_id, "extend_endex", by="02:00")
    await control(manager, exercise_id, "resume")
    await clock.advance(1)
    assert runtime.state.status == "running"
    await clock.advance(2)  # two scenario hours later: the new ENDEX
    assert runtime.state.status == "paused"
    assert runtime.now() == pytest.approx(26 * 3600, abs=1)
    extended = published.of_type("endex_extended")[0]
    assert (extended.payload["from_time"], extended.payload["to_time"]) == (24 * 3600, 26 * 3600)
    assert extended.audience == ["control"]


async def test_auto_end_ends_the_exercise_at_the_planned_endex(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini)
    await control(manager, exercise_id, "set_auto_end", enabled=True)
    with pytest.raises(CommandError, match="already on"):
        await control(manager, exercise_id, "set_auto_end", enabled=True)
    await clock.advance(25)
    assert (await manager.row(exercise_id)).status == "ended"
    ended = published.of_type("exercise_ended")[0]
    assert ended.payload["reason"] == "ENDEX: the planned end (T+24:00) was reached"
    assert ended.actor.kind == "system"
    # The last injects due at or before ENDEX were released first.
    assert [e.type.value for e in published.events[-1:]] == ["exercise_ended"]


async def test_a_jump_past_endex_is_refused_until_endex_is_extended(manager: ExerciseManager, mini: Scenario) -> None:
    exercise_id = await started(manager, mini, compression=1)
    before = (await manager.runtime(exercise_id)).state.last_seq
    with pytest.raises(CommandError, match=r"D\+9|T\+216:00 is past the planned ENDEX \(T\+24:00\)") as refused:
        await control(manager, exercise_id, "jump", by="D+9")
    assert refused.value.code == "past_endex"
    assert (await manager.runtime(exercise_id)).state.last_seq == before, "a refused jump changes nothing"
    with pytest.raises(CommandError, match="can only move later"):
        await control(manager, exercise_id, "extend_endex", to="T+12:00")
    await control(manager, exercise_id, "extend_endex", to="T+216:00")
    await control(manager, exercise_id, "jump", by="D+9")
    runtime = await manager.runtime(exercise_id)
    assert runtime.now() == pytest.approx(216 * 3600, abs=1)
    assert runtime.state.status == "paused" and runtime.state.at_endex, "it lands on the new ENDEX and stops"


async def test_the_preview_counts_exactly_what_the_jump_releases(
    manager: ExerciseManager, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=1)
    runtime = await manager.runtime(exercise_id)
    await play(manager, exercise_id, RED_LEADER, "take_action", action_id="show-of-force")
    preview = jump_preview(mini, runtime.state, runtime.now(), 7 * 3600)
    # I2, I3, C1 (no hotline contact by T+03:00), C2 (30 minutes after red's show of force) and I4.
    # Not C3: it follows I3 by an hour, and the jump releases I3 only at T+07:00. C4 waits for band 4.
    assert sorted(inject.id for inject in preview.injects) == ["C1", "C2", "I2", "I3", "I4"]
    assert not preview.past_endex
    state_before = fold(exercise_id, mini, manager.store.read(exercise_id))
    assert state_before.last_seq == runtime.state.last_seq, "the preview changed nothing"

    released_before = len(published.of_type("inject_released"))
    await control(manager, exercise_id, "jump", to="T+07:00")
    released = [e.payload["inject_id"] for e in published.of_type("inject_released")[released_before:]]
    assert released == [inject.id for inject in preview.injects]
    assert jump_preview(mini, runtime.state, runtime.now(), 30 * 3600).past_endex


async def test_a_call_rings_long_enough_to_answer_at_high_compression(
    clock: ManualClock, database: Database, published: Published, mini: Scenario
) -> None:
    manager = ExerciseManager(database, clock, published, ring_min_wall_seconds=30)
    try:
        exercise_id = await started(manager, mini, compression=60)  # the scenario's 10-minute ring is 10 wall seconds
        await play(manager, exercise_id, BLUE_LEADER, "call_request", channel="hotline")
        request = published.of_type("call_requested")[0]
        assert request.payload["ring_for"] == 30 * 60
        await clock.advance(20)
        assert (await manager.runtime(exercise_id)).state.calls["call-1"].status == "ringing"
        await clock.advance(11)
        assert (await manager.runtime(exercise_id)).state.calls["call-1"].status == "missed"
    finally:
        manager.close()


async def test_read_receipts_are_recorded_once_per_seat(manager: ExerciseManager, mini: Scenario) -> None:
    exercise_id = await started(manager, mini, compression=1)
    first = await play(manager, exercise_id, BLUE_LEADER, "mark_seen", inject_ids=["I1", "I4", "nope"])
    assert len(first.seqs) == 1
    again = await play(manager, exercise_id, BLUE_LEADER, "mark_seen", inject_ids=["I1"])
    assert again.seqs == []
    state = (await manager.runtime(exercise_id)).state
    assert set(state.seen) == {"I1"}, "only released injects count as seen"
    assert list(state.seen["I1"]) == [BLUE_LEADER.seat_id]
