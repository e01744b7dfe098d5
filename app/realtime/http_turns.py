"""Reading a connection's first request in the handshake turns, not in the pass that accepted it.

When hundreds of consoles connect at once, the event loop accepts them and reads their upgrade requests
in one pass over its sockets. Parsing each request and building its websocket protocol costs a tenth of
a millisecond or more in Python; hundreds of them in one pass made a timer that fell due meanwhile
release its inject that much late (docs/performance.md, "Join and reconnect storms").
``TurnTakingHttpProtocol`` is uvicorn's httptools protocol with one change: the first bytes a connection
sends wait for their turn in the loop's ``HandshakeTurns`` (``app.realtime.handshakes``), which are
worked a slice at a time with the loop given back in between. A websocket upgrade then continues in the
same turn. Later requests on a kept-alive connection are read at once, and so is a first request once
more than ``MAX_WAITING_BYTES`` of it wait: a client cannot make the server hold more than that for it.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.realtime.handshakes import turns_for

MAX_WAITING_BYTES = 64 * 1024


class TurnTakingHttpProtocol(HttpToolsProtocol):
    # Set per connection as its bytes arrive; the class holds each one's starting value.
    _first_read = False
    _waiting: list[bytes] | None = None
    _waiting_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        # Only what shutting down and losing the connection need; the rest of uvicorn's connection_made
        # (the addresses, which cost system calls, and flow control) waits for the first request's turn.
        self.connections.add(self)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self._first_read:
            super().data_received(data)
            return
        if self._waiting is None:
            self._waiting = [data]
            turns_for(self.loop).add(self._read_first)
        else:
            self._waiting.append(data)  # keep the bytes in the order they came
        self._waiting_bytes += len(data)
        if self._waiting_bytes > MAX_WAITING_BYTES:
            self._read_first()

    def _read_first(self) -> None:
        if self._first_read:
            return  # read early (too large), before this turn came
        self._first_read = True
        waiting, self._waiting = self._waiting or [], None
        if self.parser is None or self.transport.is_closing():
            return  # the client left while its request waited
        super().connection_made(self.transport)
        super().data_received(b"".join(waiting))
