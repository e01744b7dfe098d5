"""The browser pages (plain HTML, ES modules and CSS from ``static/``) and their security headers."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse, RedirectResponse
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

from app.config import PROJECT_ROOT

STATIC = PROJECT_ROOT / "static"
router = APIRouter(include_in_schema=False)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _page(name: str) -> FileResponse:
    path = STATIC / name
    if not path.is_file():
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"The page {name} is missing from this installation.")
    return FileResponse(path, media_type="text/html")


@router.get("/")
async def index() -> RedirectResponse:
    return RedirectResponse("/control")


@router.get("/control")
async def control_page() -> FileResponse:
    return _page("control.html")


@router.get("/play/{exercise_id}")
async def play_page(exercise_id: str) -> FileResponse:
    return _page("play.html")


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.url.path.startswith(("/static/", "/control", "/play/", "/report/")):
            # Revalidate (cheaply, by ETag) so a console never runs scripts older than the server it talks to.
            response.headers.setdefault("Cache-Control", "no-cache")
        return response


def static_dir() -> Path:
    return STATIC
