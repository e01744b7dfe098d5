"""Bad input gets a clear error or close code, changes nothing, and never stops other consoles."""

from __future__ import annotations

import json

import pytest
import websockets

from app.engine.manager import ExerciseManager
from app.realtime.client import ConsoleClient, JoinRefused
from tests.conftest import Published
from tests.realtime.conftest import LiveServer, seat_token


async def started(live: LiveServer) -> tuple[dict, ConsoleClient, ConsoleClient]:  # type: ignore[type-arg]
    exercise = await live.create_exercise()
    await live.control(exercise["id"], "start")
    bad = live.console(exercise["id"], seat_token(exercise, "blue", "leader"))
    good = live.console(exercise["id"], seat_token(exercise, "red", "leader"))
    await bad.connect()
    await good.connect()
    await bad.live.wait()
    await good.live.wait()  # both seats online in the log: nothing more is on its way
    return exercise, bad, good


async def reply_to(console: ConsoleClient, raw: str | bytes) -> dict:  # type: ignore[type-arg]
    before = len(console.other)
    await console.send_raw(raw)
    pong = await console.request({"type": "ping"})  # replies come in order: ours is before the pong
    assert pong["type"] == "pong"
    return console.other[before]


@pytest.mark.parametrize(
    ("raw", "code", "says"),
    [
        ("{not json", "invalid_json", "Not valid JSON"),
        (b"\x00\x01binary", "invalid_json", "JSON text frames"),
        ("[1, 2, 3]", "invalid", "JSON object"),
        ('{"type": "launch_missiles", "id": "x"}', "unknown_type", "Unknown message type"),
        ('{"type": "take_action", "id": "x"}', "invalid", "action_id"),
        ('{"type": "send_chat", "id": "x", "text": ""}', "invalid", "text"),
        ('{"type": "send_chat", "id": "x", "text": "hi", "extra": 1}', "invalid", "extra"),
        ('{"type": "join", "token": "again"}', "invalid", "Already joined"),
        ('{"type": "send_chat", "id": "x", "text": "' + "a" * 70_000 + '"}', "too_big", "at most 64 KiB"),
    ],
)
async def test_malformed_messages_get_a_clear_error_and_change_nothing(
    live: LiveServer, raw: str | bytes, code: str, says: str
) -> None:
    exercise, bad, good = await started(live)
    head = live.services.manager.store.last_seq(exercise["id"])
    error = await reply_to(bad, raw)
    assert error["type"] == "error" and error["code"] == code and says in error["message"]
    assert live.services.manager.store.last_seq(exercise["id"]) == head
    await live.control(exercise["id"], "adhoc_inject", channel="news", title="Still here", text="Served")
    await good.wait_type("inject_released", title="Still here")
    await bad.wait_type("inject_released", title="Still here")  # the sender's connection survives too


async def test_commands_for_the_other_team_another_role_or_control_are_forbidden(live: LiveServer) -> None:
    exercise, bad, good = await started(live)
    head = live.services.manager.store.last_seq(exercise["id"])
    attempts = [
        {"type": "send_chat", "text": "as red", "team": "red"},
        {"type": "take_action", "action_id": "show-of-force", "role": "defense"},
        {"type": "call_request", "channel": "milmil"},
        {"type": "pause", "reason": "mine"},
        {"type": "fire_inject", "inject_id": "I4"},
        {"type": "add_observation", "text": "I am an evaluator now"},
    ]
    for attempt in attempts:
        reply = await bad.request(attempt)
        assert reply["type"] == "error" and reply["code"] == "forbidden", attempt
    assert live.services.manager.store.last_seq(exercise["id"]) == head
    await good.command({"type": "send_chat", "text": "red carries on"})


async def test_oversized_frames_close_only_that_connection(live: LiveServer) -> None:
    _, bad, good = await started(live)
    await bad.send_raw("x" * (2 << 20))
    code, _ = await bad.closed  # type: ignore[misc]
    assert code == 1009
    await good.command({"type": "send_chat", "text": "unaffected"})


async def test_flooding_is_rate_limited_without_dropping_the_connection(live: LiveServer) -> None:
    exercise, bad, _ = await started(live)
    for number in range(80):
        await bad.send_raw(json.dumps({"type": "send_chat", "id": f"flood-{number}", "text": "spam"}))
    pong = await bad.request({"type": "ping"}, timeout=10)
    limited = [m for m in bad.other if m.get("code") == "rate_limited"]
    assert pong["type"] in ("pong", "error") and limited
    chats = [e for e in live.services.manager.store.read(exercise["id"]) if e.type.value == "chat_message"]
    assert 0 < len(chats) < 80  # the burst went through, the rest was dropped, not queued


@pytest.mark.parametrize(
    ("join", "path", "origin", "expected"),
    [
        ({"token": "not-a-real-token"}, "exercises/{id}", None, 4401),
        ({"secret": "wrong-secret"}, "control/{id}", None, 4401),
        ({"token": "any"}, "exercises/ex_doesnotexist", None, 4404),
        ({"token": "{token}", "protocol": 99}, "exercises/{id}", None, 4426),
        ({"token": "{token}"}, "exercises/{id}", "https://evil.example", 4403),
        ({"hello": "not a join"}, "exercises/{id}", None, 4400),
    ],
)
async def test_bad_joins_are_closed_with_a_code(
    live: LiveServer,
    join: dict,
    path: str,
    origin: str | None,
    expected: int,  # type: ignore[type-arg]
) -> None:
    exercise, _, good = await started(live)
    token = seat_token(exercise, "blue", None)
    url = live.base_url.replace("http", "ws") + "/ws/" + path.format(id=exercise["id"])
    message = {"type": "join", **{k: (v.format(token=token) if isinstance(v, str) else v) for k, v in join.items()}}
    if "hello" in join:
        message = join
    headers = {"Origin": origin} if origin else None
    async with websockets.connect(url, additional_headers=headers) as socket:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket.send(json.dumps(message))  # the server may close before reading it
            await socket.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == expected
    assert closed.value.rcvd.reason  # every close says why
    await good.command({"type": "send_chat", "text": "unaffected"})


async def test_a_socket_that_never_joins_is_closed(live: LiveServer) -> None:
    exercise, _, _ = await started(live)
    live.services.settings.join_timeout_seconds = 0.2
    url = live.base_url.replace("http", "ws") + f"/ws/exercises/{exercise['id']}"
    async with websockets.connect(url) as socket:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4408


async def test_revoked_seat_is_disconnected_and_cannot_rejoin(live: LiveServer) -> None:
    exercise, bad, good = await started(live)
    seat_id = bad.you["seat_id"]
    response = await live.http.delete(f"/api/exercises/{exercise['id']}/seats/{seat_id}")
    assert response.status_code == 200
    code, _ = await bad.closed  # type: ignore[misc]
    assert code == 4401
    retry = live.console(exercise["id"], bad.token or "")
    with pytest.raises(JoinRefused) as refused:
        await retry.connect()
    assert refused.value.code == 4401
    await good.command({"type": "send_chat", "text": "unaffected"})


async def test_a_link_reissued_by_another_process_is_refused_at_once(live: LiveServer) -> None:
    """This process trusted the link a moment ago and has not heard of the reissue yet: the join catches up
    with the log before it is let in, and is refused."""
    exercise = await live.create_exercise()
    token = seat_token(exercise, "blue", "leader")
    first = live.console(exercise["id"], token)
    await first.connect()
    await first.live.wait()  # its seat online in the log: this process writes nothing more meanwhile
    elsewhere = ExerciseManager(live.services.db, live.clock, Published(), process_id="elsewhere")
    try:
        await elsewhere.reissue_seat(exercise["id"], str(first.you["seat_id"]))
    finally:
        elsewhere.close()
    with pytest.raises(JoinRefused) as refused:
        await live.console(exercise["id"], token).connect()
    assert refused.value.code == 4401
    await first.close()
