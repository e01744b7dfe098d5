"""The information-control walk: every field of every message each seat receives, in every language.

The scenario (``secrets.yaml``) and the round played here mark every private text with who may read
it (``[[blue]]``, ``[[red:defense]]``, ``[[blue:leader,red:leader]]``, ``[[control]]``). Each player
console keeps every message it gets (hello with its snapshot and all translations, events, live,
acks, errors, pongs, heartbeats and scores) and every string in them, keys included, is checked
against the seat. Numbers cannot carry a marker, so the score card a team gets is checked to be the
score of what that team may see. Errors are probed too: asking for the other side's restricted
action or call must not reveal it.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.engine.clock import ManualClock
from app.realtime.client import ConsoleClient
from app.scenario.loader import load_scenario
from app.scoring.live import team_card
from tests.attack.conftest import ATTACK
from tests.realtime.conftest import LiveServer, live_settings, seat_token, serve

MARKER = re.compile(r"\[\[([^\]]+)\]\]")
MESSAGE_TYPES = {"hello", "event", "live", "ack", "error", "pong", "heartbeat", "scores"}
SEATS = [(team, role) for team in ("blue", "red") for role in ("leader", "defense", "diplomacy", None)]


@pytest.fixture
async def live(database_url: str, tmp_path: Path) -> AsyncIterator[LiveServer]:
    settings = live_settings(database_url, tmp_path)
    settings.scenario_dirs = [ATTACK]
    async with serve(settings, ManualClock()) as server:
        yield server


def may_read(marker: str, team: str, roles: set[str]) -> bool:
    for reader in marker.split(","):
        reader_team, _, reader_role = reader.strip().partition(":")
        if reader_team == team and (not reader_role or reader_role in roles):
            return True
    return False


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}(key)", str(key)
            yield from strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, f"{path}[{index}]")


def leaks(console: ConsoleClient) -> list[str]:
    you = console.you
    team, roles = you["team"], set(you["roles"])
    found = []
    for number, message in enumerate(console.received):
        for path, text in strings(message, f"#{number}:{message['type']}"):
            found += [f"{path}: {text!r}" for marker in MARKER.findall(text) if not may_read(marker, team, roles)]
    return found


def markers_seen(console: ConsoleClient) -> set[str]:
    return {marker for message in console.received for _, text in strings(message) for marker in MARKER.findall(text)}


async def play_the_round(live: LiveServer) -> tuple[str, dict[tuple[str, str | None], ConsoleClient]]:
    exercise = await live.create_exercise("secrets")
    exercise_id = exercise["id"]
    consoles = {
        seat: ConsoleClient(live.base_url, exercise_id, token=seat_token(exercise, *seat), keep_all=True)
        for seat in SEATS
    }
    for console in consoles.values():
        await console.connect()
    control = live.control_console(exercise_id)
    await control.connect()

    async def act(seat: tuple[str, str | None], **command: Any) -> dict[str, Any]:
        return await consoles[seat].command(command)

    blue, red = ("blue", "leader"), ("red", "leader")
    await live.control(exercise_id, "start")
    for (team, role), console in consoles.items():
        await console.command({"type": "send_chat", "text": f"{role or 'team'} here [[{team}]]"})
    await act(blue, type="send_chat", text="Our plan [[blue]]")
    await act(red, type="send_chat", text="Our plan [[red]]")
    await act(blue, type="take_action", action_id="covert-strike", text="Go [[blue]]", rationale="Why [[blue]]")
    await act(red, type="take_action", action_id="quiet-ploy", text="Go [[red]]", rationale="Why [[red]]")
    await act(red, type="take_action", action_id="show-of-force", text="Everyone sees this", rationale="Why [[red]]")
    await act(red, type="call_request", channel="hotline")
    await act(blue, type="call_accept", call_id="call-1")
    await act(blue, type="call_message", call_id="call-1", facts="Facts [[blue:leader,red:leader]]")
    await act(blue, type="call_hangup", call_id="call-1")
    await act(("blue", "defense"), type="call_request", channel="milmil")
    await act(("red", "defense"), type="call_accept", call_id="call-2")
    await act(("red", "defense"), type="call_message", call_id="call-2", intent="Intent [[blue:defense,red:defense]]")
    await act(
        ("red", "diplomacy"),
        type="send_cable",
        subject="Note [[blue:diplomacy,red:diplomacy]]",
        text="Text [[blue:diplomacy,red:diplomacy]]",
    )
    # Probing for what the other side has: the answers must not tell.
    for seat, probe in [
        (red, {"type": "take_action", "action_id": "covert-strike"}),
        (blue, {"type": "take_action", "action_id": "quiet-ploy"}),
        (blue, {"type": "call_accept", "call_id": "call-2"}),
        (blue, {"type": "call_message", "call_id": "call-2", "text": "hello?"}),
        (("red", "diplomacy"), {"type": "call_hangup", "call_id": "call-1"}),
    ]:
        reply = await consoles[seat].request(probe)
        assert reply["type"] == "error" and reply["code"] == "not_found", (seat, probe, reply)
    for (team, role), console in consoles.items():  # every seat asks for the other side's secret move
        other_secret = "quiet-ploy" if team == "blue" else "covert-strike"
        reply = await console.request({"type": "take_action", "action_id": other_secret})
        assert reply["type"] == "error" and reply["code"] == "not_found", (team, role, reply)
    await control.command(
        {
            "type": "adhoc_inject",
            "audience": [{"team": "red", "role": "leader"}],
            "channel": "news",
            "title": "For the red leader [[red:leader]]",
            "text": "Only you [[red:leader]]",
            "attribution": {"side": "blue", "band": 2, "weight": -5},  # whose act: control's judgement, no player's
        }
    )
    await control.command({"type": "add_observation", "text": "Evaluator note [[control]]"})
    await control.command({"type": "rate_task", "task_id": "T1", "rating": "S", "rationale": "Rated [[control]]"})
    await live.advance(45)  # T+00:45 at 60x: I2 (blue defense) and I3 (red) are released; heartbeats go out
    # A read receipt for the other side's inject must not reveal that it was released.
    for seat, inject in ((("red", "leader"), "I2"), (("blue", "defense"), "I3")):
        receipt = await consoles[seat].request({"type": "mark_seen", "inject_ids": [inject]})
        assert receipt["type"] == "ack" and receipt["seqs"] == [], (seat, receipt)
    await live.control(exercise_id, "set_scores_visible", visible=True)
    await live.advance(1)
    await live.control(exercise_id, "end")
    await act(
        blue, type="submit_hotwash", id="anon-" + "7" * 24, rating=2, did_not_work="Answer [[control]]", anonymous=True
    )
    for console in consoles.values():
        await console.wait_type("exercise_ended")
    await live.advance(31)  # a heartbeat for every console that has been quiet since
    for console in consoles.values():
        await console.request({"type": "ping"})
    await control.close()
    return exercise_id, consoles


async def test_no_seat_receives_anything_its_seat_may_not_see(live: LiveServer) -> None:
    _, consoles = await play_the_round(live)
    for (team, role), console in consoles.items():
        assert leaks(console) == [], (team, role)
        kinds = {message["type"] for message in console.received}
        assert kinds >= MESSAGE_TYPES, (team, role, MESSAGE_TYPES - kinds)  # every kind of message was walked
        assert "zh-CN" in console.snapshot["scenario"]["translations"]  # and every language
        assert '"attribution"' not in json.dumps(console.received), (team, role)  # not even to the red leader
    # The walk is not vacuous: each side read its own secrets, in English and in Chinese.
    assert {"blue", "blue:leader,red:leader"} <= markers_seen(consoles[("blue", "leader")])
    assert {"red", "red:leader", "blue:defense,red:defense"} <= markers_seen(consoles[("red", None)])
    red_actions = consoles[("red", None)].snapshot["scenario"]["translations"]["zh-CN"]["actions"]
    assert "quiet-ploy" in red_actions and "covert-strike" not in red_actions
    for console in consoles.values():
        await console.close()


async def test_a_teams_scores_are_the_score_of_what_the_team_may_see(live: LiveServer) -> None:
    exercise_id, consoles = await play_the_round(live)
    scenario = load_scenario(ATTACK / "secrets.yaml")
    events = live.services.manager.store.read(exercise_id)
    control_card = await live.services.scoreboard.card(exercise_id)
    assert control_card.joint.peak_band == 4  # blue's covert strike, a private move
    for team in ("blue", "red"):
        received = [m for m in consoles[(team, None)].received if m["type"] == "scores"]
        assert received, team
        shown = received[-1]["scores"]
        expected = team_card(scenario, [e for e in events if e.seq <= shown["last_seq"]], team)
        assert shown == expected.model_dump(mode="json"), team
    red_peak = [m for m in consoles[("red", None)].received if m["type"] == "scores"][-1]["scores"]["joint"][
        "peak_band"
    ]
    assert red_peak == 3  # red's own show of force: blue's private band 4 does not reach red, not even as a number
    for console in consoles.values():
        await console.close()
