"""A real Hotline server in a subprocess for browser tests and screenshots, and a small REST client.

The server runs as its own process (uvicorn on a free port, SQLite in a temporary folder) so that the
browser talks to it exactly as it would in use, and nothing of its event loop mixes with the test's.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

PROJECT = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT / "tests" / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SECRET = "browser-test-facilitator-secret-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class HotlineServer:
    """``with HotlineServer(tmp) as server:`` starts the server and stops it on exit."""

    def __init__(self, data_dir: Path, scenario_dirs: list[Path] | None = None, secret: str = SECRET) -> None:
        self.data_dir = data_dir
        self.scenario_dirs = scenario_dirs or [FIXTURES]
        self.secret = secret
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.http = httpx.Client(base_url=self.base_url, headers={"Authorization": f"Bearer {secret}"}, timeout=10)
        self._commands = 0

    def __enter__(self) -> HotlineServer:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "HOTLINE_SECRET": self.secret,
            "HOTLINE_DATA_DIR": str(self.data_dir),
            "HOTLINE_DATABASE_URL": f"sqlite:///{self.data_dir / 'hotline.db'}",
            "HOTLINE_SCENARIO_DIRS": json.dumps([str(path) for path in self.scenario_dirs]),
            "HOTLINE_HOST": "127.0.0.1",
            "HOTLINE_PORT": str(self.port),
            "HOTLINE_HEARTBEAT_SECONDS": "5",
        }
        command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        self.log = (self.data_dir / "server.log").open("wb")
        self.process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited at start: {(self.data_dir / 'server.log').read_text()}")
            try:
                if httpx.get(f"{self.base_url}/api/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not answer within 30 seconds")

    def stop(self) -> None:
        self.http.close()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if hasattr(self, "log"):
            self.log.close()

    # --- REST helpers ---

    def create_exercise(self, scenario_id: str = "mini", **body: Any) -> dict[str, Any]:
        response = self.http.post("/api/exercises", json={"scenario_id": scenario_id, **body})
        response.raise_for_status()
        return dict(response.json())

    def command(self, exercise_id: str, kind: str, **fields: Any) -> dict[str, Any]:
        self._commands += 1
        body = {"type": kind, "id": f"test-{self._commands}", **fields}
        response = self.http.post(f"/api/exercises/{exercise_id}/commands", json=body)
        response.raise_for_status()
        return dict(response.json())

    def events(self, exercise_id: str) -> list[dict[str, Any]]:
        response = self.http.get(f"/api/exercises/{exercise_id}/events")
        response.raise_for_status()
        return list(response.json())


def seat_url(exercise: dict[str, Any], team: str | None, role: str | None, kind: str = "player") -> str:
    for seat in exercise["seats"]:
        if seat["kind"] == kind and seat["team"] == team and seat["role"] == role:
            return str(seat["url"])
    raise KeyError((team, role, kind))
