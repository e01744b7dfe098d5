"""Hostile websocket messages: each gets its documented error or close code, logs no traceback and
changes nothing, and the connection (or, for a join, the server) carries on."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
import websockets

from app.realtime.client import ConsoleClient
from tests.attack.conftest import Target
from tests.realtime.conftest import SECRET, seat_token

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEEP = "[" * 20_000 + "]" * 20_000


@dataclass(frozen=True)
class Hostile:
    name: str
    raw: str | bytes
    code: str
    says: str
    on: str = "player"  # the socket it is sent on: "player" or "control"


def message(**fields: Any) -> str:
    return json.dumps(fields)


CORPUS = [
    Hostile("type-is-a-list", '{"type":["send_chat"],"id":"f8","text":"x"}', "invalid", "type: must be text"),
    Hostile("type-is-a-number", '{"type":5,"id":"f9"}', "invalid", "type: must be text"),
    Hostile("type-missing", '{"id":"f10","text":"x"}', "invalid", "type: is required"),
    Hostile("type-is-huge", message(type="x" * 60_000), "unknown_type", "Unknown message type"),
    Hostile("twenty-thousand-brackets", DEEP, "invalid", "nested more than 16 levels"),
    Hostile(
        "deep-field", '{"type":"send_chat","id":"d","text":"x","team":' + "[" * 40 + "]" * 40 + "}", "invalid", "nested"
    ),
    Hostile("not-json", "{not json", "invalid_json", "Not valid JSON"),
    Hostile("binary-frame", b"\x00\x01binary", "invalid_json", "JSON text frames"),
    Hostile("array", "[1, 2, 3]", "invalid", "JSON object"),
    Hostile("nan", '{"type":"set_compression","id":"c","compression":NaN}', "invalid_json", "NaN", "control"),
    Hostile(
        "infinity", '{"type":"set_compression","id":"c","compression":Infinity}', "invalid_json", "Infinity", "control"
    ),
    Hostile(
        "huge-number", '{"type":"send_chat","id":"n","text":"x","team":' + "9" * 5000 + "}", "invalid_json", "digits"
    ),
    Hostile("nul-in-text", message(type="send_chat", id="n1", text="a\u0000b"), "invalid", "text: contains a NUL"),
    Hostile("nul-in-id", message(type="send_chat", id="n\u00002", text="x"), "invalid", "id: contains a NUL"),
    Hostile("nul-in-key", '{"type":"send_chat","id":"n3","text":"x","\\u0000":1}', "invalid", "NUL"),
    Hostile("lone-surrogate", '{"type":"send_chat","id":"s1","text":"\\ud800"}', "invalid", "unpaired surrogate"),
    Hostile("lone-low-surrogate", '{"type":"send_chat","id":"s2","text":"a\\udc00b"}', "invalid", "unpaired surrogate"),
    Hostile(
        "yes-is-not-true",
        message(type="set_scores_visible", id="v", visible="yes"),
        "invalid",
        "visible: must be true or false",
        "control",
    ),
    Hostile(
        "one-is-not-true",
        message(type="set_scores_visible", id="v1", visible=1),
        "invalid",
        "visible: must be true or false",
        "control",
    ),
    Hostile(
        "rating-as-text",
        message(type="submit_hotwash", id="h", rating="5"),
        "invalid",
        "rating: must be a whole number",
    ),
    Hostile(
        "jump-to-1e30",
        message(type="jump", id="j", to=1e30),
        "invalid",
        "to: a scenario time may be at most",
        "control",
    ),
    Hostile(
        "jump-by-ages",
        message(type="jump", id="j2", by="D+99999999"),
        "invalid",
        "by: a scenario time may be at most",
        "control",
    ),
    Hostile("jump-negative", message(type="jump", id="j3", by=-5), "invalid", "cannot be negative", "control"),
    Hostile(
        "compression-1e999",
        '{"type":"set_compression","id":"c1","compression":1e999}',
        "invalid",
        "compression: must be at most",
        "control",
    ),
    Hostile(
        "compression-zero",
        message(type="set_compression", id="c2", compression=0),
        "invalid",
        "compression: must be at least",
        "control",
    ),
    Hostile(
        "compression-as-text",
        message(type="set_compression", id="c3", compression="12"),
        "invalid",
        "compression: must be a number",
        "control",
    ),
    Hostile(
        "seq-overflow",
        message(type="add_observation", id="o", text="x", linked_seqs=[10**23]),
        "invalid",
        "must be at most",
        "control",
    ),
    Hostile(
        "reason-too-long",
        message(type="pause", id="p", reason="x" * 301),
        "invalid",
        "reason: must have at most 300 characters",
        "control",
    ),
    Hostile(
        "unknown-tag",
        message(type="adhoc_inject", id="a", channel="news", title="t", text="x", tags=["nope"]),
        "invalid",
        "tags[0]: must be one of",
        "control",
    ),
    Hostile("extra-field", message(type="send_chat", id="e", text="hi", extra=1), "invalid", "extra: is not a field"),
    Hostile("empty-text", message(type="send_chat", id="e2", text=""), "invalid", "text: must not be empty"),
    Hostile("id-not-text", '{"type":"ping","id":["x"]}', "invalid", "id: must be text"),
    Hostile("unknown-type", message(type="launch_missiles", id="x"), "unknown_type", "Unknown message type"),
    Hostile("join-again", message(type="join", protocol=1, token="again"), "invalid", "Already joined"),
    Hostile("too-big", message(type="send_chat", id="b", text="a" * 70_000), "too_big", "at most 64 KiB"),
    Hostile(
        "other-team", message(type="send_chat", id="o2", text="as red", team="red"), "forbidden", "cannot act for 'red'"
    ),
    Hostile(
        "control-command", message(type="fire_inject", id="f", inject_id="I1"), "forbidden", "Only the control cell"
    ),
    Hostile("unknown-call", message(type="call_accept", id="ca", call_id="call-999"), "not_found", "There is no call"),
]


@dataclass
class Arena:
    target: Target
    exercise_id: str
    player: ConsoleClient
    control: ConsoleClient


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def arena(target: Target) -> AsyncIterator[Arena]:
    live = target.live
    exercise = await live.create_exercise()  # in the lobby: nothing is due while the corpus runs
    player = live.console(exercise["id"], seat_token(exercise, "blue", "leader"))
    control = live.control_console(exercise["id"])
    for console in (player, control):
        await console.connect()
        await console.live.wait()
    yield Arena(target, exercise["id"], player, control)
    for console in (player, control):
        await console.close()


async def reply_to(console: ConsoleClient, raw: str | bytes) -> dict[str, Any]:
    """The error the server answers ``raw`` with (replies come in order: it is before the pong)."""
    before = len(console.other)
    await console.send_raw(raw)
    pong = await console.request({"type": "ping"})  # the connection is still served
    assert pong["type"] == "pong"
    errors = [reply for reply in console.other[before:] if reply.get("type") == "error"]
    assert errors, f"no error for {raw[:80]!r}"
    return errors[0]


@pytest.mark.parametrize("hostile", CORPUS, ids=lambda hostile: hostile.name)
async def test_a_hostile_message_gets_its_error_and_changes_nothing(arena: Arena, hostile: Hostile) -> None:
    target = arena.target
    await target.live.advance(5)  # the rate limit's bucket refills on the server's (manual) clock
    before, logged = target.fingerprint(), len(target.log.records)
    console = arena.control if hostile.on == "control" else arena.player
    error = await reply_to(console, hostile.raw)
    assert (error["code"], hostile.says in error["message"]) == (hostile.code, True), error
    assert target.fingerprint() == before
    assert target.log.tracebacks(logged) == []


async def test_a_valid_message_with_escaped_unicode_still_works(arena: Arena) -> None:
    ack = await arena.player.request({"type": "send_chat", "id": "emoji", "text": "Ship \ud83d\udea2 sighted"})
    assert ack["type"] == "ack" and ack["seqs"]


@dataclass(frozen=True)
class BadJoin:
    name: str
    join: str | bytes
    close: int
    says: str
    headers: tuple[tuple[str, str], ...] = ()
    path: str = "exercises"


JOINS = [
    BadJoin(
        "protocol-as-text", message(type="join", protocol="1", token="t"), 4400, "protocol: must be a whole number"
    ),
    BadJoin("type-is-a-list", message(type=["join"], token="t"), 4400, "first message must be a join"),
    BadJoin("deep", DEEP, 4400, "nested more than 16"),
    BadJoin("nul-token", message(type="join", token="a\u0000b"), 4400, "token: contains a NUL"),
    BadJoin("surrogate-token", '{"type":"join","token":"\\udfff"}', 4400, "unpaired surrogate"),
    BadJoin("last-seq-overflow", message(type="join", token="t", last_seq=10**23), 4400, "last_seq: must be at most"),
    BadJoin("binary", b"\x00join", 4400, "JSON join message"),
    BadJoin("wrong-token", message(type="join", token="not-a-real-token"), 4401, "not valid"),
    BadJoin(
        "wrong-secret",
        message(type="join", secret="wrong-secret-0123456789"),
        4401,
        "Wrong facilitator secret",
        path="control",
    ),
    BadJoin("foreign-origin", message(type="join", token="t"), 4403, "origin", (("Origin", "https://evil.example"),)),
    BadJoin(
        "dns-rebinding",
        message(type="join", token="t"),
        4403,
        "origin",
        (("Origin", "http://rebound.example:{port}"), ("Host", "rebound.example:{port}")),
    ),
    BadJoin("wrong-scheme", message(type="join", token="t"), 4403, "origin", (("Origin", "https://127.0.0.1:{port}"),)),
    BadJoin("wrong-port", message(type="join", token="t"), 4403, "origin", (("Origin", "http://127.0.0.1:1"),)),
]


@pytest.mark.parametrize("bad", JOINS, ids=lambda bad: bad.name)
async def test_a_bad_join_is_closed_with_its_code_and_reason(arena: Arena, bad: BadJoin) -> None:
    target = arena.target
    before, logged = target.fingerprint(), len(target.log.records)
    port = target.services.settings.port
    url = target.live.base_url.replace("http", "ws") + f"/ws/{bad.path}/{arena.exercise_id}"
    headers = [(name, value.format(port=port)) for name, value in bad.headers]
    async with websockets.connect(url, additional_headers=headers or None) as socket:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket.send(bad.join)
            await socket.recv()
    received = closed.value.rcvd
    assert received is not None and (received.code, bad.says in received.reason) == (bad.close, True), received
    assert target.fingerprint() == before
    assert target.log.tracebacks(logged) == []
    await arena.player.command({"type": "ping"})  # everyone else is still served


async def test_the_right_origin_and_no_origin_are_both_admitted(arena: Arena) -> None:
    live = arena.target.live
    for origin in (live.base_url, None):
        console = ConsoleClient(live.base_url, arena.exercise_id, secret=SECRET, origin=origin)
        await console.connect()
        await console.close()
