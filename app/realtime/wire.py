"""Writing straight to a console's socket, and one compressed frame for a whole view group.

``hotline serve`` runs uvicorn with ``SharedDeflateProtocol``: uvicorn's sans-I/O websocket protocol that
negotiates permessage-deflate with ``server_no_context_takeover``, so every message is compressed on its
own and the same bytes are a valid frame for every console that negotiated the same parameters. The
protocol puts a ``Wire`` into the websocket's ASGI scope; the hub uses it to write a frame encoded once
per view group to each console whose queue is empty, the way ``websockets.broadcast`` skips the per-
connection machinery (docs/architecture.md, "Delivery"). Without a ``Wire`` (another server, the test
client) the hub sends through the ASGI ``send`` as before.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Hashable, MutableMapping
from typing import Any, ClassVar

from uvicorn.config import Config
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from uvicorn.server import ServerState
from websockets.extensions.permessage_deflate import PerMessageDeflate, ServerPerMessageDeflateFactory
from websockets.frames import Frame, Opcode
from websockets.http11 import Request
from websockets.protocol import State
from websockets.server import ServerProtocol

from app.realtime.handshakes import turns_for

WIRE_SCOPE_KEY = "hotline.wire"
WINDOW_BITS = 12
COMPRESS_SETTINGS = {"memLevel": 5}
"""uvicorn's and websockets' defaults, so the frames are as small as a stock server's."""

BUFFER_LIMIT = 128 * 1024
"""Bytes a console may have waiting in its socket's buffer and still be written to directly (about 500
compressed injects); past it the console is slow, and gets its bounded queue instead."""

FrameKey = Hashable
"""Consoles with equal keys accept byte-identical frames."""


class Wire:
    """One console's socket, as the hub sees it: can it take a write now, and what frames it accepts."""

    def __init__(self, protocol: WebSocketsSansIOProtocol) -> None:
        self._protocol = protocol

    @property
    def ready(self) -> bool:
        """Open, and keeping up: its transport holds less than ``BUFFER_LIMIT`` bytes not yet sent. Like
        ``websockets.broadcast``, a write does not wait for the buffer to drain below its high-water mark:
        a console a few messages behind is not a slow console, and taking the queue would cost it more."""
        protocol = self._protocol
        return (
            protocol.handshake_complete
            and not protocol.close_sent
            and not protocol.disconnected
            and protocol.conn.state is State.OPEN
            and not protocol.transport.is_closing()
            and protocol.transport.get_write_buffer_size() < BUFFER_LIMIT
        )

    @property
    def frame_key(self) -> FrameKey | None:
        """The key of the frames this console shares with others, or None when its frames are its own
        (permessage-deflate with context takeover: each message depends on the ones before)."""
        extensions = self._protocol.conn.extensions
        if not extensions:
            return "plain"
        if len(extensions) == 1 and isinstance(extensions[0], PerMessageDeflate):
            deflate = extensions[0]
            if deflate.local_no_context_takeover:
                return ("deflate", deflate.local_max_window_bits, tuple(sorted(deflate.compress_settings.items())))
        return None

    def frame(self, data: bytes) -> bytes:
        """A complete text frame of ``data`` as this console accepts it (shareable when ``frame_key`` is set)."""
        return Frame(Opcode.TEXT, data).serialize(mask=False, extensions=self._protocol.conn.extensions)

    def write(self, frames: bytes) -> None:
        """Write frames made by ``frame`` (by this console or one with the same ``frame_key``)."""
        self._protocol.transport.write(frames)

    def send_text(self, data: bytes) -> None:
        """Frame and write one message through this console's own protocol state."""
        connection = self._protocol.conn
        connection.send_text(data)
        self._protocol.transport.write(b"".join(connection.data_to_send()))


def wire_of(scope: MutableMapping[str, Any]) -> Wire | None:
    extensions = scope.get("extensions") or {}
    wire = extensions.get(WIRE_SCOPE_KEY)
    return wire if isinstance(wire, Wire) else None


class SharedDeflateProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O websocket protocol, compressing each message without context takeover, with a ``Wire``."""

    context_takeover: ClassVar[bool] = False

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._unread: list[bytes] | None = None
        """Bytes of the opening handshake waiting for their turn (``app.realtime.handshakes``)."""
        if config.ws_per_message_deflate:
            deflate = ServerPerMessageDeflateFactory(
                server_no_context_takeover=not self.context_takeover,
                server_max_window_bits=WINDOW_BITS,
                client_max_window_bits=WINDOW_BITS,
                compress_settings=COMPRESS_SETTINGS,
            )
            self.conn = ServerProtocol(
                extensions=[deflate], max_size=config.ws_max_size, logger=logging.getLogger("uvicorn.error")
            )

    def data_received(self, data: bytes) -> None:
        if self.handshake_initiated:
            super().data_received(data)
        elif self._unread is not None:
            self._unread.append(data)  # the request is already waiting for its turn: keep the bytes in order
        elif turns_for(self.loop).working:
            super().data_received(data)  # handed over by the HTTP protocol in its turn (app/realtime/http_turns.py)
        else:
            self._unread = [data]
            turns_for(self.loop).add(self._handshake)

    def _handshake(self) -> None:
        unread, self._unread = self._unread or [], None
        if self.transport.is_closing():
            return
        super().data_received(b"".join(unread))

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        if self.response.status_code == 101:
            extensions: dict[str, Any] = self.scope["extensions"]
            extensions[WIRE_SCOPE_KEY] = Wire(self)


class ContextTakeoverProtocol(SharedDeflateProtocol):
    """The same with context takeover: smaller frames, but compressed once per console (for comparison)."""

    context_takeover = True
