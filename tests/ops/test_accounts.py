"""Accounts on a real server: made with ``hotline accounts`` beside a running ``hotline serve``, used over HTTP
and on the control socket, and disabled from the command line with effect at once."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

import httpx
import pytest
import websockets

from tests.conftest import PROJECT
from tests.ops.conftest import Served

pytestmark = pytest.mark.slow
PASSWORD = "correct horse battery staple"


def accounts(served: Served, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "accounts", *args, "--db", str(served.database)],
        input=None if password is None else password + "\n",
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=60,
    )


def signed_in(served: Served, name: str) -> httpx.Client:
    answer = httpx.post(f"{served.url}/api/sign-in", json={"name": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return httpx.Client(base_url=served.url, headers={"Authorization": f"Bearer {answer.json()['token']}"})


async def control_hello(served: Served, exercise_id: str, credential: str) -> dict[str, Any]:
    url = f"ws://127.0.0.1:{served.port}/ws/control/{exercise_id}"
    async with websockets.connect(url) as socket:
        await socket.send(json.dumps({"type": "join", "protocol": 1, "secret": credential, "last_seq": 0}))
        return dict(json.loads(await asyncio.wait_for(socket.recv(), 10)))


def test_accounts_made_on_the_command_line_sign_in_act_and_are_disabled_at_once(served: Served) -> None:
    made = accounts(served, "add", "alice", "--password-stdin", password=PASSWORD)
    assert made.returncode == 0, made.stderr
    assert accounts(served, "add", "bob", "--role", "evaluator", "--password-stdin", password=PASSWORD).returncode == 0
    short = accounts(served, "add", "carol", "--password-stdin", password="short")
    assert short.returncode == 1 and "at least 12 characters" in short.stderr
    listed = accounts(served, "list").stdout
    assert "alice" in listed and "bob" in listed and "evaluator" in listed and "carol" not in listed

    alice, bob = signed_in(served, "alice"), signed_in(served, "bob")
    exercise_id = alice.post("/api/exercises", json={"scenario_id": "mini"}).json()["id"]
    assert alice.post(f"/api/exercises/{exercise_id}/commands", json={"type": "start", "id": "s1"}).status_code == 200
    assert bob.post(f"/api/exercises/{exercise_id}/commands", json={"type": "pause", "id": "p1"}).status_code == 403
    log = served.http.get(f"/api/exercises/{exercise_id}/events").json()
    started = next(event for event in log if event["type"] == "exercise_started")
    assert started["actor"]["account"] == "alice"

    bob_token = bob.headers["Authorization"].removeprefix("Bearer ")
    hello = asyncio.run(control_hello(served, exercise_id, bob_token))
    assert hello["type"] == "hello", hello

    assert accounts(served, "disable", "bob").returncode == 0
    assert bob.get("/api/whoami").status_code == 401
    with pytest.raises(websockets.exceptions.ConnectionClosedError) as closed:
        asyncio.run(control_hello(served, exercise_id, bob_token))
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    assert served.http.get("/api/whoami").json()["role"] == "facilitator"  # the shared secret still works
    alice.close()
    bob.close()
