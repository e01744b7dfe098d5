"""A timer about to fall due goes first: a change that would still hold the exercise's lock when a
scheduled release falls due lets the release through first. A presence write keeps 50 ms clear; a command
only as long as commits take now, and never more than 10 ms."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from app.engine import timer_guard
from app.engine.append import AppendRequest, Committed, append
from app.engine.clock import ManualClock
from app.engine.events import ChatMessage, EventType, draft, team_audience
from app.engine.manager import ExerciseManager
from app.engine.store import number
from app.engine.timer_guard import COMMAND_GUARD_MAX_SECONDS, PRESENCE_GUARD_SECONDS
from app.scenario.schema import Scenario
from tests.conftest import Published
from tests.engine.helpers import BLUE_LEADER, RED_LEADER, control, play, released
from tests.engine.test_lifecycle_and_clock import started


@pytest.fixture(autouse=True)
def time_passes_while_changes_commit(clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """As on the system clock: the guard matters only where time passes while a change commits."""
    monkeypatch.setattr(clock, "moves_by_itself", True)


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
    await clock.advance(60 - PRESENCE_GUARD_SECONDS / 2)
    online = asyncio.ensure_future(manager.sync_presence(exercise_id, BLUE_LEADER, lambda connection: 1))
    await asyncio.sleep(0.05)  # time enough for its transaction, had it gone ahead; less than the wait's bound
    assert _order(published) == ["I1"]
    await clock.advance(PRESENCE_GUARD_SECONDS)
    await online
    assert _order(published) == ["I1", "I2", "presence_changed"]


async def test_presence_with_no_release_near_goes_at_once(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await clock.advance(30)
    await asyncio.wait_for(manager.sync_presence(exercise_id, BLUE_LEADER, lambda connection: 1), 5)
    assert _order(published) == ["I1", "presence_changed"]


def _commits_take(manager: ExerciseManager, exercise_id: str, seconds: float, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = manager.loaded(exercise_id)
    assert runtime is not None
    monkeypatch.setattr(runtime._guard, "usual_commit", lambda: seconds)


async def test_a_command_that_would_hold_the_lock_when_a_release_falls_due_waits_for_it(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    exercise_id = await started(manager, mini, compression=60)  # I2 falls due a minute from now
    _commits_take(manager, exercise_id, 0.005, monkeypatch)
    await clock.advance(60 - 0.002)
    chat = asyncio.ensure_future(play(manager, exercise_id, BLUE_LEADER, "send_chat", text="just before"))
    await asyncio.sleep(0.02)  # time enough for its transaction, had it gone ahead; less than the wait's bound
    assert not chat.done()
    await clock.advance(0.01)
    await chat
    order = [e.payload.get("inject_id", e.type.value) for e in published.events if e.type.value != "presence_changed"]
    assert order[-2:] == ["I2", "chat_message"]


async def test_a_command_never_waits_longer_for_a_timer_than_the_cap(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    _commits_take(manager, exercise_id, 1.0, monkeypatch)  # a database this slow does not hold commands back
    await clock.advance(60 - 2 * COMMAND_GUARD_MAX_SECONDS)
    await asyncio.wait_for(play(manager, exercise_id, BLUE_LEADER, "send_chat", text="goes at once"), 5)
    assert published.types()[-1] == "chat_message"


async def test_a_clock_that_stands_still_holds_a_command_only_briefly(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the wait's bound be all that stands between a command and a timer the clock will not fire."""
    exercise_id = await started(manager, mini, compression=60)
    _commits_take(manager, exercise_id, 0.005, monkeypatch)
    await clock.advance(60 - 0.001)
    await asyncio.wait_for(play(manager, exercise_id, BLUE_LEADER, "send_chat", text="the clock waits for me"), 5)
    assert published.types()[-1] == "chat_message"


async def test_on_a_clock_that_moves_only_when_told_nothing_waits_for_a_timer(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bots' pacer moves the clock only after the bots' commands are answered: no time passes while a
    command commits, so it goes at once, however close the next release."""
    monkeypatch.setattr(clock, "moves_by_itself", False)
    exercise_id = await started(manager, mini, compression=60)
    _commits_take(manager, exercise_id, 0.005, monkeypatch)
    await clock.advance(60 - 0.001)
    monkeypatch.setattr(timer_guard, "WAIT_SLACK_SECONDS", 5.0)  # a wait, had there been one, would show
    chat = asyncio.ensure_future(play(manager, exercise_id, BLUE_LEADER, "send_chat", text="at once"))
    await asyncio.wait_for(asyncio.shield(chat), 2)
    assert published.types()[-1] == "chat_message"


def _hold_the_next_commit(
    manager: ExerciseManager, exercise_id: str, monkeypatch: pytest.MonkeyPatch, *, of_inject: str | None = None
) -> asyncio.Event:
    """The next change's commit (with ``of_inject``: the commit of that inject's release) waits, holding the
    exercise's lock, until the returned event is set."""
    runtime = manager.loaded(exercise_id)
    assert runtime is not None
    gate = asyncio.Event()
    real = runtime.db.run_urgent
    held = False

    def picked(args: tuple[Any, ...]) -> bool:
        if of_inject is None:
            return True
        requests = [arg for arg in args if isinstance(arg, AppendRequest)]
        return any(event.payload.get("inject_id") == of_inject for request in requests for event in request.events)

    async def run_urgent(function: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal held
        if not held and picked(args):
            held = True
            await gate.wait()
        return await real(function, *args, **kwargs)

    monkeypatch.setattr(runtime.db, "run_urgent", run_urgent)
    return gate


async def test_presence_that_queued_until_a_release_came_near_lets_it_go_first(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clear of the release when it queued, too close once the lock was its: the release goes first."""
    exercise_id = await started(manager, mini, compression=60)  # I2 falls due a minute from now
    await clock.advance(59)
    gate = _hold_the_next_commit(manager, exercise_id, monkeypatch)
    chat = asyncio.ensure_future(play(manager, exercise_id, BLUE_LEADER, "send_chat", text="holds the lock"))
    await asyncio.sleep(0.01)
    online = asyncio.ensure_future(manager.sync_presence(exercise_id, BLUE_LEADER, lambda connection: 1))
    await asyncio.sleep(0.01)  # a second before the release: clear of it, so it queues for the lock
    await clock.advance(1 - PRESENCE_GUARD_SECONDS / 2)
    gate.set()
    await chat
    await asyncio.sleep(0.05)  # time enough for its transaction, had it gone ahead; less than the wait's bound
    assert _order(published) == ["I1"]
    await clock.advance(PRESENCE_GUARD_SECONDS)
    await asyncio.wait_for(online, 5)
    assert _order(published) == ["I1", "I2", "presence_changed"]


@pytest.mark.parametrize("holder", ["presence that writes nothing", "a command"])
async def test_a_release_is_stamped_when_its_timer_fires_however_long_it_waits_for_the_lock(
    holder: str,
    manager: ExerciseManager,
    clock: ManualClock,
    mini: Scenario,
    published: Published,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The wait between the timer firing and its release committing is delivery, as the commit is: the log
    says the inject went out when it fell due, not late, whether its own task releases it once the lock is
    free or the change that held the lock does after its commit."""
    monkeypatch.setattr(clock, "moves_by_itself", False)
    exercise_id = await started(manager, mini, compression=60)  # I2 falls due a minute from now
    await manager.sync_presence(exercise_id, BLUE_LEADER, lambda connection: 1)
    await clock.advance(59)
    gate = _hold_the_next_commit(manager, exercise_id, monkeypatch)
    if holder == "a command":
        held = asyncio.ensure_future(play(manager, exercise_id, BLUE_LEADER, "send_chat", text="in the way"))
    else:
        held = asyncio.ensure_future(manager.sync_presence(exercise_id, BLUE_LEADER, lambda connection: 1))
    await asyncio.sleep(0.01)  # it holds the exercise's lock, waiting for its commit
    due_at = clock.wall() + timedelta(seconds=1)
    due = asyncio.ensure_future(clock.advance(1))  # I2's timer fires; its release waits for the lock
    await asyncio.sleep(0.01)
    await clock.advance(5)
    gate.set()
    await asyncio.wait_for(asyncio.gather(due, held), 5)
    released = [e for e in published.events if e.payload.get("inject_id") == "I2"]
    assert [(e.wall_time, e.payload.get("late")) for e in released] == [(due_at, False)]
    assert published.types()[-1] == "inject_released"


async def test_a_release_is_never_stamped_before_an_event_that_reached_the_log_first(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process, on a machine whose clock runs a little ahead, stamped an event after the timer fired;
    it reaches the log before the release is decided, so the release is stamped after it: the log's wall
    times keep the order of its seqs."""
    monkeypatch.setattr(clock, "moves_by_itself", False)
    exercise_id = await started(manager, mini, compression=60)
    await manager.sync_presence(exercise_id, BLUE_LEADER, lambda connection: 1)
    await clock.advance(59)
    runtime = manager.loaded(exercise_id)
    assert runtime is not None
    gate = _hold_the_next_commit(manager, exercise_id, monkeypatch)
    unchanged = asyncio.ensure_future(manager.sync_presence(exercise_id, BLUE_LEADER, lambda connection: 1))
    await asyncio.sleep(0.01)  # it holds the exercise's lock, and will write no event
    ahead = clock.wall() + timedelta(seconds=3)
    chat = draft(EventType.chat_message, RED_LEADER.actor("leader"), [team_audience("red")], ChatMessage(text="ahead"))
    events = number(exercise_id, runtime.state.last_seq + 1, [chat], wall_time=ahead, scenario_time=runtime.now(ahead))
    request = AppendRequest(exercise_id, after=runtime.state.last_seq, events=events)
    assert isinstance(await runtime.db.run(append, runtime.db.engine, request), Committed)
    received = asyncio.ensure_future(runtime.receive(events))  # queued for the lock behind the presence write
    await asyncio.sleep(0.01)
    due = asyncio.ensure_future(clock.advance(1))  # I2's timer fires before the event is folded
    await asyncio.sleep(0.01)
    gate.set()
    await asyncio.wait_for(asyncio.gather(due, unchanged, received), 5)
    assert published.types()[-2:] == ["chat_message", "inject_released"]
    walls = [event.wall_time for event in published.events]
    assert walls == sorted(walls)


async def test_a_release_is_never_stamped_before_it_falls_due_on_the_wall_clock(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The timers run on the monotonic clock; a wall clock that drifts a millisecond behind it must not make
    a release look early (its wall time before its planned one, its scenario time before its due time)."""
    exercise_id = await started(manager, mini, compression=60)  # I2 falls due a minute from now
    planned = clock.wall() + timedelta(seconds=60)
    runtime = manager.loaded(exercise_id)
    assert runtime is not None
    monkeypatch.setattr(runtime, "_anchor_mono", runtime._anchor_mono - 0.001)  # the wall clock runs 1 ms behind
    await clock.advance(30)
    await play(manager, exercise_id, BLUE_LEADER, "send_chat", text="the timer is armed again")
    await clock.advance(30)
    i2 = [e for e in published.events if e.payload.get("inject_id") == "I2"]
    assert [e.wall_time for e in i2] == [planned]
    assert i2[0].scenario_time >= i2[0].payload["due_at"]


async def test_a_players_command_is_answered_before_a_release_that_fell_due_while_it_committed(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the command made due at once (a blockade reaches band 4, and C4 waits for band 4 with no delay)
    goes out before the command is answered; I2, which fell due while the command's commit held the lock,
    goes out right after the answer, stamped when its timer fired."""
    exercise_id = await started(manager, mini, compression=60)  # I2 falls due a minute from now
    await clock.advance(59)
    gate = _hold_the_next_commit(manager, exercise_id, monkeypatch)
    i2_commit = _hold_the_next_commit(manager, exercise_id, monkeypatch, of_inject="I2")
    blockade = asyncio.ensure_future(play(manager, exercise_id, RED_LEADER, "take_action", action_id="blockade"))
    await asyncio.sleep(0.01)  # it holds the exercise's lock, waiting for its commit
    due_at = clock.wall() + timedelta(seconds=1)
    due = asyncio.ensure_future(clock.advance(1))  # I2's timer fires; its release waits for the lock
    await asyncio.sleep(0.01)
    gate.set()
    await asyncio.wait_for(blockade, 5)  # answered while I2's release is still held back
    assert released(published) == ["I1", "C4"]  # answered: its consequence is out, I2 not yet
    i2_commit.set()
    await asyncio.wait_for(due, 5)
    assert released(published) == ["I1", "C4", "I2"]
    i2 = [e for e in published.events if e.payload.get("inject_id") == "I2"]
    assert [(e.wall_time, e.payload.get("late")) for e in i2] == [(due_at, False)]


async def test_the_facilitators_command_is_answered_after_everything_that_fell_due(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A facilitator's command may move the clock itself, so it is answered once all that is due is out."""
    exercise_id = await started(manager, mini, compression=60)
    await clock.advance(59)
    gate = _hold_the_next_commit(manager, exercise_id, monkeypatch)
    note = asyncio.ensure_future(control(manager, exercise_id, "fire_inject", inject_id="C1"))
    await asyncio.sleep(0.01)
    due = asyncio.ensure_future(clock.advance(1))
    await asyncio.sleep(0.01)
    gate.set()
    await asyncio.wait_for(note, 5)
    assert released(published) == ["I1", "C1", "I2"]
    await asyncio.wait_for(due, 5)
    assert released(published) == ["I1", "C1", "I2"]
