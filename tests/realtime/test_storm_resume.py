"""bench/storms.py at a small size: consoles that join at once, then resume after a SIGKILL while the log
grows, each get every event they may see exactly once (docs/performance.md, "Join and reconnect storms")."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import PROJECT

pytestmark = pytest.mark.slow


def test_consoles_resuming_after_a_sigkill_miss_nothing_and_get_nothing_twice() -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT / "bench" / "storms.py"), "--consoles", "60", "--history", "40", "--behind", "60"],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=PROJECT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # "cold join" and "restart (SIGKILL)": two words, then consoles … missing, duplicates.
    cases = ("cold join ", "restart (SIGKILL) ")
    rows = [line.split() for line in result.stdout.splitlines() if line.startswith(cases)]
    assert [(row[2], row[10], row[11]) for row in rows] == [("60", "0", "0")] * 2, result.stdout
    assert "no gap, no duplicate" in result.stdout
