"""Persona avatars: drawn on the server, the same for the same handle, safe to show."""

from __future__ import annotations

from app.media.identicon import identicon_svg
from tests.api.conftest import Api


async def test_an_avatar_is_a_deterministic_svg_with_safe_headers(api: Api) -> None:
    first = await api.http.get("/api/avatars/eagle_eye.svg", headers={"Authorization": ""})
    second = await api.http.get("/api/avatars/eagle_eye.svg")
    assert first.status_code == 200 and first.text == second.text == identicon_svg("eagle_eye")
    assert first.headers["content-type"].startswith("image/svg+xml")
    assert first.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in first.headers["content-security-policy"]
    assert "<script" not in first.text and "href" not in first.text
    assert first.text != (await api.http.get("/api/avatars/calm_waters.svg")).text


async def test_what_is_not_a_handle_has_no_avatar(api: Api) -> None:
    for bad in ("..%2Fetc", "a" * 31, "x<y"):
        assert (await api.http.get(f"/api/avatars/{bad}.svg")).status_code == 404
