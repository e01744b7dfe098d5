"""bench/chaos.py with two SIGKILLs per database: CI's share of the chaos run (docs/security.md)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import PROJECT, _postgres_available, skip_or_fail

pytestmark = pytest.mark.slow


def test_two_sigkills_per_database_lose_nothing_and_repeat_nothing() -> None:
    reason = _postgres_available()
    if reason:
        skip_or_fail(reason)
    result = subprocess.run(
        [sys.executable, str(PROJECT / "bench" / "chaos.py"), "--kills", "2", "--db", "sqlite,postgres"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=PROJECT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith(("sqlite ", "postgres "))]
    assert len(rows) == 4, result.stdout
    assert "4 kill(s), 0 with a failed check" in result.stdout
