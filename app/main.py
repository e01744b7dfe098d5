"""The FastAPI application: routers, static files, and a lifespan that builds and recovers the services."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError

from app import __version__
from app.api import exercises, pages, reports, scenarios, scores, seats, ws
from app.config import Settings
from app.engine.clock import Clock
from app.services import Services

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services.build(settings, clock)
        app.state.services = services
        try:
            await services.start()
        except Exception as failed:
            log.error("Hotline cannot start: %s", failed)
            await services.stop()
            raise
        try:
            yield
        finally:
            await services.stop()

    app = FastAPI(
        title="Hotline",
        version=__version__,
        summary="Crisis-management tabletop exercises: injects, team consoles, a leaders' hotline, scoring.",
        lifespan=lifespan,
    )
    app.add_middleware(pages.SecurityHeaders)
    app.add_exception_handler(DBAPIError, _database_unavailable)
    for module in (scenarios, exercises, scores, seats, ws, reports, pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=pages.static_dir(), check_dir=False), name="static")
    return app


async def _database_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    """The database cannot be reached (or refused the connection): nothing changed; say so plainly."""
    log.error("database error: %s", exc)
    return JSONResponse(
        {"detail": "The database cannot be reached right now; nothing was changed. Try again in a moment."},
        status_code=503,
        headers={"Retry-After": "2"},
    )
