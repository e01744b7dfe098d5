"""ruff and mypy are part of the suite, so CI keeps the code as clean as the project promises."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import PROJECT


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=PROJECT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", "app", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_server_timers_leave_the_global_random_generator_alone() -> None:
    """Jitter in background loops draws from its own generator.

    A draw from the module-level generator on the server's loop changes the state that seeded bots and
    property tests rely on, at moments they cannot see (hypothesis rejects its strategies for it).
    Bots seed their own ``random.Random``; the rest of the server must not touch the shared one.
    """
    module_calls = re.compile(r"\brandom\.(random|uniform|randint|randrange|choice|choices|shuffle|sample|gauss)\(")
    offenders = [
        f"{path.relative_to(PROJECT)}:{number}"
        for path in sorted((PROJECT / "app").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if module_calls.search(line)
    ]
    assert offenders == []
