"""The append transaction: events alone go in one statement, and a writer behind the log writes nothing.

A command's events, and an owner's timed release, are appended in one INSERT (a database round trip, a
single call on the database thread), so a command and a timer wait less for a busy event loop. Whatever
that statement cannot write (the log moved on, another process wrote the same seq first, the exercise is
gone, the lease was taken over) goes through the full transaction, which writes nothing and says why."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, update

from app.cluster.tables import ExerciseLeaseRow
from app.engine.append import AppendRequest, Behind, Committed, ExerciseMissing, LeaseLost, append
from app.engine.events import ChatMessage, Event, EventType, draft, team_audience
from app.engine.manager import ExerciseManager
from app.engine.store import insert_events, number
from app.scenario.schema import Scenario
from tests.engine.helpers import BLUE_LEADER
from tests.engine.test_lifecycle_and_clock import started

_LEASES = ExerciseLeaseRow.__table__  # type: ignore[attr-defined]


def _take_over(connection: Connection, exercise_id: str) -> None:
    """What another process's takeover of the lease writes: a new token fences off the owner."""
    connection.execute(update(_LEASES).where(_LEASES.c.exercise_id == exercise_id).values(token=_LEASES.c.token + 1))


def _chats(manager: ExerciseManager, exercise_id: str, after: int, *texts: str) -> list[Event]:
    drafts = [
        draft(EventType.chat_message, BLUE_LEADER.actor("leader"), [team_audience("blue")], ChatMessage(text=text))
        for text in texts
    ]
    wall = manager.clock.wall()
    return number(exercise_id, after + 1, drafts, wall_time=wall, scenario_time=0.0)


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


async def test_a_commands_events_go_in_one_statement(manager: ExerciseManager, mini: Scenario) -> None:
    exercise_id = await started(manager, mini)
    head = manager.store.last_seq(exercise_id)
    events = _chats(manager, exercise_id, head, "one", "two", "three")
    with _statements(manager.engine) as statements:
        outcome = append(manager.engine, AppendRequest(exercise_id, after=head, events=events))
    assert isinstance(outcome, Committed)
    assert statements == ["INSERT"]
    assert manager.store.read(exercise_id, after=head) == events


async def test_an_owners_release_goes_in_one_statement_and_a_stale_owners_writes_nothing(
    manager: ExerciseManager, mini: Scenario
) -> None:
    exercise_id = await started(manager, mini)
    runtime = manager.loaded(exercise_id)
    assert runtime is not None and runtime.lease is not None
    head, fence = manager.store.last_seq(exercise_id), runtime.lease
    release = _chats(manager, exercise_id, head, "stands in for a release")
    with _statements(manager.engine) as statements:
        outcome = append(manager.engine, AppendRequest(exercise_id, after=head, events=release, fence=fence))
    assert isinstance(outcome, Committed) and len(statements) == 1  # on PostgreSQL: WITH lease … INSERT

    taken_over = _chats(manager, exercise_id, head + 1, "by an owner whose lease was taken over")
    with manager.engine.begin() as connection:
        _take_over(connection, exercise_id)
    stale = AppendRequest(exercise_id, after=head + 1, events=taken_over, fence=fence)
    with pytest.raises(LeaseLost, match="is stale"):
        append(manager.engine, stale)
    assert manager.store.read(exercise_id, after=head) == release


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_release_that_meets_a_takeover_in_flight_waits_for_it_and_writes_nothing(
    manager: ExerciseManager, mini: Scenario
) -> None:
    """PostgreSQL only: the release's one statement locks the lease row as the full transaction does. A
    takeover that holds the row when the release starts makes it wait, and once the takeover commits the
    release sees the new token: it writes nothing and the owner is told it lost the lease."""
    exercise_id = await started(manager, mini)
    runtime = manager.loaded(exercise_id)
    assert runtime is not None and runtime.lease is not None
    head = manager.store.last_seq(exercise_id)
    release = _chats(manager, exercise_id, head, "released by a stale owner")
    outcome: list[BaseException | Committed | Behind] = []

    def release_it() -> None:
        try:
            outcome.append(
                append(manager.engine, AppendRequest(exercise_id, after=head, events=release, fence=runtime.lease))
            )
        except LeaseLost as lost:
            outcome.append(lost)

    with manager.engine.connect() as other, other.begin():
        _take_over(other, exercise_id)
        owner = threading.Thread(target=release_it)
        owner.start()
        owner.join(0.5)
        assert owner.is_alive(), "the release waits for the takeover's lock on the lease row"
    owner.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], LeaseLost)
    assert manager.store.read(exercise_id, after=head) == []


async def test_a_writer_behind_the_log_writes_nothing_and_gets_the_newer_events(
    manager: ExerciseManager, mini: Scenario
) -> None:
    exercise_id = await started(manager, mini)
    head = manager.store.last_seq(exercise_id)
    first = _chats(manager, exercise_id, head, "first")
    assert isinstance(append(manager.engine, AppendRequest(exercise_id, after=head, events=first)), Committed)
    late = _chats(manager, exercise_id, head, "written on a state one event behind")
    outcome = append(manager.engine, AppendRequest(exercise_id, after=head, events=late))
    assert isinstance(outcome, Behind) and outcome.newer == first
    assert manager.store.read(exercise_id, after=head) == first


async def test_an_exercise_that_is_gone_is_named(manager: ExerciseManager) -> None:
    events = _chats(manager, "no-such-exercise", 0, "hello?")
    with pytest.raises(ExerciseMissing, match="no-such-exercise"):
        append(manager.engine, AppendRequest("no-such-exercise", after=0, events=events))


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_two_processes_writing_the_same_seq_one_wins_and_the_other_is_told(
    manager: ExerciseManager, mini: Scenario
) -> None:
    """PostgreSQL only (one process writes a SQLite database): the one statement takes no row lock, so the
    other process's transaction is still open when this one inserts the same seq, and the unique seq
    refuses it once that one commits."""
    exercise_id = await started(manager, mini)
    head = manager.store.last_seq(exercise_id)
    theirs = _chats(manager, exercise_id, head, "the other process's")
    ours = _chats(manager, exercise_id, head, "ours")
    outcome: list[Committed | Behind] = []
    with manager.engine.connect() as other, other.begin():
        insert_events(other, theirs)  # written, not yet committed
        writer = threading.Thread(
            target=lambda: outcome.append(append(manager.engine, AppendRequest(exercise_id, after=head, events=ours)))
        )
        writer.start()
        writer.join(0.5)
        assert writer.is_alive(), "the insert of the same seq waits for the other transaction"
    writer.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], Behind) and outcome[0].newer == theirs
    assert manager.store.read(exercise_id, after=head) == theirs


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_an_owner_that_loses_the_race_for_a_seq_to_a_command_is_told_of_it(
    manager: ExerciseManager, mini: Scenario
) -> None:
    """PostgreSQL only: the owner's release locks the exercise's row, a command's one statement does not.
    When the command's insert is still open as the release inserts the same seq, the release is told of
    the command's event (and decides again), instead of failing and leaving the schedule to a retry a
    second later."""
    exercise_id = await started(manager, mini)
    runtime = manager.loaded(exercise_id)
    assert runtime is not None and runtime.lease is not None
    head = manager.store.last_seq(exercise_id)
    command = _chats(manager, exercise_id, head, "a command's")
    release = _chats(manager, exercise_id, head, "stands in for a release")
    outcome: list[Committed | Behind] = []
    request = AppendRequest(exercise_id, after=head, events=release, fence=runtime.lease)
    with manager.engine.connect() as other, other.begin():
        insert_events(other, command)
        owner = threading.Thread(target=lambda: outcome.append(append(manager.engine, request)))
        owner.start()
        owner.join(0.5)
        assert owner.is_alive(), "the owner's insert of the same seq waits for the command's"
    owner.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], Behind) and outcome[0].newer == command


async def test_more_events_than_one_statement_takes_go_in_the_full_transaction(
    manager: ExerciseManager, mini: Scenario
) -> None:
    exercise_id = await started(manager, mini)
    head = manager.store.last_seq(exercise_id)
    events = _chats(manager, exercise_id, head, *(f"line {index}" for index in range(600)))
    assert isinstance(append(manager.engine, AppendRequest(exercise_id, after=head, events=events)), Committed)
    assert manager.store.read(exercise_id, after=head) == events
