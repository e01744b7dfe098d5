"""``hotline serve`` as an operator runs it, with its log lines (standard error) in a file of their own."""

from __future__ import annotations

import json
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import FIXTURES, PROJECT
from tests.processes import HotlineProcess

SECRET = secrets.token_urlsafe(30)
"""Random, so that finding any ten characters of it in a log line means it leaked."""


class Served(HotlineProcess):
    """One ``hotline serve`` on a SQLite file in ``folder`` (or on ``database_url``), with a facilitator's
    HTTP client. ``log`` holds only the log lines; the banner on standard output goes to ``banner.txt``."""

    def __init__(self, folder: Path, env: dict[str, str] | None = None, database_url: str | None = None) -> None:
        self.database = folder / "hotline.db"
        settings = {
            "HOTLINE_SECRET": SECRET,
            "HOTLINE_SCENARIO_DIRS": json.dumps([str(FIXTURES), str(PROJECT / "injects")]),
            "HOTLINE_LOG_LEVEL": "info",
            "HOTLINE_METRICS": "secret",
        }
        super().__init__(folder, database_url or str(self.database), env={**settings, **(env or {})})
        self.http = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {SECRET}"}, timeout=20)

    def spawn(self, command: list[str], env: dict[str, str]) -> None:
        with self.log.open("ab") as errors, (self.data_dir / "banner.txt").open("ab") as banner:
            self.process = subprocess.Popen(command, env=env, stdout=banner, stderr=errors, cwd=PROJECT)

    def stop(self) -> None:
        self.http.close()
        super().stop()

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
    server = Served(tmp_path / "server")
    try:
        server.start()
        yield server
    finally:
        server.stop()
