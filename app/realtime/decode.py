"""Strict decoding of what a console sends: every message is checked here before anything acts on it.

A message is refused, with an ``error`` naming the field, when it is too big, not JSON, nested too
deeply, holds text no database can store, is not an object, has a ``type`` that is not a known
message name, or does not match its model exactly. Models are validated in strict mode: ``"yes"``
is not ``true`` and ``"1"`` is not ``1``. The REST command endpoint decodes with the same function.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from app.guards.jsonload import JsonRefused, check_text, parse_json
from app.guards.text import text_problem
from app.guards.validation import describe_exception
from app.realtime.protocol import Join, client_message_adapter

KNOWN_TYPES = frozenset(client_message_adapter.json_schema()["discriminator"]["mapping"])
MAX_ID_CHARS = 80
SHOWN_TYPE_CHARS = 40


class MessageRefused(JsonRefused):
    """A message that changes nothing; ``code`` and ``message`` go into the ``error`` reply, with its id."""

    def __init__(self, code: str, message: str, command_id: str | None = None) -> None:
        super().__init__(code, message)
        self.command_id = command_id


def too_big(text: str, max_bytes: int) -> bool:
    if len(text) > max_bytes:
        return True
    return len(text) * 4 > max_bytes and len(text.encode("utf-8", "surrogatepass")) > max_bytes


def command_id_of(data: Any) -> str | None:
    """The message's ``id`` if it can be echoed back safely in a reply, else None."""
    value = data.get("id") if isinstance(data, dict) else None
    if isinstance(value, str) and 0 < len(value) <= MAX_ID_CHARS and text_problem(value) is None:
        return value
    return None


def peek_id(text: str) -> str | None:
    """The id of a message about to be dropped unread (rate limit), so the client can match the error."""
    try:
        return command_id_of(parse_json(text))
    except JsonRefused:
        return None


def _object(text: str, max_bytes: int) -> tuple[dict[str, Any], str | None]:
    if too_big(text, max_bytes):
        raise MessageRefused("too_big", f"Messages may be at most {max_bytes // 1024} KiB; this one was dropped.")
    try:
        data = parse_json(text)
    except JsonRefused as refused:
        raise MessageRefused(refused.code, refused.message) from None
    if not isinstance(data, dict):
        raise MessageRefused("invalid", "A message must be a JSON object with a 'type'.")
    command_id = command_id_of(data)
    try:
        check_text(data)
    except JsonRefused as refused:
        raise MessageRefused(refused.code, refused.message, command_id) from None
    return data, command_id


def _kind(data: dict[str, Any], command_id: str | None) -> str:
    kind = data.get("type")
    if kind is None:
        raise MessageRefused("invalid", 'type: is required: name the message, e.g. "send_chat".', command_id)
    if not isinstance(kind, str):
        raise MessageRefused("invalid", 'type: must be text naming the message, e.g. "send_chat".', command_id)
    if kind not in KNOWN_TYPES:
        shown = kind if len(kind) <= SHOWN_TYPE_CHARS else kind[:SHOWN_TYPE_CHARS] + "…"
        raise MessageRefused("unknown_type", f"Unknown message type {shown!r}; see /api/schema/protocol.", command_id)
    return kind


def _validated(text: str, command_id: str | None) -> Any:
    try:
        return client_message_adapter.validate_json(text, strict=True)
    except ValidationError as exc:
        raise MessageRefused("invalid", "Invalid message: " + describe_exception(exc, skip=1), command_id) from None


def decode_message(text: str, max_bytes: int) -> Any:
    """A client message after ``join`` (a command or a ping), validated strictly; or ``MessageRefused``."""
    data, command_id = _object(text, max_bytes)
    if _kind(data, command_id) == "join":
        raise MessageRefused("invalid", "Already joined.", command_id)
    return _validated(text, command_id)


def decode_command(text: str, max_bytes: int, allowed: frozenset[str]) -> Any:
    """A command of one of the ``allowed`` types (the REST endpoint's), validated like a websocket message."""
    data, command_id = _object(text, max_bytes)
    kind = _kind(data, command_id)
    if kind not in allowed:
        raise MessageRefused("unknown_type", f"'{kind}' is not a command this endpoint runs.", command_id)
    return _validated(text, command_id)


def decode_join(text: str, max_bytes: int) -> Join:
    """The first message of a connection; ``MessageRefused`` says what was wrong with it."""
    data, _ = _object(text, max_bytes)
    if data.get("type") != "join":
        raise MessageRefused("invalid", 'The first message must be a join message ({"type": "join", …}).')
    try:
        return Join.model_validate_json(text, strict=True)
    except ValidationError as exc:
        raise MessageRefused("invalid", "Invalid join: " + describe_exception(exc)) from None
