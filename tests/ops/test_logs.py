"""The server's log lines, at debug level in both formats: what they are about, and no credential in any.

A session uses every credential Hotline has, right and wrong, in every place it travels: seat tokens
in join messages (and, by mistake, in a query string), the facilitator secret as a bearer token and in
the control console's join, a reviewer key in its header. Then every line the server wrote is searched
for every credential, whole or any 10 characters of it.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.realtime.client import ConsoleClient, JoinRefused
from tests.ops.conftest import SECRET, Served
from tests.realtime.conftest import seat_token

pytestmark = pytest.mark.slow
WINDOW = 10


async def _session(server: Served) -> tuple[str, list[str]]:
    """Play a little, signing in every way; returns the exercise id and every credential used."""
    exercise = server.create_exercise("mini")
    exercise_id = exercise["id"]
    tokens = [str(seat["token"]) for seat in exercise["seats"]]
    wrong_token, wrong_secret = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    blue = ConsoleClient(server.url, exercise_id, token=seat_token(exercise, "blue", "leader"))
    red = ConsoleClient(server.url, exercise_id, token=seat_token(exercise, "red", "leader"))
    control = ConsoleClient(server.url, exercise_id, secret=SECRET)
    for console in (blue, red, control):
        await console.connect()
    await control.command({"type": "start"})
    await blue.command({"type": "send_chat", "text": "Our aircraft is down"})
    await blue.request({"type": "take_action", "action_id": "blockade", "text": "no such role may"})
    for intruder in (
        ConsoleClient(server.url, exercise_id, token=wrong_token),
        ConsoleClient(server.url, exercise_id, secret=wrong_secret),
    ):
        with pytest.raises(JoinRefused):
            await intruder.connect()
    key = server.http.get(f"/api/exercises/{exercise_id}/report/link").json()["key"]
    async with httpx.AsyncClient(base_url=server.url, timeout=20) as anonymous:
        assert (await anonymous.get("/api/exercises", headers={"Authorization": f"Bearer {wrong_secret}"})).is_error
        report = await anonymous.get(f"/api/exercises/{exercise_id}/report/status", headers={"X-Report-Key": key})
        assert report.status_code == 200
        await anonymous.get(f"/api/exercises/{exercise_id}", params={"token": tokens[0], "secret": SECRET})
        await anonymous.get(f"/play/{exercise_id}", params={"token": tokens[1]})
    for console in (blue, red, control):
        await console.close()
    return exercise_id, [SECRET, key, wrong_token, wrong_secret, *tokens]


def _leaks(text: str, credentials: list[str]) -> list[str]:
    return [
        f"{credential[:4]}… ({credential[start : start + WINDOW]!r})"
        for credential in credentials
        for start in range(len(credential) - WINDOW + 1)
        if credential[start : start + WINDOW] in text
    ]


@pytest.mark.parametrize("log_format", ["json", "text"])
async def test_log_lines_say_what_they_are_about_and_never_hold_a_credential(tmp_path: Path, log_format: str) -> None:
    server = Served(tmp_path / "server", {"HOTLINE_LOG_FORMAT": log_format, "HOTLINE_LOG_LEVEL": "debug"})
    try:
        server.start()
        exercise_id, credentials = await _session(server)
    finally:
        server.stop()
    text = server.output()
    lines = text.splitlines()
    assert len(lines) > 50, text
    assert _leaks(text, credentials) == []
    if log_format == "text":
        assert f"[exercise_id={exercise_id} seat=" in text
        assert f"STARTEX [exercise_id={exercise_id} seq=" in text
        assert all(not line.startswith("{") for line in lines)
        return
    records: list[dict[str, Any]] = [json.loads(line) for line in lines]  # one object per line, every line
    assert all({"time", "level", "logger", "pid", "message"} <= record.keys() for record in records)
    about = [record for record in records if record.get("exercise_id") == exercise_id]
    assert any({"seat", "command_id"} <= record.keys() for record in about), "no line names a seat and a command"
    assert any(record["message"] == "STARTEX" and record.get("seq", 0) > 0 for record in about)
    access = [record for record in records if record["logger"] == "uvicorn.access"]
    assert access and all({"client", "method", "path", "status"} <= record.keys() for record in access)
    assert any(record["path"].endswith("?token=[redacted]") for record in access)
