"""Every log line of a request or a websocket session names the exercise its address names.

A plain ASGI middleware, so the value is set in the task that runs the request and stays set until the
response is sent: uvicorn's access line for the request is logged inside that send, and carries it too.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

from app import logcontext

_EXERCISE_IN_PATH = re.compile(r"^/(?:api/exercises|ws/exercises|ws/control|play|control|report)/(ex_[0-9a-f]{1,40})\b")


class LogContext:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        match = _EXERCISE_IN_PATH.match(scope.get("path", ""))
        with logcontext.about(exercise_id=match.group(1) if match else None, seat=None, command_id=None, seq=None):
            await self.app(scope, receive, send)
