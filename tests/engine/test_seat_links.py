"""Seat links a process has checked: a storm of joins on one link costs one lookup, and a link revoked or
reissued anywhere stops opening its seat as soon as the process has caught up with the log."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest

from app.db import Database
from app.engine.clock import ManualClock
from app.engine.manager import ExerciseManager, IssuedSeat
from app.models import SeatRow
from app.scenario.schema import Scenario
from tests.conftest import Published
from tests.engine.helpers import control


async def _lobby_with_blue_leader(manager: ExerciseManager, mini: Scenario) -> tuple[str, IssuedSeat]:
    exercise = await manager.create(mini)
    seats = await manager.issue_default_seats(exercise.id)
    await control(manager, exercise.id, "open_lobby")
    return exercise.id, next(item for item in seats if item.seat.team == "blue" and item.seat.role == "leader")


def _counting(manager: ExerciseManager, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []
    original: Callable[[str], SeatRow | None] = manager.seats.by_token

    def by_token(token: str) -> SeatRow | None:
        asked.append(token)
        return original(token)

    monkeypatch.setattr(manager.seats, "by_token", by_token)
    return asked


async def test_a_thousand_joins_on_one_link_look_it_up_once(
    manager: ExerciseManager, mini: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    exercise_id, blue = await _lobby_with_blue_leader(manager, mini)
    asked = _counting(manager, monkeypatch)
    principals = [await manager.authenticate(exercise_id, blue.token) for _ in range(1000)]
    assert len(asked) == 1
    assert {p.seat_id if p else None for p in principals} == {blue.seat.id}
    assert await manager.authenticate(exercise_id, blue.token + "x") is None  # a wrong link is still asked about
    assert len(asked) == 2


async def test_a_link_revoked_or_reissued_elsewhere_stops_working_here_once_caught_up(
    manager: ExerciseManager, database: Database, clock: ManualClock, mini: Scenario
) -> None:
    exercise_id, blue = await _lobby_with_blue_leader(manager, mini)
    elsewhere = ExerciseManager(database, clock, Published(), process_id="elsewhere")
    try:
        assert await elsewhere.authenticate(exercise_id, blue.token) is not None  # checked, and remembered

        reissued = await manager.reissue_seat(exercise_id, blue.seat.id)  # on the other process
        await (await elsewhere.runtime(exercise_id)).catch_up()  # what a join does before it is let in
        assert await elsewhere.authenticate(exercise_id, blue.token) is None
        assert await elsewhere.authenticate(exercise_id, reissued.token) is not None

        await manager.revoke_seat(exercise_id, blue.seat.id)
        await (await elsewhere.runtime(exercise_id)).catch_up()
        assert await elsewhere.authenticate(exercise_id, reissued.token) is None
    finally:
        elsewhere.close()


async def test_a_reissue_folded_while_the_link_was_looked_up_is_not_forgotten(
    manager: ExerciseManager, database: Database, clock: ManualClock, mini: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lookup read the seat before the reissue committed; the state folded the reissue meanwhile. The
    answer was right when it was read, but must not be remembered as current."""
    exercise_id, blue = await _lobby_with_blue_leader(manager, mini)
    elsewhere = ExerciseManager(database, clock, Published(), process_id="elsewhere")
    runtime = await elsewhere.runtime(exercise_id)
    read, carry_on = threading.Event(), threading.Event()
    original = elsewhere.seats.by_token

    def read_then_stall(token: str) -> SeatRow | None:
        row = original(token)
        read.set()
        carry_on.wait(10)
        return row

    monkeypatch.setattr(elsewhere.seats, "by_token", read_then_stall)
    try:
        asking = asyncio.ensure_future(elsewhere.authenticate(exercise_id, blue.token))
        assert await asyncio.to_thread(read.wait, 10)
        await manager.reissue_seat(exercise_id, blue.seat.id)
        await runtime.catch_up()
        carry_on.set()
        assert await asking is not None
        monkeypatch.setattr(elsewhere.seats, "by_token", original)
        assert await elsewhere.authenticate(exercise_id, blue.token) is None
    finally:
        carry_on.set()
        elsewhere.close()


async def test_an_ended_exercise_is_always_asked_about(
    manager: ExerciseManager, mini: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only an ended exercise can be deleted, with its seats: its links are never taken on trust."""
    exercise_id, blue = await _lobby_with_blue_leader(manager, mini)
    await control(manager, exercise_id, "start")
    await control(manager, exercise_id, "end")
    asked = _counting(manager, monkeypatch)
    for _ in range(3):
        assert await manager.authenticate(exercise_id, blue.token) is not None
    assert len(asked) == 3
