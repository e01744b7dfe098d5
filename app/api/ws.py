"""Websocket endpoints: one for team and observer consoles, one for the control console.

The handler checks origin, exercise and credentials, sends ``hello``, attaches the connection to the
hub (which replays what the console missed, then goes live) and then reads commands. A bad message
gets an ``error`` and changes nothing; only a bad join, a revoked seat or sustained flooding closes
the socket, with a close code from ``CloseCode``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from app.engine.commands import CommandError
from app.engine.manager import ExerciseNotFound
from app.engine.principal import FACILITATOR_PRINCIPAL, Principal
from app.engine.runtime import ExerciseRuntime
from app.realtime.hub import Connection
from app.realtime.protocol import (
    PROTOCOL_VERSION,
    Ack,
    CloseCode,
    Error,
    Hello,
    Identity,
    Join,
    Pong,
    client_message_adapter,
)
from app.realtime.snapshot import snapshot
from app.security import TokenBucket, origin_allowed, secrets_match
from app.services import Services

log = logging.getLogger(__name__)
router = APIRouter()

KNOWN_TYPES = frozenset(client_message_adapter.json_schema()["discriminator"]["mapping"])
MAX_RATE_REFUSALS = 200


class Rejected(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@router.websocket("/ws/exercises/{exercise_id}")
async def console_socket(websocket: WebSocket, exercise_id: str) -> None:
    """Team and observer consoles: join with a seat token."""
    await _serve(websocket, exercise_id, control=False)


@router.websocket("/ws/control/{exercise_id}")
async def control_socket(websocket: WebSocket, exercise_id: str) -> None:
    """The control console: join with the facilitator secret."""
    await _serve(websocket, exercise_id, control=True)


async def _serve(websocket: WebSocket, exercise_id: str, *, control: bool) -> None:
    services: Services = websocket.app.state.services
    await websocket.accept()
    try:
        principal, join = await _admit(websocket, services, exercise_id, control=control)
    except Rejected as rejected:
        await _close(websocket, rejected.code, rejected.reason)
        return
    except WebSocketDisconnect:
        return
    runtime = await services.manager.runtime(exercise_id)
    await runtime.catch_up()  # a fresh snapshot, with every event committed before this seat's link was checked
    hello = Hello(
        server_version=services.version,
        exercise_id=exercise_id,
        you=Identity(
            kind=principal.kind,
            seat_id=principal.seat_id,
            team=principal.team,
            roles=sorted(principal.roles),
            label=principal.label,
        ),
        snapshot=snapshot(runtime, principal, await _devices(services, exercise_id, principal)),
        last_seq=runtime.state.last_seq,
        replay_from=min(join.last_seq, runtime.state.last_seq),
    )
    await websocket.send_text(hello.model_dump_json())

    async def close(code: int, reason: str) -> None:
        await _close(websocket, code, reason)

    try:
        await services.presence.connected(exercise_id, principal)  # in the log before this console goes live
        connection = services.hub.attach(
            exercise_id, principal, websocket.send_text, close, last_seq=min(join.last_seq, runtime.state.last_seq)
        )
        try:
            await services.scoreboard.greet(connection)
            await _receive_loop(websocket, services, connection)
        finally:
            await services.hub.detach(connection)
    finally:
        services.presence.disconnected(exercise_id, principal)


async def _devices(services: Services, exercise_id: str, principal: Principal) -> dict[str, int]:
    """Devices per seat over every process, for the consoles that see seats (control and observers)."""
    if principal.kind == "player":
        return {}
    return await services.presence.devices(exercise_id)


async def _admit(
    websocket: WebSocket, services: Services, exercise_id: str, *, control: bool
) -> tuple[Principal, Join]:
    settings = services.settings
    if not origin_allowed(websocket.headers.get("origin"), websocket.headers.get("host"), settings.allowed_origins):
        raise Rejected(CloseCode.FORBIDDEN, "This page's origin may not open Hotline consoles.")
    try:
        await services.manager.row(exercise_id)
    except ExerciseNotFound:
        raise Rejected(CloseCode.UNKNOWN_EXERCISE, f"There is no exercise '{exercise_id}'.") from None
    try:
        raw = await asyncio.wait_for(websocket.receive_text(), timeout=settings.join_timeout_seconds)
    except TimeoutError:
        raise Rejected(CloseCode.JOIN_TIMEOUT, "Send a join message first.") from None
    except (KeyError, RuntimeError):  # a binary frame where text was expected
        raise Rejected(CloseCode.BAD_MESSAGE, "The first message must be a JSON join message.") from None
    try:
        join = Join.model_validate_json(raw)
    except ValidationError:
        raise Rejected(CloseCode.BAD_MESSAGE, "The first message must be a JSON join message.") from None
    if join.protocol != PROTOCOL_VERSION:
        raise Rejected(CloseCode.UNSUPPORTED_PROTOCOL, f"This server speaks protocol {PROTOCOL_VERSION}.")
    if control:
        if not join.secret or not secrets_match(join.secret, services.secret.value):
            raise Rejected(CloseCode.UNAUTHORIZED, "Wrong facilitator secret.")
        return FACILITATOR_PRINCIPAL, join
    principal = await services.manager.authenticate(exercise_id, join.token or "")
    if principal is None:
        raise Rejected(CloseCode.UNAUTHORIZED, "This seat link is not valid (wrong, or revoked).")
    return principal, join


async def _receive_loop(websocket: WebSocket, services: Services, connection: Connection) -> None:
    settings = services.settings
    bucket = TokenBucket(rate=settings.rate_limit_per_second, burst=settings.rate_limit_burst)
    hub = services.hub
    runtime = await services.manager.runtime(connection.exercise_id)
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        if text is None:
            hub.send(connection, _error(None, "invalid_json", "Send JSON text frames, not binary."))
            continue
        if len(text.encode("utf-8")) > settings.max_message_bytes:
            limit = settings.max_message_bytes // 1024
            hub.send(connection, _error(None, "too_big", f"Messages may be at most {limit} KiB; this one was dropped."))
            continue
        if not bucket.take(services.clock.monotonic()):
            if bucket.refusals > MAX_RATE_REFUSALS:
                await _close(websocket, CloseCode.RATE_LIMITED, "Too many messages; slow down and reconnect.")
                return
            dropped = "Too many messages: this one was dropped. Resend it in a moment (same id)."
            hub.send(connection, _error(_message_id(text), "rate_limited", dropped))
            continue
        reply = await _handle(text, connection.principal, runtime)
        if reply is not None:
            hub.send(connection, reply)


async def _handle(text: str, principal: Principal, runtime: ExerciseRuntime) -> str | None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return _error(None, "invalid_json", f"Not valid JSON ({exc.msg} at character {exc.pos}).")
    if not isinstance(data, dict):
        return _error(None, "invalid", "A message must be a JSON object with a 'type'.")
    command_id = data.get("id") if isinstance(data.get("id"), str) else None
    kind = data.get("type")
    if kind not in KNOWN_TYPES:
        return _error(command_id, "unknown_type", f"Unknown message type {kind!r}; see /api/schema/protocol.")
    if kind == "join":
        return _error(command_id, "invalid", "Already joined.")
    try:
        parsed = client_message_adapter.validate_python(data)
    except ValidationError as exc:
        return _error(command_id, "invalid", _validation_message(exc))
    if kind == "ping":
        return Pong(id=command_id).model_dump_json()
    try:
        result = await runtime.execute(principal, parsed)
    except CommandError as error:
        return _error(command_id, error.code, error.message)
    except Exception:  # a bug or a database outage must not take the connection down with it
        log.exception("command %s failed", kind)
        return _error(command_id, "internal", "The server could not apply this command; nothing changed. Retry.")
    return Ack(id=parsed.id, seqs=result.seqs, duplicate=result.duplicate).model_dump_json()


def _message_id(text: str) -> str | None:
    """The id of a message we are about to drop, so the client can match the error to it."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _validation_message(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors()[:3]:
        where = ".".join(str(part) for part in error["loc"][1:]) or "message"
        problems.append(f"{where}: {error['msg']}")
    return "Invalid message: " + "; ".join(problems)


def _error(command_id: str | None, code: str, message: str) -> str:
    return Error(id=command_id, code=code, message=message).model_dump_json()


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    with contextlib.suppress(Exception):
        await websocket.close(code=code, reason=reason[:120])
