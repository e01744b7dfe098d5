"""The two servers under test, each a real subprocess: Hotline (as shipped, or under uvicorn with a chosen
websocket implementation) and the bare ``websockets`` broadcast baseline; plus the REST calls that set up
a Hotline exercise and read its log back.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from process_setup import prepare_process
from websockets.sync.client import ClientConnection, connect

from app.cli import TURN_TAKING_HTTP_PROTOCOL

BENCH_DIR = Path(__file__).resolve().parent
SCENARIO_FILE = BENCH_DIR / "fanout-scenario.yaml"
SCENARIO_ID = "fanout-bench"
SECRET = "fanout-bench-facilitator-secret"
HOST = "127.0.0.1"
SHIPPED = "cli"
"""``hotline serve`` exactly as shipped; any other ``ws`` value runs uvicorn with that websocket implementation."""
WS_IMPLEMENTATIONS = ("websockets", "websockets-sansio", "wsproto", "shared-deflate", "context-takeover")
HOTLINE_PROTOCOLS = {
    "shared-deflate": "app.realtime.wire:SharedDeflateProtocol",  # what `hotline serve` runs
    "context-takeover": "app.realtime.wire:ContextTakeoverProtocol",  # the same, compressing once per console
}
DEFAULT_FACTORY = "app.main:create_app"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ServerProcess:
    label: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_listening(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.label} exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), timeout=1):
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.label} did not listen on port {self.port} within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


def spawn(
    label: str, command: Sequence[str], env: dict[str, str], workdir: Path, port: int, niceness: int
) -> ServerProcess:
    """Start a server process (its output in ``<workdir>/<label>.log``) and wait until it listens."""
    log_path = workdir / f"{label}.log"
    setup = functools.partial(prepare_process, niceness)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=setup
        )
    server = ServerProcess(label, process, port, log_path)
    server.wait_listening()
    return server


def start_hotline(
    workdir: Path,
    ws: str,
    run_name: str,
    *,
    factory: str = DEFAULT_FACTORY,
    niceness: int = 0,
    database_url: str | None = None,
    env: dict[str, str] | None = None,
    port: int | None = None,
) -> ServerProcess:
    """A fresh database per run (SQLite unless ``database_url`` names another); the working directory is the
    temporary one, so no stray .env is read. ``env`` adds settings (a broker, say).

    ``factory`` (uvicorn runs only) serves another build of the app, such as a patched copy to try a change.
    ``port`` and ``database_url`` given: the same server again (a restart).
    """
    scenarios = workdir / "scenarios"
    scenarios.mkdir(exist_ok=True)
    (scenarios / SCENARIO_FILE.name).write_bytes(SCENARIO_FILE.read_bytes())
    port = port or free_port()
    database = database_url or f"sqlite:///{workdir / f'{run_name}.db'}"
    data_dir = workdir / run_name
    data_dir.mkdir(exist_ok=True)
    environment = {
        **os.environ,
        "HOTLINE_SECRET": SECRET,
        "HOTLINE_SCENARIO_DIRS": json.dumps([str(scenarios)]),
        "HOTLINE_DATA_DIR": str(data_dir),
        "HOTLINE_DATABASE_URL": database,
        "HOTLINE_LOG_LEVEL": "warning",
        # The bench's consoles share two seat links and one address: lift the per-seat and per-address caps.
        "HOTLINE_MAX_CONSOLES_PER_SEAT": "100000",
        "HOTLINE_MAX_CONSOLES_PER_ADDRESS": "100000",
        **(env or {}),
    }
    if ws == SHIPPED:
        command = [hotline_command(), "serve", "--host", HOST, "--port", str(port), "--db", database]
    else:
        command = [
            sys.executable, "-m", "uvicorn", "--factory", factory, "--host", HOST,
            "--port", str(port), "--ws", HOTLINE_PROTOCOLS.get(ws, ws), "--ws-max-size", str(1 << 20),
            "--http", TURN_TAKING_HTTP_PROTOCOL, "--log-level", "warning",
        ]  # fmt: skip
    return spawn(run_name, command, environment, workdir, port, niceness)


def hotline_command() -> str:
    script = Path(sys.executable).parent / "hotline"
    return str(script) if script.exists() else "hotline"


def start_baseline(workdir: Path, run_name: str, loop: str, *, niceness: int = 0) -> ServerProcess:
    port = free_port()
    command = [sys.executable, str(BENCH_DIR / "baseline_server.py"), "--host", HOST, "--port", str(port)]
    return spawn(run_name, [*command, "--loop", loop], dict(os.environ), workdir, port, niceness)


@dataclass(frozen=True)
class BenchExercise:
    exercise_id: str
    compression: float
    blue_token: str
    red_token: str
    role_tokens: list[str]
    """The role seats of both teams (the command load sends from these)."""


class HotlineApi:
    """The facilitator's REST calls the bench needs."""

    def __init__(self, port: int) -> None:
        self.http = httpx.Client(
            base_url=f"http://{HOST}:{port}", headers={"Authorization": f"Bearer {SECRET}"}, timeout=30
        )

    def close(self) -> None:
        self.http.close()

    def create_exercise(self) -> BenchExercise:
        response = self.http.post("/api/exercises", json={"scenario_id": SCENARIO_ID})
        response.raise_for_status()
        body = response.json()
        team_seats = {
            seat["team"]: seat["token"] for seat in body["seats"] if seat["kind"] == "player" and not seat["role"]
        }
        roles = [seat["token"] for seat in body["seats"] if seat["kind"] == "player" and seat["role"]]
        return BenchExercise(body["id"], body["compression"], team_seats["blue"], team_seats["red"], roles)

    def events(self, exercise_id: str) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        while True:
            after = events[-1]["seq"] if events else 0
            response = self.http.get(f"/api/exercises/{exercise_id}/events", params={"after": after, "limit": 5000})
            response.raise_for_status()
            batch = response.json()
            if not batch:
                return events
            events.extend(batch)

    def head_seq(self, exercise_id: str) -> int:
        events = self.events(exercise_id)
        return int(events[-1]["seq"]) if events else 0

    def start(self, exercise_id: str) -> None:
        response = self.http.post(f"/api/exercises/{exercise_id}/commands", json={"type": "start", "id": "bench-start"})
        response.raise_for_status()


class BaselineControl:
    """Tells the baseline to begin its schedule, and hears when it has sent everything."""

    def __init__(self, port: int) -> None:
        self.socket: ClientConnection = connect(f"ws://{HOST}:{port}/control", max_size=1 << 22)

    def start(self, count: int, interval: float, templates: list[dict[str, Any]]) -> None:
        message = {"type": "bench_start", "count": count, "interval": interval, "templates": templates}
        self.socket.send(json.dumps(message))

    def finish(self, timeout: float = 30.0) -> list[float]:
        """How late (seconds) each of the baseline's sends was against its deadline."""
        with contextlib.suppress(TimeoutError):
            return [float(value) for value in json.loads(self.socket.recv(timeout=timeout))["lateness"]]
        return []

    def close(self) -> None:
        self.socket.close()
