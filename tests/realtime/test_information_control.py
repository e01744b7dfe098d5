"""Information control over the wire: what each console receives live and on replay.

The rules are in docs/architecture.md, "Who sees what".
"""

from __future__ import annotations

import json
from typing import Any

from app.realtime.client import ConsoleClient
from tests.realtime.conftest import LiveServer, seat_token

CONTROLLER_NOTES = ("Watch whether the leaders call.", "Secret to blue.")


async def play_a_round(live: LiveServer) -> tuple[dict[str, Any], dict[str, ConsoleClient]]:
    exercise = await live.create_exercise()
    consoles = {
        "blue-leader": live.console(exercise["id"], seat_token(exercise, "blue", "leader")),
        "blue-defense": live.console(exercise["id"], seat_token(exercise, "blue", "defense")),
        "red-team": live.console(exercise["id"], seat_token(exercise, "red", None)),
        "red-press": live.console(exercise["id"], seat_token(exercise, "red", "press")),
    }
    for console in consoles.values():
        await console.connect()
    await live.control(exercise["id"], "start")
    blue, red = consoles["blue-leader"], consoles["red-team"]
    await blue.command({"type": "send_chat", "text": "Blue internal plan"})
    await red.command({"type": "send_chat", "text": "Red internal plan"})
    await blue.command({"type": "take_action", "action_id": "verify", "rationale": "Blue private why"})
    await red.command({"type": "take_action", "action_id": "show-of-force", "rationale": "Red public why"})
    await red.command({"type": "call_request", "channel": "hotline"})
    await blue.command({"type": "call_accept", "call_id": "call-1"})
    await blue.command({"type": "call_message", "call_id": "call-1", "facts": "Leaders only"})
    await red.command({"type": "send_cable", "subject": "Crew", "text": "Diplomats only"})
    await live.advance(60)  # I2: blue defense only
    await live.control(exercise["id"], "hold_inject", inject_id="I3")
    await consoles["blue-defense"].wait_type("inject_released", inject_id="I2")
    marker = await red.command({"type": "publish_statement", "text": "End of round"})
    for console in consoles.values():
        await console.wait_for(lambda e, seq=marker["seqs"][0]: e["seq"] >= seq)
    return exercise, consoles


def texts(console: ConsoleClient) -> str:
    return json.dumps({"hello": console.hello, "events": console.events})


async def test_each_console_receives_only_what_its_seat_may_see(live: LiveServer) -> None:
    _, consoles = await play_a_round(live)
    blue_leader, blue_defense = consoles["blue-leader"], consoles["blue-defense"]
    red_team, red_press = consoles["red-team"], consoles["red-press"]

    assert "Red internal plan" not in texts(blue_leader) and "Blue internal plan" not in texts(red_team)
    assert "Blue private why" not in texts(red_team)  # a private action stays with its team
    assert "Red public why" not in texts(blue_leader)  # the rationale of a public action too
    assert "show-of-force" in texts(blue_leader)  # but the public move itself is seen
    assert "Red public why" in texts(red_press)
    assert "Leaders only" in texts(red_team) and "Leaders only" not in texts(red_press)
    assert "Leaders only" not in texts(blue_defense)
    assert "Diplomats only" not in texts(blue_leader) and "Diplomats only" in texts(red_team)
    assert "Blue-only report" in texts(blue_defense) and "Blue-only report" not in texts(blue_leader)
    for console in consoles.values():
        raw = texts(console)
        assert not any(note in raw for note in CONTROLLER_NOTES)
        assert "expected_actions" not in raw and "inject_held" not in raw and "token" not in raw
        assert '"injects"' not in json.dumps(console.hello)  # no MSEL in the player snapshot


async def test_replay_shows_exactly_what_live_delivery_showed(live: LiveServer) -> None:
    exercise, consoles = await play_a_round(live)
    for name, console in consoles.items():
        fresh = ConsoleClient(live.base_url, exercise["id"], token=console.token)
        await fresh.connect()
        await fresh.live.wait()
        live_seqs = [e["seq"] for e in console.events]
        replay_seqs = [e["seq"] for e in fresh.events if e["seq"] <= live_seqs[-1]]
        assert replay_seqs == live_seqs, name
        assert [e for e in fresh.events if e["seq"] <= live_seqs[-1]] == console.events, name
        await fresh.close()


async def test_control_sees_everything_including_notes(live: LiveServer) -> None:
    exercise, _ = await play_a_round(live)
    control = live.control_console(exercise["id"])
    hello = await control.connect()
    await control.live.wait()
    raw = json.dumps({"hello": hello, "events": control.events})
    for secret in ("Red internal plan", "Blue private why", "Leaders only", "Diplomats only", *CONTROLLER_NOTES):
        assert secret in raw
    assert hello["snapshot"]["injects"]["I3"]["status"] == "held"
    await control.close()
