"""The OpenAPI document at /openapi.json: FastAPI's, plus the schemas of the command endpoint's body.

The command endpoint decodes its body itself (exactly as the websocket does), so FastAPI does not see
the command models; their schemas are added to the components here for the body to refer to.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.api.exercises import command_schemas


def install(app: FastAPI) -> None:
    def schema() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            components = document.setdefault("components", {}).setdefault("schemas", {})
            for name, model in command_schemas().items():
                if components.setdefault(name, model) != model:
                    raise RuntimeError(f"two different schemas are both called {name} in the OpenAPI document")
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = schema  # type: ignore[method-assign]
