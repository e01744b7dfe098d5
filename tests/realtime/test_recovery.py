"""Kill the server with SIGKILL mid-exercise and start it again: nothing is lost, nothing repeats."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.realtime.client import ConsoleClient
from tests.conftest import FIXTURES
from tests.realtime.conftest import seat_token

pytestmark = pytest.mark.slow

SECRET = "recovery-test-secret-0123456789"
COMPRESSION = 1800  # one wall second is 30 scenario minutes: I2 at T+01:00 falls due 2 s after STARTEX


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    def __init__(self, database: Path, port: int, log: Path) -> None:
        self.database, self.port, self.log = database, port, log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            "HOTLINE_SECRET": SECRET,
            "HOTLINE_SCENARIO_DIRS": json.dumps([str(FIXTURES)]),
            "HOTLINE_DATA_DIR": str(self.database.parent),
            "HOTLINE_LATE_AFTER_SECONDS": "1",
        }
        command = [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port), "--db", str(self.database)]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/health", timeout=0.5).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start:\n{self.log.read_text()}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path / "hotline.db", free_port(), tmp_path / "server.log")
    process.start()
    yield process
    process.stop()


async def test_sigkill_mid_exercise_loses_nothing_and_repeats_nothing(server: ServerProcess) -> None:
    headers = {"Authorization": f"Bearer {SECRET}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers) as http:
        exercise = (await http.post("/api/exercises", json={"scenario_id": "mini", "compression": COMPRESSION})).json()
        red = ConsoleClient(server.url, exercise["id"], token=seat_token(exercise, "red", None))
        blue = ConsoleClient(server.url, exercise["id"], token=seat_token(exercise, "blue", None))
        for console in (red, blue):
            await console.connect()
        await red.command({"type": "send_chat", "text": "Before the crash"})
        started = (
            await http.post(f"/api/exercises/{exercise['id']}/commands", json={"type": "start", "id": "go"})
        ).json()
        await red.wait_type("inject_released", inject_id="I1")
        seen_before = red.last_seq

    server.kill()
    killed_at = time.monotonic()
    await asyncio.sleep(7.5)  # I2 (T+01:00), I3 (T+02:00) and C1 (T+03:00) fall due while it is down
    server.start()
    restarted_at = time.monotonic()

    for console in (red, blue):
        hello = await console.connect()  # resume from the last seq each one saw
        assert hello["replay_from"] >= seen_before or console is blue
        await console.live.wait()
    expected_time = (restarted_at - killed_at) * COMPRESSION
    assert hello["snapshot"]["status"] == "running"
    assert hello["snapshot"]["scenario_time"] >= expected_time  # the clock ran on while the server was down

    released = [e["payload"] for e in red.of_type("inject_released")]
    # red's injects in order of their times; C3 (I3 + 1 h) counts from I3's actual release, so it is still ahead
    assert [p["inject_id"] for p in released] == ["I1", "I3", "C1"]
    assert all(p["late"] for p in released[1:]) and not released[0]["late"]
    assert [e["payload"]["inject_id"] for e in blue.of_type("inject_released")] == ["I1", "I2", "C1"]
    for console in (red, blue):
        seqs = [e["seq"] for e in console.events]
        assert console.duplicates == 0 and seqs == sorted(set(seqs))
        fresh = ConsoleClient(server.url, exercise["id"], token=console.token)
        await fresh.connect(resume=False)
        await fresh.live.wait()
        assert [e["seq"] for e in fresh.events if e["seq"] <= seqs[-1]] == seqs  # no gaps
        await fresh.close()
        await console.close()
    assert started["seqs"]
