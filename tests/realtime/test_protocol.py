"""The websocket protocol end to end: join, hello, replay, live delivery, commands, resume."""

from __future__ import annotations

import pytest

from tests.realtime.conftest import LiveServer, seat_token


async def test_join_gets_hello_with_snapshot_and_replay(live: LiveServer) -> None:
    exercise = await live.create_exercise()
    blue = live.console(exercise["id"], seat_token(exercise, "blue", "leader"))
    hello = await blue.connect()
    assert hello["protocol"] == 1
    assert hello["you"] == {
        "kind": "player",
        "seat_id": hello["you"]["seat_id"],
        "team": "blue",
        "roles": ["leader"],
        "label": "Washington — President",
    }
    assert hello["snapshot"]["status"] == "lobby"
    assert "injects" not in hello["snapshot"]  # the MSEL is for control only
    await blue.live.wait()
    await blue.wait_type("presence_changed", online=True)
    assert [e["type"] for e in blue.events] == ["exercise_created", "lobby_opened", "presence_changed"]
    await blue.close()


async def test_inject_reaches_its_audience_only(live: LiveServer) -> None:
    exercise = await live.create_exercise()
    blue_leader = live.console(exercise["id"], seat_token(exercise, "blue", "leader"))
    blue_defense = live.console(exercise["id"], seat_token(exercise, "blue", "defense"))
    red_team = live.console(exercise["id"], seat_token(exercise, "red", None))
    for console in (blue_leader, blue_defense, red_team):
        await console.connect()
    await live.control(exercise["id"], "start")
    await live.advance(60)  # I2 (blue defense only) at T+01:00
    await blue_defense.wait_type("inject_released", inject_id="I2")
    await live.advance(60)  # I3 (red only) at T+02:00
    await red_team.wait_type("inject_released", inject_id="I3")
    assert "I2" not in [e["payload"]["inject_id"] for e in blue_leader.of_type("inject_released")]
    assert "I2" not in [e["payload"]["inject_id"] for e in red_team.of_type("inject_released")]
    assert "I3" not in [e["payload"]["inject_id"] for e in blue_defense.of_type("inject_released")]
    for console in (blue_leader, blue_defense, red_team):
        await console.close()


async def test_commands_are_acked_and_idempotent(live: LiveServer) -> None:
    exercise = await live.create_exercise()
    await live.control(exercise["id"], "start")
    blue = live.console(exercise["id"], seat_token(exercise, "blue", "leader"))
    await blue.connect()
    first = await blue.request({"type": "send_chat", "id": "chat-1", "text": "Hello team"})
    again = await blue.request({"type": "send_chat", "id": "chat-1", "text": "Hello team"})
    assert first["type"] == "ack" and not first["duplicate"]
    assert again["duplicate"] and again["seqs"] == first["seqs"]
    await blue.wait_type("chat_message", text="Hello team")
    assert len(blue.of_type("chat_message")) == 1
    await blue.close()


async def test_reconnect_replays_missed_events_without_gap_or_duplicate(live: LiveServer) -> None:
    exercise = await live.create_exercise()
    token = seat_token(exercise, "red", None)
    red = live.console(exercise["id"], token)
    await red.connect()
    await live.control(exercise["id"], "start")
    await red.wait_type("exercise_started")
    await red.drop()
    await live.advance(2 * 60)  # I2 (blue only) and I3 (red) fall due while red is away
    await live.control(exercise["id"], "pause", reason="Break")
    hello = await red.connect()  # resumes from its last seq
    assert hello["replay_from"] > 0
    await red.wait_type("exercise_paused", reason="Break")
    seqs = [e["seq"] for e in red.events]
    assert seqs == sorted(seqs) and red.duplicates == 0
    assert "I3" in [e["payload"]["inject_id"] for e in red.of_type("inject_released")]
    await red.close()


@pytest.mark.parametrize("who", ["blue", "observer"])
async def test_observer_sees_both_teams_but_cannot_play(live: LiveServer, who: str) -> None:
    exercise = await live.create_exercise()
    await live.control(exercise["id"], "start")
    token = (
        seat_token(exercise, None, None, kind="observer") if who == "observer" else seat_token(exercise, "blue", None)
    )
    console = live.console(exercise["id"], token)
    await console.connect()
    red = live.console(exercise["id"], seat_token(exercise, "red", "leader"))
    await red.connect()
    await red.command({"type": "send_chat", "text": "Red internal"})
    if who == "observer":
        await console.wait_type("chat_message", text="Red internal")
        reply = await console.request({"type": "send_chat", "text": "Let me in"})
        assert reply["code"] == "forbidden"
    else:
        await red.wait_type("chat_message", text="Red internal")
        await console.command({"type": "send_chat", "text": "sync"})
        await console.wait_type("chat_message", text="sync")
        assert not [e for e in console.of_type("chat_message") if e["payload"]["text"] == "Red internal"]
    await console.close()
    await red.close()
