"""A connection's first request waits for its turn in the handshake turns: a burst of arriving sockets is
parsed a slice at a time, not in the pass of the loop that read their bytes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState

from app.realtime.handshakes import turns_for
from app.realtime.http_turns import MAX_WAITING_BYTES, TurnTakingHttpProtocol

REQUEST = b"GET /health HTTP/1.1\r\nHost: example.test\r\n\r\n"


async def answer(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers with the addresses the server saw, as the app's own logs and limits use them."""
    (client, client_port), (server, server_port) = scope["client"], scope["server"]
    body = f"{client}:{client_port} -> {server}:{server_port}".encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})


class Transport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closing = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True


def connect() -> tuple[TurnTakingHttpProtocol, Transport]:
    config = Config(answer, lifespan="off", log_level="warning")
    config.load()
    protocol = TurnTakingHttpProtocol(config, ServerState(), {}, _loop=asyncio.get_running_loop())
    transport = Transport()
    protocol.connection_made(transport)
    return protocol, transport


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def test_a_first_request_is_read_in_its_turn_not_where_it_arrived() -> None:
    protocol, transport = connect()
    protocol.data_received(REQUEST[:20])
    protocol.data_received(REQUEST[20:])  # the rest arrives while the first bytes wait: kept in order
    assert len(turns_for(asyncio.get_running_loop())) == 1
    assert protocol.cycle is None
    assert transport.written == b""
    await settle()
    assert transport.written.startswith(b"HTTP/1.1 200 OK")
    assert b"127.0.0.1:50000 -> 127.0.0.1:8000" in transport.written


async def test_later_requests_on_the_connection_are_read_at_once() -> None:
    protocol, transport = connect()
    protocol.data_received(REQUEST)
    await settle()
    transport.written.clear()
    protocol.data_received(REQUEST)
    assert len(turns_for(asyncio.get_running_loop())) == 0
    await settle()
    assert transport.written.startswith(b"HTTP/1.1 200 OK")


async def test_a_first_request_too_large_to_hold_is_read_at_once_and_answered_once() -> None:
    protocol, transport = connect()
    padding = b"x" * (MAX_WAITING_BYTES + 1)
    protocol.data_received(b"GET /health HTTP/1.1\r\nHost: example.test\r\nX-Padding: " + padding + b"\r\n\r\n")
    assert protocol.cycle is not None and protocol.scope["path"] == "/health"  # read there and then
    await settle()
    assert transport.written.startswith(b"HTTP/1.1 200 OK")
    assert transport.written.count(b"HTTP/1.1") == 1  # its turn came and found nothing left to read


@pytest.mark.parametrize("how", ["lost", "closing"])
async def test_a_client_that_leaves_while_its_request_waits_is_not_answered(how: str) -> None:
    protocol, transport = connect()
    protocol.data_received(REQUEST)
    if how == "lost":
        protocol.connection_lost(None)
    else:
        transport.closing = True
    await settle()
    assert transport.written == b""
