"""``hotline serve`` as an operator runs it, in a subprocess, with its log lines in a file to read."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import FIXTURES, PROJECT, free_port

SECRET = secrets.token_urlsafe(30)
"""Random, so that finding any ten characters of it in a log line means it leaked."""


class Served:
    """One ``hotline serve`` process on a SQLite file in ``folder``, or on the database at ``database_url``."""

    def __init__(self, folder: Path, env: dict[str, str] | None = None, database_url: str | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.database = folder / "hotline.db"
        self.database_url = database_url or str(self.database)
        self.log = folder / "server.log"
        """Standard error: the log lines. The banner on standard output goes to ``banner.txt``."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "HOTLINE_SECRET": SECRET,
            "HOTLINE_DATA_DIR": str(folder),
            "HOTLINE_SCENARIO_DIRS": json.dumps([str(FIXTURES), str(PROJECT / "injects")]),
            "HOTLINE_METRICS": "secret",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.http = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {SECRET}"}, timeout=20)

    def start(self) -> Served:
        command = [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port), "--db", self.database_url]
        with self.log.open("ab") as errors, (self.folder / "banner.txt").open("ab") as output:
            self.process = subprocess.Popen(command, env=self.env, cwd=PROJECT, stdout=output, stderr=errors)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hotline serve exited at start:\n{self.output()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError(f"hotline serve did not answer within 30 s:\n{self.output()}")

    def stop(self) -> int | None:
        """SIGTERM, as a service manager stops it; the exit status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def create_exercise(self, scenario_id: str = "mini", **body: Any) -> dict[str, Any]:
        response = self.http.post("/api/exercises", json={"scenario_id": scenario_id, **body})
        response.raise_for_status()
        return dict(response.json())

    def control(self, exercise_id: str, kind: str, **fields: Any) -> dict[str, Any]:
        body = {"type": kind, "id": f"{kind}-{time.monotonic_ns()}", **fields}
        response = self.http.post(f"/api/exercises/{exercise_id}/commands", json=body)
        response.raise_for_status()
        return dict(response.json())


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path / "server").start()
    try:
        yield server
    finally:
        server.http.close()
        server.stop()
