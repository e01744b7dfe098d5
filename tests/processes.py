"""Real processes for tests: ``hotline serve``, a private ``redis-server`` and ``haproxy``.

Each one runs as the user would run it, with its output in a log file the test can read, and is
stopped (or killed, paused, resumed) by signal exactly as an operator or a crash would.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.conftest import FIXTURES, PROJECT, free_port

SECRET = "process-test-secret-0123456789abcdef"
HAPROXY_CONFIG = PROJECT / "docs" / "deploy" / "haproxy.cfg"


def wait_until(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class Process:
    """A subprocess with its output in ``log``."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def spawn(self, command: list[str], env: dict[str, str]) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=PROJECT)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def signal(self, number: int) -> None:
        assert self.process is not None
        self.process.send_signal(number)

    def kill(self) -> None:
        if self.running():
            self.signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.running():
            return
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)  # a paused process cannot stop
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


class HotlineProcess(Process):
    """``hotline serve`` on a port of its own."""

    def __init__(self, data_dir: Path, database_url: str, *, env: dict[str, str] | None = None) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        super().__init__(data_dir / "server.log")
        self.data_dir = data_dir
        self.database_url = database_url
        self.port = free_port()
        self.env = {
            **os.environ,
            "HOTLINE_SECRET": SECRET,
            "HOTLINE_SCENARIO_DIRS": json.dumps([str(FIXTURES)]),
            "HOTLINE_DATA_DIR": str(data_dir),
            **(env or {}),
        }

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, wait: bool = True, extra: list[str] | None = None) -> None:
        command = [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port), "--db", self.database_url]
        self.spawn(command + (extra or []), self.env)
        if wait:
            self.wait_healthy()

    def healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/api/health", timeout=0.5).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                raise RuntimeError(f"hotline serve exited at start:\n{self.output()}")
            if self.healthy():
                return
            time.sleep(0.05)
        raise RuntimeError(f"hotline serve did not answer within {timeout:.0f} s:\n{self.output()}")

    def health(self) -> dict[str, object]:
        return dict(httpx.get(f"{self.url}/api/health", timeout=2).json())


class RedisProcess(Process):
    """A private ``redis-server`` on a free port, which a test may stop and start again."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(folder / "redis.log")
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None, "redis-server is not installed"
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.spawn(command, dict(os.environ))
        wait_until(lambda: _listening(self.port), 10, "redis-server to listen")


class HaproxyProcess(Process):
    """haproxy with the configuration kept in docs/deploy, in front of the given servers."""

    def __init__(self, folder: Path, servers: list[HotlineProcess]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(folder / "haproxy.log")
        self.port = free_port()
        self.env = {**os.environ, "HOTLINE_PROXY_BIND": f"127.0.0.1:{self.port}"}
        for number, server in enumerate(servers, start=1):
            self.env[f"HOTLINE_SERVER_{number}"] = f"127.0.0.1:{server.port}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        self.spawn([binary, "-f", str(HAPROXY_CONFIG), "-db"], self.env)
        wait_until(lambda: _listening(self.port) or not self.running(), 10, "haproxy to listen")
        if not self.running():
            raise RuntimeError(f"haproxy exited at start:\n{self.output()}")
