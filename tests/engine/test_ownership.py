"""Ownership and safety of the log: a stale owner is fenced off, any process may apply a command, a revoked
seat is refused everywhere, and nothing after a commit can leave the state behind the log."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from app.cluster.leases import Leases
from app.db import Database
from app.engine import runtime as runtime_module
from app.engine.clock import ManualClock
from app.engine.commands import CommandError
from app.engine.events import Event, EventType
from app.engine.manager import ExerciseManager
from app.engine.state import ExerciseState
from app.models import ExerciseRow
from app.scenario.schema import Scenario
from tests.conftest import Published
from tests.engine.helpers import BLUE_LEADER, command, control, play
from tests.engine.test_lifecycle_and_clock import started


async def test_a_stale_owner_is_refused_and_says_so(
    manager: ExerciseManager,
    database: Database,
    clock: ManualClock,
    mini: Scenario,
    published: Published,
    caplog: pytest.LogCaptureFixture,
) -> None:
    exercise_id = await started(manager, mini, compression=60)  # owned by this manager: I2 is due in 60 s
    other = ExerciseManager(database, clock, Published(), process_id="other")
    fence = Leases(database.engine, "other", "elsewhere:2", ttl=3.0).take(exercise_id)  # the owner never renewed
    assert fence is not None and fence.token == 2
    with caplog.at_level(logging.WARNING):
        await clock.advance(61)  # the old owner's timer fires and it tries to release I2
    assert "refused to append as owner" in caplog.text and "lease token 1 is stale" in caplog.text
    assert [e.payload["inject_id"] for e in published.of_type("inject_released")] == ["I1"]  # nothing appended
    assert (await manager.runtime(exercise_id)).lease is None

    await other.adopt(exercise_id, fence)  # the new owner catches up and releases what is overdue, once
    log = manager.store.read(exercise_id)
    assert [e.payload["inject_id"] for e in log if e.type is EventType.inject_released] == ["I1", "I2"]
    other.close()


async def test_any_process_applies_a_command_after_catching_up(
    manager: ExerciseManager, database: Database, clock: ManualClock, mini: Scenario
) -> None:
    exercise_id = await started(manager, mini)
    elsewhere = ExerciseManager(database, clock, Published(), process_id="elsewhere")
    first = await play(elsewhere, exercise_id, BLUE_LEADER, "send_chat", id="c-1", text="From elsewhere")
    await control(manager, exercise_id, "pause", reason="Coffee")  # the owner's state is behind: it catches up
    refused = pytest.raises(CommandError, match="paused")
    with refused:  # decided on the caught-up state, with the same error as one process gives
        await play(elsewhere, exercise_id, BLUE_LEADER, "take_action", action_id="apologise")
    again = await play(manager, exercise_id, BLUE_LEADER, "send_chat", id="c-1", text="From elsewhere")
    assert again.duplicate and again.seqs == first.seqs
    assert [e.seq for e in manager.store.read(exercise_id)] == list(range(1, first.seqs[0] + 2))
    elsewhere.close()


async def test_a_revoked_seat_is_refused_wherever_its_command_arrives(
    manager: ExerciseManager, database: Database, clock: ManualClock, mini: Scenario
) -> None:
    exercise = await manager.create(mini)
    seats = await manager.issue_default_seats(exercise.id)
    blue = next(item for item in seats if item.seat.team == "blue" and item.seat.role == "leader")
    principal = await manager.authenticate(exercise.id, blue.token)
    assert principal is not None
    await control(manager, exercise.id, "open_lobby")
    elsewhere = ExerciseManager(database, clock, Published(), process_id="elsewhere")
    await elsewhere.runtime(exercise.id)  # loaded before the revocation
    await manager.revoke_seat(exercise.id, blue.seat.id)
    for anywhere in (manager, elsewhere):
        with pytest.raises(CommandError, match="revoked") as refused:
            await (await anywhere.runtime(exercise.id)).execute(principal, command("send_chat", text="Still here?"))
        assert refused.value.code == "revoked"
    assert await manager.authenticate(exercise.id, blue.token) is None
    reissued = await manager.reissue_seat(exercise.id, blue.seat.id)
    assert await manager.authenticate(exercise.id, reissued.token) == principal
    await (await elsewhere.runtime(exercise.id)).execute(principal, command("send_chat", text="Back again"))
    elsewhere.close()


async def test_the_status_changes_with_the_events_in_one_transaction(
    manager: ExerciseManager, database: Database, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini)

    def status() -> str:
        with database.engine.connect() as connection:
            return str(connection.execute(select(ExerciseRow.status).where(ExerciseRow.id == exercise_id)).scalar())

    def failing_listener(events: object) -> None:
        raise RuntimeError("a listener's bug")

    runtime = await manager.runtime(exercise_id)
    publish = runtime.publish
    runtime.publish = failing_listener  # type: ignore[assignment]
    result = await runtime.execute(manager_principal(), command("pause", reason="Lunch"))
    runtime.publish = publish
    assert result.seqs and status() == "paused" == runtime.state.status  # the ack, the row and the state agree


async def test_a_fold_that_fails_reloads_from_the_log_instead_of_jamming(
    manager: ExerciseManager, mini: Scenario, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    exercise_id = await started(manager, mini)
    real_apply = runtime_module.apply
    broken = {"once": True}

    def flaky(state: ExerciseState, scenario: Scenario, event: Event) -> None:
        if broken["once"] and event.type is EventType.chat_message:
            broken["once"] = False
            state.last_seq = event.seq  # half folded: the command is not remembered
            raise RuntimeError("a bug in the fold")
        real_apply(state, scenario, event)

    monkeypatch.setattr(runtime_module, "apply", flaky)
    first = await play(manager, exercise_id, BLUE_LEADER, "send_chat", id="c-1", text="Committed, then folded wrong")
    second = await play(manager, exercise_id, BLUE_LEADER, "send_chat", text="And the next one goes in")
    assert second.seqs == [first.seqs[0] + 1]  # no jam on the unique seq
    again = await play(manager, exercise_id, BLUE_LEADER, "send_chat", id="c-1", text="Committed, then folded wrong")
    assert again.duplicate and again.seqs == first.seqs  # the state was reloaded from the log
    runtime = await manager.runtime(exercise_id)
    assert runtime.state.last_seq == manager.store.last_seq(exercise_id) == second.seqs[0]
    assert [e.seq for e in published.events] == list(range(1, second.seqs[0] + 1))  # each published once


def manager_principal() -> object:
    from app.engine.principal import FACILITATOR_PRINCIPAL

    return FACILITATOR_PRINCIPAL
