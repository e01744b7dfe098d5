"""Websocket endpoints: one for team and observer consoles, one for the control console.

The handler checks origin, exercise and credentials, sends ``hello``, attaches the connection to the
hub (which replays what the console missed, then goes live) and then reads commands, each decoded
strictly by ``app.realtime.decode``. A bad message gets an ``error`` and changes nothing; only a bad
join, a revoked seat, too many consoles, too many failed sign-ins or sustained flooding closes the
socket, with a close code from ``CloseCode``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from app import logcontext
from app.api.deps import identity_of, principal_of
from app.engine.commands import CommandError
from app.engine.principal import Principal
from app.engine.runtime import ExerciseRuntime
from app.guards.connections import Slot
from app.realtime.decode import MessageRefused, decode_join, decode_message, peek_id
from app.realtime.hub import Connection
from app.realtime.protocol import PROTOCOL_VERSION, Ack, CloseCode, Error, Join, Pong
from app.realtime.wire import wire_of
from app.security import TokenBucket, origin_allowed
from app.services import Services

log = logging.getLogger(__name__)
router = APIRouter()

MAX_RATE_REFUSALS = 200
JOIN_TURN_SECONDS = 1.0
CONTROL_SEAT = "control"


class Rejected(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


async def console_socket(websocket: WebSocket) -> None:
    """Team and observer consoles: join with a seat token."""
    await _serve(websocket, websocket.path_params["exercise_id"], control=False)


async def control_socket(websocket: WebSocket) -> None:
    """The control console: join with the facilitator secret."""
    await _serve(websocket, websocket.path_params["exercise_id"], control=True)


# Plain routes, not FastAPI's: the endpoints take no dependencies, and solving them for every console that
# connects cost a tenth of a join's time on the loop in a storm (docs/performance.md).
router.add_websocket_route("/ws/exercises/{exercise_id}", console_socket)
router.add_websocket_route("/ws/control/{exercise_id}", control_socket)


def client_address(websocket: WebSocket) -> str:
    return websocket.client.host if websocket.client else "unknown"


async def _serve(websocket: WebSocket, exercise_id: str, *, control: bool) -> None:
    services: Services = websocket.app.state.services
    connections = services.perimeter.connections
    # Accepting a socket and checking its join cost the loop a fraction of a millisecond each; a thousand
    # sockets arriving together would do it all in one turn of the loop, and a timer due meanwhile would
    # wait for the last of them. So they are accepted and checked a few at a time, in turns of their own;
    # waiting for the console's join message takes no turn (a silent socket must not hold one).
    async with services.arrival_gate:
        await websocket.accept()
        slot = connections.open(client_address(websocket))
        if isinstance(slot, str):
            await _close(websocket, CloseCode.TOO_MANY_CONNECTIONS, slot)
            return
    try:
        admitted = await _admission(websocket, services, exercise_id, slot, control=control)
        if admitted is not None:
            await _session(websocket, services, exercise_id, *admitted)
    finally:
        connections.release(slot)


async def _admission(
    websocket: WebSocket, services: Services, exercise_id: str, slot: Slot, *, control: bool
) -> tuple[Principal, Join] | None:
    """The console's principal and join, or None once the socket was refused (and closed) or went away."""
    try:
        return await _admit(websocket, services, exercise_id, slot, control=control)
    except Rejected as rejected:
        await _close(websocket, rejected.code, rejected.reason)
    except WebSocketDisconnect:
        pass
    return None


async def _session(
    websocket: WebSocket, services: Services, exercise_id: str, principal: Principal, join: Join
) -> None:
    logcontext.bind(seat=principal.seat_id or CONTROL_SEAT)
    # A join's snapshot, hello and catch-up take a few milliseconds of the loop each; thousands at once
    # would hold up timers and commands for seconds, so only so many take their turn at a time.
    gate = services.join_gate
    async with gate:
        runtime = await services.manager.runtime(exercise_id)
        await runtime.catch_up()  # a fresh snapshot, with every event committed before this seat's link was checked
        if principal.seat_id is not None and await services.manager.authenticate(exercise_id, join.token or "") is None:
            # Revoked or reissued on another process while this join was checked: its event is folded now.
            await _close(websocket, CloseCode.UNAUTHORIZED, "This seat link is not valid (wrong, or revoked).")
            return
        await websocket.send_text(services.greetings.hello(runtime, principal, join.last_seq))

    async def close(code: int, reason: str) -> None:
        await _close(websocket, code, reason)

    try:
        # Counted before it goes live, over every process: the console sees itself online, on n devices.
        # (Waiting for that write takes no turn: it is the database's time, not the loop's.)
        await services.presence.connected(exercise_id, principal)
        await gate.acquire()
        in_turn = True
        try:
            connection = services.hub.attach(
                exercise_id,
                principal,
                websocket.send_text,
                close,
                last_seq=min(join.last_seq, runtime.state.last_seq),
                wire=wire_of(websocket.scope),
            )
        except BaseException:
            gate.release()
            raise
        try:
            # The turn ends once the console is live (its catch-up done), or after a while on a slow link.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(connection.went_live.wait(), JOIN_TURN_SECONDS)
            gate.release()
            in_turn = False
            log.info(
                "console joined: %s, from seq %d",
                " ".join(filter(None, (principal.kind, principal.team))),
                connection.last_sent,
            )
            await services.scoreboard.greet(connection)
            await _receive_loop(websocket, services, connection)
        finally:
            if in_turn:
                gate.release()
            log.info("console left")
            await services.hub.detach(connection)
    finally:
        services.presence.disconnected(exercise_id, principal)


async def _admit(
    websocket: WebSocket, services: Services, exercise_id: str, slot: Slot, *, control: bool
) -> tuple[Principal, Join]:
    settings = services.settings
    async with services.arrival_gate:
        if not origin_allowed(websocket.headers.get("origin"), websocket.headers.get("host"), settings):
            raise Rejected(
                CloseCode.FORBIDDEN, "This page's origin may not open Hotline consoles (see HOTLINE_PUBLIC_URL)."
            )
        if not await services.manager.exists(exercise_id):
            raise Rejected(CloseCode.UNKNOWN_EXERCISE, f"There is no exercise '{exercise_id}'.")
    try:
        raw = await asyncio.wait_for(websocket.receive_text(), timeout=settings.join_timeout_seconds)
    except TimeoutError:
        raise Rejected(CloseCode.JOIN_TIMEOUT, "Send a join message first.") from None
    except (KeyError, RuntimeError):  # a binary frame where text was expected
        raise Rejected(CloseCode.BAD_MESSAGE, "The first message must be a JSON join message.") from None
    async with services.arrival_gate:
        try:
            join = decode_join(raw, settings.max_message_bytes)
        except MessageRefused as refused:
            raise Rejected(CloseCode.BAD_MESSAGE, refused.message) from None
        if join.protocol != PROTOCOL_VERSION:
            raise Rejected(CloseCode.UNSUPPORTED_PROTOCOL, f"This server speaks protocol {PROTOCOL_VERSION}.")
        principal = await _authenticate(services, exercise_id, join, slot.address, control=control)
    refusal = services.perimeter.connections.join(slot, principal.seat_id or CONTROL_SEAT)
    if refusal is not None:
        raise Rejected(CloseCode.TOO_MANY_CONNECTIONS, refusal)
    return principal, join


async def _authenticate(services: Services, exercise_id: str, join: Join, address: str, *, control: bool) -> Principal:
    """The principal the join's credentials name, counting a wrong one against the client's address."""
    sign_ins = services.perimeter.sign_ins
    wait = sign_ins.retry_after(address)
    if wait is not None:
        raise Rejected(CloseCode.RATE_LIMITED, f"Too many failed sign-ins from this address; try again in {wait} s.")
    if control:
        identity = await services.db.run(identity_of, services, join.secret) if join.secret else None
        if identity is not None:
            return principal_of(identity)
        if join.secret:  # only a wrong secret counts as a guess, not a missing one
            sign_ins.failed(address, "facilitator credentials on the control socket")
        raise Rejected(CloseCode.UNAUTHORIZED, "Wrong facilitator secret, or a sign-in that has ended.")
    principal = await services.manager.authenticate(exercise_id, join.token or "")
    if principal is None:
        if join.token:
            sign_ins.failed(address, "seat token")
        raise Rejected(CloseCode.UNAUTHORIZED, "This seat link is not valid (wrong, or revoked).")
    return principal


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
        if not bucket.take(services.clock.monotonic()):
            if bucket.refusals > MAX_RATE_REFUSALS:
                await _close(websocket, CloseCode.RATE_LIMITED, "Too many messages; slow down and reconnect.")
                return
            dropped = "Too many messages: this one was dropped. Resend it in a moment (same id)."
            hub.send(connection, _error(peek_id(text), "rate_limited", dropped))
            continue
        hub.send(connection, await _handle(text, connection.principal, runtime, settings.max_message_bytes))


async def _handle(text: str, principal: Principal, runtime: ExerciseRuntime, max_bytes: int) -> str:
    try:
        parsed = decode_message(text, max_bytes)
    except MessageRefused as refused:
        return _error(refused.command_id, refused.code, refused.message)
    if parsed.type == "ping":
        return Pong(id=parsed.id).model_dump_json()
    try:
        result = await runtime.execute(principal, parsed)
    except CommandError as error:
        return _error(parsed.id, error.code, error.message)
    except Exception:  # a bug or a database outage must not take the connection down with it
        log.exception("command %s failed", parsed.type)
        return _error(parsed.id, "internal", "The server could not apply this command; nothing changed. Retry.")
    return Ack(id=parsed.id, seqs=result.seqs, duplicate=result.duplicate).model_dump_json()


def _error(command_id: str | None, code: str, message: str) -> str:
    return Error(id=command_id, code=code, message=message).model_dump_json()


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    with contextlib.suppress(Exception):
        await websocket.close(code=code, reason=reason[:120])
