"""The FastAPI application: routers, static files, and a lifespan that builds and recovers the services."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app import __version__
from app.api import (
    accounts,
    avatars,
    cockpit,
    docs_pages,
    errors,
    exercises,
    openapi,
    ops,
    pages,
    reports,
    scenarios,
    scores,
    seats,
    ws,
)
from app.api.guard import UrlGuard
from app.api.log_context import LogContext
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
        docs_url=None,  # served by docs_pages from installed packages, not from a CDN
        redoc_url=None,
    )
    errors.install(app)
    app.add_middleware(UrlGuard)
    app.add_middleware(pages.SecurityHeaders)
    app.add_middleware(LogContext)  # outermost: the access line of every request names its exercise
    for module in (
        ws,  # first: every console that connects is matched against the routes before it
        accounts,
        scenarios,
        avatars,
        exercises,
        cockpit,
        scores,
        seats,
        reports,
        ops,
        pages,
        docs_pages,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=pages.static_dir(), check_dir=False), name="static")
    openapi.install(app)
    return app
