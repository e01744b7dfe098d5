"""The API reference pages, /docs (Swagger UI) and /redoc, served from installed packages.

FastAPI's own pages load their scripts from a CDN, with no integrity hash, on the page where a
facilitator pastes the secret. Here the scripts and styles come from the ``fastapi-offline``
package (which ships Swagger UI and ReDoc) and the start-up code from ``static/docs/``, so the pages
run under the same Content-Security-Policy as every other page: scripts from this server only, no
inline script.
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse, HTMLResponse

from app.api.pages import CONTENT_SECURITY_POLICY

router = APIRouter(include_in_schema=False)

ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "redoc.standalone.js": "text/javascript",
}
ASSET_CACHE = "public, max-age=86400"
# ReDoc's styling library writes its rules into <style> elements, and its search runs in a worker it
# makes from a blob: URL; nothing else on these pages is inline or from elsewhere.
REDOC_STYLE_SOURCES = "'self' 'unsafe-inline'"
REDOC_WORKERS = "; worker-src blob:"


@cache
def assets_folder() -> Path | None:
    """Where the installed ``fastapi-offline`` package keeps Swagger UI and ReDoc, if it is installed."""
    try:
        folder = Path(str(resources.files("fastapi_offline") / "static"))
    except ModuleNotFoundError:
        return None
    return folder if folder.is_dir() else None


def _page(title: str, head: str, body: str) -> str:
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        '<link rel="icon" href="/static/favicon.svg">'
        f"{head}</head><body>{body}</body></html>\n"
    )


@router.get("/docs")
async def swagger_page() -> HTMLResponse:
    html = _page(
        "Hotline API",
        '<link rel="stylesheet" href="/docs-assets/swagger-ui.css">',
        '<div id="swagger-ui"></div>'
        '<script src="/docs-assets/swagger-ui-bundle.js"></script>'
        '<script src="/static/docs/swagger-init.js"></script>',
    )
    return HTMLResponse(html)


@router.get("/redoc")
async def redoc_page() -> HTMLResponse:
    html = _page(
        "Hotline API",
        "",
        '<redoc spec-url="/openapi.json"></redoc><script src="/docs-assets/redoc.standalone.js"></script>',
    )
    policy = CONTENT_SECURITY_POLICY.replace("style-src 'self'", f"style-src {REDOC_STYLE_SOURCES}") + REDOC_WORKERS
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


@router.get("/docs-assets/{name}")
async def docs_asset(name: str) -> FileResponse:
    folder = assets_folder()
    if name not in ASSETS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no API reference asset '{name[:60]}'.")
    if folder is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            "The API reference needs the fastapi-offline package: pip install fastapi-offline.",
        )
    return FileResponse(folder / name, media_type=ASSETS[name], headers={"Cache-Control": ASSET_CACHE})
