"""Hotline and mil-mil calls, cables, statements, chat, and suspended channels."""

from __future__ import annotations

import pytest

from app.engine.clock import ManualClock
from app.engine.commands import CommandError
from app.engine.manager import ExerciseManager
from app.scenario.schema import Scenario
from tests.conftest import Published
from tests.engine.helpers import (
    BLUE_DEFENSE,
    BLUE_LEADER,
    BLUE_TEAM,
    RED_DEFENSE,
    RED_LEADER,
    command,
    control,
    play,
)
from tests.engine.test_lifecycle_and_clock import started


async def test_hotline_request_accept_message_hang_up(
    manager: ExerciseManager, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini)
    await play(manager, exercise_id, BLUE_LEADER, "call_request", channel="hotline")
    call = (await manager.runtime(exercise_id)).state.calls["call-1"]
    assert (call.status, call.from_team, call.to_team) == ("ringing", "blue", "red")
    await play(manager, exercise_id, RED_LEADER, "call_accept", call_id="call-1")
    await play(manager, exercise_id, BLUE_LEADER, "call_message", call_id="call-1", text="Hello")
    assert "hotline" not in (await manager.runtime(exercise_id)).state.substantive_contact
    await play(manager, exercise_id, RED_LEADER, "call_message", call_id="call-1", intent="We will not escalate")
    assert "hotline" in (await manager.runtime(exercise_id)).state.substantive_contact
    await play(manager, exercise_id, RED_LEADER, "call_hangup", call_id="call-1")
    assert (await manager.runtime(exercise_id)).state.calls["call-1"].status == "ended"
    messages = published.of_type("call_message")
    assert messages[-1].payload["intent"] == "We will not escalate"
    assert messages[-1].audience == ["role:blue:leader", "role:red:leader"]


async def test_caller_cannot_answer_own_call_and_busy_line_refuses(manager: ExerciseManager, mini: Scenario) -> None:
    exercise_id = await started(manager, mini)
    await play(manager, exercise_id, BLUE_LEADER, "call_request")
    with pytest.raises(CommandError, match="Only the called side"):
        await play(manager, exercise_id, BLUE_LEADER, "call_accept", call_id="call-1")
    with pytest.raises(CommandError, match="busy"):
        await play(manager, exercise_id, RED_LEADER, "call_request")
    with pytest.raises(CommandError, match="No role of this seat may"):
        await play(manager, exercise_id, BLUE_DEFENSE, "call_request", channel="hotline")


async def test_decline_and_missed_calls(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await play(manager, exercise_id, BLUE_DEFENSE, "call_request", channel="milmil")
    await play(manager, exercise_id, RED_DEFENSE, "call_decline", call_id="call-1")
    assert (await manager.runtime(exercise_id)).state.calls["call-1"].status == "declined"
    await play(manager, exercise_id, RED_DEFENSE, "call_request", channel="milmil")
    await clock.advance(9.9)  # ring timeout is 10 scenario minutes: 10 wall seconds at 60x
    assert (await manager.runtime(exercise_id)).state.calls["call-2"].status == "ringing"
    await clock.advance(0.1)
    assert (await manager.runtime(exercise_id)).state.calls["call-2"].status == "missed"
    assert published.of_type("call_missed")[0].payload["call_id"] == "call-2"


async def test_suspended_channel_refuses_and_logs_attempts(
    manager: ExerciseManager, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini)
    await play(manager, exercise_id, BLUE_DEFENSE, "call_request", channel="milmil")
    await play(manager, exercise_id, RED_DEFENSE, "call_accept", call_id="call-1")
    await play(manager, exercise_id, RED_LEADER, "take_action", action_id="cut-milmil")
    state = (await manager.runtime(exercise_id)).state
    assert state.channels["milmil"].suspended
    assert state.calls["call-1"].status == "ended"  # suspension cuts the live call
    with pytest.raises(CommandError, match="suspended") as refused:
        await play(manager, exercise_id, BLUE_DEFENSE, "call_request", channel="milmil")
    assert refused.value.code == "channel_suspended"
    logged = published.of_type("channel_refused")[-1]
    assert logged.payload["channel"] == "milmil"
    assert logged.actor.team == "blue"
    await control(manager, exercise_id, "restore_channel", channel="milmil", reason="Talks resume")
    await play(manager, exercise_id, BLUE_DEFENSE, "call_request", channel="milmil")
    assert (await manager.runtime(exercise_id)).state.calls["call-2"].status == "ringing"


async def test_control_can_suspend_hotline_but_not_chat(manager: ExerciseManager, mini: Scenario) -> None:
    exercise_id = await started(manager, mini)
    await control(manager, exercise_id, "suspend_channel", channel="hotline", reason="Line cut")
    with pytest.raises(CommandError, match="suspended"):
        await play(manager, exercise_id, BLUE_LEADER, "call_request")
    with pytest.raises(CommandError, match="not a channel between the teams"):
        await control(manager, exercise_id, "suspend_channel", channel="chat")


async def test_cables_statements_and_chat(manager: ExerciseManager, mini: Scenario, published: Published) -> None:
    exercise_id = await started(manager, mini)
    await play(manager, exercise_id, BLUE_TEAM, "send_cable", subject="Crew", text="Please release the crew")
    cable = published.events[-1]
    assert cable.payload["to_team"] == "red"
    assert cable.actor.role == "diplomacy"
    assert cable.audience == ["role:blue:diplomacy", "role:red:diplomacy"]
    await play(manager, exercise_id, RED_LEADER, "publish_statement", text="We seek calm")
    assert published.events[-1].audience == ["all"]
    await play(manager, exercise_id, RED_DEFENSE, "send_chat", text="Internal")
    assert published.events[-1].audience == ["team:red"]
    with pytest.raises(CommandError, match="No role of this seat may"):
        await play(manager, exercise_id, RED_DEFENSE, "publish_statement", text="Not my job")


async def test_a_seat_cannot_act_for_another_team_or_role(manager: ExerciseManager, mini: Scenario) -> None:
    exercise_id = await started(manager, mini)
    before = (await manager.runtime(exercise_id)).state.last_seq
    with pytest.raises(CommandError, match="cannot act for 'red'"):
        await play(manager, exercise_id, BLUE_LEADER, "send_chat", text="hi", team="red")
    with pytest.raises(CommandError, match="does not hold the role 'defense'"):
        await play(manager, exercise_id, BLUE_LEADER, "take_action", action_id="show-of-force", role="defense")
    with pytest.raises(CommandError, match="Only the control cell"):
        await play(manager, exercise_id, BLUE_LEADER, "pause", reason="mine now")
    with pytest.raises(CommandError, match="Only the control cell and observers"):
        await play(manager, exercise_id, BLUE_LEADER, "add_observation", text="I rate myself P")
    assert (await manager.runtime(exercise_id)).state.last_seq == before


async def test_resent_command_is_applied_once(manager: ExerciseManager, mini: Scenario) -> None:
    exercise_id = await started(manager, mini)
    runtime = await manager.runtime(exercise_id)
    message = command("send_chat", id="same-id", text="Once")
    first = await runtime.execute(BLUE_LEADER, message)
    again = await runtime.execute(BLUE_LEADER, message)
    assert again.duplicate
    assert again.seqs == first.seqs
    assert sum(1 for e in manager.store.read(exercise_id) if e.type.value == "chat_message") == 1
    # the same id from another seat is another command
    assert not (await runtime.execute(RED_LEADER, command("send_chat", id="same-id", text="Mine"))).duplicate


async def test_paused_exercise_refuses_moves_but_keeps_chat(manager: ExerciseManager, mini: Scenario) -> None:
    exercise_id = await started(manager, mini)
    await control(manager, exercise_id, "pause", reason="Hold everything")
    with pytest.raises(CommandError, match="paused"):
        await play(manager, exercise_id, BLUE_LEADER, "take_action", action_id="consult")
    await play(manager, exercise_id, BLUE_LEADER, "send_chat", text="While we wait")
