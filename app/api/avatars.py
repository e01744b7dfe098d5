"""``GET /api/avatars/{handle}.svg``: a persona's identicon, drawn on the server (``app.media.identicon``)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import Response

from app.media.identicon import HANDLE, identicon_svg

router = APIRouter(tags=["media"])

SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@router.get(
    "/api/avatars/{handle}.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "The avatar."}, 404: {}},
    summary="A persona's avatar",
)
async def avatar(handle: str) -> Response:
    """The same handle always gives the same SVG; nothing is loaded from elsewhere."""
    if not HANDLE.match(handle):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "There is no avatar for that handle.")
    return Response(
        identicon_svg(handle),
        media_type="image/svg+xml",
        headers={
            "Cache-Control": "public, max-age=86400",
            "Content-Security-Policy": SVG_POLICY,
            "X-Content-Type-Options": "nosniff",
        },
    )
