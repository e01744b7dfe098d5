"""An anonymous hot-wash answer is applied once however often it is resent, and cannot be traced to its seat."""

from __future__ import annotations

import json

from app.db import Database
from app.engine.clock import ManualClock
from app.engine.manager import ExerciseManager
from app.engine.principal import Principal
from app.scenario.schema import Scenario
from tests.conftest import Published
from tests.engine.helpers import command, control

CONSOLE_PREFIX = "c0ffee12"  # what a console puts before every id it makes (see static/js/session.js)


async def ended_exercise(
    manager: ExerciseManager, mini: Scenario, *seats: tuple[str, str]
) -> tuple[str, list[Principal]]:
    """An exercise that has ended, with these seats, each of which chatted during play (ids with its prefix)."""
    exercise_id = (await manager.create(mini)).id
    principals = []
    for team, role in seats:
        issued = await manager.issue_seat(exercise_id, "player", team, role)
        principal = await manager.authenticate(exercise_id, issued.token)
        assert principal is not None
        principals.append(principal)
    await control(manager, exercise_id, "open_lobby")
    await control(manager, exercise_id, "start")
    for number, principal in enumerate(principals):
        chat = command("send_chat", id=f"{CONSOLE_PREFIX}-{number}", text="During play")
        await (await manager.runtime(exercise_id)).execute(principal, chat)
    await control(manager, exercise_id, "end")
    return exercise_id, principals


async def answer(
    manager: ExerciseManager, exercise_id: str, who: Principal, command_id: str, text: str
) -> tuple[list[int], bool]:
    result = await (await manager.runtime(exercise_id)).execute(
        who, command("submit_hotwash", id=command_id, rating=2, did_not_work=text, anonymous=True)
    )
    return result.seqs, result.duplicate


async def test_an_anonymous_answer_sent_three_times_is_recorded_once_even_across_a_restart(
    manager: ExerciseManager, database: Database, clock: ManualClock, mini: Scenario
) -> None:
    exercise_id, (blue,) = await ended_exercise(manager, mini, ("blue", "leader"))
    first = await answer(manager, exercise_id, blue, f"{CONSOLE_PREFIX}-9", "Too slow")
    assert first[1] is False and len(first[0]) == 1
    assert await answer(manager, exercise_id, blue, f"{CONSOLE_PREFIX}-9", "Too slow") == (first[0], True)
    assert await answer(manager, exercise_id, blue, f"{CONSOLE_PREFIX}-9", "Too slow") == (first[0], True)

    restarted = ExerciseManager(database, clock, Published())  # a new server process folds the log again
    try:
        assert await answer(restarted, exercise_id, blue, f"{CONSOLE_PREFIX}-9", "Too slow") == (first[0], True)
        answers = [e for e in restarted.store.read(exercise_id) if e.type.value == "hotwash_submitted"]
    finally:
        restarted.close()
    assert len(answers) == 1


async def test_an_anonymous_answer_carries_no_trace_of_its_seat(manager: ExerciseManager, mini: Scenario) -> None:
    exercise_id, (blue,) = await ended_exercise(manager, mini, ("blue", "leader"))
    (seq,), _ = await answer(manager, exercise_id, blue, f"{CONSOLE_PREFIX}-9", "Too slow")
    event = next(e for e in manager.store.read(exercise_id) if e.seq == seq)
    stored = event.model_dump_json()
    assert event.actor.model_dump(exclude_none=True) == {"kind": "player", "team": "blue"}
    for trace in (blue.seat_id, CONSOLE_PREFIX, f"{CONSOLE_PREFIX}-9", "leader"):
        assert trace not in stored, trace
    assert event.command_id is not None and event.command_id.startswith("anon-")
    assert json.loads(stored)["payload"]["anonymous"] is True


async def test_two_seats_of_a_team_answering_with_the_same_id_are_two_answers(
    manager: ExerciseManager, mini: Scenario
) -> None:
    exercise_id, (leader, press) = await ended_exercise(manager, mini, ("red", "leader"), ("red", "press"))
    one = await answer(manager, exercise_id, leader, "hotwash-1", "A")
    other = await answer(manager, exercise_id, press, "hotwash-1", "B")
    assert not one[1] and not other[1] and one[0] != other[0]
    named = await (await manager.runtime(exercise_id)).execute(
        leader, command("submit_hotwash", id="hotwash-1", rating=4)
    )
    assert not named.duplicate  # a named answer is its own command, recorded under the seat
