"""Checks every REST request passes before FastAPI parses it.

``UrlGuard`` refuses a NUL character anywhere in the address (path or query): it cannot be part of
any id, and PostgreSQL would refuse it only at the query. ``GuardedRoute`` reads a JSON body itself,
within ``MAX_JSON_BODY_BYTES``, and refuses it before validation when it is not JSON, nests too
deeply or holds text no database can store, naming the field. The body then goes on to FastAPI,
which validates it against the route's strict model.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response, status
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.errors import documented, error_response
from app.guards.jsonload import JsonRefused, load_json
from app.limits import MAX_JSON_BODY_BYTES

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
NUL_ESCAPES = (b"%00", b"\x00")


async def read_limited(request: Request, limit: int) -> bytes | None:
    """The whole body, or None once it grows past ``limit`` bytes (the rest is not read)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    request._body = bytes(body)  # what request.body() returns to FastAPI later
    return request._body


def refused(code: str, message: str, field: str | None = None) -> HTTPException:
    """A 422 whose ``ErrorBody`` carries ``code`` and ``field``."""
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, {"code": code, "message": message, "field": field})


def is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def read_json_text(request: Request) -> str:
    """A JSON body's text: sent as JSON (415), within ``MAX_JSON_BODY_BYTES`` (413), in UTF-8 (422)."""
    if not is_json(request.headers.get("content-type")):
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "Send the body as JSON, with 'Content-Type: application/json'."
        )
    body = await read_limited(request, MAX_JSON_BODY_BYTES)
    if body is None:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE, f"The body may be at most {MAX_JSON_BODY_BYTES // 1024} KiB."
        )
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise refused("invalid_json", "The body is not UTF-8 text.") from None


class GuardedRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        super().__init__(path, endpoint, **options)
        if self.body_field is not None:  # what the guard may answer, in the OpenAPI document too
            self.responses = {**documented(413, 415, 422), **self.responses}

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler

        async def guarded(request: Request) -> Response:
            text = await read_json_text(request)
            if text:
                try:
                    load_json(text)
                except JsonRefused as exc:
                    raise refused(exc.code, exc.message, exc.field) from None
            return await handler(request)

        return guarded


class UrlGuard:
    """Refuse requests and websockets whose path or query holds a NUL character."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            raw = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
            address = raw + b"?" + scope.get("query_string", b"")
            if any(escape in address for escape in NUL_ESCAPES) or "\x00" in scope["path"]:
                if scope["type"] == "websocket":  # refused before the handshake: the client sees HTTP 403
                    await send({"type": "websocket.close", "code": 1008, "reason": "NUL in the address"})
                    return
                response = error_response(
                    status.HTTP_400_BAD_REQUEST, "The address holds a NUL character (%00); remove it."
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
