"""The websocket protocol: every message is a pydantic model with a ``type`` field.

A console opens the socket, sends ``join`` (its seat token, or the facilitator secret on the control
socket, and the last seq it saw), and gets ``hello`` with a snapshot, then every event it may see
after that seq, then ``live``, then events as they happen. Commands are the models of
``app.engine.commands``; the server answers each with ``ack`` or ``error`` carrying its ``id``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from app.engine.commands import Command
from app.engine.events import Event
from app.limits import MAX_SEQ

PROTOCOL_VERSION = 1


class CloseCode:
    """Websocket close codes the server uses (4000–4999 are the application's own)."""

    BAD_MESSAGE = 4400
    UNAUTHORIZED = 4401
    FORBIDDEN = 4403
    UNKNOWN_EXERCISE = 4404
    JOIN_TIMEOUT = 4408
    UNSUPPORTED_PROTOCOL = 4426
    TOO_MANY_CONNECTIONS = 4409
    RATE_LIMITED = 4429
    SERVER_RESTART = 1012
    TOO_BIG = 1009

    DESCRIPTIONS: ClassVar[dict[int, str]] = {
        4400: "The first message was not a valid join.",
        4401: "The seat token or facilitator secret is wrong, or the seat was revoked or its link reissued.",
        4403: "The page's origin is not allowed (HOTLINE_PUBLIC_URL, HOTLINE_ALLOWED_ORIGINS).",
        4404: "There is no exercise with this id.",
        4408: "No join message arrived in time.",
        4409: "This seat, or this client address, already holds as many consoles as allowed.",
        4426: "The client speaks a protocol version this server does not.",
        4429: "The connection kept sending faster than the rate limit, or this address failed to sign in "
        "too often; the reason says how long to wait.",
        1009: "A message was larger than the server accepts (1 MiB).",
        1012: "The server is restarting or shutting down; reconnect shortly.",
    }


# --- client → server ---


class Join(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["join"]
    protocol: int = Field(default=PROTOCOL_VERSION, description="Protocol version the client speaks.")
    token: str | None = Field(default=None, max_length=200, description="Seat token (team and observer socket).")
    secret: str | None = Field(
        default=None, max_length=200, description="Facilitator secret or an account's session token (control socket)."
    )
    last_seq: int = Field(default=0, ge=0, le=MAX_SEQ, description="Last event seq the client has; 0 for everything.")


class Ping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["ping"]
    id: str | None = Field(default=None, max_length=80)


ClientMessage = Annotated[Join | Ping | Command, Field(discriminator="type")]
client_message_adapter: TypeAdapter[Any] = TypeAdapter(ClientMessage)


# --- server → client ---


class Identity(BaseModel):
    kind: Literal["control", "observer", "player"]
    seat_id: str | None = None
    team: str | None = None
    roles: list[str] = Field(default_factory=list)
    label: str = ""


class Hello(BaseModel):
    type: Literal["hello"] = "hello"
    protocol: int = PROTOCOL_VERSION
    server_version: str
    exercise_id: str
    you: Identity
    snapshot: dict[str, Any] = Field(description="The state this console may see; see docs/protocol.md.")
    last_seq: int = Field(description="Seq of the newest event in the log when hello was sent.")
    replay_from: int = Field(description="Events after this seq follow, then 'live'.")


class EventMessage(BaseModel):
    type: Literal["event"] = "event"
    event: Event


class Live(BaseModel):
    """Replay is over: what follows happens now."""

    type: Literal["live"] = "live"
    last_seq: int


class Ack(BaseModel):
    type: Literal["ack"] = "ack"
    id: str
    seqs: list[int]
    duplicate: bool = Field(default=False, description="True when this id had been applied before.")


class Error(BaseModel):
    type: Literal["error"] = "error"
    id: str | None = None
    code: str = Field(description="Machine-readable: invalid_json, invalid, unknown_type, forbidden, …")
    message: str = Field(description="What went wrong and what to do, in plain words.")


class Heartbeat(BaseModel):
    type: Literal["heartbeat"] = "heartbeat"
    wall_time: datetime
    scenario_time: float
    status: str


class Pong(BaseModel):
    type: Literal["pong"] = "pong"
    id: str | None = None


class Scores(BaseModel):
    """The live scoreboard (control always; teams when the facilitator shows scores)."""

    type: Literal["scores"] = "scores"
    scores: dict[str, Any]


ServerMessage = Annotated[
    Hello | EventMessage | Live | Ack | Error | Heartbeat | Pong | Scores, Field(discriminator="type")
]


def protocol_json_schema() -> dict[str, Any]:
    """JSON Schema of every message in both directions, for clients in any language."""
    client = TypeAdapter(ClientMessage).json_schema(ref_template="#/$defs/{model}")
    server = TypeAdapter(ServerMessage).json_schema(ref_template="#/$defs/{model}")
    definitions = {**client.pop("$defs", {}), **server.pop("$defs", {})}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Hotline websocket protocol",
        "description": f"Protocol version {PROTOCOL_VERSION}.",
        "$defs": definitions,
        "properties": {"client_message": client, "server_message": server},
        "close_codes": {str(code): text for code, text in CloseCode.DESCRIPTIONS.items()},
    }
