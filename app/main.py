"""The FastAPI application: routers, static files, and a lifespan that builds and recovers the services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app import __version__
from app.api import cockpit, exercises, pages, reports, scenarios, scores, seats, ws
from app.config import Settings
from app.engine.clock import Clock
from app.services import Services


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services.build(settings, clock)
        app.state.services = services
        await services.start()
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
    for module in (scenarios, exercises, cockpit, scores, seats, ws, reports, pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=pages.static_dir(), check_dir=False), name="static")
    return app
